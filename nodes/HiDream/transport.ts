import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { HIDREAM_BASE_URL } from '../../credentials/HiDreamApi.credentials';
import type { ApiContext, ProviderApi } from '../shared/providerApi';
import { readRequest, submitRequest, type SubmitLimits } from '../shared/request';
import { HIDREAM_RATE_WINDOW_MS, type HiDreamTask } from './tasks';

/** The endpoint family's name in HiDream's paths. */
const FAMILY_PATHS: Record<HiDreamTask, string> = {
	videoStylization: 'video_edit',
	textToVideo: 'txt2video',
	imageToVideo: 'img2video',
};

/** Stylization is v2 (no v3 page exists); text/image-to-video are v3. */
function asyncPath(task: HiDreamTask): string {
	const version = task === 'videoStylization' ? 'v2' : 'v3';
	return `/api-pub/gw/${version}/video/${FAMILY_PATHS[task]}/async`;
}

/**
 * Batch results are documented only under v2
 * (`…/gw/v2/video/{txt2video|img2video|video_edit}/async/
 * results/batch`), for the same three families, and no v3 batch page exists: so every task, v3
 * text/image-to-video included, is asked there. Should HiDream leave a v3 task out of that answer,
 * the task is asked one by one at its v3 results path.
 */
function batchPath(task: HiDreamTask): string {
	return `/api-pub/gw/v2/video/${FAMILY_PATHS[task]}/async/results/batch`;
}

/**
 * HiDream's success is `code == 0`; any other code is a refusal with `message`, even on HTTP 200.
 */
export function refusalOf(body: unknown): string | undefined {
	const b = body as IDataObject | undefined;
	if (
		b === undefined ||
		b === null ||
		typeof b !== 'object' ||
		b.code === undefined ||
		Number(b.code) === 0
	)
		return undefined;
	return typeof b.message === 'string' && b.message ? b.message : `code ${String(b.code)}`;
}

export const hiDreamApi: ProviderApi = {
	provider: 'hiDream',
	displayName: 'HiDream',
	credentialType: 'hiDreamApi',
	bodyError: refusalOf,
	session: {
		exchanges: (credentials: ICredentialDataDecryptedObject) =>
			credentials.authentication !== 'token',
		// The docs do not say how an expired token is refused; 401 and 403 both renew it once.
		refusedStatuses: [401, 403],
	},
	hints: {
		401:
			'Check the credential: HiDream did not accept the token (an exchanged token is renewed ' +
			'automatically; a pasted one is valid for one day).',
		413:
			'The request was too large for HiDream: give the video as a URL (or the image, for ' +
			'image to video) instead of a binary file.',
		429:
			'HiDream accepts 2 video-stylization and 10 text/image-to-video tasks a minute, and ' +
			'1–10 running tasks depending on the plan; try again later or lower the submit rate.',
	},
	rateWindowMs: HIDREAM_RATE_WINDOW_MS,
	defaultBaseUrl: HIDREAM_BASE_URL,
};

/** `POST …/async`: a new task, paced per family. */
export async function submitTask<T = unknown>(
	ctx: ApiContext,
	task: HiDreamTask,
	body: IDataObject,
	itemIndex: number,
	pacing: SubmitLimits['pacing'],
): Promise<T> {
	return await submitRequest<T>(
		ctx,
		hiDreamApi,
		{ method: 'POST', path: asyncPath(task), body, itemIndex },
		{ pacing },
	);
}

/** `GET …/async/results?task_id=`: one task's state. */
export async function getTaskResults<T = unknown>(
	ctx: ApiContext,
	task: HiDreamTask,
	taskId: string,
	itemIndex: number,
): Promise<T> {
	return await readRequest<T>(ctx, hiDreamApi, {
		method: 'GET',
		path: `${asyncPath(task)}/results`,
		qs: { task_id: taskId },
		itemIndex,
		jobId: taskId,
	});
}

/** `POST …/async/results/batch` with `{task_id_list}`: many tasks' states. */
export async function getBatchResults<T = unknown>(
	ctx: ApiContext,
	task: HiDreamTask,
	taskIds: string[],
	itemIndex: number,
): Promise<T> {
	return await readRequest<T>(ctx, hiDreamApi, {
		method: 'POST',
		path: batchPath(task),
		body: { task_id_list: taskIds },
		itemIndex,
	});
}
