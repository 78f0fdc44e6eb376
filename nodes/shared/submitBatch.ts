import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { stopFollowing, type Followed } from './follow';
import { followBatch } from './followBatch';
import { errorItem, itemFailure, jobIdOf, toItems, toNodeError, type NodeError } from './items';
import type { JobOutput } from './jobContract';
import { ExecutionStopped } from './timing';
import type { VideoProvider } from './videoProvider';

/** One input item of a Submit: its job once submitted, whether it is followed, and how it ended. */
interface ItemRecord {
	itemIndex: number;
	job?: JobOutput;
	followed?: Followed;
	/** its follow, from right after its submit */
	following?: Promise<INodeExecutionData>;
	outcome?: { items: INodeExecutionData[] } | { error: NodeError };
}

/**
 * Submit: every item is submitted (paced by the provider's limit inside `submit`); an item that
 * waits for completion is followed from its own submit on, each at its own pace, and downloaded as
 * soon as it finishes; one failing or timing out does not stop the others.
 */
export async function submitOperation(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const records: ItemRecord[] = [];
	const batch = followBatch(ctx, provider);
	/** Ends the follows still waiting and settles them all before the node throws. */
	const stopAll = async () => {
		batch.giveUp();
		return await settleFollowing(ctx, records);
	};

	for (let i = 0; i < count; i++) {
		const record: ItemRecord = { itemIndex: i };
		records.push(record);
		try {
			const job = await provider.submit(ctx, i);
			record.job = job;
			recordJobId(ctx, provider.api.provider, job.jobId);
			const options = provider.wait.read(ctx, i);
			if (options) {
				// Followed while later items wait for the submit limit: what the first jobs show
				// about the render time sets when the later ones are first looked at.
				record.followed = { itemIndex: i, submitted: job, startedAt: Date.now(), options };
				record.following = batch.follow(record.followed);
			} else record.outcome = { items: toItems(job, i) };
		} catch (error) {
			const failure = await itemFailure(ctx, error, i, {
				stopped: async () => await stopFollowing(ctx, provider, (await stopAll()).running, i),
				failed: async (nodeError) => {
					await stopAll();
					return withBatchSummary(nodeError, records);
				},
			});
			record.outcome = { error: failure };
		}
	}

	const { stopped, running } = await settleFollowing(ctx, records);
	if (stopped) throw await stopFollowing(ctx, provider, running, count);
	const firstFailure = records.find((r) => r.outcome && 'error' in r.outcome)?.outcome;
	if (firstFailure && 'error' in firstFailure && !ctx.continueOnFail())
		throw withBatchSummary(firstFailure.error, records);
	return records.flatMap(({ outcome, itemIndex }) =>
		!outcome ? [] : 'items' in outcome ? outcome.items : [errorItem(outcome.error, itemIndex)],
	);
}

/**
 * Waits for every follow started and puts how it ended on its record; a stopped follow leaves
 * its record open. `running`: the jobs whose follow did not end well, still running at the
 * provider as far as the node knows.
 */
async function settleFollowing(ctx: IExecuteFunctions, records: ItemRecord[]) {
	const following = records.filter(
		(r): r is ItemRecord & Required<Pick<ItemRecord, 'followed' | 'following'>> =>
			r.following !== undefined && r.outcome === undefined,
	);
	const settled = await Promise.allSettled(following.map(async (r) => await r.following));
	const running: JobOutput[] = [];
	let stopped = false;
	settled.forEach((s, n) => {
		const record = following[n];
		if (s.status === 'fulfilled') {
			record.outcome = { items: toItems(s.value, record.itemIndex) };
			return;
		}
		running.push(record.followed.submitted);
		if (s.reason instanceof ExecutionStopped) stopped = true;
		else record.outcome = { error: toNodeError(ctx, s.reason, record.itemIndex) };
	});
	return { stopped, running };
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
