import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { jobOutput, type JobOutput, type JobRef, type JobStatus } from '../shared/jobContract';
import { resultOrState } from '../shared/results';
import { readJobId } from '../shared/videoProvider';
import { noFileYet } from './job';
import { asRecord, isGenerationMode, modeOfWord, type GenerationMode } from './modes';
import { getGenerationJobResult, getGenerationJobStatus } from './transport';

/**
 * The generation API's words: queued, processing, completed, failed, canceled — all final but the
 * first two (kvid's own CLI forgets `canceled` and polls forever). Other spellings are accepted
 * defensively; an unknown word for a job kvid still answers for counts as running.
 */
export function toGenerationStatus(word: unknown): JobStatus {
	switch (String(word ?? '').toLowerCase()) {
		case 'queued':
		case 'pending':
			return 'queued';
		case 'completed':
		case 'succeeded':
			return 'completed';
		case 'failed':
		case 'error':
			return 'failed';
		case 'canceled':
		case 'cancelled':
			return 'canceled';
		default:
			return 'processing';
	}
}

export interface GenerationJobRef extends JobRef {
	mode: GenerationMode | null;
}

/**
 * The generation API finds any job by its id alone. The mode is carried along where the incoming
 * item has it (Submit outputs it), so a polling loop keeps it from Submit to Get Result.
 */
export function generationJobFromParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): GenerationJobRef {
	const mode = ctx.getInputData()[itemIndex]?.json?.mode;
	return { jobId: readJobId(ctx, itemIndex), mode: isGenerationMode(mode) ? mode : null };
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
const count = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;

export async function getGenerationStatus(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: GenerationJobRef,
): Promise<JobOutput> {
	const body = await getGenerationJobStatus<IDataObject>(ctx, job.jobId, itemIndex);
	const data = asRecord(body.data) ?? body;
	const status = toGenerationStatus(data.status);
	const ended = status === 'failed' || status === 'canceled';
	return jobOutput(
		'kvid',
		{
			jobId: job.jobId,
			status,
			error: ended
				? (text(data.error_message) ??
					text(body.message) ??
					`kvid reported the job as ${String(data.status)}`)
				: null,
			raw: body,
		},
		// The link (result_url) is left to Get Result, which adds the file's size and the credits used.
		{ mode: job.mode ?? null, providerStatus: data.status ?? null },
	);
}

/** The finished video with its size and the credits it used, or the job's current state. */
export async function getGenerationResult(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: GenerationJobRef,
): Promise<JobOutput> {
	return await resultOrState(
		getGenerationJobResult<IDataObject>(ctx, job.jobId, itemIndex),
		(body) => {
			const data = asRecord(body.data) ?? body;
			const status = data.status === undefined ? 'completed' : toGenerationStatus(data.status);
			return jobOutput(
				'kvid',
				{
					jobId: job.jobId,
					status,
					videoUrl: status === 'completed' ? text(data.result_url) : null,
					raw: body,
				},
				{
					mode: modeOfWord(data.type) ?? job.mode ?? null,
					width: count(data.width),
					height: count(data.height),
					// bytes: the doc's example gives `size` and `file_size` the same value
					fileSize: count(data.file_size) ?? count(data.size),
					creditsUsed: count(data.used_credit),
				},
			);
		},
		noFileYet,
		async () => await getGenerationStatus(ctx, itemIndex, job),
	);
}

/** "2-5min", "30s", "1 - 2 minutes": the lower bound and its unit. */
const ESTIMATE = new RegExp(
	String.raw`^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|~|to)\s*\d+(?:\.\d+)?)?\s*` +
		String.raw`(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b`,
	'i',
);

/**
 * When a first status check is worth making: the lower bound of kvid's `estimated_time` ("2-5min",
 * "30s", "1 - 2 minutes"), never its upper bound. Undefined when the words are not understood.
 */
export function estimatedFirstLookMs(estimated: unknown): number | undefined {
	if (typeof estimated !== 'string') return undefined;
	const match = ESTIMATE.exec(estimated);
	if (!match) return undefined;
	const unit = match[2].toLowerCase();
	const scale = unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1_000;
	return Math.round(Number(match[1]) * scale);
}
