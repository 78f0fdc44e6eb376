import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { jobOutput, toProgress, type JobOutput, type JobRef, type JobStatus } from '../shared/jobContract';
import { getStylizationResults } from './transport';

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

const FAILURE_REASONS: Record<number, string> = {
	3: 'HiDream reported the stylization as failed (task_status 3)',
	4: 'HiDream\'s content review rejected the video (task_status 4)',
};

function summarize(sub: HiDreamSubTask): SubTaskSummary {
	const status = toJobStatus(sub.task_status);
	const taskStatus = Number(sub.task_status);
	return {
		subTaskId: typeof sub.sub_task_id === 'string' ? sub.sub_task_id : null,
		status,
		taskStatus: Number.isFinite(taskStatus) ? taskStatus : null,
		progress: toProgress(sub.task_completion, 100) ?? (status === 'completed' ? 100 : null),
		videoUrl: status === 'completed' && typeof sub.video === 'string' && sub.video ? sub.video : null,
	};
}

/**
 * The task's state from its sub-tasks (a stylization has one; several are combined): failed when
 * any failed, completed when all are done, queued while none has started, else processing.
 * Progress is the mean completion of the sub-tasks.
 */
function taskState(subTasks: SubTaskSummary[]): { status: JobStatus; progress: number | null; error: string | null } {
	const failed = subTasks.find((s) => s.status === 'failed');
	const progresses = subTasks.map((s) => s.progress).filter((p): p is number => p !== null);
	const progress = progresses.length ? Math.round(progresses.reduce((a, b) => a + b, 0) / progresses.length) : null;
	if (failed) {
		const reason = FAILURE_REASONS[failed.taskStatus ?? 3] ?? FAILURE_REASONS[3];
		return { status: 'failed', progress, error: failed.subTaskId ? `${reason}, sub-task ${failed.subTaskId}` : reason };
	}
	if (subTasks.length && subTasks.every((s) => s.status === 'completed')) return { status: 'completed', progress: 100, error: null };
	if (subTasks.every((s) => s.status === 'queued')) return { status: 'queued', progress, error: null };
	return { status: 'processing', progress, error: null };
}

/** One look at the task (`…/video_edit/async/results`); also what Get Result reports. */
export async function getStatus(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput> {
	const body = await getStylizationResults<IDataObject>(ctx, job.jobId, { itemIndex, jobId: job.jobId });
	const result = (body.result ?? {}) as IDataObject;
	const raw = Array.isArray(result.sub_task_results) ? (result.sub_task_results as HiDreamSubTask[]) : [];
	const subTasks = raw.map(summarize);
	const state = taskState(subTasks);
	const videoUrls = subTasks.map((s) => s.videoUrl).filter((url): url is string => url !== null);
	return jobOutput(
		'hiDream',
		{
			jobId: typeof result.task_id === 'string' && result.task_id ? result.task_id : job.jobId,
			status: state.status,
			progress: state.progress,
			videoUrl: state.status === 'completed' ? (videoUrls[0] ?? null) : null,
			error: state.error,
			raw: body,
		},
		{ subTaskIds: subTasks.map((s) => s.subTaskId), subTasks, videoUrls },
	);
}
