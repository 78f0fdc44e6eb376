import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { jobNodeOutputs } from '../shared/descriptions';
import { properties, route } from './actions/router';
import * as loadOptions from './methods/loadOptions';

export class AiStudios implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Studios',
		name: 'aiStudios',
		icon: { light: 'file:../../icons/aistudios.svg', dark: 'file:../../icons/aistudios.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Render videos of DeepBrain AI Studios avatars (chroma key or custom) and follow them to the finished file',
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
