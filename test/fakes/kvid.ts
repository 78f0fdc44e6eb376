/**
 * Fake kvid.ai legacy video API (seed: kvid-video-api.txt, PROVIDERS.md).
 * POST /ai/video/{text-to-video|image-to-video}/generate, GET …/status?request_id=, GET …/result?request_id=,
 * header `api-key`. Bodies `{success, data, message}`; errors `{success: false, error: <CODE>, message}`
 * with the HTTP statuses of kvid's error table (400 MISSING_PARAMETERS / INVALID_PARAMETERS /
 * JOB_NOT_COMPLETED / JOB_FAILED, 402 INSUFFICIENT_CREDIT, 404 JOB_NOT_FOUND, 429 CONCURRENT_LIMIT,
 * 403 for a refused key).
 * Where the docs leave the answer open this fake picks one and says so: the field that carries the
 * error code (`error`), the 403 body (its table gives no code), PROCESSING with progress 0 and no
 * logs for a job that waits for a worker, the failure reason as the last log line.
 * It is stricter than kvid in one way: a field the chosen model does not take is refused
 * (INVALID_PARAMETERS), so a test catches a field sent to the wrong model.
 */
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import {
	type ClockJob,
	type FakeProvider,
	type FakeServer,
	JobClock,
	type RecordedRequest,
	sendJson,
} from './server';

type Json = Record<string, unknown>;
export type KvidFakeMode = 'text-to-video' | 'image-to-video';
export type KvidFakeModel = 'wan' | 'seedance';

export interface KvidJobData {
	mode: KvidFakeMode;
	model: KvidFakeModel;
	/** the generate body as received */
	body: Json;
	/** credits charged */
	cost: number;
}

export type KvidJob = ClockJob<KvidJobData>;

const PATH = /^\/ai\/video\/(text-to-video|image-to-video)\/(generate|status|result)$/;
const SEEDANCE_MODEL = (mode: KvidFakeMode) => `bytedance/seedance/v1/lite/${mode}`;

/** The doc's parameter tables: field -> check, per model (image-to-video adds the image fields). */
type Check = (value: unknown, mode: KvidFakeMode) => boolean;
const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const intIn = (min: number, max: number): Check => (v) => isInt(v) && v >= min && v <= max;
const oneOf = (...values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);
const isBool: Check = (v) => typeof v === 'boolean';
const isText: Check = (v) => typeof v === 'string';
const seed: Check = (v) => v === null || isInt(v);
const httpUrl = (v: unknown): boolean => {
	if (typeof v !== 'string') return false;
	try {
		const url = new URL(v);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
};

export const KVID_FIELDS: Record<KvidFakeModel, Record<string, Check>> = {
	wan: {
		prompt: isText,
		negative_prompt: isText,
		num_frames: intIn(81, 100),
		frames_per_second: intIn(5, 24),
		seed,
		resolution: oneOf('480p', '580p', '720p'),
		aspect_ratio: (v, mode) => (mode === 'text-to-video' ? oneOf('16:9', '9:16') : oneOf('auto', '16:9', '9:16', '1:1'))(v, mode),
		// the doc gives no range
		num_inference_steps: (v) => isInt(v) && v >= 1,
		enable_safety_checker: isBool,
		enable_prompt_expansion: isBool,
	},
	seedance: {
		prompt: isText,
		aspect_ratio: oneOf('16:9', '4:3', '1:1', '9:21'),
		resolution: oneOf('480p', '720p', '1080p'),
		duration: oneOf('5', '10'),
		camera_fixed: isBool,
		seed,
		model: (v, mode) => v === SEEDANCE_MODEL(mode),
	},
};
const IMAGE_FIELDS: Record<string, Check> = {
	image_url: httpUrl,
	image_file: (v) => typeof v === 'string' && v.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0,
};

/** Credits per video, from the doc's price table (v1 580p is not priced there: charged as 720p). */
const PRICES: Record<KvidFakeModel, Record<string, number>> = {
	wan: { '480p': 90, '580p': 160, '720p': 160 },
	seedance: { '480p': 60, '720p': 81, '1080p': 134 },
};

const refusal = (error: string, message: string): Json => ({ success: false, error, message });

export class KvidFake implements FakeProvider {
	readonly name = 'kvid';
	readonly clock = new JobClock<KvidJobData>();

	apiKey!: string;
	/** renders that may run at once per account; one more submit is answered 429 CONCURRENT_LIMIT */
	concurrentLimit!: number;
	/** Retry-After of a 429: seconds, 'auto' (when the first running render ends) or null (no header) */
	retryAfterSeconds!: number | 'auto' | null;
	credits!: number;
	/** generate POSTs answered 429 */
	concurrencyRefusals!: number;

	constructor() {
		this.reset();
	}

	reset(): void {
		this.clock.reset();
		this.apiKey = 'kvid-sandbox-key';
		this.concurrentLimit = 4;
		this.retryAfterSeconds = 'auto';
		this.credits = 100_000;
		this.concurrencyRefusals = 0;
	}

	get jobs(): Map<string, KvidJob> {
		return this.clock.jobs;
	}

	get acceptedSubmits(): number {
		return this.clock.jobs.size;
	}

	get lastJob(): KvidJob | undefined {
		return [...this.clock.jobs.values()].pop();
	}

	handles(path: string): boolean {
		return path.startsWith('/ai/video/');
	}

	sandboxCredentials(baseUrl: string): Record<string, Record<string, unknown>> {
		return { kvidApi: { apiKey: this.apiKey, baseUrl } };
	}

	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const match = PATH.exec(req.path);
		if (!match) return sendJson(res, 404, refusal('NOT_FOUND', 'no such endpoint'));
		const mode = match[1] as KvidFakeMode;
		const endpoint = match[2];
		const method = endpoint === 'generate' ? 'POST' : 'GET';
		if (req.method !== method) return sendJson(res, 405, refusal('METHOD_NOT_ALLOWED', 'method not allowed'), { Allow: method });
		// the docs give the 403 no code; this fake uses one of the shapes the credential test knows
		if (req.headers['api-key'] !== this.apiKey) return sendJson(res, 403, refusal('INVALID_API_KEY', 'Invalid or missing api-key'));
		const now = server.now();
		if (endpoint === 'generate') return this.generate(mode, req, res, server, now);
		const id = req.query.request_id;
		if (!id) return sendJson(res, 400, refusal('MISSING_PARAMETERS', 'request_id is required'));
		// text- and image-to-video jobs live apart: a job is unknown under the other mode's path
		const job = this.clock.get(id);
		if (!job || job.mode !== mode) return sendJson(res, 404, refusal('JOB_NOT_FOUND', `No job with request_id ${id}`));
		if (endpoint === 'status') return this.status(job, res, now);
		return this.result(job, res, server, now);
	}

	private running(now: number): KvidJob[] {
		return [...this.clock.jobs.values()].filter((job) => {
			const state = this.clock.state(job, now);
			return state === 'queued' || state === 'processing';
		});
	}

	private generate(mode: KvidFakeMode, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, now: number): void {
		const body = req.body;
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			return sendJson(res, 400, refusal('INVALID_PARAMETERS', 'The body must be a JSON object'));
		}
		const fields = body as Json;
		const model: KvidFakeModel = fields.model === undefined ? 'wan' : 'seedance';
		const missing = this.missingFields(fields, mode);
		if (missing.length) return sendJson(res, 400, refusal('MISSING_PARAMETERS', `Missing required parameters: ${missing.join(', ')}`));
		const invalid = this.invalidFields(fields, mode, model);
		if (invalid.length) return sendJson(res, 400, refusal('INVALID_PARAMETERS', `Invalid parameters: ${invalid.join(', ')}`));
		const cost = PRICES[model][(fields.resolution as string | undefined) ?? '720p'];
		if (cost > this.credits) {
			return sendJson(res, 402, refusal('INSUFFICIENT_CREDIT', `Insufficient credit: this video costs ${cost} credits, ${this.credits} left`));
		}
		const running = this.running(now);
		if (running.length >= this.concurrentLimit) {
			this.concurrencyRefusals++;
			const firstEnd = Math.min(...running.map((job) => job.createdAt + job.renderMs));
			const after = this.retryAfterSeconds === 'auto' ? Math.max(1, Math.ceil((firstEnd - now) / 1000)) : this.retryAfterSeconds;
			return sendJson(
				res,
				429,
				refusal('CONCURRENT_LIMIT', `Too many concurrent jobs (limit ${this.concurrentLimit})`),
				after === null ? {} : { 'Retry-After': String(after) },
			);
		}
		this.credits -= cost;
		const job = this.clock.create(server, { mode, model, body: fields, cost }, `req_${randomBytes(8).toString('hex')}`);
		sendJson(res, 200, { success: true, data: { request_id: job.id }, message: 'Video generation request submitted successfully' });
	}

	private missingFields(fields: Json, mode: KvidFakeMode): string[] {
		const missing: string[] = [];
		if (typeof fields.prompt !== 'string' || fields.prompt.trim() === '') missing.push('prompt');
		if (mode === 'image-to-video' && fields.image_url === undefined && fields.image_file === undefined) missing.push('image_url');
		return missing;
	}

	private invalidFields(fields: Json, mode: KvidFakeMode, model: KvidFakeModel): string[] {
		const accepted: Record<string, Check> = { ...KVID_FIELDS[model] };
		if (mode === 'image-to-video') {
			Object.assign(accepted, IMAGE_FIELDS);
			if (model === 'seedance') accepted.end_image_url = (v) => v === null || httpUrl(v);
		}
		return Object.entries(fields)
			.filter(([key, value]) => !Object.hasOwn(accepted, key) || !accepted[key](value, mode))
			.map(([key]) => key);
	}

	private status(job: KvidJob, res: http.ServerResponse, now: number): void {
		const state = this.clock.state(job, now);
		const progress = this.clock.progress(job, now);
		const at = (ms: number) => new Date(job.createdAt + ms).toISOString().replace('T', ' ').slice(0, 19);
		const logs: string[] = [];
		if (state !== 'queued') logs.push(`${at(job.renderMs * this.clock.queueFraction)} - Video generation started`);
		if (state === 'processing' && progress > 20) logs.push(`${at(now - job.createdAt)} - Processing frame 1-${Math.round(progress)}`);
		if (state === 'completed') logs.push(`${at(job.renderMs)} - Video generation completed`);
		// failed and (by someone else) canceled renders both end FAILED; the reason is the last log line
		if (state === 'failed' || state === 'canceled') logs.push(`${at(now - job.createdAt)} - Error: ${job.failMessage ?? job.cancelMessage ?? 'failed'}`);
		const word = { queued: 'PROCESSING', processing: 'PROCESSING', completed: 'COMPLETED', failed: 'FAILED', canceled: 'FAILED' }[state];
		const message = {
			PROCESSING: 'Video generation in progress',
			COMPLETED: 'Video generation completed',
			FAILED: 'Video generation failed',
		}[word];
		sendJson(res, 200, {
			success: true,
			data: { status: word, progress: state === 'queued' ? 0 : state === 'completed' ? 100 : progress, logs },
			message,
		});
	}

	private result(job: KvidJob, res: http.ServerResponse, server: FakeServer, now: number): void {
		const state = this.clock.state(job, now);
		if (state === 'queued' || state === 'processing') {
			return sendJson(res, 400, refusal('JOB_NOT_COMPLETED', 'The video is not ready yet'));
		}
		if (state !== 'completed') return sendJson(res, 400, refusal('JOB_FAILED', 'The video generation failed'));
		sendJson(res, 200, {
			success: true,
			data: {
				url: server.fileUrl(this.name, job.id),
				name: 'generated_video.mp4',
				// KB, as the doc says
				size: Math.ceil(server.fileSizeOf(job.id) / 1024),
			},
			message: 'Video result retrieved successfully',
		});
	}
}
