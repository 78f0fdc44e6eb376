import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { operationSubtitle } from '../shared/descriptions';
import { jobNodeOutputs } from '../shared/routeByStatus';
import { properties, route } from './actions/provider';
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
		properties,
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
