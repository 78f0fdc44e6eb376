import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadVideo } from './download';
import { jobError } from './errors';
import { settle } from './failure';
import type { JobOutput, JobRef } from './jobContract';
import type { Semaphore } from './timing';
import type { VideoProvider } from './videoProvider';

/** "Job X …(status: s, p%)": how a job's last known state is named in errors. */
export function stateOf(job: JobOutput): string {
	return `${job.status}${job.progress === null ? '' : `, ${job.progress}%`}`;
}

/**
 * The finished job as an item, its video downloaded where asked: the result is `known` where a
 * status already carries the link, else asked of the provider. An unfinished job is an error.
 */
export async function fetchResult(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	itemIndex: number,
	job: JobRef,
	options: { download: boolean; binaryPropertyName: string },
	downloads?: Semaphore,
	known?: JobOutput,
): Promise<INodeExecutionData> {
	// A completed status that already carries the link spares a second request for it.
	const result =
		known?.status === 'completed' && known.videoUrl
			? known
			: await provider.getResult(ctx, itemIndex, job);
	const node = ctx.getNode();
	if (result.status === 'queued' || result.status === 'processing') {
		throw jobError(node, `Job ${result.jobId} is not finished yet (status: ${stateOf(result)})`, {
			itemIndex,
			jobId: result.jobId,
			description: 'Check Get Status until the status is "completed", then get the result.',
		});
	}
	const item: INodeExecutionData = { json: result };
	if (result.status === 'completed' && options.download) {
		if (!result.videoUrl) {
			throw jobError(
				node,
				`${provider.api.displayName} reported job ${result.jobId} completed but gave no video URL`,
				{ itemIndex, jobId: result.jobId },
			);
		}
		const fetch = async () =>
			await downloadVideo(ctx, {
				url: result.videoUrl as string,
				jobId: result.jobId,
				itemIndex,
				providerName: provider.api.displayName,
			});
		const binary = downloads ? await downloads.run(fetch) : await fetch();
		item.binary = { [options.binaryPropertyName || 'data']: binary };
	}
	return item;
}

/**
 * The result answer read by `read`; where the provider refused it because the job has no file
 * (`noFileYet`: not done, or failed), the job's current state instead. Anything else, or a refusal
 * for a job whose state says completed, is the error itself.
 */
export async function resultOrState<T>(
	answer: Promise<T>,
	read: (body: T) => JobOutput,
	noFileYet: (error: unknown) => boolean,
	currentState: () => Promise<JobOutput>,
): Promise<JobOutput> {
	const settled = await settle(answer);
	if ('value' in settled) return read(settled.value);
	if (!noFileYet(settled.error)) throw settled.error;
	const state = await currentState();
	if (state.status === 'completed') throw settled.error;
	return state;
}
