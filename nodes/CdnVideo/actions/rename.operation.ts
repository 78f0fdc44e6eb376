import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readJobId } from '../../shared/videoProvider';
import { inputCheck } from '../../shared/validation';
import { renameVideo } from '../transport';
import { VIDEO_NAME_MAX } from './generateBody';

export const description: INodeProperties[] = [
	{
		displayName: 'New Video Name',
		name: 'videoName',
		type: 'string',
		required: true,
		default: '',
		description: 'New name of the video (at most 35 characters)',
		displayOptions: { show: { operation: ['rename'] } },
	},
];

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const check = inputCheck(ctx.getNode(), i);
	const jobId = readJobId(ctx, i);
	const videoName = check.text('videoName', ctx.getNodeParameter('videoName', i), {
		max: VIDEO_NAME_MAX,
	});
	await renameVideo(ctx, jobId, videoName, { itemIndex: i, jobId });
	return { jobId, success: true };
}
