import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { jobNodeOutputs } from '../shared/descriptions';
import { properties, route } from './actions/router';

export class Kvid implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'kvid.ai',
		name: 'kvid',
		icon: { light: 'file:../../icons/kvid.svg', dark: 'file:../../icons/kvid.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] === "submit" ? "submit: " + $parameter["mode"] + " (" + $parameter["model"] + ")" : $parameter["operation"] }}',
		description: 'Render videos from text, an image or references with kvid.ai (Wan, Seedance, Veo 3.1) and follow them to the finished file',
		defaults: { name: 'kvid.ai' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: jobNodeOutputs,
		credentials: [{ name: 'kvidApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
