import type { IDataObject } from 'n8n-workflow';

import {
	AI_STUDIOS_V2_BASE_URL,
	AI_STUDIOS_V3_BASE_URL,
	credentialsForVersion,
	hasV3Keys,
	type AiStudiosApiVersion,
} from '../../credentials/aiStudiosAccess';
import { providerMessage } from '../shared/failure';
import { apiPath, type ApiContext, type ProviderApi } from '../shared/providerApi';
import { readRequest, submitRequest } from '../shared/request';

/**
 * AI Studios refuses a request with `success: false`, also under HTTP 200: v2 says why in `msg`,
 * v3 in `error: {code, msg}`. Returns its words then, else undefined.
 */
export function refusalOf(body: unknown): string | undefined {
	if (body === null || typeof body !== 'object' || (body as IDataObject).success !== false)
		return undefined;
	const { msg, error } = body as IDataObject;
	const said =
		typeof msg === 'string' && msg.trim() ? msg : (error as IDataObject | undefined)?.msg;
	if (typeof said === 'string' && said.trim()) return said;
	return (
		providerMessage({ ...(body as IDataObject), success: undefined }) ??
		'AI Studios answered "success: false" without a message'
	);
}

/** v2 (legacy): the API key in the Authorization header; the credential's v3 keys stay unused. */
export const aiStudiosApi: ProviderApi = {
	provider: 'aiStudios',
	displayName: 'AI Studios',
	credentialType: 'aiStudiosApi',
	bodyError: refusalOf,
	defaultBaseUrl: AI_STUDIOS_V2_BASE_URL,
	credentialsFor: (stored) => credentialsForVersion(stored, 'v2'),
	hints: {
		401:
			'Check the credential: AI Studios v2 expects the API key of an API-plan account, sent ' +
			'as is (no "Bearer").',
		403:
			'Check the credential: AI Studios did not accept this API key for the request (the API ' +
			'needs an API/Enterprise plan).',
	},
};

/**
 * v3: App ID + User Key exchanged for a 24-hour token, kept with the credential and renewed once
 * per execution.
 */
export const aiStudiosV3Api: ProviderApi = {
	provider: 'aiStudios',
	displayName: 'AI Studios',
	credentialType: 'aiStudiosApi',
	bodyError: refusalOf,
	defaultBaseUrl: AI_STUDIOS_V3_BASE_URL,
	credentialsFor: (stored) => credentialsForVersion(stored, 'v3'),
	session: {
		exchanges: hasV3Keys,
		// The docs do not say how an expired token is refused; 401 and 403 both renew it once.
		refusedStatuses: [401, 403],
	},
	hints: {
		401:
			'Check the credential: AI Studios did not accept the token of this App ID and User Key ' +
			'(it is renewed automatically once per execution).',
		403: 'Check the credential: AI Studios v3 needs a Pro or higher plan for the API.',
	},
};

export const apiOf = (version: AiStudiosApiVersion): ProviderApi =>
	version === 'v3' ? aiStudiosV3Api : aiStudiosApi;

/** The only place that builds AI Studios URLs: the credential's base URL + these paths. */
const V2 = '/api/odin';
const V3 = '/api/odin/v3';

/** v2: `POST /simple/video` renders the export body; the answer holds the project key. */
export async function submitV2Video<T = unknown>(
	ctx: ApiContext,
	body: IDataObject,
	itemIndex: number,
): Promise<T> {
	return await submitRequest<T>(ctx, aiStudiosApi, {
		method: 'POST',
		path: `${V2}/simple/video`,
		body,
		itemIndex,
	});
}

/**
 * v3: `POST /simple/video` (chroma key) or `/simple/custom` (custom avatar); the answer holds the
 * project ID.
 */
export async function submitV3Video<T = unknown>(
	ctx: ApiContext,
	avatarType: 'chromaKey' | 'custom',
	body: IDataObject,
	itemIndex: number,
): Promise<T> {
	const path = avatarType === 'custom' ? `${V3}/simple/custom` : `${V3}/simple/video`;
	return await submitRequest<T>(ctx, aiStudiosV3Api, { method: 'POST', path, body, itemIndex });
}

/** `GET /editor/progress/{key}` of either version. */
export async function getProgress(
	ctx: ApiContext,
	version: AiStudiosApiVersion,
	jobId: string,
	itemIndex: number,
): Promise<unknown> {
	const path =
		version === 'v3'
			? apiPath`/api/odin/v3/editor/progress/${jobId}`
			: apiPath`/api/odin/editor/progress/${jobId}`;
	return await readRequest(ctx, apiOf(version), { method: 'GET', path, itemIndex, jobId });
}

/** v3 `GET /editor/project`: the account's projects. */
export async function listProjects(ctx: ApiContext, itemIndex: number): Promise<unknown> {
	return await readRequest(ctx, aiStudiosV3Api, {
		method: 'GET',
		path: `${V3}/editor/project`,
		itemIndex,
	});
}

/** v3 `DELETE /editor/project` with `{ids: [jobId]}`. */
export async function deleteProject(
	ctx: ApiContext,
	jobId: string,
	itemIndex: number,
): Promise<unknown> {
	return await readRequest(ctx, aiStudiosV3Api, {
		method: 'DELETE',
		path: `${V3}/editor/project`,
		body: { ids: [jobId] },
		itemIndex,
		jobId,
	});
}

/** v3 `GET /model`: the stock (chroma-key) models and their clothes. */
export async function getModels<T = unknown>(ctx: ApiContext): Promise<T> {
	return await readRequest<T>(ctx, aiStudiosV3Api, { method: 'GET', path: `${V3}/model` });
}

/** v3 `GET /dropdown/models`: every model with its avatarType. */
export async function getModelsDropdown(ctx: ApiContext): Promise<unknown> {
	return await readRequest(ctx, aiStudiosV3Api, { method: 'GET', path: `${V3}/dropdown/models` });
}

/** v3 `GET /dropdown/workspaces`. */
export async function getWorkspaces(ctx: ApiContext): Promise<unknown> {
	return await readRequest(ctx, aiStudiosV3Api, {
		method: 'GET',
		path: `${V3}/dropdown/workspaces`,
	});
}
