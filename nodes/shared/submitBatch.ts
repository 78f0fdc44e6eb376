import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { StatusRounds } from './batchStatus';
import { follow, stopFollowing, type Followed, type Look } from './follow';
import { errorItem, itemFailure, jobIdOf, toItems, toNodeError, type NodeError } from './items';
import type { JobOutput } from './jobContract';
import { ExecutionStopped, Semaphore } from './timing';
import { jobFromOutput, type VideoProvider } from './videoProvider';

const STATUS_CONCURRENCY = 8;
const DOWNLOAD_CONCURRENCY = 2;

/** One input item of a Submit: its job once submitted, whether it is followed, and how it ended. */
interface ItemRecord {
	itemIndex: number;
	job?: JobOutput;
	followed?: Followed;
	outcome?: { items: INodeExecutionData[] } | { error: NodeError };
}

/**
 * Submit: every item is submitted first (paced by the provider's limit inside `submit`). Items
 * that wait for completion are then followed together, each at its own pace, and downloaded as
 * soon as they finish; one failing or timing out does not stop the others.
 */
export async function submitOperation(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const records: ItemRecord[] = [];
	const followedOf = () => records.flatMap((r) => (r.followed ? [r.followed] : []));

	for (let i = 0; i < count; i++) {
		const record: ItemRecord = { itemIndex: i };
		records.push(record);
		try {
			const job = await provider.submit(ctx, i);
			record.job = job;
			recordJobId(ctx, provider.api.provider, job.jobId);
			const options = provider.wait.read(ctx, i);
			if (options)
				record.followed = { itemIndex: i, submitted: job, startedAt: Date.now(), options };
			else record.outcome = { items: toItems(job, i) };
		} catch (error) {
			const failure = await itemFailure(ctx, error, i, {
				stopped: async () =>
					await stopFollowing(
						ctx,
						provider,
						followedOf().map((f) => f.submitted),
						i,
					),
				failed: (nodeError) => withBatchSummary(nodeError, records),
			});
			record.outcome = { error: failure };
		}
	}

	const followed = records.filter(
		(r): r is ItemRecord & { followed: Followed } => r.followed !== undefined,
	);
	if (followed.length) {
		const statusChecks = new Semaphore(STATUS_CONCURRENCY);
		const downloads = new Semaphore(DOWNLOAD_CONCURRENCY);
		const rounds = provider.getStatuses && new StatusRounds(ctx, provider.getStatuses);
		const look: Look = rounds
			? rounds.look
			: async (i, job) => await statusChecks.run(async () => await provider.getStatus(ctx, i, job));
		const settled = await Promise.allSettled(
			followed.map(
				async ({ followed: f }) =>
					await follow(ctx, provider, f, look, downloads).finally(() =>
						rounds?.forget(jobFromOutput(provider, f.submitted)),
					),
			),
		);
		if (settled.some((s) => s.status === 'rejected' && s.reason instanceof ExecutionStopped)) {
			const running = followed
				.filter((_, n) => settled[n].status === 'rejected')
				.map((r) => r.followed.submitted);
			throw await stopFollowing(ctx, provider, running, count);
		}
		settled.forEach((s, n) => {
			const record = followed[n];
			record.outcome =
				s.status === 'fulfilled'
					? { items: toItems(s.value, record.itemIndex) }
					: { error: toNodeError(ctx, s.reason, record.itemIndex) };
		});
	}

	const firstFailure = records.find((r) => r.outcome && 'error' in r.outcome)?.outcome;
	if (firstFailure && 'error' in firstFailure && !ctx.continueOnFail())
		throw withBatchSummary(firstFailure.error, records);
	return records.flatMap(({ outcome, itemIndex }) =>
		!outcome ? [] : 'items' in outcome ? outcome.items : [errorItem(outcome.error, itemIndex)],
	);
}

/**
 * Records the job ids in the execution's custom data, so an execution can be found by a job id in
 * n8n's execution list. n8n keeps 10 keys of up to 255 characters: ids are packed comma-separated
 * into `<provider>_jobIds_<n>` keys; what does not fit is not recorded (the output still has it).
 */
export function recordJobId(ctx: IExecuteFunctions, provider: string, jobId: string): void {
	const data = ctx.customData;
	if (!data || !/^[\w.:-]+$/.test(jobId)) return;
	for (let n = 1; n <= 10; n++) {
		const key = `${provider}_jobIds_${n}`;
		const current = data.get(key);
		if (!current) return data.set(key, jobId);
		if (current.length + 1 + jobId.length <= 255) return data.set(key, `${current},${jobId}`);
	}
}

/** An item failed and the node stops: the other jobs of the batch are named, so none is lost. */
function withBatchSummary(error: NodeError, records: ItemRecord[]): NodeError {
	const lines: string[] = [];
	const named = new Set<string>();
	for (const { itemIndex, outcome } of records) {
		const json = outcome && 'items' in outcome ? outcome.items[0]?.json : undefined;
		if (json && typeof json.jobId === 'string') {
			lines.push(`item ${itemIndex}: job ${json.jobId} ${String(json.status)}`);
			named.add(json.jobId);
		}
	}
	for (const { itemIndex, outcome } of records) {
		const other =
			outcome && 'error' in outcome && outcome.error !== error ? outcome.error : undefined;
		const jobId = other && jobIdOf(other);
		if (other && jobId) {
			lines.push(`item ${itemIndex}: job ${jobId} — ${other.message}`);
			named.add(jobId);
		}
	}
	for (const { followed } of records) {
		if (
			followed &&
			!named.has(followed.submitted.jobId) &&
			jobIdOf(error) !== followed.submitted.jobId
		) {
			lines.push(`item ${followed.itemIndex}: job ${followed.submitted.jobId} submitted`);
		}
	}
	if (lines.length) {
		error.description =
			`${error.description ? `${error.description}\n\n` : ''}Other jobs of ` +
			`this batch (use Continue On Fail to get them as items):\n${lines.join('\n')}`;
	}
	return error;
}
