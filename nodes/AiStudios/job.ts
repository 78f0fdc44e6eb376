import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AiStudiosApiVersion } from '../../credentials/aiStudiosAccess';
import {
	asObject,
	jobOutput,
	type JobOutput,
	type JobRef,
	type JobStatus,
} from '../shared/jobContract';
import { jobError, ProviderRefusal } from '../shared/errors';
import { settle } from '../shared/failure';
import { getProgress, refusalOf } from './transport';

/** The first of `keys` holding a non-empty string. */
function firstUrl(data: IDataObject, keys: string[]): string | null {
	for (const key of keys) {
		const value = data[key];
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return null;
}

/**
 * Where each version puts the finished video's address: v2's reference table says `videoUrl`, its
 * tutorial reads `url`; v3's progress endpoint says `downloadUrl` (its list and webhook
 * `download_url`).
 */
const URL_KEYS: Record<AiStudiosApiVersion, string[]> = {
	v2: ['url', 'videoUrl'],
	v3: ['downloadUrl', 'download_url'],
};

/**
 * Maps an answer of the progress endpoint to the job contract:
 * - `success: false` is a failed render (data, so a workflow can route it), `error` = its message;
 * - progress 100 with a URL is completed; progress 100 without one is still processing (the file
 *   is being published): the official samples of both versions keep polling then;
 * - no progress is queued; v2 also reports 0 while the render waits for a renderer, v3 (whose
 * progress is a float from 0) is processing from the first report on; anything between is
 * processing.
 */
export function toJobOutput(
	jobId: string,
	body: unknown,
	version: AiStudiosApiVersion = 'v2',
): JobOutput {
	const answer = asObject(body);
	const refusal = refusalOf(answer);
	if (refusal !== undefined)
		return jobOutput('aiStudios', {
			jobId,
			status: 'failed',
			progress: null,
			error: refusal,
			raw: answer,
		});

	const data = asObject(answer.data);
	const reported =
		typeof data.progress === 'string' && data.progress.trim() !== ''
			? Number(data.progress)
			: data.progress;
	const progress =
		typeof reported === 'number' && Number.isFinite(reported)
			? Math.min(100, Math.max(0, reported))
			: null;
	const videoUrl = firstUrl(data, URL_KEYS[version]);
	let status: JobStatus;
	if (videoUrl && (progress === null || progress >= 100)) status = 'completed';
	else if (progress === null || (progress === 0 && version === 'v2')) status = 'queued';
	else status = 'processing';
	// 99.6 % is not done: only a finished job shows 100.
	const shown =
		progress === null
			? null
			: status === 'completed' || progress >= 100
				? 100
				: Math.min(99, Math.round(progress));
	return jobOutput('aiStudios', {
		jobId,
		status,
		progress: shown,
		videoUrl: status === 'completed' ? videoUrl : null,
		raw: answer,
	});
}

/**
 * One progress check of either version. `success: false` comes back as a failed job, not as an
 * error.
 */
async function checkProgress(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: JobRef,
	version: AiStudiosApiVersion,
): Promise<JobOutput> {
	const sent = await settle(getProgress(ctx, version, job.jobId, itemIndex));
	// A refused progress check is the render's failure: data, so a workflow can route it.
	if ('error' in sent && !(sent.error instanceof ProviderRefusal)) throw sent.error;
	const body = 'value' in sent ? sent.value : (sent.error as ProviderRefusal).answer;
	const answer = asObject(body);
	if (
		answer.success !== true &&
		answer.success !== false &&
		!('progress' in asObject(answer.data))
	) {
		throw jobError(
			ctx.getNode(),
			`AI Studios answered the progress check of job ${job.jobId} with something that is not a ` +
				`progress report: ${JSON.stringify(body).slice(0, 300)}`,
			{
				itemIndex,
				jobId: job.jobId,
				description: "Check the credential's Base URL: it should be the AI Studios API host.",
			},
		);
	}
	return toJobOutput(job.jobId, answer, version);
}

export const getStatus = async (ctx: IExecuteFunctions, itemIndex: number, job: JobRef) =>
	await checkProgress(ctx, itemIndex, job, 'v2');

/**
 * AI Studios has no separate result endpoint: the progress answer carries the video URL once done.
 */
export const getResult = getStatus;

export const getStatusV3 = async (ctx: IExecuteFunctions, itemIndex: number, job: JobRef) =>
	await checkProgress(ctx, itemIndex, job, 'v3');
