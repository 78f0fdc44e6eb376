/**
 * Fake HiDream video stylization (seed: hidream-video-stylization.txt, PROVIDERS.md).
 *   GET  /prod-api/user/apikey2token                       header Api-Key -> {code 0, result {token, expire_time}}
 *   POST /api-pub/gw/v2/video/video_edit/async              header Authorization: Bearer <token>
 *   GET  /api-pub/gw/v2/video/video_edit/async/results?task_id=
 * and the `notify_url` callback: when a task ends, POST {main_task_id, sub_task_results} with a 5 s
 * timeout; anything but HTTP 200 is retried 1 s later, 3 requests at most (HiDream's docs).
 *
 * HiDream documents `code != 0` + `message` as its error form but not the codes themselves, nor
 * how it refuses a bad key, an expired token, an unknown task or a rate-limited submit. This fake
 * answers: a bad Api-Key and a bad/expired token with HTTP 401 {code 401}; a bad field or unknown
 * task with HTTP 200 and a non-zero code (CODE_* below, made up); too many tasks with HTTP 429.
 * `expire_time` is sent as a Unix time in seconds (its form is not documented either).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { randomBytes, randomUUID } from 'node:crypto';
import { handleTaskRequest, type HiDreamTaskName } from './hiDreamTasks';
import {
	type ClockJob,
	type FakeProvider,
	type FakeServer,
	JobClock,
	type RecordedRequest,
	sendJson,
	slidingWindowHit,
} from './server';

export const HIDREAM_STYLES = [
	'barbie_doll',
	'ink_wash',
	'van_goph',
	'hayao_miyazaki',
	'cyber_punk',
	'cartoon',
	'anime',
	'vector_art',
	'abstract',
	'watercolor',
] as const;

/** made-up error codes (HiDream documents only that non-zero means failure) */
export const CODE_BAD_PARAMETER = 1001;
export const CODE_TASK_NOT_FOUND = 1004;

export const HIDREAM_TOKEN_PATH = '/prod-api/user/apikey2token';
export const HIDREAM_SUBMIT_PATH = '/api-pub/gw/v2/video/video_edit/async';
export const HIDREAM_RESULTS_PATH = `${HIDREAM_SUBMIT_PATH}/results`;

export interface HiDreamJobData {
	/** the task family the job was submitted to (its results live under that family's path) */
	task: HiDreamTaskName;
	/** the submit body as received */
	body: Record<string, unknown>;
	requestId: string;
	notifyUrl?: string;
	/** decoded size of a base64 video; undefined for a URL */
	videoBytes?: number;
	/** decoded size of a base64 image (image-to-video); undefined for a URL */
	imageBytes?: number;
	subTaskIds: string[];
	/** forced task_status per sub-task index (reported as is) */
	forcedStatus: Map<number, number>;
}

export type HiDreamJob = ClockJob<HiDreamJobData>;

export interface HiDreamSubTaskResult {
	sub_task_id: string;
	task_status: number;
	task_completion: number;
	video: string;
}

/** One POST of the callback to a task's notify_url. */
export interface CallbackAttempt {
	jobId: string;
	url: string;
	/** 1-based */
	attempt: number;
	at: number;
	body: { main_task_id: string; sub_task_results: HiDreamSubTaskResult[] };
	/** HTTP status of the answer; undefined when there was none (refused, timed out) */
	status?: number;
	error?: string;
	ok: boolean;
}

type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const FINAL_STATUSES = [1, 3, 4];
/** how often an unfinished task with a notify_url is looked at again */
const CALLBACK_CHECK_MS = 100;
/** a task that has not ended this long after its render time gets no callback */
const CALLBACK_GIVE_UP_MS = 10 * 60_000;

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

export class HiDreamFake implements FakeProvider {
	readonly name = 'hiDream';
	readonly clock = new JobClock<HiDreamJobData>();
	/** exchanged token -> expiry time */
	readonly tokens = new Map<string, number>();

	apiKey!: string;
	staticToken!: string;
	tokenLifetimeMs!: number;
	/** accepted stylization tasks per window (HiDream: 2 a minute) */
	stylizationsPerWindow!: number;
	/** accepted text- and image-to-video tasks per window, counted together (HiDream: 10 a minute) */
	generationsPerWindow!: number;
	/** how the batch results endpoint refuses every request; null = it answers */
	batchRefusal!: { status: number; code?: number } | null;
	/** task ids the batch answer leaves out (asked one by one, they are found) */
	readonly batchOmits = new Set<string>();
	rateWindowMs!: number;
	/** Retry-After of a 429: seconds, 'auto' (when the window frees a slot) or null (no header) */
	retryAfterSeconds!: number | 'auto' | null;
	/** sub-tasks per task (a stylization has one) */
	subTasksPerTask!: number;
	callbackTimeoutMs!: number;
	callbackRetryMs!: number;
	callbackTries!: number;
	/** successful key exchanges (tokens issued) */
	exchanges!: number;
	/** refused key exchanges */
	refusedExchanges!: number;
	/** submits answered 429 */
	rateLimited!: number;
	/** every callback POST, in order */
	callbacks!: CallbackAttempt[];

	submitHits: number[] = [];
	generationHits: number[] = [];
	private timers = new Set<NodeJS.Timeout>();
	private inFlight = new Set<http.ClientRequest>();
	private deliveries = new Map<string, Promise<CallbackAttempt[]>>();
	/** per task with a notify_url not yet called: looks whether it has ended */
	private endChecks = new Map<string, () => void>();
	private deliveryWaiters = new Map<string, Array<(attempts: CallbackAttempt[]) => void>>();

	constructor() {
		this.reset();
	}

	reset(): void {
		this.clock.reset();
		this.tokens.clear();
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const request of this.inFlight) request.destroy();
		this.inFlight.clear();
		this.deliveries.clear();
		this.endChecks.clear();
		this.deliveryWaiters.clear();
		this.apiKey = 'hidream-sandbox-api-key';
		this.staticToken = 'hidream-sandbox-static-token';
		this.tokenLifetimeMs = 24 * 60 * 60 * 1000;
		this.stylizationsPerWindow = 2;
		this.generationsPerWindow = 10;
		this.batchRefusal = null;
		this.batchOmits.clear();
		this.generationHits = [];
		this.rateWindowMs = 60_000;
		this.retryAfterSeconds = null;
		this.subTasksPerTask = 1;
		this.callbackTimeoutMs = 5_000;
		this.callbackRetryMs = 1_000;
		this.callbackTries = 3;
		this.exchanges = 0;
		this.refusedExchanges = 0;
		this.rateLimited = 0;
		this.callbacks = [];
		this.submitHits = [];
	}

	get jobs(): Map<string, HiDreamJob> {
		return this.clock.jobs;
	}

	get acceptedSubmits(): number {
		return this.clock.jobs.size;
	}

	get lastJobId(): string | undefined {
		return [...this.clock.jobs.keys()].pop();
	}

	/** every exchanged token stops working (the static token stays valid) */
	expireTokens(): void {
		for (const token of this.tokens.keys()) this.tokens.set(token, -Infinity);
	}

	/** the sub-task reports this task_status from now on (e.g. -1, 4); a task it ends calls back */
	forceTaskStatus(jobId: string, taskStatus: number, subTaskIndex = 0): void {
		const job = this.clock.get(jobId);
		if (!job) throw new Error(`no hiDream job ${jobId}`);
		job.forcedStatus.set(subTaskIndex, taskStatus);
		this.endChecks.get(jobId)?.();
	}

	/**
	 * The task's render ends now, and its callback (if it has a notify_url) goes out at once: for
	 * tests that hold renders with a long render time until they choose to end them.
	 */
	finishNow(jobId: string, server: FakeServer): void {
		if (!this.clock.get(jobId)) throw new Error(`no hiDream job ${jobId}`);
		this.clock.complete(jobId, server.now());
		this.endChecks.get(jobId)?.();
	}

	/** callback attempts made for a task */
	callbacksFor(jobId: string): CallbackAttempt[] {
		return this.callbacks.filter((c) => c.jobId === jobId);
	}

	/** resolves with the task's callback attempts once delivery succeeded or gave up */
	async callbackSettled(jobId: string): Promise<CallbackAttempt[]> {
		const delivery = this.deliveries.get(jobId);
		if (delivery) return await delivery;
		return await new Promise((resolve) => {
			const waiters = this.deliveryWaiters.get(jobId) ?? [];
			waiters.push(resolve);
			this.deliveryWaiters.set(jobId, waiters);
		});
	}

	handles(path: string): boolean {
		return path.startsWith('/prod-api/') || path.startsWith('/api-pub/');
	}

	sandboxCredentials(baseUrl: string): Record<string, Record<string, unknown>> {
		return { hiDreamApi: { authentication: 'apiKey', apiKey: this.apiKey, token: this.staticToken, baseUrl } };
	}

	/** the task's sub-task results as the results endpoint and the callback report them */
	subTaskResults(job: HiDreamJob, server: FakeServer): HiDreamSubTaskResult[] {
		const now = server.now();
		const state = this.clock.state(job, now);
		const clockStatus = { queued: 0, processing: 2, completed: 1, failed: 3, canceled: 3 }[state];
		const completion = Math.round(this.clock.progress(job, now)) / 100;
		return job.subTaskIds.map((id, index) => {
			const status = job.forcedStatus.get(index) ?? clockStatus;
			return {
				sub_task_id: id,
				task_status: status,
				task_completion: status === 1 ? 1 : status === 0 ? 0 : completion,
				video: status === 1 ? server.fileUrl(this.name, id) : '',
			};
		});
	}

	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const requestId = randomUUID();
		if (req.path === HIDREAM_TOKEN_PATH) {
			if (req.method !== 'GET') return sendJson(res, 405, { code: 405, message: 'method not allowed' }, { Allow: 'GET' });
			return this.exchange(req, res, server);
		}
		if (handleTaskRequest(this, req, res, server, requestId)) return;
		if (req.path !== HIDREAM_SUBMIT_PATH && req.path !== HIDREAM_RESULTS_PATH) {
			return sendJson(res, 404, { code: 404, message: 'not found', request_id: requestId });
		}
		const method = req.path === HIDREAM_SUBMIT_PATH ? 'POST' : 'GET';
		if (req.method !== method) return sendJson(res, 405, { code: 405, message: 'method not allowed' }, { Allow: method });
		if (!this.authorized(req, server.now())) {
			return sendJson(res, 401, { code: 401, message: 'invalid or expired token', request_id: requestId });
		}
		if (method === 'POST') return this.submit(req, res, server);
		return this.results(req, res, server, requestId);
	}

	authorized(req: RecordedRequest, now: number): boolean {
		const header = req.headers.authorization;
		const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
		if (!match) return false;
		if (match[1] === this.staticToken) return true;
		const expiresAt = this.tokens.get(match[1]);
		return expiresAt !== undefined && expiresAt > now;
	}

	private exchange(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const key = req.headers['api-key'];
		if (typeof key !== 'string' || key !== this.apiKey) {
			this.refusedExchanges++;
			return sendJson(res, 401, { code: 401, message: 'invalid Api-Key' });
		}
		this.exchanges++;
		const token = `hd_${randomBytes(18).toString('hex')}`;
		const expiresAt = server.now() + this.tokenLifetimeMs;
		this.tokens.set(token, expiresAt);
		sendJson(res, 200, { code: 0, message: 'success', result: { token, expire_time: Math.floor(expiresAt / 1000) } });
	}

	refuse(res: http.ServerResponse, requestId: string, code: number, message: string): void {
		sendJson(res, 200, { code, message, request_id: requestId, result: {} });
	}

	private submit(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const body = req.body;
		const requestId = isObject(body) && typeof body.request_id === 'string' && body.request_id !== '' ? body.request_id : randomUUID();
		if (!isObject(body)) return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'request body must be JSON');
		const { style, prompt, video_name: video, notify_url: notifyUrl, request_id: givenId } = body;
		if (style === undefined && prompt === undefined) return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'prompt or style is required');
		if (style !== undefined && !(HIDREAM_STYLES as readonly unknown[]).includes(style)) {
			return this.refuse(res, requestId, CODE_BAD_PARAMETER, `style ${JSON.stringify(style)} is not supported`);
		}
		if (prompt !== undefined && (typeof prompt !== 'string' || prompt.trim() === '')) {
			return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'prompt must be a non-empty string');
		}
		let videoBytes: number | undefined;
		if (typeof video !== 'string' || video === '') return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'video_name is required');
		if (!isHttpUrl(video)) {
			if (video.length % 4 !== 0 || !BASE64.test(video)) {
				return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'video_name must be a video URL or base64');
			}
			videoBytes = Buffer.from(video, 'base64').length;
		}
		if (givenId !== undefined && typeof givenId !== 'string') return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'request_id must be a string');
		if (notifyUrl !== undefined && !(typeof notifyUrl === 'string' && isHttpUrl(notifyUrl))) {
			return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'notify_url must be an http(s) URL');
		}
		// only accepted tasks count towards the limit; a 429 creates nothing
		const hit = slidingWindowHit(this.submitHits, server.now(), this.stylizationsPerWindow, this.rateWindowMs);
		if (!hit.allowed) {
			this.rateLimited++;
			const after = this.retryAfterSeconds === 'auto' ? Math.ceil(hit.retryAfterMs / 1000) : this.retryAfterSeconds;
			return sendJson(
				res,
				429,
				{ code: 429, message: 'too many requests: video stylization accepts 2 tasks a minute', request_id: requestId },
				after === null ? {} : { 'Retry-After': String(after) },
			);
		}
		const job = this.clock.create(server, {
			task: 'videoStylization',
			body,
			requestId,
			notifyUrl: notifyUrl as string | undefined,
			videoBytes,
			subTaskIds: Array.from({ length: this.subTasksPerTask }, () => randomUUID()),
			forcedStatus: new Map(),
		});
		if (job.notifyUrl) this.watchForEnd(job, server);
		sendJson(res, 200, {
			code: 0,
			message: 'success',
			request_id: requestId,
			result: { sub_task_ids: job.subTaskIds, task_id: job.id },
		});
	}

	private results(req: RecordedRequest, res: http.ServerResponse, server: FakeServer, requestId: string): void {
		const taskId = req.query.task_id;
		if (!taskId) return this.refuse(res, requestId, CODE_BAD_PARAMETER, 'task_id is required');
		const job = this.clock.get(taskId);
		// each family looks up its own tasks only
		if (!job || job.task !== 'videoStylization') return this.refuse(res, requestId, CODE_TASK_NOT_FOUND, `task ${taskId} does not exist`);
		sendJson(res, 200, {
			code: 0,
			message: 'success',
			request_id: requestId,
			result: { task_id: job.id, sub_task_results: this.subTaskResults(job, server) },
		});
	}

	// ---------------------------------------------------------------- callback

	private later(ms: number, fn: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, Math.max(0, ms));
		timer.unref();
		this.timers.add(timer);
	}

	/** looks at the task when it should end, and again until it has, then calls back */
	watchForEnd(job: HiDreamJob, server: FakeServer): void {
		/** true once the task has ended (and its callback started) or is gone */
		const look = (): boolean => {
			if (this.clock.get(job.id) !== job || this.deliveries.has(job.id)) return true;
			const results = this.subTaskResults(job, server);
			if (!results.every((r) => FINAL_STATUSES.includes(r.task_status))) return false;
			this.endChecks.delete(job.id);
			const delivery = this.deliver(job, results, server);
			this.deliveries.set(job.id, delivery);
			void delivery.then((attempts) => {
				for (const resolve of this.deliveryWaiters.get(job.id) ?? []) resolve(attempts);
				this.deliveryWaiters.delete(job.id);
			});
			return true;
		};
		const tick = () => {
			if (look() || server.now() - job.createdAt > job.renderMs + CALLBACK_GIVE_UP_MS) return;
			this.later(CALLBACK_CHECK_MS, tick);
		};
		this.endChecks.set(job.id, () => void look());
		this.later(job.renderMs - (server.now() - job.createdAt), tick);
	}

	private async deliver(job: HiDreamJob, results: HiDreamSubTaskResult[], server: FakeServer): Promise<CallbackAttempt[]> {
		const body = { main_task_id: job.id, sub_task_results: results };
		const attempts: CallbackAttempt[] = [];
		for (let attempt = 1; attempt <= this.callbackTries; attempt++) {
			if (attempt > 1) await new Promise<void>((resolve) => this.later(this.callbackRetryMs, resolve));
			if (this.clock.get(job.id) !== job) break;
			const record: CallbackAttempt = { jobId: job.id, url: job.notifyUrl as string, attempt, at: server.now(), body, ok: false };
			this.callbacks.push(record);
			attempts.push(record);
			try {
				record.status = await this.post(job.notifyUrl as string, body);
				record.ok = record.status === 200;
			} catch (error) {
				record.error = error instanceof Error ? error.message : String(error);
			}
			if (record.ok) break;
		}
		return attempts;
	}

	/** POSTs JSON and resolves with the HTTP status (the answer's body is read and dropped) */
	private post(url: string, body: unknown): Promise<number> {
		const text = JSON.stringify(body);
		const target = new URL(url);
		const client = target.protocol === 'https:' ? https : http;
		return new Promise((resolve, reject) => {
			const request = client.request(
				target,
				{
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
					timeout: this.callbackTimeoutMs,
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve(response.statusCode ?? 0));
					response.on('error', reject);
				},
			);
			this.inFlight.add(request);
			request.on('close', () => this.inFlight.delete(request));
			request.on('timeout', () => request.destroy(new Error(`no answer within ${this.callbackTimeoutMs} ms`)));
			request.on('error', reject);
			request.end(text);
		});
	}
}
