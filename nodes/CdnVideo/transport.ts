import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { apiPath, callApi, credentialsOf, type ApiCall, type ApiContext, type ProviderApi } from '../shared/http';

export const CDN_VIDEO_RATE_WINDOW_MS = 60_000;

export const cdnVideoApi: ProviderApi = {
	provider: 'cdnVideo',
	displayName: 'CDNvideo',
	credentialType: 'cdnVideoApi',
	// Errors come as {"status": "ERROR", "message": …}, sometimes with a 2xx code.
	bodyError: (body) => {
		const b = body as IDataObject | undefined;
		return typeof b?.status === 'string' && b.status.toUpperCase() === 'ERROR' ? String(b.message ?? 'unknown error') : undefined;
	},
	session: {
		exchanges: (credentials: ICredentialDataDecryptedObject) => credentials.authentication === 'password',
		// An expired or unknown CDN-AUTH-TOKEN is answered 403 (401 is the login's own refusal).
		refusedStatuses: [401, 403],
	},
	hints: {
		403: 'Check the credential: the account name, and the token or username/password.',
		404: 'CDNvideo does not know this task: check the jobId and the account.',
		422: 'CDNvideo rejected some parameters (named above): check them against the Get Configurations output.',
	},
	rateWindowMs: CDN_VIDEO_RATE_WINDOW_MS,
	defaultBaseUrl: 'https://api.cdnvideo.ru',
};

/** Every CDNvideo endpoint lives under /app/th-api/v1/accounts/<account>/. */
export async function cdnVideoRequest<T = unknown>(
	ctx: ApiContext,
	method: IHttpRequestMethods,
	endpoint: string,
	call: Omit<ApiCall, 'method' | 'path'> = {},
): Promise<T> {
	const { account } = await credentialsOf(ctx, cdnVideoApi.credentialType);
	const path = apiPath`/app/th-api/v1/accounts/${String(account ?? '')}` + endpoint;
	return await callApi<T>(ctx, cdnVideoApi, { ...call, method, path });
}

export { apiPath };
