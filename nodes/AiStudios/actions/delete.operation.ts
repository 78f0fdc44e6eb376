import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { readJobId } from '../../shared/jobs';
import { aiStudiosV3Paths, aiStudiosV3Request, dataOf } from '../transport';

/** `DELETE /editor/project` with `{ids: [jobId]}`; AI Studios answers how many it deleted. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const jobId = readJobId(ctx, i);
	const answer = await aiStudiosV3Request(ctx, 'DELETE', aiStudiosV3Paths.projects, { body: { ids: [jobId] }, itemIndex: i, jobId });
	const deleted = Number(dataOf(answer).deletedCount ?? (answer as IDataObject | undefined)?.deletedCount);
	// A count of 0: no such project (a wrong ID, or deleted already): reported, not taken as done.
	if (deleted === 0) {
		const error = new NodeOperationError(ctx.getNode(), `AI Studios deleted no project with ID ${jobId}`, {
			itemIndex: i,
			description: 'Check the ID with Get Many: the project may be deleted already or belong to another account.',
		});
		error.context.jobId = jobId;
		throw error;
	}
	return { jobId, success: true };
}
