import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { operationSubtitle, optionName } from '../shared/descriptions';
import { jobNodeOutputs } from '../shared/routeByStatus';
import { properties, route } from './actions/provider';

export class Kvid implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'kvid.ai',
		name: 'kvid',
		icon: { light: 'file:../../icons/kvid.svg', dark: 'file:../../icons/kvid.dark.svg' },
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: operationSubtitle(
			properties,
			`${optionName(properties, 'mode')} + ", " + ${optionName(properties, 'model')}`,
		),
		description:
			'Make short videos from a text prompt, an image or reference images, videos and audio with kvid.ai (Wan, Seedance, Veo 3.1). Submit returns a job ID at once (a render takes minutes); Get Status and Get Result follow it to the video.',
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
