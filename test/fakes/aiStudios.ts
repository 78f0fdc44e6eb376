/**
 * Fake DeepBrain AI Studios, API v2 (seed: aistudios-chromakey-export.md, PROVIDERS.md).
 *   POST /api/odin/simple/video            {language, text, model, clothes[, webhook]} -> {success, data: {key}}
 *   GET  /api/odin/editor/progress/{key}   -> {success, data: {progress 0-100, url}}
 * Header `Authorization: <api key>` (no Bearer).
 * Where the docs leave the answer open this fake picks one, and the comments say so:
 * - a missing or unknown key: HTTP 401 {success: false, msg};
 * - refused input (missing field, unknown model, clothes the model does not have): HTTP 200
 *   {success: false, msg}, the failure style the docs describe;
 * - an unknown project key on progress: HTTP 200 {success: false, msg};
 * - a failed render: the progress endpoint answers {success: false, msg} once the render ends;
 * - progress is 0 while the job is queued, then grows; the URL field is `url` (the tutorial) or
 *   `videoUrl` (the reference table), per `urlField`, and may lag behind progress 100 (`urlLagMs`);
 * - the webhook is called with GET and the query parameters videoUrl and duration.
 * The v3 API (App ID + User Key, under /api/odin/v3) is served by `v3` (aiStudiosV3.ts); both
 * versions share the jobs clock, as one AI Studios account would.
 */
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { AI_STUDIOS_V3, AiStudiosV3 } from './aiStudiosV3';
import { type ClockJob, type FakeProvider, type FakeServer, JobClock, type RecordedRequest, sendJson } from './server';

export const AI_STUDIOS_SUBMIT_PATH = '/api/odin/simple/video';
export const AI_STUDIOS_PROGRESS_PATH = '/api/odin/editor/progress/';

/** The seed's model and clothes, plus the model of the v3 reference's sample request. */
export function defaultAiStudiosModels(): Record<string, string[]> {
	return {
		M000004017: ['BG00006160', 'BG00001004'],
		M000045058: ['BG00002320'],
	};
}

export interface AiStudiosJobData {
	/** the export body as received */
	body: Record<string, unknown>;
	webhook?: string;
	webhookCalled?: boolean;
	/** set on v3 projects */
	v3?: { avatarType: 'chromaKey' | 'custom'; isExport: boolean; taskId?: string; webhookUrl?: string; deleted?: boolean };
}

export type AiStudiosJob = ClockJob<AiStudiosJobData>;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const refuse = (res: http.ServerResponse, msg: string, status = 200) => sendJson(res, status, { success: false, msg });

export class AiStudiosFake implements FakeProvider {
	readonly name = 'aiStudios';
	readonly clock = new JobClock<AiStudiosJobData>();

	apiKey!: string;
	/** model id -> its clothes ids */
	models!: Record<string, string[]>;
	/** name of the finished video's URL in the progress answer */
	urlField!: 'url' | 'videoUrl';
	/** how long after the render ends the progress answer still shows 100 without a URL */
	urlLagMs!: number;
	/** seconds reported to the webhook as the video's duration */
	durationSeconds!: number;
	/** test hook: the render of a submitted body ends failed with the returned message */
	failIf?: (body: Record<string, unknown>) => string | undefined;
	/** webhook calls made: URL called and the answer's status (or the error) */
	readonly webhookCalls: Array<{ url: string; status?: number; error?: string }> = [];

	private readonly webhookTimers = new Set<NodeJS.Timeout>();
	/** the pending webhook timer of each job */
	private readonly webhookTimerOf = new Map<string, NodeJS.Timeout>();
	/** the v3 API of the same account */
	readonly v3 = new AiStudiosV3(this.clock, { urlLagMs: () => this.urlLagMs, fileUrl: (server, id) => server.fileUrl(this.name, id) });

	constructor() {
		this.reset();
	}

	reset(): void {
		this.clock.reset();
		this.apiKey = 'aistudios-sandbox-key-0001';
		this.models = defaultAiStudiosModels();
		this.urlField = 'url';
		this.urlLagMs = 0;
		this.durationSeconds = 4.2;
		this.failIf = undefined;
		this.webhookCalls.length = 0;
		for (const timer of this.webhookTimers) clearTimeout(timer);
		this.webhookTimers.clear();
		this.webhookTimerOf.clear();
		this.v3.reset();
	}

	get jobs(): Map<string, AiStudiosJob> {
		return this.clock.jobs;
	}

	get acceptedSubmits(): number {
		return this.clock.jobs.size;
	}

	get lastJobId(): string | undefined {
		return [...this.clock.jobs.keys()].pop();
	}

	/**
	 * The render (v2 or v3) ends now, and its webhook (if it has one) is called at once: for tests
	 * that hold renders with a long render time until they choose to end them.
	 */
	finishNow(jobId: string, server: FakeServer): void {
		const job = this.clock.get(jobId);
		if (!job) throw new Error(`no aiStudios job ${jobId}`);
		this.clock.complete(jobId, server.now());
		if (job.v3) return this.v3.webhookNow(job, server);
		const timer = this.webhookTimerOf.get(jobId);
		if (timer === undefined) return;
		clearTimeout(timer);
		this.webhookTimers.delete(timer);
		this.scheduleWebhook(job, server);
	}

	handles(path: string): boolean {
		return path.startsWith('/api/odin/');
	}

	sandboxCredentials(baseUrl: string): Record<string, Record<string, unknown>> {
		// one credential holding both versions' keys serves the v2 and the v3 examples
		return { aiStudiosApi: { appId: this.v3.appId, userKey: this.v3.userKey, apiKey: this.apiKey, baseUrl } };
	}

	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		if (req.path.startsWith(`${AI_STUDIOS_V3}/`)) return this.v3.handle(req, res, server);
		const isSubmit = req.path === AI_STUDIOS_SUBMIT_PATH;
		const isProgress = req.path.startsWith(AI_STUDIOS_PROGRESS_PATH) && !req.path.slice(AI_STUDIOS_PROGRESS_PATH.length).includes('/');
		if (!isSubmit && !isProgress) return sendJson(res, 404, { success: false, msg: 'Not Found' });
		if (req.method !== (isSubmit ? 'POST' : 'GET')) {
			return sendJson(res, 405, { success: false, msg: 'Method Not Allowed' }, { Allow: isSubmit ? 'POST' : 'GET' });
		}
		if (req.headers.authorization !== this.apiKey) return refuse(res, 'Unauthorized: invalid API key', 401);
		if (isSubmit) return this.submit(req, res, server);
		let key: string;
		try {
			key = decodeURIComponent(req.path.slice(AI_STUDIOS_PROGRESS_PATH.length));
		} catch {
			return refuse(res, 'Invalid project key');
		}
		return this.progress(key, res, server);
	}

	private submit(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		if (!isObject(req.body)) return refuse(res, 'Invalid request body');
		const body = req.body;
		for (const field of ['language', 'text', 'model', 'clothes']) {
			if (typeof body[field] !== 'string' || (body[field] as string).trim() === '') return refuse(res, `Required parameter is missing: ${field}`);
		}
		const clothes = Object.prototype.hasOwnProperty.call(this.models, body.model as string) ? this.models[body.model as string] : undefined;
		if (!clothes) return refuse(res, `Invalid model: ${String(body.model)}`);
		if (!clothes.includes(body.clothes as string)) return refuse(res, `Invalid clothes ${String(body.clothes)} for model ${String(body.model)}`);
		let webhook: string | undefined;
		if (body.webhook !== undefined) {
			if (typeof body.webhook !== 'string' || !/^https?:\/\//.test(body.webhook)) return refuse(res, 'Invalid webhook URL');
			webhook = body.webhook;
		}
		const job = this.clock.create(server, { body, webhook }, randomBytes(12).toString('hex'));
		job.failMessage ??= this.failIf?.(body);
		if (webhook) this.scheduleWebhook(job, server);
		sendJson(res, 200, { success: true, data: { key: job.id } });
	}

	private progress(key: string, res: http.ServerResponse, server: FakeServer): void {
		const job = this.clock.get(key);
		if (!job || job.v3) return refuse(res, 'Project not found');
		const now = server.now();
		const state = this.clock.state(job, now);
		if (state === 'failed') return refuse(res, job.failMessage ?? 'Export failed');
		if (state === 'canceled') return refuse(res, job.cancelMessage ?? 'Export canceled');
		const progress = state === 'queued' ? 0 : this.clock.progress(job, now);
		const data: Json = { progress };
		if (state === 'completed' && now - (job.createdAt + job.renderMs) >= this.urlLagMs) {
			data[this.urlField] = server.fileUrl(this.name, job.id);
		}
		sendJson(res, 200, { success: true, data });
	}

	/** AI Studios calls the webhook when the video is done (a real timer: webhooks need real time) */
	private scheduleWebhook(job: AiStudiosJob, server: FakeServer): void {
		const timer = setTimeout(() => {
			this.webhookTimers.delete(timer);
			this.webhookTimerOf.delete(job.id);
			const state = this.clock.state(job, server.now());
			// a timer may fire a millisecond before Date.now() reaches the end: look again, never drop the call
			if (state === 'queued' || state === 'processing') return this.scheduleWebhook(job, server);
			if (state !== 'completed') return;
			const url = new URL(job.webhook as string);
			url.searchParams.set('videoUrl', server.fileUrl(this.name, job.id));
			url.searchParams.set('duration', String(this.durationSeconds));
			job.webhookCalled = true;
			fetch(url, { method: 'GET' })
				.then(async (answer) => {
					await answer.arrayBuffer();
					this.webhookCalls.push({ url: url.toString(), status: answer.status });
				})
				.catch((error: unknown) => this.webhookCalls.push({ url: url.toString(), error: String(error) }));
		}, Math.max(1, job.createdAt + job.renderMs + this.urlLagMs - server.now()));
		// a pending webhook never keeps the process alive; reset() drops it
		timer.unref();
		this.webhookTimers.add(timer);
		this.webhookTimerOf.set(job.id, timer);
	}
}
