import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputCheck } from '../../shared/validation';
import { apiPath, cdnVideoRequest } from '../transport';

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const jobId = inputCheck(ctx.getNode(), i).jobId(ctx.getNodeParameter('jobId', i));
	await cdnVideoRequest(ctx, 'DELETE', apiPath`/video/${jobId}`, { itemIndex: i, jobId });
	return { jobId, success: true };
}
