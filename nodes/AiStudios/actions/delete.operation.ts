import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { jobError } from '../../shared/errors';
import { readJobId } from '../../shared/videoProvider';
import { dataOf } from '../answers';
import { deleteProject } from '../transport';

/** `DELETE /editor/project` with `{ids: [jobId]}`; AI Studios answers how many it deleted. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const jobId = readJobId(ctx, i);
	const answer = await deleteProject(ctx, jobId, i);
	const deleted = Number(
		dataOf(answer).deletedCount ?? (answer as IDataObject | undefined)?.deletedCount,
	);
	// A count of 0: no such project (a wrong ID, or deleted already): reported, not taken as done.
	if (deleted === 0) {
		throw jobError(ctx.getNode(), `AI Studios deleted no project with ID ${jobId}`, {
			itemIndex: i,
			jobId,
			description:
				'Check the ID with Get Many: the project may be deleted already or belong to another account.',
		});
	}
	return { jobId, success: true };
}
