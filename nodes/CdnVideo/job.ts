import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readFailure } from '../shared/failure';
import { resultOrState } from '../shared/results';
import { jobOutput, type JobOutput, type JobRef, type JobStatus } from '../shared/jobContract';
import { cancelTask, cancelTaskAfterStop, getTask, getVideo } from './transport';

interface CdnTask extends IDataObject {
	id?: string;
	attempts?: number;
	status?: string;
	message?: string;
}

/**
 * CDNvideo's task states. The doc's table writes them in lower case, its example in upper case
 * (CANCELED), so they are compared case-insensitively; any other word reported for an existing
 * task is a failure.
 */
export function toJobStatus(word: unknown): JobStatus {
	switch (String(word ?? '').toLowerCase()) {
		case 'in_queue':
			return 'queued';
		case 'processing':
			return 'processing';
		case 'processed':
			return 'completed';
		case 'canceled':
		case 'cancelled':
			return 'canceled';
		default:
			return 'failed';
	}
}

export async function getStatus(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: JobRef,
): Promise<JobOutput> {
	const body = await getTask<IDataObject>(ctx, job.jobId, { itemIndex, jobId: job.jobId });
	const task = (body.task ?? {}) as CdnTask;
	const status = toJobStatus(task.status);
	return jobOutput(
		'cdnVideo',
		{
			jobId: String(task.id ?? job.jobId),
			status,
			progress: null,
			error:
				status === 'failed'
					? String(task.message || `CDNvideo reported the task as "${String(task.status)}"`)
					: null,
			raw: body,
		},
		{
			taskStatus: task.status ?? null,
			attempts: task.attempts ?? null,
			message: task.message ?? null,
		},
	);
}

/** The video link; while there is none (the task is not processed) the task's status tells why. */
export async function getResult(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: JobRef,
): Promise<JobOutput> {
	return await resultOrState(
		getVideo<IDataObject>(ctx, job.jobId, { itemIndex, jobId: job.jobId }),
		(body) =>
			jobOutput('cdnVideo', {
				jobId: job.jobId,
				status: 'completed',
				progress: 100,
				videoUrl: String(body.url ?? '') || null,
				raw: body,
			}),
		// 400 "wrong task status": no file yet, or none ever; the task's state says which.
		(error) => readFailure(error).status === 400,
		async () => await getStatus(ctx, itemIndex, job),
	);
}

export async function cancel(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: JobRef,
): Promise<JobOutput> {
	const body = await cancelTask<IDataObject | string>(ctx, job.jobId, {
		itemIndex,
		jobId: job.jobId,
	});
	return jobOutput('cdnVideo', { jobId: job.jobId, status: 'canceled', raw: body });
}

export async function cancelAfterStop(ctx: IExecuteFunctions, job: JobRef): Promise<void> {
	await cancelTaskAfterStop(ctx, job.jobId);
}
