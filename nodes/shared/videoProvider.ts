import type { IExecuteFunctions } from 'n8n-workflow';

import type { GetStatuses } from './batchStatus';
import type { JobOutput, JobRef } from './jobContract';
import type { ProviderApi } from './providerApi';
import { inputCheck } from './validation';
import type { WaitForCompletion } from './waitForCompletion';

/** What a provider folder supplies; the shared code runs the job operations on top of it. */
export interface VideoProvider {
	api: ProviderApi;
	/**
	 * The job an item's parameters name, validated before any request, where more than the jobId
	 * (kvid: mode).
	 */
	jobFromParameters?(ctx: IExecuteFunctions, itemIndex: number): JobRef;
	/**
	 * The fields of a job's output that identify it again, where more than the jobId (kvid: mode).
	 */
	jobFromOutput?(output: JobOutput): JobRef;
	/**
	 * Validates the item, starts one render and returns the job (status queued or later).
	 * `callbackUrl`: where the provider is to call back when the render ends (Wait Method Callback).
	 */
	submit(ctx: IExecuteFunctions, itemIndex: number, callbackUrl?: string): Promise<JobOutput>;
	/**
	 * Where the provider calls back when a render ends (HiDream `notify_url`, AI Studios `webhook`):
	 * the Submit option that sets it, refused in callback mode, where the node sets it itself.
	 */
	callback?: { option: string };
	/**
	 * Submit's Wait for Completion parameters (with the provider's poll default) and their reading.
	 */
	wait: WaitForCompletion;
	getStatus(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput>;
	/**
	 * Many jobs' states in few requests, where the provider has a batch endpoint (HiDream): used to
	 * follow many jobs and by Get Status over many items.
	 */
	getStatuses?: GetStatuses;
	/** The finished job with its `videoUrl`, or the job's current state when there is no file yet. */
	getResult(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput>;
	cancel?(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput>;
	/**
	 * Stops jobs after the execution was stopped (the execution's own requests are aborted by then).
	 */
	cancelAfterStop?(ctx: IExecuteFunctions, job: JobRef): Promise<void>;
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

export function jobFromParameters(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	itemIndex: number,
): JobRef {
	return provider.jobFromParameters?.(ctx, itemIndex) ?? { jobId: readJobId(ctx, itemIndex) };
}

export function jobFromOutput(provider: VideoProvider, output: JobOutput): JobRef {
	return provider.jobFromOutput?.(output) ?? { jobId: output.jobId };
}
