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

export class CdnVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CDNvideo Virtual Presenter',
		name: 'cdnVideo',
		icon: { light: 'file:../../icons/cdnvideo.svg', dark: 'file:../../icons/cdnvideo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description:
			'Make talking-presenter videos with CDNvideo: a virtual presenter speaks your script. Submit returns a job ID at once (a render takes minutes); Get Status and Get Result follow it to the video.',
		defaults: { name: 'CDNvideo Virtual Presenter' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: jobNodeOutputs,
		credentials: [{ name: 'cdnVideoApi', required: true }],
		properties,
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
