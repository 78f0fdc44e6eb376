import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ProviderRefusal } from '../shared/errors';
import { readFailure } from '../shared/failure';
import { resultOrState } from '../shared/results';
import { readJobId } from '../shared/videoProvider';
import {
	jobOutput,
	toProgress,
	type JobOutput,
	type JobRef,
	type JobStatus,
} from '../shared/jobContract';
import { inputCheck } from '../shared/validation';
import { asRecord, isMode, MODES, type KvidMode } from './modes';
import { getLegacyResult, getLegacyStatus } from './transport';

export interface KvidJobRef extends JobRef {
	mode: KvidMode;
}

function logsOf(data: IDataObject): string[] {
	return Array.isArray(data.logs)
		? data.logs.filter((line): line is string => typeof line === 'string')
		: [];
}

/**
 * kvid's words: PROCESSING, COMPLETED, FAILED. It has no word for a job that waits for a worker, so
 * PROCESSING with progress 0 and not one log line (nothing has happened yet) is reported as
 * `queued`; once a log line or any progress appears it is `processing`. Other spellings are
 * accepted defensively, and an unknown word for a job kvid still answers for counts as running.
 */
export function toJobStatus(word: unknown, progress: number | null, logs: string[]): JobStatus {
	switch (String(word ?? '').toUpperCase()) {
		case 'COMPLETED':
		case 'COMPLETE':
		case 'SUCCEEDED':
		case 'SUCCESS':
			return 'completed';
		case 'FAILED':
		case 'FAILURE':
		case 'ERROR':
			return 'failed';
		case 'CANCELED':
		case 'CANCELLED':
			return 'canceled';
		case 'QUEUED':
		case 'PENDING':
		case 'IN_QUEUE':
			return 'queued';
		case 'PROCESSING':
			return !progress && logs.length === 0 ? 'queued' : 'processing';
		default:
			return 'processing';
	}
}

/**
 * The job an item names: its jobId and the mode it was submitted in (both checked before any
 * request).
 */
export function jobFromParameters(ctx: IExecuteFunctions, itemIndex: number): KvidJobRef {
	const check = inputCheck(ctx.getNode(), itemIndex);
	const jobId = readJobId(ctx, itemIndex);
	const mode: unknown = ctx.getNodeParameter('mode', itemIndex, '');
	if (!isMode(mode)) {
		return check.fail(
			'mode',
			`must be ${MODES.map((m) => `"${m}"`).join(' or ')}; got ` +
				`${mode === '' || mode === undefined || mode === null ? 'nothing' : JSON.stringify(mode)}`,
			'kvid looks text- and image-to-video jobs up separately. The default {{ $json.mode }} ' +
				'reads the mode from the Submit output; where the incoming item has none, choose the ' +
				'mode the job was submitted with.',
		);
	}
	return { jobId, mode };
}

export function jobFromOutput(output: JobOutput): KvidJobRef {
	return { jobId: output.jobId, mode: output.mode as KvidMode };
}

export async function getStatus(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: KvidJobRef,
): Promise<JobOutput> {
	const body = await getLegacyStatus<IDataObject>(ctx, job.mode, job.jobId, itemIndex);
	const data = asRecord(body.data) ?? {};
	const logs = logsOf(data);
	const progress = toProgress(data.progress);
	const status = toJobStatus(data.status, progress, logs);
	return jobOutput(
		'kvid',
		{
			jobId: job.jobId,
			status,
			progress,
			error: status === 'failed' || status === 'canceled' ? failureMessage(body, data, logs) : null,
			raw: body,
		},
		{ mode: job.mode, providerStatus: data.status ?? null, logs },
	);
}

/**
 * Why a render failed. The doc shows no failed answer: an explicit error field wins, else the last
 * log line (where the status answer narrates the render), else the answer's message.
 */
function failureMessage(body: IDataObject, data: IDataObject, logs: string[]): string {
	for (const candidate of [data.error_message, data.error, data.message]) {
		if (typeof candidate === 'string' && candidate) return candidate;
	}
	const last = logs[logs.length - 1];
	if (last) return last;
	return typeof body.message === 'string' && body.message
		? body.message
		: `kvid reported the job as ${String(data.status)}`;
}

/**
 * The finished video. kvid refuses the result of a job that is not done (JOB_NOT_COMPLETED) or
 * failed (JOB_FAILED) with a 400; the job's status then tells which, so a failed render comes back
 * as `status: "failed"` data and an unfinished one as its current state.
 */
export async function getResult(
	ctx: IExecuteFunctions,
	itemIndex: number,
	job: KvidJobRef,
): Promise<JobOutput> {
	return await resultOrState(
		getLegacyResult<IDataObject>(ctx, job.mode, job.jobId, itemIndex),
		(body) => {
			const data = asRecord(body.data) ?? {};
			const url = typeof data.url === 'string' && data.url ? data.url : null;
			return jobOutput(
				'kvid',
				{ jobId: job.jobId, status: 'completed', progress: 100, videoUrl: url, raw: body },
				{
					mode: job.mode,
					fileName: typeof data.name === 'string' ? data.name : null,
					fileSizeKb: typeof data.size === 'number' ? data.size : null,
				},
			);
		},
		noFileYet,
		async () => await getStatus(ctx, itemIndex, job),
	);
}

/**
 * kvid refuses the result of a job without a file with a 400 (or a 2xx "success: false"):
 * JOB_NOT_COMPLETED or JOB_FAILED.
 */
export const noFileYet = (error: unknown) =>
	error instanceof ProviderRefusal || readFailure(error).status === 400;
