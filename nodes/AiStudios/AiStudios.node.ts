import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { callbackLifecycle } from '../shared/callback';
import { resumeOnCallback } from '../shared/callbackResume';
import { operationSubtitle } from '../shared/descriptions';
import { jobNodeOutputs } from '../shared/routeByStatus';
import { properties, providerOf, route } from './actions/provider';
import * as loadOptions from './methods/loadOptions';

export class AiStudios implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Studios',
		name: 'aiStudios',
		icon: { light: 'file:../../icons/aistudios.svg', dark: 'file:../../icons/aistudios.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: operationSubtitle(properties),
		description:
			'Make videos of a DeepBrain AI Studios avatar speaking your text (chroma key or custom avatar). Submit returns a job ID at once (a render takes minutes); Get Status and Get Result follow it to the video.',
		defaults: { name: 'AI Studios' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: jobNodeOutputs,
		credentials: [{ name: 'aiStudiosApi', required: true }],
		// Submit's Wait Method Callback: the provider calls the execution's resume URL (v2's method is
		// not documented: GET and POST are both taken).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		],
		properties,
	};

	methods = { loadOptions };

	/**
	 * Nothing to register at the provider: Submit gives it the callback URL with each job, and n8n
	 * does not activate resume webhooks.
	 */
	webhookMethods = {
		default: {
			checkExists: async () => await callbackLifecycle.checkExists(),
			create: async () => await callbackLifecycle.create(),
			delete: async () => await callbackLifecycle.delete(),
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}

	/** The provider called back while Submit waits (Wait Method Callback). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback(this, providerOf);
	}
}
