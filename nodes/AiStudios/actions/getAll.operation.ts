import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllFields } from '../../shared/descriptions';
import { inputCheck } from '../../shared/validation';
import { listOf } from '../answers';
import { listProjects } from '../transport';

const show = { show: { operation: ['getAll'], apiVersion: ['v3'] } };

export const description: INodeProperties[] = returnAllFields(show);

/**
 * `GET /editor/project`: the account's exported projects, one item each, `jobId` beside AI Studios'
 * own fields (`id`, `name`, `state` — "exported" when ready — and `download_url`). The endpoint
 * documents no paging: the whole list comes in one answer, and Limit keeps its first items.
 */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll
		? Infinity
		: inputCheck(ctx.getNode(), i).number('limit', ctx.getNodeParameter('limit', i, 50), {
				min: 1,
				integer: true,
			});
	const answer = await listProjects(ctx, i);
	return listOf(answer, 'projects', 'list', 'items')
		.slice(0, limit)
		.map((project) => {
			const id = project.id ?? project._id ?? project.projectId;
			const url = project.download_url ?? project.downloadUrl;
			return {
				jobId: id === undefined ? null : String(id),
				...project,
				videoUrl: typeof url === 'string' && url ? url : null,
			};
		});
}
