import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { apiPath, callApi, providerMessage, type ApiCall, type ApiContext, type ProviderApi } from '../shared/http';

export const AI_STUDIOS_BASE_URL = 'https://aistudios.com';

/**
 * AI Studios refuses a request with `{success: false, msg}`, also under HTTP 200; returns its
 * words then, else undefined.
 */
export function refusalOf(body: unknown): string | undefined {
	if (body === null || typeof body !== 'object' || (body as IDataObject).success !== false) return undefined;
	const { msg } = body as IDataObject;
	if (typeof msg === 'string' && msg.trim()) return msg;
	return providerMessage({ ...(body as IDataObject), success: undefined }) ?? 'AI Studios answered "success: false" without a message';
}

export const aiStudiosApi: ProviderApi = {
	provider: 'aiStudios',
	displayName: 'AI Studios',
	credentialType: 'aiStudiosApi',
	bodyError: refusalOf,
	defaultBaseUrl: AI_STUDIOS_BASE_URL,
	hints: {
		401: 'Check the credential: AI Studios expects the API key of an API-plan account, sent as is (no "Bearer").',
		403: 'Check the credential: AI Studios did not accept this API key for the request (the API needs an API/Enterprise plan).',
	},
};

/** The only place that builds AI Studios URLs: the credential's base URL + the v2 paths. */
export const aiStudiosPaths = {
	submit: '/api/odin/simple/video',
	progress: (key: string) => apiPath`/api/odin/editor/progress/${key}`,
};

export async function aiStudiosRequest<T = unknown>(
	ctx: ApiContext,
	method: IHttpRequestMethods,
	path: string,
	call: Omit<ApiCall, 'method' | 'path'> = {},
): Promise<T> {
	return await callApi<T>(ctx, aiStudiosApi, { ...call, method, path });
}
