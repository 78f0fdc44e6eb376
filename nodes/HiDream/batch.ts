import { NodeApiError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { JobLook } from '../shared/batchStatus';
import { ProviderRefusal } from '../shared/errors';
import { settle } from '../shared/failure';
import type { JobOutput } from '../shared/jobContract';
import { ExecutionStopped, Semaphore } from '../shared/timing';
import { getStatus, toJobOutput, type HiDreamJobRef } from './job';
import type { HiDreamTask } from './tasks';
import { getBatchResults } from './transport';

/**
 * Task ids per batch request. HiDream publishes no maximum; 25 keeps a request small while 50
 * followed jobs cost two requests a round instead of fifty.
 */
export const BATCH_SIZE = 25;
/** Single status checks at once where the batch is refused or leaves ids out. */
const SINGLE_CONCURRENCY = 8;

/** Per execution: the tasks whose batch HiDream refused outright, asked one by one from then on. */
const refusedBatches = new WeakMap<object, Set<HiDreamTask>>();

/**
 * The `result` entries of a batch answer. Its shape is not published: a list of per-task results
 * (each like a single results answer's `result`) is read under `result`, or under the first list
 * inside a `result` object.
 */
function entriesOf(body: IDataObject): IDataObject[] {
	const result = body.result;
	const list = Array.isArray(result)
		? result
		: result && typeof result === 'object'
			? Object.values(result).find(Array.isArray)
			: undefined;
	return (list ?? []).filter(
		(e): e is IDataObject => e !== null && typeof e === 'object' && !Array.isArray(e),
	);
}

/** HiDream said no to the batch itself (not a passing failure): 4xx, or a code other than 0. */
function isRefusal(error: unknown): boolean {
	if (error instanceof ProviderRefusal) return true;
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	return status >= 400 && status < 500 && status !== 429 && status !== 401 && status !== 403;
}

/**
 * Many HiDream jobs' states: one `…/async/results/batch` request per task and chunk of
 * BATCH_SIZE ids; one request per job where HiDream refuses the batch or leaves the job out.
 * Each entry is the job's state, or the error of its own status check. Optional looks fill the
 * room left in a batch request that goes out anyway, and are never asked on their own.
 */
export async function getStatuses(
	ctx: IExecuteFunctions,
	looks: JobLook[],
): Promise<Array<JobOutput | Error | undefined>> {
	const results: Array<JobOutput | Error | undefined> = looks.map(() => undefined);
	const singles = new Semaphore(SINGLE_CONCURRENCY);
	const single = async (n: number) => {
		const { itemIndex, job, optional } = looks[n];
		if (optional) return;
		results[n] = await singles
			.run(async () => await getStatus(ctx, itemIndex, job as HiDreamJobRef))
			.catch((error: unknown) => {
				if (error instanceof ExecutionStopped) throw error;
				return error as Error;
			});
	};
	const refused = refusedBatches.get(ctx) ?? new Set<HiDreamTask>();
	refusedBatches.set(ctx, refused);

	// due looks first, so they fill the fewest chunks; a chunk of optional looks alone is not sent
	const order = looks
		.map((_, n) => n)
		.sort((a, b) => Number(Boolean(looks[a].optional)) - Number(Boolean(looks[b].optional)));
	const chunks: Array<{ task: HiDreamTask; indexes: number[] }> = [];
	for (const n of order) {
		const task = (looks[n].job as HiDreamJobRef).task;
		const open = chunks.find((c) => c.task === task && c.indexes.length < BATCH_SIZE);
		if (open) open.indexes.push(n);
		else chunks.push({ task, indexes: [n] });
	}

	await Promise.all(
		chunks.map(async ({ task, indexes }) => {
			if (indexes.every((n) => looks[n].optional)) return;
			// one id costs the same either way: asked at its own results path
			if (refused.has(task) || indexes.length === 1) return await Promise.all(indexes.map(single));
			const ids = indexes.map((n) => looks[n].job.jobId);
			const answer = await settle(
				getBatchResults<IDataObject>(ctx, task, [...new Set(ids)], looks[indexes[0]].itemIndex),
			);
			if ('error' in answer) {
				if (answer.error instanceof ExecutionStopped) throw answer.error;
				if (isRefusal(answer.error)) refused.add(task);
				return await Promise.all(indexes.map(single));
			}
			const byId = new Map(entriesOf(answer.value).map((e) => [String(e.task_id), e]));
			const envelope = { ...answer.value };
			delete envelope.result;
			const missing: number[] = [];
			for (const n of indexes) {
				const entry = byId.get(looks[n].job.jobId);
				if (entry)
					results[n] = toJobOutput(looks[n].job as HiDreamJobRef, entry, {
						...envelope,
						result: entry,
					});
				else missing.push(n);
			}
			return await Promise.all(missing.map(single));
		}),
	);
	return results;
}
