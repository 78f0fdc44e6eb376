import { callApi, type ApiCall, type ApiContext, type ProviderApi } from '../shared/http';
import { asRecord, errorCodeOf, MODE_WORDS, type GenerationMode, type KvidMode } from './modes';

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
		402: 'INSUFFICIENT_CREDIT: the kvid account (generation API: the credit pool named by the credential or the item) has too few credits for this video. Buy credits at https://kvid.ai/credits/purchase, or choose a lower resolution (it sets the price), then submit again.',
		403: "kvid refused the API key: check the credential's API Key (the primary or secondary key of a subscription at https://kvid.ai/settings/api-keys) and its Base URL.",
		404: 'JOB_NOT_FOUND: kvid does not know this job for this API key. Check the jobId, the API Version the job was submitted with, and (legacy API) that Mode is the one it was submitted with (text- and image-to-video jobs are looked up separately), and that the credential belongs to the account that submitted it.',
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
		path: `/ai/video/${MODE_WORDS[mode]}/${endpoint}`,
	});
}

/**
 * One call to kvid's generation API: `POST /ai/generation/{mode}/generate-async`, and the status and
 * result of any mode's job at `GET /ai/generation/{status|result}?jobId=`.
 */
export async function kvidGenerationRequest<T = unknown>(
	ctx: ApiContext,
	endpoint: { generate: GenerationMode } | { status: string } | { result: string },
	call: Omit<ApiCall, 'method' | 'path' | 'qs'> = {},
): Promise<T> {
	if ('generate' in endpoint) {
		return await callApi<T>(ctx, kvidApi, { ...call, method: 'POST', path: `/ai/generation/${MODE_WORDS[endpoint.generate]}/generate-async` });
	}
	const [name, jobId] = 'status' in endpoint ? ['status', endpoint.status] : ['result', endpoint.result];
	return await callApi<T>(ctx, kvidApi, { ...call, method: 'GET', path: `/ai/generation/${name}`, qs: { jobId } });
}
