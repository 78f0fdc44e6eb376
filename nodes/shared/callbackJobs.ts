import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DOWNLOAD_CONCURRENCY, STATUS_CONCURRENCY } from './followBatch';
import { isFinished, type JobOutput } from './jobContract';
import { fetchResult } from './results';
import { Semaphore } from './timing';
import { jobFromOutput, type VideoProvider } from './videoProvider';

/** One input item of a Submit that waits for the provider's callback. */
export interface WaitingJob {
	itemIndex: number;
	/** the job as submitted, or the item's error (Continue On Fail) */
	json: IDataObject;
	/** nothing to wait for: the item's submit failed */
	final: boolean;
	download: boolean;
	binaryPropertyName: string;
	/** ISO time after which n8n resumes the execution without the node */
	deadline: string;
}

/**
 * Each job's state where the provider says it has ended; undefined where it still runs or could
 * not be asked; null for an item without a job. One batch request where the provider has one.
 */
export async function statesOf(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	jobs: WaitingJob[],
): Promise<Array<JobOutput | null | undefined>> {
	const pending = jobs.filter((j) => !j.final);
	const looks = pending.map((j) => ({
		itemIndex: j.itemIndex,
		job: jobFromOutput(provider, j.json as JobOutput),
	}));
	let answers: Array<JobOutput | Error | undefined>;
	if (provider.getStatuses) {
		const getStatuses = provider.getStatuses;
		// A failed round leaves every job unknown: the next callback, or the deadline, decides.
		answers = await getStatuses(ctx, looks).catch(() => looks.map(() => undefined));
	} else {
		const checks = new Semaphore(STATUS_CONCURRENCY);
		answers = await Promise.all(
			looks.map(
				async (look) =>
					await checks
						.run(async () => await provider.getStatus(ctx, look.itemIndex, look.job))
						.catch((error: unknown) => error as Error),
			),
		);
	}
	const ended = new Map<WaitingJob, JobOutput>();
	pending.forEach((job, n) => {
		const answer = answers[n];
		if (answer && !(answer instanceof Error) && isFinished(answer.status)) ended.set(job, answer);
	});
	return jobs.map((job) => (job.final ? null : ended.get(job)));
}

/**
 * The output once every job has ended: one item per input item, each video downloaded where
 * asked. A failed render, or a video that cannot be fetched, is an item with `error` and `jobId`:
 * a resumed node cannot fail the workflow, so the failure is routed, never dropped.
 */
export async function finishedItems(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	jobs: WaitingJob[],
	states: Array<JobOutput | null | undefined>,
): Promise<INodeExecutionData[]> {
	const downloads = new Semaphore(DOWNLOAD_CONCURRENCY);
	return await Promise.all(
		jobs.map(async (job, n): Promise<INodeExecutionData> => {
			const state = states[n];
			const pairedItem = { item: job.itemIndex };
			if (!state) return { json: job.json, pairedItem };
			const json: IDataObject = { ...job.json, ...state };
			if (state.status !== 'completed') {
				json.error =
					state.error ?? `Job ${state.jobId} ended ${state.status} at ${provider.api.displayName}`;
				return { json, pairedItem };
			}
			try {
				const item = await fetchResult(
					ctx,
					provider,
					job.itemIndex,
					jobFromOutput(provider, state),
					{ download: job.download, binaryPropertyName: job.binaryPropertyName },
					downloads,
					state,
				);
				return { ...item, json: { ...job.json, ...item.json }, pairedItem };
			} catch (error) {
				json.error = (error as Error).message;
				return { json, pairedItem };
			}
		}),
	);
}
