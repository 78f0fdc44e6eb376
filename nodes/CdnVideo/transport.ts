import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
} from 'n8n-workflow';

import { CDN_VIDEO_BASE_URL } from '../../credentials/CdnVideoApi.credentials';
import { apiPath, type ApiContext, type ProviderApi } from '../shared/providerApi';
import {
	cancelAfterStopRequest,
	readRequest,
	submitRequest,
	type ApiCall,
	type SubmitLimits,
} from '../shared/request';
import { credentialsOf } from '../shared/tokenSession';

export const CDN_VIDEO_RATE_WINDOW_MS = 60_000;

/**
 * CDNvideo's errors come as {"status": "ERROR", "message": …}, sometimes with a 2xx code: its words
 * then.
 */
export function refusalOf(body: unknown): string | undefined {
	const b = body as IDataObject | undefined;
	return typeof b?.status === 'string' && b.status.toUpperCase() === 'ERROR'
		? String(b.message ?? 'unknown error')
		: undefined;
}

export const cdnVideoApi: ProviderApi = {
	provider: 'cdnVideo',
	displayName: 'CDNvideo',
	credentialType: 'cdnVideoApi',
	bodyError: refusalOf,
	session: {
		exchanges: (credentials: ICredentialDataDecryptedObject) =>
			credentials.authentication === 'password',
		// An expired or unknown CDN-AUTH-TOKEN is answered 403 (401 is the login's own refusal).
		refusedStatuses: [401, 403],
	},
	hints: {
		403: 'Check the credential: the account name, and the token or username/password.',
		404: 'CDNvideo does not know this task: check the jobId and the account.',
		422:
			'CDNvideo rejected some parameters (named above): check them against the Get ' +
			'Configurations output.',
	},
	rateWindowMs: CDN_VIDEO_RATE_WINDOW_MS,
	defaultBaseUrl: CDN_VIDEO_BASE_URL,
};

type Ref = Pick<ApiCall, 'itemIndex' | 'jobId'>;

/**
 * Every CDNvideo endpoint lives under /app/th-api/v1/accounts/<account>/: the only place building
 * them.
 */
async function call(
	ctx: ApiContext,
	method: IHttpRequestMethods,
	endpoint: string,
	rest: Omit<ApiCall, 'method' | 'path'> = {},
): Promise<ApiCall> {
	const { account } = await credentialsOf(ctx, cdnVideoApi.credentialType);
	return {
		...rest,
		method,
		path: apiPath`/app/th-api/v1/accounts/${String(account ?? '')}` + endpoint,
	};
}

/** `POST /generate`: a new task (paced: CDNvideo allows `pacing.max` a minute). */
export async function generate<T = unknown>(
	ctx: ApiContext,
	body: IDataObject,
	itemIndex: number,
	pacing: SubmitLimits['pacing'],
): Promise<T> {
	return await submitRequest<T>(
		ctx,
		cdnVideoApi,
		await call(ctx, 'POST', '/generate', { body, itemIndex }),
		{ pacing },
	);
}

/** `GET /status/{id}`: the task's state. */
export async function getTask<T = unknown>(ctx: ApiContext, jobId: string, ref: Ref): Promise<T> {
	return await readRequest<T>(
		ctx,
		cdnVideoApi,
		await call(ctx, 'GET', apiPath`/status/${jobId}`, ref),
	);
}

/** `GET /video/{id}`: the finished video's link. */
export async function getVideo<T = unknown>(ctx: ApiContext, jobId: string, ref: Ref): Promise<T> {
	return await readRequest<T>(
		ctx,
		cdnVideoApi,
		await call(ctx, 'GET', apiPath`/video/${jobId}`, ref),
	);
}

/** `PATCH /video/{id}` with `{video_name}`. */
export async function renameVideo(
	ctx: ApiContext,
	jobId: string,
	videoName: string,
	ref: Ref,
): Promise<unknown> {
	return await readRequest(
		ctx,
		cdnVideoApi,
		await call(ctx, 'PATCH', apiPath`/video/${jobId}`, { ...ref, body: { video_name: videoName } }),
	);
}

/** `DELETE /video/{id}`. */
export async function deleteVideo(ctx: ApiContext, jobId: string, ref: Ref): Promise<unknown> {
	return await readRequest(
		ctx,
		cdnVideoApi,
		await call(ctx, 'DELETE', apiPath`/video/${jobId}`, ref),
	);
}

const cancelCall = async (ctx: ApiContext, jobId: string, ref: Ref) =>
	await call(ctx, 'DELETE', apiPath`/cancel/${jobId}`, ref);

/** `DELETE /cancel/{id}`. */
export async function cancelTask<T = unknown>(
	ctx: ApiContext,
	jobId: string,
	ref: Ref,
): Promise<T> {
	return await readRequest<T>(ctx, cdnVideoApi, await cancelCall(ctx, jobId, ref));
}

/**
 * `DELETE /cancel/{id}` sent although the execution was stopped: it ends the stopped execution's
 * renders.
 */
export async function cancelTaskAfterStop(ctx: ApiContext, jobId: string): Promise<void> {
	await cancelAfterStopRequest(ctx, cdnVideoApi, await cancelCall(ctx, jobId, { jobId }));
}

/** `GET /tasks` (one page: `qs` holds offset and limit). */
export async function listTasks<T = unknown>(
	ctx: ApiContext,
	qs: IDataObject,
	itemIndex: number,
): Promise<T> {
	return await readRequest<T>(
		ctx,
		cdnVideoApi,
		await call(ctx, 'GET', '/tasks', { qs, itemIndex }),
	);
}

/** `GET /configurations`: voices, actors, backgrounds. */
export async function getConfigurations<T = unknown>(
	ctx: ApiContext,
	itemIndex?: number,
): Promise<T> {
	return await readRequest<T>(
		ctx,
		cdnVideoApi,
		await call(ctx, 'GET', '/configurations', { itemIndex }),
	);
}
