import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { jobError } from './errors';
import type { JobOutput, JobRef } from './jobContract';
import type { RenderTimeEstimate } from './renderTimeEstimate';
import { fetchResult, stateOf } from './results';
import { pause, type Semaphore } from './timing';
import { jobFromOutput, type VideoProvider } from './videoProvider';
import type { WaitOptions } from './waitForCompletion';

/**
 * No render of these providers ends within seconds: look first when the seed's 3 s loop would look
 * again.
 */
const FIRST_POLL_MS = 3_000;
/** The shortest pause between two looks (when the reported progress says the end is near). */
const MIN_POLL_MS = 1_000;

/** A submitted job that Wait for Completion follows. */
export interface Followed {
	itemIndex: number;
	submitted: JobOutput;
	startedAt: number;
	options: WaitOptions;
}

/** One status check of a followed job: a request of its own, or its part of a status round. */
export type Look = (itemIndex: number, job: JobRef) => Promise<JobOutput>;

/** What the jobs of one Submit share while they are followed (`followBatch`). */
export interface Batch {
	look: Look;
	downloads: Semaphore;
	/**
	 * what the batch learns of the render time; absent where one status round asks for every job
	 * at once (HiDream): a scout would save no request there
	 */
	estimate?: RenderTimeEstimate<Followed>;
	signal: AbortSignal | undefined;
	/** rejects with ExecutionStopped once the node gives the batch up (a submit failed) */
	givenUp: Promise<never>;
}

/**
 * When to look again: where the provider reports progress, when the job should end at its current
 * pace, plus the time one percent takes (progress comes in whole percents, and a look that lands
 * just before the end costs another one); otherwise at intervals growing from 3 s. Never sooner
 * than 1 s nor later than the cap — except the first look, which waits for `firstLookMs` after the
 * submit where the provider estimates one (the cap bounds the pauses between looks, not the
 * render).
 */
export function nextPollDelay(
	job: JobOutput,
	elapsedMs: number,
	polls: number,
	capMs: number,
	firstLookMs = 0,
): number {
	const usual = usualPollDelay(job, elapsedMs, polls, capMs);
	return polls === 0 ? Math.max(usual, firstLookMs - elapsedMs) : usual;
}

function usualPollDelay(job: JobOutput, elapsedMs: number, polls: number, capMs: number): number {
	const p = job.progress;
	if (p !== null && p > 0 && p < 100 && elapsedMs > 0) {
		return Math.min(capMs, Math.max(MIN_POLL_MS, Math.round((elapsedMs * (101 - p)) / p)));
	}
	return Math.min(capMs, Math.round(FIRST_POLL_MS * 1.6 ** polls));
}

/** Follows one job until it ends or its timeout: its result item, or an error naming the job. */
export async function follow(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	f: Followed,
	batch: Batch,
): Promise<INodeExecutionData> {
	const job = jobFromOutput(provider, f.submitted);
	const deadline = f.startedAt + f.options.timeoutMs;
	let last = f.submitted;
	const firstLookMs = provider.firstLookMs?.(f.submitted) ?? 0;
	const node = ctx.getNode();
	for (let polls = 0; ; polls++) {
		if (Date.now() >= deadline) {
			throw jobError(
				node,
				`Job ${last.jobId} did not finish within ${Math.round(f.options.timeoutMs / 1000)} s ` +
					`(last status: ${stateOf(last)})`,
				{
					itemIndex: f.itemIndex,
					jobId: last.jobId,
					description:
						'The job is still running at the provider: check it later with Get Status / Get Result and this jobId, or raise the timeout.',
				},
			);
		}
		await pauseBeforeLook(f, last, polls, firstLookMs, deadline, batch);
		last = await Promise.race([batch.look(f.itemIndex, job), batch.givenUp]);
		batch.estimate?.looked(f, Date.now() - f.startedAt, last);
		if (last.status === 'completed') {
			return await fetchResult(ctx, provider, f.itemIndex, job, f.options, batch.downloads, last);
		}
		if (last.status === 'failed' || last.status === 'canceled') {
			const how = last.status === 'failed' ? 'failed' : 'was canceled';
			const ended = `Job ${last.jobId} ${how}${last.error ? `: ${last.error}` : ''}`;
			throw jobError(node, ended, { itemIndex: f.itemIndex, jobId: last.jobId });
		}
	}
}

/**
 * The pause before a look: the usual schedule, or, where the job reports no progress, what the
 * batch has learned (never before the provider's own first-look hint, never past the deadline).
 * A job waiting for the batch's scout wakes when the scout ends and asks again.
 */
async function pauseBeforeLook(
	f: Followed,
	last: JobOutput,
	polls: number,
	firstLookMs: number,
	deadline: number,
	{ estimate, signal, givenUp }: Batch,
): Promise<void> {
	const cap = f.options.pollIntervalMs;
	for (;;) {
		const now = Date.now();
		const elapsed = now - f.startedAt;
		const learned =
			last.progress === null ? estimate?.pauseBeforeLook(f, elapsed, polls, cap) : undefined;
		const delay = learned
			? Math.max(learned.ms, polls === 0 ? firstLookMs - elapsed : 0)
			: nextPollDelay(last, elapsed, polls, cap, firstLookMs);
		const ms = Math.min(delay, deadline - now);
		// Not waiting for the scout: a plain pause (a single timer where there is no cancel signal,
		// which the fake-timer tests count on).
		if (!estimate || !learned?.untilChange) return await Promise.race([pause(ms, signal), givenUp]);
		// A wake-up ends the pause too, leaving no timer behind.
		const ended = new AbortController();
		const paused = pause(ms, signal ? AbortSignal.any([signal, ended.signal]) : ended.signal);
		paused.catch(() => undefined);
		const woken = await Promise.race([
			paused.then(() => false),
			givenUp,
			estimate.changed.then(() => true),
		]).finally(() => ended.abort());
		if (!woken) return;
	}
}

/** The execution was stopped: stop the renders still running where the provider can, and say so. */
export async function stopFollowing(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	running: JobOutput[],
	itemIndex: number,
) {
	const cancelAfterStop = provider.cancelAfterStop;
	let note = running.length
		? ` Jobs still running: ${running.map((j) => j.jobId).join(', ')}.`
		: '';
	if (cancelAfterStop && running.length) {
		const results = await Promise.allSettled(
			running.map(async (j) => await cancelAfterStop(ctx, jobFromOutput(provider, j))),
		);
		const canceled = running
			.filter((_, n) => results[n].status === 'fulfilled')
			.map((j) => j.jobId);
		const left = running.filter((_, n) => results[n].status === 'rejected').map((j) => j.jobId);
		const done = canceled.length
			? ` Canceled at ${provider.api.displayName}: ${canceled.join(', ')}.`
			: '';
		note = `${done}${left.length ? ` Could not cancel: ${left.join(', ')}.` : ''}`;
	}
	return new NodeOperationError(
		ctx.getNode(),
		`The execution was stopped while waiting for renders.${note}`,
		{ itemIndex: Math.min(itemIndex, ctx.getInputData().length - 1) },
	);
}
