import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { callApi, type ApiCall, type ApiContext, type ProviderApi } from '../shared/http';

/** HiDream counts video-stylization tasks per minute (2 a minute, per its docs). */
export const HIDREAM_RATE_WINDOW_MS = 60_000;
export const HIDREAM_SUBMITS_PER_WINDOW = 2;

const STYLIZATION_PATH = '/api-pub/gw/v2/video/video_edit/async';

export const hiDreamApi: ProviderApi = {
	provider: 'hiDream',
	displayName: 'HiDream',
	credentialType: 'hiDreamApi',
	// Success is `code == 0`; any other code is a refusal with `message`, even on HTTP 200.
	bodyError: (body) => {
		const b = body as IDataObject | undefined;
		if (b === undefined || b === null || typeof b !== 'object' || b.code === undefined || Number(b.code) === 0) return undefined;
		return typeof b.message === 'string' && b.message ? b.message : `code ${String(b.code)}`;
	},
	session: {
		exchanges: (credentials: ICredentialDataDecryptedObject) => credentials.authentication !== 'token',
		// The docs do not say how an expired token is refused; 401 and 403 both renew it once.
		refusedStatuses: [401, 403],
	},
	hints: {
		401: 'Check the credential: HiDream did not accept the token (an exchanged token is renewed automatically; a pasted one is valid for one day).',
		413: 'The request was too large for HiDream: give the video as a URL instead of a binary file.',
		429: 'HiDream accepts 2 video-stylization tasks a minute and 1–10 running tasks depending on the plan; try again later or lower the submit rate.',
	},
	rateWindowMs: HIDREAM_RATE_WINDOW_MS,
	defaultBaseUrl: 'https://www.hidreamai.com',
};

export async function submitStylization<T = unknown>(ctx: ApiContext, body: IDataObject, call: Omit<ApiCall, 'method' | 'path' | 'body'>): Promise<T> {
	return await callApi<T>(ctx, hiDreamApi, { ...call, method: 'POST', path: STYLIZATION_PATH, body, createsJob: true });
}

export async function getStylizationResults<T = unknown>(ctx: ApiContext, taskId: string, call: Omit<ApiCall, 'method' | 'path' | 'qs'>): Promise<T> {
	return await callApi<T>(ctx, hiDreamApi, { ...call, method: 'GET', path: `${STYLIZATION_PATH}/results`, qs: { task_id: taskId } });
}
