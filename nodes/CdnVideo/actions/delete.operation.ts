import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readJobId } from '../../shared/jobs';
import { apiPath, cdnVideoRequest } from '../transport';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const jobId = readJobId(ctx, i);
	await cdnVideoRequest(ctx, 'DELETE', apiPath`/video/${jobId}`, { itemIndex: i, jobId });
	return { jobId, success: true };
}
