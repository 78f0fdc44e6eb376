import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { jobNodeOutputs, operationSubtitle } from '../shared/descriptions';
import { properties, route } from './actions/router';

export class AiStudios implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Studios',
		name: 'aiStudios',
		icon: { light: 'file:../../icons/aistudios.svg', dark: 'file:../../icons/aistudios.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: 'Render chroma-key videos of DeepBrain AI Studios models and follow them to the finished file',
		defaults: { name: 'AI Studios' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: jobNodeOutputs,
		credentials: [{ name: 'aiStudiosApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
