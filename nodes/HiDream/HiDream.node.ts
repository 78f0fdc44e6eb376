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
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
