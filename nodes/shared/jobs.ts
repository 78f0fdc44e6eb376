import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { prefetchStatuses, StatusRounds, type GetStatuses } from './batchStatus';
import { downloadVideo } from './download';
import type { ProviderApi } from './http';
import { errorItem, forEachItem, jobIdOf, toItems, toNodeError, type ItemResult } from './items';
import type { JobOutput, JobRef } from './jobContract';
import { RenderTimeEstimate } from './renderTimeEstimate';
import { inputCheck } from './validation';
import { ExecutionStopped, pause, Semaphore } from './timing';

/** What a provider folder supplies; the shared code runs the job operations on top of it. */
export interface VideoProvider {
	api: ProviderApi;
	/** The job an item refers to, validated before any request, where more than the jobId (kvid: mode). */
	jobRef?(ctx: IExecuteFunctions, itemIndex: number): JobRef;
	/** Validates the item, starts one render and returns the job (status queued or later). */
	submit(ctx: IExecuteFunctions, itemIndex: number): Promise<JobOutput>;
	getStatus(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput>;
	/** Many jobs' states in few requests, where the provider has a batch endpoint (HiDream): used to follow many jobs and by Get Status over many items. */
	getStatuses?: GetStatuses;
	/** The finished job with its `videoUrl`, or the job's current state when there is no file yet. */
	getResult(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput>;
	cancel?(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput>;
	/** Stops jobs after the execution was stopped (the execution's own requests are aborted by then). */
	cancelAfterStop?(ctx: IExecuteFunctions, job: JobRef): Promise<void>;
	/** Longest pause between two status checks of a job when Wait Options leave it unset. */
	pollSeconds: number;
	/** The fields of a job's output that identify it again, where more than the jobId (kvid: mode). */
	refOf?(output: JobOutput): JobRef;
	/**
	 * How long after the submit a first status check is worth making, where the provider says
	 * (kvid's estimated_time); Wait for Completion does not look before it.
	 */
	firstLookMs?(submitted: JobOutput): number | undefined;
}

/** The item's `jobId` parameter, checked before any request. */
export function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	return inputCheck(ctx.getNode(), itemIndex).jobId(ctx.getNodeParameter('jobId', itemIndex));
}

function jobRef(ctx: IExecuteFunctions, provider: VideoProvider, itemIndex: number): JobRef {
	return provider.jobRef?.(ctx, itemIndex) ?? { jobId: readJobId(ctx, itemIndex) };
}

function refOf(provider: VideoProvider, output: JobOutput): JobRef {
	return provider.refOf?.(output) ?? { jobId: output.jobId };
}

const STATUS_CONCURRENCY = 8;
const DOWNLOAD_CONCURRENCY = 2;
/** No render of these providers ends within seconds: look first when the seed's 3 s loop would look again. */
const FIRST_POLL_MS = 3_000;
/** The shortest pause between two looks (when the reported progress says the end is near). */
const MIN_POLL_MS = 1_000;

/** One status check per item; with Route by Status, outputs Completed, Failed and Running. */
export async function getStatusOperation(ctx: IExecuteFunctions, provider: VideoProvider): Promise<INodeExecutionData[][]> {
	const prefetched = provider.getStatuses ? await prefetchStatuses(ctx, provider.getStatuses, (i) => jobRef(ctx, provider, i)) : undefined;
	const items = await forEachItem(ctx, async (i) => {
		const known = prefetched?.get(i);
		if (known instanceof Error) throw known;
		return known ?? (await provider.getStatus(ctx, i, jobRef(ctx, provider, i)));
	});
	if (!(ctx.getNodeParameter('routeByStatus', 0, false) as boolean)) return [items];
	const routes: INodeExecutionData[][] = [[], [], []];
	for (const item of items) {
		const status = item.json.status;
		// Continue On Fail items (no status, an error) go with the failures.
		routes[status === 'completed' ? 0 : status === 'queued' || status === 'processing' ? 2 : 1].push(item);
	}
	return routes;
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

export async function getResultOperation(ctx: IExecuteFunctions, provider: VideoProvider) {
	return await forEachItem(ctx, async (i) => {
		const job = jobRef(ctx, provider, i);
		const download = ctx.getNodeParameter('download', i, true) as boolean;
		const binaryPropertyName = download ? (ctx.getNodeParameter('binaryPropertyName', i, 'data') as string) : '';
		return await fetchResult(ctx, provider, i, job, { download, binaryPropertyName });
	});
}

async function fetchResult(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	itemIndex: number,
	job: JobRef,
	options: { download: boolean; binaryPropertyName: string },
	downloads?: Semaphore,
	known?: JobOutput,
): Promise<INodeExecutionData> {
	// A completed status that already carries the link spares a second request for it.
	const result = known?.status === 'completed' && known.videoUrl ? known : await provider.getResult(ctx, itemIndex, job);
	if (result.status === 'queued' || result.status === 'processing') {
		throw jobError(ctx, itemIndex, result, `Job ${result.jobId} is not finished yet (status: ${result.status}${result.progress === null ? '' : `, ${result.progress}%`})`,
			'Check Get Status until the status is "completed", then get the result.');
	}
	const item: INodeExecutionData = { json: result };
	if (result.status === 'completed' && options.download) {
		if (!result.videoUrl) throw jobError(ctx, itemIndex, result, `${provider.api.displayName} reported job ${result.jobId} completed but gave no video URL`);
		const fetch = async () =>
			await downloadVideo(ctx, { url: result.videoUrl as string, jobId: result.jobId, itemIndex, providerName: provider.api.displayName });
		const binary = downloads ? await downloads.run(fetch) : await fetch();
		item.binary = { [options.binaryPropertyName || 'data']: binary };
	}
	return item;
}

function jobError(ctx: IExecuteFunctions, itemIndex: number, job: JobOutput, message: string, description?: string) {
	const error = new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	error.context.jobId = job.jobId;
	return error;
}

interface WaitOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	download: boolean;
	binaryPropertyName: string;
}

interface Followed {
	itemIndex: number;
	submitted: JobOutput;
	startedAt: number;
	options: WaitOptions;
}

/**
 * Submit: every item is submitted first (paced by the provider's limit inside `submit`). Items
 * that wait for completion are then followed together, each at its own pace, and downloaded as
 * soon as they finish; one failing or timing out does not stop the others.
 */
export async function submitOperation(ctx: IExecuteFunctions, provider: VideoProvider): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const outputs: Array<INodeExecutionData[] | undefined> = new Array(count);
	const errors: Array<{ itemIndex: number; error: ReturnType<typeof toNodeError> }> = [];
	const followed: Followed[] = [];
	const following: Array<Promise<ItemResult>> = [];
	const batch = followBatch(ctx, provider);
	// Settles the jobs followed so far (stopped where still waiting) before the node throws.
	const stopAll = async () => {
		batch.giveUp();
		return await Promise.allSettled(following);
	};

	for (let i = 0; i < count; i++) {
		try {
			const job = await provider.submit(ctx, i);
			recordJobId(ctx, provider.api.provider, job.jobId);
			if (ctx.getNodeParameter('waitForCompletion', i, false) as boolean) {
				// Followed from now on, while later items wait for the submit limit: what the first
				// jobs show about the render time sets when the later ones are first looked at.
				const f: Followed = { itemIndex: i, submitted: job, startedAt: Date.now(), options: waitOptions(ctx, i, provider.pollSeconds) };
				followed.push(f);
				following.push(batch.follow(f));
			} else {
				outputs[i] = toItems(job, i);
			}
		} catch (error) {
			if (error instanceof ExecutionStopped) {
				const settled = await stopAll();
				throw await stopFollowing(ctx, provider, followed.filter((_, n) => settled[n].status === 'rejected'), i);
			}
			const nodeError = toNodeError(ctx, error, i);
			if (!ctx.continueOnFail()) {
				await stopAll();
				throw withBatchSummary(nodeError, followed, outputs, []);
			}
			errors.push({ itemIndex: i, error: nodeError });
		}
	}

	if (followed.length) {
		const settled = await Promise.allSettled(following);
		const stopped = settled.some((s) => s.status === 'rejected' && s.reason instanceof ExecutionStopped);
		if (stopped) throw await stopFollowing(ctx, provider, followed.filter((_, n) => settled[n].status === 'rejected'), count);
		settled.forEach((s, n) => {
			const { itemIndex } = followed[n];
			if (s.status === 'fulfilled') outputs[itemIndex] = toItems(s.value, itemIndex);
			else errors.push({ itemIndex, error: toNodeError(ctx, s.reason, itemIndex) });
		});
	}

	if (errors.length && !ctx.continueOnFail()) {
		errors.sort((a, b) => a.itemIndex - b.itemIndex);
		throw withBatchSummary(errors[0].error, followed, outputs, errors);
	}
	for (const { itemIndex, error } of errors) outputs[itemIndex] = [errorItem(error, itemIndex)];
	return outputs.flatMap((o) => o ?? []);
}

function waitOptions(ctx: IExecuteFunctions, i: number, pollSeconds: number): WaitOptions {
	const o = ctx.getNodeParameter('waitOptions', i, {}) as IDataObject;
	const seconds = (v: unknown, fallback: number) => (typeof v === 'number' && v > 0 ? v : fallback) * 1000;
	return {
		pollIntervalMs: seconds(o.pollInterval, pollSeconds),
		timeoutMs: seconds(o.timeout, 1800),
		download: o.download !== false,
		binaryPropertyName: typeof o.binaryPropertyName === 'string' && o.binaryPropertyName ? o.binaryPropertyName : 'data',
	};
}

/**
 * When to look again: where the provider reports progress, when the job should end at its current
 * pace, plus the time one percent takes (progress comes in whole percents, and a look that lands
 * just before the end costs another one); otherwise at intervals growing from 3 s. Never sooner
 * than 1 s nor later than the cap — except the first look, which waits for `firstLookMs` after the
 * submit where the provider estimates one (the cap bounds the pauses between looks, not the render).
 */
export function nextPollDelay(job: JobOutput, elapsedMs: number, polls: number, capMs: number, firstLookMs = 0): number {
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

/** One status check of a followed job: a request of its own, or its part of a status round. */
type Look = (itemIndex: number, job: JobRef) => Promise<JobOutput>;

interface Batch {
	look: Look;
	downloads: Semaphore;
	/** absent where one status round asks for every job at once (HiDream): a scout would save no request */
	estimate?: RenderTimeEstimate<Followed>;
	signal: AbortSignal | undefined;
	/** rejects with ExecutionStopped once the node gives the batch up (a submit failed) */
	givenUp: Promise<never>;
}

/** What the jobs of one Submit share while they are followed. */
function followBatch(ctx: IExecuteFunctions, provider: VideoProvider) {
	const statusChecks = new Semaphore(STATUS_CONCURRENCY);
	const rounds = provider.getStatuses && new StatusRounds(ctx, provider.getStatuses);
	let giveUp = () => undefined as void;
	const givenUp = new Promise<never>((_, reject) => (giveUp = () => reject(new ExecutionStopped())));
	givenUp.catch(() => undefined);
	const batch: Batch = {
		look: rounds ? rounds.look : async (i, job) => await statusChecks.run(async () => await provider.getStatus(ctx, i, job)),
		downloads: new Semaphore(DOWNLOAD_CONCURRENCY),
		estimate: rounds ? undefined : new RenderTimeEstimate<Followed>(),
		signal: ctx.getExecutionCancelSignal(),
		givenUp,
	};
	const followOne = async (f: Followed) =>
		await follow(ctx, provider, f, batch).finally(() => {
			rounds?.forget(refOf(provider, f.submitted));
			batch.estimate?.left(f);
		});
	return { giveUp, follow: followOne };
}

async function follow(ctx: IExecuteFunctions, provider: VideoProvider, f: Followed, batch: Batch): Promise<ItemResult> {
	const job = refOf(provider, f.submitted);
	const deadline = f.startedAt + f.options.timeoutMs;
	let last = f.submitted;
	const firstLookMs = provider.firstLookMs?.(f.submitted) ?? 0;
	for (let polls = 0; ; polls++) {
		if (Date.now() >= deadline) {
			throw jobError(ctx, f.itemIndex, last,
				`Job ${last.jobId} did not finish within ${Math.round(f.options.timeoutMs / 1000)} s (last status: ${last.status}${last.progress === null ? '' : `, ${last.progress}%`})`,
				'The job is still running at the provider: check it later with Get Status / Get Result and this jobId, or raise the timeout.');
		}
		await pauseBeforeLook(f, last, polls, firstLookMs, deadline, batch);
		last = await Promise.race([batch.look(f.itemIndex, job), batch.givenUp]);
		batch.estimate?.looked(f, Date.now() - f.startedAt, last);
		if (last.status === 'completed') {
			return await fetchResult(ctx, provider, f.itemIndex, job, f.options, batch.downloads, last);
		}
		if (last.status === 'failed' || last.status === 'canceled') {
			throw jobError(ctx, f.itemIndex, last, `Job ${last.jobId} ${last.status === 'failed' ? 'failed' : 'was canceled'}${last.error ? `: ${last.error}` : ''}`);
		}
	}
}

/**
 * The pause before a look: the usual schedule, or, where the job reports no progress, what the
 * batch has learned (never before the provider's own first-look hint, never past the deadline).
 * A job waiting for the batch's scout wakes when the scout ends and asks again.
 */
async function pauseBeforeLook(f: Followed, last: JobOutput, polls: number, firstLookMs: number, deadline: number, batch: Batch): Promise<void> {
	const cap = f.options.pollIntervalMs;
	for (;;) {
		const now = Date.now();
		const elapsed = now - f.startedAt;
		const learned = last.progress === null ? batch.estimate?.pauseBeforeLook(f, elapsed, polls, cap) : undefined;
		const delay = learned
			? Math.max(learned.ms, polls === 0 ? firstLookMs - elapsed : 0)
			: nextPollDelay(last, elapsed, polls, cap, firstLookMs);
		const ms = Math.min(delay, deadline - now);
		if (!learned?.untilChange) return await Promise.race([pause(ms, batch.signal), batch.givenUp]);
		// A wake-up ends the pause too, leaving no timer behind.
		const ended = new AbortController();
		const paused = pause(ms, batch.signal ? AbortSignal.any([batch.signal, ended.signal]) : ended.signal);
		paused.catch(() => undefined);
		const woken = await Promise.race([paused.then(() => false), batch.givenUp, (batch.estimate as RenderTimeEstimate<Followed>).changed.then(() => true)]).finally(() => ended.abort());
		if (!woken) return;
	}
}

/** The execution was stopped: stop the renders still running where the provider can, and say so. */
async function stopFollowing(ctx: IExecuteFunctions, provider: VideoProvider, jobs: Followed[], itemIndex: number) {
	const running = jobs.map((f) => f.submitted);
	const cancelAfterStop = provider.cancelAfterStop;
	let note = running.length ? ` Jobs still running: ${running.map((j) => j.jobId).join(', ')}.` : '';
	if (cancelAfterStop && running.length) {
		const results = await Promise.allSettled(running.map(async (j) => await cancelAfterStop(ctx, refOf(provider, j))));
		const canceled = running.filter((_, n) => results[n].status === 'fulfilled').map((j) => j.jobId);
		const left = running.filter((_, n) => results[n].status === 'rejected').map((j) => j.jobId);
		note = `${canceled.length ? ` Canceled at ${provider.api.displayName}: ${canceled.join(', ')}.` : ''}${left.length ? ` Could not cancel: ${left.join(', ')}.` : ''}`;
	}
	return new NodeOperationError(ctx.getNode(), `The execution was stopped while waiting for renders.${note}`, { itemIndex: Math.min(itemIndex, ctx.getInputData().length - 1) });
}

/** An item failed and the node stops: the other jobs of the batch are named, so none is lost. */
function withBatchSummary(
	error: ReturnType<typeof toNodeError>,
	followed: Followed[],
	outputs: Array<INodeExecutionData[] | undefined>,
	errors: Array<{ itemIndex: number; error: ReturnType<typeof toNodeError> }>,
) {
	const lines: string[] = [];
	outputs.forEach((o, i) => {
		const json = o?.[0]?.json;
		if (json && typeof json.jobId === 'string') lines.push(`item ${i}: job ${json.jobId} ${String(json.status)}`);
	});
	for (const e of errors) {
		const jobId = jobIdOf(e.error);
		if (jobId && e.error !== error) lines.push(`item ${e.itemIndex}: job ${jobId} — ${e.error.message}`);
	}
	for (const f of followed) {
		if (!lines.some((l) => l.includes(f.submitted.jobId)) && jobIdOf(error) !== f.submitted.jobId) {
			lines.push(`item ${f.itemIndex}: job ${f.submitted.jobId} submitted`);
		}
	}
	if (lines.length) {
		error.description = `${error.description ? `${error.description}\n\n` : ''}Other jobs of this batch (use Continue On Fail to get them as items):\n${lines.join('\n')}`;
	}
	return error;
}

export type ItemOperation = (ctx: IExecuteFunctions, itemIndex: number) => Promise<ItemResult>;

/**
 * A provider node's execute(): the job operations it has (submit, getStatus, getResult, and
 * cancel where the provider offers it), then its own per-item operations.
 */
export async function routeOperation(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	itemOperations: Record<string, ItemOperation> = {},
): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	switch (operation) {
		case 'submit':
			return [await submitOperation(ctx, provider)];
		case 'getStatus':
			return await getStatusOperation(ctx, provider);
		case 'getResult':
			return [await getResultOperation(ctx, provider)];
	}
	const cancel = provider.cancel;
	const perItem: ItemOperation | undefined =
		operation === 'cancel' && cancel ? async (c, i) => await cancel(c, i, jobRef(c, provider, i)) : itemOperations[operation];
	if (!perItem) throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported by ${provider.api.displayName}`);
	return [await forEachItem(ctx, async (i) => await perItem(ctx, i))];
}
