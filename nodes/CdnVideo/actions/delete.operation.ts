import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readJobId } from '../../shared/videoProvider';
import { deleteVideo } from '../transport';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const jobId = readJobId(ctx, i);
	await deleteVideo(ctx, jobId, { itemIndex: i, jobId });
	return { jobId, success: true };
}
