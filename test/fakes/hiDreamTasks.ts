/**
 * Fake HiDream text-to-video and image-to-video (v3) and the batch results endpoint, from
 * PROVIDERS.md ("HiDream"), served by HiDreamFake beside its video stylization:
 *   POST /api-pub/gw/v3/video/{txt2video|img2video}/async
 *   GET  /api-pub/gw/v3/video/{txt2video|img2video}/async/results?task_id=   (same shape as v2)
 *   POST /api-pub/gw/v2/video/{txt2video|img2video|video_edit}/async/results/batch  {task_id_list}
 * Each family looks up its own tasks only. Rate limits: text- and image-to-video accept 10 tasks a
 * minute, counted together (the stricter reading of "text-to-video and image-to-video 10 tasks a
 * minute"); video stylization keeps its own 2 a minute. A refused submit creates nothing.
 *
 * The batch answer's shape is not published; this fake answers `result` as a list of per-task
 * results, each like a single results answer's `result`, and leaves unknown ids out. Only v2 batch
 * paths are documented; the v3 spelling is accepted too, as it costs nothing. `batchRefusal` makes
 * the endpoint refuse every request; `batchOmits` leaves chosen ids out of its answer.
 */
import type * as http from 'node:http';
import { randomUUID } from 'node:crypto';

import { BASE64, CODE_BAD_PARAMETER, CODE_TASK_NOT_FOUND, isHttpUrl, isObject, type HiDreamFake } from './hiDream';
import { sendJson, slidingWindowHit, type FakeServer, type RecordedRequest } from './server';

export type HiDreamTaskName = 'videoStylization' | 'textToVideo' | 'imageToVideo';

const FAMILIES: Record<string, HiDreamTaskName> = { video_edit: 'videoStylization', txt2video: 'textToVideo', img2video: 'imageToVideo' };
export const HIDREAM_RESOLUTIONS = ['960*960', '1280*720', '720*1280'];

const V3_PATH = /^\/api-pub\/gw\/v3\/video\/(txt2video|img2video)\/async(\/results)?$/;
const BATCH_PATH = /^\/api-pub\/gw\/v[23]\/video\/(txt2video|img2video|video_edit)\/async\/results\/batch$/;

export const hiDreamV3SubmitPath = (family: 'txt2video' | 'img2video') => `/api-pub/gw/v3/video/${family}/async`;
export const hiDreamV3ResultsPath = (family: 'txt2video' | 'img2video') => `${hiDreamV3SubmitPath(family)}/results`;
export const hiDreamBatchPath = (family: 'txt2video' | 'img2video' | 'video_edit') => `/api-pub/gw/v2/video/${family}/async/results/batch`;

type Json = Record<string, unknown>;

/** Answers the request when it is one of these endpoints; false leaves it to the stylization fake. */
export function handleTaskRequest(fake: HiDreamFake, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, requestId: string): boolean {
	const v3 = V3_PATH.exec(req.path);
	const batch = BATCH_PATH.exec(req.path);
	if (!v3 && !batch) return false;
	const method = v3?.[2] ? 'GET' : 'POST';
	if (req.method !== method) {
		sendJson(res, 405, { code: 405, message: 'method not allowed' }, { Allow: method });
	} else if (!fake.authorized(req, server.now())) {
		sendJson(res, 401, { code: 401, message: 'invalid or expired token', request_id: requestId });
	} else if (batch) {
		batchResults(fake, req, res, server, FAMILIES[batch[1]], requestId);
	} else if (v3?.[2]) {
		results(fake, req, res, server, FAMILIES[v3[1]], requestId);
	} else {
		submit(fake, req, res, server, FAMILIES[(v3 as RegExpExecArray)[1]] as 'textToVideo' | 'imageToVideo');
	}
	return true;
}

/** Why the body is refused, or undefined when it is a valid text/image-to-video request. */
function invalidField(body: Json, task: 'textToVideo' | 'imageToVideo'): string | undefined {
	const { prompt, image } = body;
	if (task === 'textToVideo' && (typeof prompt !== 'string' || prompt.trim() === '')) return 'prompt is required';
	if (prompt !== undefined && typeof prompt !== 'string') return 'prompt must be a string';
	if (task === 'imageToVideo') {
		if (typeof image !== 'string' || image === '') return 'image is required';
		if (!isHttpUrl(image) && (image.length % 4 !== 0 || !BASE64.test(image))) return 'image must be an image URL or base64';
	}
	for (const field of ['negative_prompt', 'version', 'request_id']) {
		if (body[field] !== undefined && typeof body[field] !== 'string') return `${field} must be a string`;
	}
	if (body.resolution !== undefined && !HIDREAM_RESOLUTIONS.includes(body.resolution as string)) return `resolution must be one of ${HIDREAM_RESOLUTIONS.join(', ')}`;
	for (const field of ['camera_move_horizontal', 'camera_move_vertical', 'camera_move_depth']) {
		const v = body[field];
		if (v !== undefined && !(Number.isInteger(v) && (v as number) >= -5 && (v as number) <= 5)) return `${field} must be an integer from -5 to 5`;
	}
	const strength = body.motion_strength;
	if (strength !== undefined && !(typeof strength === 'number' && strength >= 0 && strength <= 30)) return 'motion_strength must be a number from 0 to 30';
	if (body.notify_url !== undefined && !(typeof body.notify_url === 'string' && isHttpUrl(body.notify_url))) return 'notify_url must be an http(s) URL';
	return undefined;
}

function submit(fake: HiDreamFake, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, task: 'textToVideo' | 'imageToVideo'): void {
	const body = req.body;
	const requestId = isObject(body) && typeof body.request_id === 'string' && body.request_id !== '' ? body.request_id : randomUUID();
	if (!isObject(body)) return fake.refuse(res, requestId, CODE_BAD_PARAMETER, 'request body must be JSON');
	const invalid = invalidField(body, task);
	if (invalid) return fake.refuse(res, requestId, CODE_BAD_PARAMETER, invalid);
	const hit = slidingWindowHit(fake.generationHits, server.now(), fake.generationsPerWindow, fake.rateWindowMs);
	if (!hit.allowed) {
		fake.rateLimited++;
		const after = fake.retryAfterSeconds === 'auto' ? Math.ceil(hit.retryAfterMs / 1000) : fake.retryAfterSeconds;
		return sendJson(
			res,
			429,
			{ code: 429, message: 'too many requests: text-to-video and image-to-video accept 10 tasks a minute', request_id: requestId },
			after === null ? {} : { 'Retry-After': String(after) },
		);
	}
	const image = body.image as string | undefined;
	const job = fake.clock.create(server, {
		task,
		body,
		requestId,
		notifyUrl: body.notify_url as string | undefined,
		imageBytes: task === 'imageToVideo' && image && !isHttpUrl(image) ? Buffer.from(image, 'base64').length : undefined,
		subTaskIds: Array.from({ length: fake.subTasksPerTask }, () => randomUUID()),
		forcedStatus: new Map(),
	});
	if (job.notifyUrl) fake.watchForEnd(job, server);
	sendJson(res, 200, { code: 0, message: 'success', request_id: requestId, result: { sub_task_ids: job.subTaskIds, task_id: job.id } });
}

/** One task's `result`, or undefined when this family has no such task. */
function taskResult(fake: HiDreamFake, server: FakeServer, task: HiDreamTaskName, taskId: string): Json | undefined {
	const job = fake.clock.get(taskId);
	if (!job || job.task !== task) return undefined;
	return { task_id: job.id, sub_task_results: fake.subTaskResults(job, server) };
}

function results(fake: HiDreamFake, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, task: HiDreamTaskName, requestId: string): void {
	const taskId = req.query.task_id;
	if (!taskId) return fake.refuse(res, requestId, CODE_BAD_PARAMETER, 'task_id is required');
	const result = taskResult(fake, server, task, taskId);
	if (!result) return fake.refuse(res, requestId, CODE_TASK_NOT_FOUND, `task ${taskId} does not exist`);
	sendJson(res, 200, { code: 0, message: 'success', request_id: requestId, result });
}

function batchResults(fake: HiDreamFake, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, task: HiDreamTaskName, requestId: string): void {
	if (fake.batchRefusal) {
		const { status, code } = fake.batchRefusal;
		return sendJson(res, status, { code: code ?? status, message: 'batch results are not available', request_id: requestId, result: {} });
	}
	const body = req.body;
	const ids = isObject(body) ? body.task_id_list : undefined;
	if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
		return fake.refuse(res, requestId, CODE_BAD_PARAMETER, 'task_id_list must be a non-empty list of task ids');
	}
	const list = (ids as string[])
		.filter((id) => !fake.batchOmits.has(id))
		.map((id) => taskResult(fake, server, task, id))
		.filter((r): r is Json => r !== undefined);
	sendJson(res, 200, { code: 0, message: 'success', request_id: requestId, result: list });
}
