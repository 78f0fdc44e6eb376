import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { asObject, jobOutput, type JobOutput, type JobRef, type JobStatus } from '../shared/jobContract';
import { aiStudiosPaths, aiStudiosRequest, refusalOf } from './transport';

/** The finished video's address: the reference table calls it `videoUrl`, the tutorial reads `url`. */
function videoUrlOf(data: IDataObject): string | null {
	for (const key of ['url', 'videoUrl']) {
		const value = data[key];
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return null;
}

/**
 * Maps an answer of the progress endpoint to the job contract:
 * - `success: false` is a failed render (data, so a workflow can route it), `error` = `msg`;
 * - progress 100 with a URL is completed; progress 100 without one is still processing (the file
 *   is being published), as the seed's own loop keeps polling then;
 * - progress 0, or none at all, is queued (AI Studios reports 0 while the render waits for a
 *   renderer); anything between is processing.
 */
export function toJobOutput(jobId: string, body: unknown): JobOutput {
	const answer = asObject(body);
	const refusal = refusalOf(answer);
	if (refusal !== undefined) return jobOutput('aiStudios', { jobId, status: 'failed', progress: null, error: refusal, raw: answer });

	const data = asObject(answer.data);
	const reported = typeof data.progress === 'string' && data.progress.trim() !== '' ? Number(data.progress) : data.progress;
	const progress = typeof reported === 'number' && Number.isFinite(reported) ? Math.min(100, Math.max(0, reported)) : null;
	const videoUrl = videoUrlOf(data);
	let status: JobStatus;
	if (videoUrl && (progress === null || progress >= 100)) status = 'completed';
	else if (progress === null || progress === 0) status = 'queued';
	else status = 'processing';
	// 99.6 % is not done: only a finished job shows 100.
	const shown = progress === null ? null : status === 'completed' || progress >= 100 ? 100 : Math.min(99, Math.round(progress));
	return jobOutput('aiStudios', { jobId, status, progress: shown, videoUrl: status === 'completed' ? videoUrl : null, raw: answer });
}

/** One progress check. `success: false` comes back as a failed job, not as an error. */
export async function getStatus(ctx: IExecuteFunctions, itemIndex: number, job: JobRef): Promise<JobOutput> {
	const body = await aiStudiosRequest(ctx, 'GET', aiStudiosPaths.progress(job.jobId), { itemIndex, jobId: job.jobId, checkBody: false });
	const answer = asObject(body);
	if (answer.success !== true && answer.success !== false && !('progress' in asObject(answer.data))) {
		const error = new NodeOperationError(
			ctx.getNode(),
			`AI Studios answered the progress check of job ${job.jobId} with something that is not a progress report: ${JSON.stringify(body).slice(0, 300)}`,
			{ itemIndex, description: "Check the credential's Base URL: it should be the AI Studios API host." },
		);
		error.context.jobId = job.jobId;
		throw error;
	}
	return toJobOutput(job.jobId, answer);
}

/** AI Studios has no separate result endpoint: the progress answer carries the video URL once done. */
export const getResult = getStatus;
