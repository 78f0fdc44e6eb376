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
import { operationSubtitle, optionName } from '../shared/descriptions';
import { jobNodeOutputs } from '../shared/routeByStatus';
import { hiDreamProvider, properties, route } from './actions/provider';

export class HiDream implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HiDream',
		name: 'hiDream',
		icon: { light: 'file:../../icons/hidream.svg', dark: 'file:../../icons/hidream.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties, optionName(properties, 'task')),
		description:
			'Make videos with HiDream from a text prompt or an image, or restyle a video (anime, watercolor, cyberpunk and more, or a style you describe). Submit returns a job ID at once (a render takes minutes); Get Status and Get Result follow it to the video.',
		defaults: { name: 'HiDream' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: jobNodeOutputs,
		credentials: [{ name: 'hiDreamApi', required: true }],
		// Submit's Wait Method Callback: the provider calls the execution's resume URL.
		webhooks: [
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
		return await resumeOnCallback(this, () => hiDreamProvider);
	}
}
