import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readJobId } from '../shared/videoProvider';
import {
	jobOutput,
	toProgress,
	type JobOutput,
	type JobRef,
	type JobStatus,
} from '../shared/jobContract';
import { inputCheck } from '../shared/validation';
import { isTask, TASKS, type HiDreamTask } from './tasks';
import { getTaskResults } from './transport';

/**
 * A HiDream job: its task id and the task it renders (each task's jobs are looked up at its own
 * path).
 */
export interface HiDreamJobRef extends JobRef {
	task: HiDreamTask;
}

/** One entry of `result.sub_task_results`. */
interface HiDreamSubTask extends IDataObject {
	sub_task_id?: string;
	task_status?: number;
	task_completion?: number;
	video?: string;
}

/** A sub-task as the node reports it, beside the provider's own `sub_task_results` in `raw`. */
interface SubTaskSummary extends IDataObject {
	subTaskId: string | null;
	status: JobStatus;
	taskStatus: number | null;
	progress: number | null;
	videoUrl: string | null;
}

/**
 * HiDream's `task_status`: 0 waiting, 2 processing, 1 done, 3 failed, 4 failed the content review.
 * Negative values are transient states of a running task. Any other value is not documented: the
 * task exists, so it is reported as still running rather than as a failure.
 */
export function toJobStatus(taskStatus: unknown): JobStatus {
	switch (Number(taskStatus)) {
		case 0:
			return 'queued';
		case 1:
			return 'completed';
		case 3:
		case 4:
			return 'failed';
		default:
			return 'processing';
	}
}

/** Why a task failed, by `task_status`; HiDream gives no reason beyond the status. */
function failureReason(task: HiDreamTask, taskStatus: number | null): string {
	if (taskStatus === 4)
		return (
			`HiDream's content review rejected the ` +
			`${task === 'videoStylization' ? 'video' : 'task'} (task_status 4)`
		);
	return (
		`HiDream reported the ${task === 'videoStylization' ? 'stylization' : 'video'} as ` +
		`failed (task_status 3)`
	);
}

/**
 * A sub-task is done only at task_status 1 **with** its video: 1 without one is still finishing.
 */
function summarize(sub: HiDreamSubTask): SubTaskSummary {
	const video = typeof sub.video === 'string' && sub.video ? sub.video : null;
	const reported = toJobStatus(sub.task_status);
	const status = reported === 'completed' && !video ? 'processing' : reported;
	const taskStatus = Number(sub.task_status);
	return {
		subTaskId: typeof sub.sub_task_id === 'string' ? sub.sub_task_id : null,
		status,
		taskStatus: Number.isFinite(taskStatus) ? taskStatus : null,
		progress: toProgress(sub.task_completion, 100) ?? (status === 'completed' ? 100 : null),
		videoUrl: status === 'completed' ? video : null,
	};
}

/**
 * The task's state from its sub-tasks (a stylization has one; several are combined): failed when
 * any failed, completed when all are done, queued while none has started, else processing.
 * Progress is the mean completion of the sub-tasks.
 */
function taskState(
	task: HiDreamTask,
	subTasks: SubTaskSummary[],
): { status: JobStatus; progress: number | null; error: string | null } {
	const failed = subTasks.find((s) => s.status === 'failed');
	const progresses = subTasks.map((s) => s.progress).filter((p): p is number => p !== null);
	const progress = progresses.length
		? Math.round(progresses.reduce((a, b) => a + b, 0) / progresses.length)
		: null;
	if (failed) {
		const reason = failureReason(task, failed.taskStatus);
		return {
			status: 'failed',
			progress,
			error: failed.subTaskId ? `${reason}, sub-task ${failed.subTaskId}` : reason,
		};
	}
	if (subTasks.length && subTasks.every((s) => s.status === 'completed'))
		return { status: 'completed', progress: 100, error: null };
	if (subTasks.every((s) => s.status === 'queued'))
		return { status: 'queued', progress, error: null };
	return { status: 'processing', progress, error: null };
}

/**
 * The job as the node reports it, from one task's `result` ({task_id, sub_task_results}) as a
 * results answer or an entry of a batch answer carries it; `raw` is HiDream's answer.
 */
export function toJobOutput(job: HiDreamJobRef, result: IDataObject, raw: IDataObject): JobOutput {
	const list = Array.isArray(result.sub_task_results)
		? (result.sub_task_results as HiDreamSubTask[])
		: [];
	const subTasks = list.map(summarize);
	const state = taskState(job.task, subTasks);
	const videoUrls = subTasks.map((s) => s.videoUrl).filter((url): url is string => url !== null);
	return jobOutput(
		'hiDream',
		{
			jobId: typeof result.task_id === 'string' && result.task_id ? result.task_id : job.jobId,
			status: state.status,
			progress: state.progress,
			videoUrl: state.status === 'completed' ? (videoUrls[0] ?? null) : null,
			error: state.error,
			raw,
		},
		{ task: job.task, subTaskIds: subTasks.map((s) => s.subTaskId), subTasks, videoUrls },
	);
}

/** One look at the task (`…/async/results` of its task); also what Get Result reports. */
export async function getStatus(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: HiDreamJobRef,
): Promise<JobOutput> {
	const body = await getTaskResults<IDataObject>(ctx, job.task, job.jobId, itemIndex);
	return toJobOutput(job, (body.result ?? {}) as IDataObject, body);
}

/**
 * The job an item names: its jobId, and its task (empty = video stylization, the jobs made before
 * tasks existed).
 */
export function jobFromParameters(ctx: IExecuteFunctions, itemIndex: number): HiDreamJobRef {
	const jobId = readJobId(ctx, itemIndex);
	const task: unknown = ctx.getNodeParameter('task', itemIndex, '');
	if (task === '' || task === undefined || task === null)
		return { jobId, task: 'videoStylization' };
	if (!isTask(task)) {
		return inputCheck(ctx.getNode(), itemIndex).fail(
			'task',
			`must be ${TASKS.map((t) => `"${t}"`).join(', ')} or empty (video stylization); got ` +
				`${JSON.stringify(task)}`,
			"HiDream looks each task's jobs up separately. The default {{ $json.task }} reads the task " +
				'from the Submit output.',
		);
	}
	return { jobId, task };
}

export function jobFromOutput(output: JobOutput): HiDreamJobRef {
	return { jobId: output.jobId, task: isTask(output.task) ? output.task : 'videoStylization' };
}
