import type { IDataObject } from 'n8n-workflow';

import { KVID_BASE_URL } from '../../credentials/KvidApi.credentials';

import type { ApiContext, ProviderApi } from '../shared/providerApi';
import { readRequest, submitRequest } from '../shared/request';
import { MODE_WORDS, refusalOf, type GenerationMode, type KvidMode } from './modes';

/**
 * The wait before retrying a submit refused with CONCURRENT_LIMIT when kvid sends no Retry-After:
 * a slot frees only when one of the account's renders ends (1–5 minutes), so waiting less than the
 * doc's suggested poll interval (10–15 s) only spends attempts.
 */
export const KVID_CONCURRENCY_WAIT_MS = 15_000;

export const kvidApi: ProviderApi = {
	provider: 'kvid',
	displayName: 'kvid',
	credentialType: 'kvidApi',
	bodyError: refusalOf,
	hints: {
		400:
			'kvid refused the request (MISSING_PARAMETERS or INVALID_PARAMETERS): its message above ' +
			'names the field. The node already checks the documented ranges, so compare the prompt, ' +
			'the image and the options with what the chosen model accepts.',
		402:
			'INSUFFICIENT_CREDIT: the kvid account (generation API: the credit pool named by the ' +
			'credential or the item) has too few credits for this video. Buy credits at ' +
			'https://kvid.ai/credits/purchase, or choose a lower resolution (it sets the price), then ' +
			'submit again.',
		403:
			"kvid refused the API key: check the credential's API Key (the primary or secondary key " +
			'of a subscription at https://kvid.ai/settings/api-keys) and its Base URL.',
		404:
			'JOB_NOT_FOUND: kvid does not know this job for this API key. Check the jobId, the API ' +
			'Version the job was submitted with, and (legacy API) that Mode is the one it was ' +
			'submitted with (text- and image-to-video jobs are looked up separately), and that the ' +
			'credential belongs to the account that submitted it.',
		429:
			"CONCURRENT_LIMIT: too many of the account's kvid renders are running at once. The node " +
			'waited and retried without submitting twice, but no slot freed up; wait for running ' +
			'renders to finish, or submit fewer items at a time.',
	},
	rateWindowMs: KVID_CONCURRENCY_WAIT_MS,
	defaultBaseUrl: KVID_BASE_URL,
};

const legacyPath = (mode: KvidMode, endpoint: 'generate' | 'status' | 'result') =>
	`/ai/video/${MODE_WORDS[mode]}/${endpoint}`;

/** Legacy `POST /ai/video/{text-to-video|image-to-video}/generate`. */
export async function submitLegacyVideo<T = unknown>(
	ctx: ApiContext,
	mode: KvidMode,
	body: IDataObject,
	itemIndex: number,
): Promise<T> {
	return await submitRequest<T>(ctx, kvidApi, {
		method: 'POST',
		path: legacyPath(mode, 'generate'),
		body,
		itemIndex,
	});
}

/** A legacy job's `status` or `result`: `GET /ai/video/{mode}/{endpoint}?request_id=`. */
const legacyLookup =
	(endpoint: 'status' | 'result') =>
	async <T = unknown>(
		ctx: ApiContext,
		mode: KvidMode,
		jobId: string,
		itemIndex: number,
	): Promise<T> =>
		await readRequest<T>(ctx, kvidApi, {
			method: 'GET',
			path: legacyPath(mode, endpoint),
			qs: { request_id: jobId },
			itemIndex,
			jobId,
		});

/** Legacy `GET /ai/video/{mode}/status?request_id=`. */
export const getLegacyStatus = legacyLookup('status');

/** Legacy `GET /ai/video/{mode}/result?request_id=`. */
export const getLegacyResult = legacyLookup('result');

/**
 * Generation API `POST /ai/generation/{mode}/generate-async`; 429s (CONCURRENT_LIMIT) waited out
 * for `patienceMs`.
 */
export async function submitGeneration<T = unknown>(
	ctx: ApiContext,
	mode: GenerationMode,
	body: IDataObject,
	itemIndex: number,
	patienceMs: number,
): Promise<T> {
	const path = `/ai/generation/${MODE_WORDS[mode]}/generate-async`;
	return await submitRequest<T>(
		ctx,
		kvidApi,
		{ method: 'POST', path, body, itemIndex },
		{ rateLimitPatienceMs: patienceMs },
	);
}

/** Any mode's generation job: `GET /ai/generation/{endpoint}?jobId=`. */
const generationLookup =
	(endpoint: 'status' | 'result') =>
	async <T = unknown>(ctx: ApiContext, jobId: string, itemIndex: number): Promise<T> =>
		await readRequest<T>(ctx, kvidApi, {
			method: 'GET',
			path: `/ai/generation/${endpoint}`,
			qs: { jobId },
			itemIndex,
			jobId,
		});

/** Generation API `GET /ai/generation/status?jobId=` (any mode's job). */
export const getGenerationJobStatus = generationLookup('status');

/** Generation API `GET /ai/generation/result?jobId=` (any mode's job). */
export const getGenerationJobResult = generationLookup('result');
