import type { IDataObject } from 'n8n-workflow';

import { callApi, type ApiCall, type ApiContext, type ProviderApi } from '../shared/http';

/** kvid keeps text- and image-to-video jobs apart: each mode has its own generate/status/result. */
export const MODES = ['textToVideo', 'imageToVideo'] as const;
export type KvidMode = (typeof MODES)[number];

export const MODE_PATHS: Record<KvidMode, string> = {
	textToVideo: 'text-to-video',
	imageToVideo: 'image-to-video',
};

export function isMode(value: unknown): value is KvidMode {
	return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

/**
 * The wait before retrying a submit refused with CONCURRENT_LIMIT when kvid sends no Retry-After:
 * a slot frees only when one of the account's renders ends (1–5 minutes), so waiting less than the
 * doc's suggested poll interval (10–15 s) only spends attempts.
 */
export const KVID_CONCURRENCY_WAIT_MS = 15_000;

/** The value as an object, or undefined when it is none (kvid's bodies are loosely documented). */
export const asRecord = (value: unknown): IDataObject | undefined =>
	value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;

/**
 * The error code of a kvid error body. The docs name the codes (INVALID_PARAMETERS, JOB_FAILED…)
 * but not the field that carries them, so the usual spellings are all read.
 */
export function errorCodeOf(body: unknown): string | undefined {
	const b = asRecord(body);
	if (!b) return undefined;
	for (const candidate of [b.error, b.code, b.error_code, b.errorCode, asRecord(b.error)?.code]) {
		if (typeof candidate === 'string' && /^[A-Z][A-Z0-9_]+$/.test(candidate)) return candidate;
	}
	return undefined;
}

export const kvidApi: ProviderApi = {
	provider: 'kvid',
	displayName: 'kvid',
	credentialType: 'kvidApi',
	/**
	 * kvid answers `{success: false, message}` for a refusal. A status answer that still reports the
	 * job's state (FAILED) is data, not a refusal: a failed render must reach the workflow as
	 * `status: "failed"`.
	 */
	bodyError: (body) => {
		const b = asRecord(body);
		if (b?.success !== false) return undefined;
		if (typeof asRecord(b.data)?.status === 'string') return undefined;
		if (typeof b.message === 'string' && b.message) return b.message;
		return errorCodeOf(b) ?? 'kvid reported "success: false" without a message';
	},
	hints: {
		400: 'kvid refused the request (MISSING_PARAMETERS or INVALID_PARAMETERS): its message above names the field. The node already checks the documented ranges, so compare the prompt, the image and the options with what the chosen model accepts.',
		402: 'INSUFFICIENT_CREDIT: the kvid account has too few credits for this video. Buy credits at https://kvid.ai/credits/purchase, or choose a lower resolution (it sets the price), then submit again.',
		403: "kvid refused the API key: check the credential's API Key (the primary or secondary key of a subscription at https://kvid.ai/settings/api-keys) and its Base URL.",
		404: 'JOB_NOT_FOUND: kvid does not know this job for this API key. Check the jobId, that Mode is the one the job was submitted with (text- and image-to-video jobs are looked up separately), and that the credential belongs to the account that submitted it.',
		429: 'CONCURRENT_LIMIT: too many of the account\'s kvid renders are running at once. The node waited and retried without submitting twice, but no slot freed up; wait for running renders to finish, or submit fewer items at a time.',
	},
	rateWindowMs: KVID_CONCURRENCY_WAIT_MS,
	defaultBaseUrl: 'https://api.kvid.ai',
};

/** One call to kvid's legacy video API: /ai/video/{text-to-video|image-to-video}/{generate|status|result}. */
export async function kvidRequest<T = unknown>(
	ctx: ApiContext,
	mode: KvidMode,
	endpoint: 'generate' | 'status' | 'result',
	call: Omit<ApiCall, 'method' | 'path'> = {},
): Promise<T> {
	return await callApi<T>(ctx, kvidApi, {
		...call,
		method: endpoint === 'generate' ? 'POST' : 'GET',
		path: `/ai/video/${MODE_PATHS[mode]}/${endpoint}`,
	});
}
