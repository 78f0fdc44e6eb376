import type { IDataObject } from 'n8n-workflow';

/**
 * The five states every provider's own words are mapped to, so one IF/Switch drives any provider.
 */
export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export type ProviderName = 'aiStudios' | 'cdnVideo' | 'kvid' | 'hiDream';

/** What a job operation hands to the next node: the contract's fields, then provider extras. */
export interface JobOutput extends IDataObject {
	provider: ProviderName;
	jobId: string;
	status: JobStatus;
	progress: number | null;
	videoUrl: string | null;
	error: string | null;
	raw: IDataObject;
}

/** Identifies a job at its provider; kvid also needs the mode the job was created in. */
export interface JobRef extends IDataObject {
	jobId: string;
}

export function isFinished(status: JobStatus): boolean {
	return status === 'completed' || status === 'failed' || status === 'canceled';
}

/** Progress as a whole number 0–100, or null when the provider gave nothing usable. */
export function toProgress(value: unknown, scale = 1): number | null {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) return null;
	return Math.min(100, Math.max(0, Math.round(n * scale)));
}

export function jobOutput(
	provider: ProviderName,
	fields: {
		jobId: string;
		status: JobStatus;
		progress?: number | null;
		videoUrl?: string | null;
		error?: string | null;
		raw: unknown;
	},
	extra: IDataObject = {},
): JobOutput {
	const progress = fields.progress ?? (fields.status === 'completed' ? 100 : null);
	return {
		provider,
		jobId: fields.jobId,
		status: fields.status,
		progress,
		videoUrl: fields.videoUrl ?? null,
		error: fields.error ?? null,
		raw: asObject(fields.raw),
		...extra,
	};
}

export function asObject(value: unknown): IDataObject {
	if (value !== null && typeof value === 'object' && !Array.isArray(value))
		return value as IDataObject;
	return value === undefined || value === null || value === '' ? {} : { body: value as string };
}
