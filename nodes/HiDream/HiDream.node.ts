import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { jobNodeOutputs } from '../shared/descriptions';
import { properties, route } from './actions/router';

export class HiDream implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HiDream',
		name: 'hiDream',
		icon: { light: 'file:../../icons/hidream.svg', dark: 'file:../../icons/hidream.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Render videos from text or an image, or restyle videos, with HiDream, and follow them to the finished file',
		defaults: { name: 'HiDream' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: jobNodeOutputs,
		credentials: [{ name: 'hiDreamApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
