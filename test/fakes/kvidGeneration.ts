/**
 * Fake kvid.ai generation API (PROVIDERS.md "Generation API — current", kvid's docs/api-services/video-api.md).
 * POST /ai/generation/{text-to-video|image-to-video|reference-to-video}/generate-async,
 * GET /ai/generation/status?jobId=, GET /ai/generation/result?jobId=, header `api-key`.
 * Every generate body names exactly one credit pool (product_id | product_code | email), else 400.
 * Submit answers `{success, data: {job_id, status: "queued", message, estimated_time, video_type}}`;
 * the id's spelling is switchable (`idSpelling`), as kvid's own clients read it four ways.
 * Status words are lower case: queued, processing, completed, failed, canceled.
 * Errors `{success: false, error: <CODE>, message}` with the doc's HTTP statuses: 400 MISSING_PARAMETERS /
 * INVALID_PARAMETERS / JOB_NOT_COMPLETED / JOB_FAILED, 402 INSUFFICIENT_CREDIT, 403 bad key,
 * 404 JOB_NOT_FOUND, 429 CONCURRENT_LIMIT.
 * Where the docs are silent this fake picks and says so: the field carrying the error code (`error`);
 * an unknown credit pool is INVALID_PARAMETERS; the result of a canceled job is JOB_FAILED;
 * duration outside reference-to-video is any whole number of seconds. Fields a model does not take
 * are dropped, as kvid's gateway does, and recorded in the job's `dropped`.
 */
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';

import { type ClockJob, type FakeProvider, type FakeServer, JobClock, type RecordedRequest, sendJson } from './server';

type Json = Record<string, unknown>;
export type KvidGenerationMode = 'text-to-video' | 'image-to-video' | 'reference-to-video';
export type KvidIdSpelling = 'data.job_id' | 'data.jobId' | 'job_id' | 'jobId';

export interface KvidCreditPool {
	product_id: string;
	product_code: string;
	email: string;
	credits: number;
}

export interface KvidGenerationJobData {
	mode: KvidGenerationMode;
	/** the model as sent (default wan) */
	model: string;
	/** the generate body as received */
	body: Json;
	/** the pool billed */
	pool: KvidCreditPool;
	cost: number;
	/** fields kvid dropped (not taken by this model) */
	dropped: string[];
}

export type KvidGenerationJob = ClockJob<KvidGenerationJobData>;

const PATH = /^\/ai\/generation\/(?:(text-to-video|image-to-video|reference-to-video)\/(generate-async)|(status|result))$/;
const FUNCTIONS: Record<KvidGenerationMode, string> = { 'text-to-video': 'txt2vid', 'image-to-video': 'img2vid', 'reference-to-video': 'ref2vid' };
const POOL_FIELDS = ['product_id', 'product_code', 'email'] as const;

type Family = 'wan' | 'seedance' | 'veo3.1' | 'other';
const familyOf = (model: string): Family =>
	model === 'wan' || model === 'seedance' || model === 'veo3.1' ? model : /veo/i.test(model) ? 'veo3.1' : /seedance/i.test(model) ? 'seedance' : /(^|\/)wan/i.test(model) ? 'wan' : 'other';

/** Credits per 5 s clip (docs/pricing.md); full ids are priced as their family, unknown ones as seedance. */
const PRICES: Record<Family, Record<string, number>> = {
	wan: { '480p': 60, '720p': 120 },
	seedance: { '480p': 39, '720p': 54, '1080p': 89 },
	'veo3.1': { '480p': 150 },
	other: { '480p': 39, '720p': 54, '1080p': 89 },
};

type Check = (value: unknown) => boolean;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const oneOf = (...values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);
const isBool: Check = (v) => typeof v === 'boolean';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isHttps = (v: unknown) => typeof v === 'string' && /^https:\/\/[^\s/]+/.test(v);
const isUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^\s/]+/.test(v);
const urlList = (max: number, check: (v: unknown) => boolean): Check => (v) => Array.isArray(v) && v.length <= max && v.every(check);

/** Fields every model takes; wan (self-hosted) takes more. */
const COMMON: Record<string, Check> = {
	prompt: (v) => typeof v === 'string',
	model: (v) => typeof v === 'string' && v.length > 0,
	function: (v) => typeof v === 'string',
	negative_prompt: (v) => typeof v === 'string',
	resolution: oneOf('480p', '720p', '1080p'),
	duration: isInt,
	aspect_ratio: oneOf('16:9', '9:16', '1:1', 'auto'),
	seed: (v) => v === null || isInt(v),
	...Object.fromEntries(POOL_FIELDS.map((f) => [f, (v: unknown) => typeof v === 'string' && v.length > 0])),
};
const WAN: Record<string, Check> = {
	num_frames: isInt,
	frames_per_second: isInt,
	num_inference_steps: isInt,
	guidance_scale: isNumber,
	shift: isNumber,
	enable_safety_checker: isBool,
	enable_prompt_expansion: isBool,
	acceleration: oneOf('regular', 'high'),
};
const BY_MODE: Record<KvidGenerationMode, Record<string, Check>> = {
	'text-to-video': {},
	'image-to-video': { image_url: isHttps, image_file: (v) => typeof v === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0 },
	'reference-to-video': {
		image_urls: urlList(9, isUrl),
		video_urls: urlList(3, isUrl),
		audio_urls: urlList(3, isUrl),
		generate_audio: isBool,
		duration: (v) => v === 'auto' || (isInt(v) && v >= 4 && v <= 15),
	},
};

const refusal = (error: string, message: string): Json => ({ success: false, error, message });

export class KvidGenerationFake implements FakeProvider {
	readonly name = 'kvidGeneration';
	readonly clock = new JobClock<KvidGenerationJobData>();

	apiKey!: string;
	pools!: KvidCreditPool[];
	concurrentLimit!: number;
	/** Retry-After of a 429: seconds, 'auto' (when the first running render ends) or null (no header) */
	retryAfterSeconds!: number | 'auto' | null;
	/** how the submit answer spells the new job's id */
	idSpelling!: KvidIdSpelling;
	/** the submit's estimated_time; 'auto' = from the render time ("2-5min" for a 2 min render) */
	estimatedTime!: string | 'auto';
	concurrencyRefusals!: number;

	constructor() {
		this.reset();
	}

	reset(): void {
		this.clock.reset();
		this.apiKey = 'kvid-sandbox-key';
		this.pools = [
			{ product_id: 'pdt_sandbox00001', product_code: 'SANDBOX', email: 'sandbox@example.com', credits: 100_000 },
			{ product_id: 'pdt_client000002', product_code: 'CLIENT-B', email: 'billing@client-b.example', credits: 100_000 },
		];
		this.concurrentLimit = 4;
		this.retryAfterSeconds = 'auto';
		this.idSpelling = 'data.job_id';
		this.estimatedTime = 'auto';
		this.concurrencyRefusals = 0;
	}

	get jobs(): Map<string, KvidGenerationJob> {
		return this.clock.jobs;
	}

	get acceptedSubmits(): number {
		return this.clock.jobs.size;
	}

	get lastJob(): KvidGenerationJob | undefined {
		return [...this.clock.jobs.values()].pop();
	}

	handles(path: string): boolean {
		return path.startsWith('/ai/generation/');
	}

	/** One kvidApi credential for both kvid APIs (the legacy fake takes the same key), billed to the first pool. */
	sandboxCredentials(baseUrl: string): Record<string, Record<string, unknown>> {
		return { kvidApi: { apiKey: this.apiKey, creditPool: 'productCode', creditPoolValue: this.pools[0].product_code, baseUrl } };
	}

	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const match = PATH.exec(req.path);
		if (!match) return sendJson(res, 404, refusal('NOT_FOUND', 'no such endpoint'));
		const method = match[2] ? 'POST' : 'GET';
		if (req.method !== method) return sendJson(res, 405, refusal('METHOD_NOT_ALLOWED', 'method not allowed'), { Allow: method });
		if (req.headers['api-key'] !== this.apiKey) return sendJson(res, 403, refusal('INVALID_API_KEY', 'Invalid or missing api-key'));
		const now = server.now();
		if (match[2]) return this.generate(match[1] as KvidGenerationMode, req, res, server, now);
		const id = req.query.jobId;
		if (!id) return sendJson(res, 400, refusal('MISSING_PARAMETERS', 'jobId is required'));
		const job = this.clock.get(id);
		if (!job) return sendJson(res, 404, refusal('JOB_NOT_FOUND', `Job ${id} not found`));
		const state = this.clock.state(job, now);
		if (match[3] === 'status') {
			const error = state === 'failed' ? (job.failMessage ?? 'failed') : state === 'canceled' ? (job.cancelMessage ?? 'canceled') : null;
			const url = state === 'completed' ? server.fileUrl(this.name, job.id) : null;
			return sendJson(res, 200, { success: true, data: { job_id: job.id, status: state, prompt: job.body.prompt, result_url: url, error_message: error } });
		}
		if (state === 'queued' || state === 'processing') return sendJson(res, 400, refusal('JOB_NOT_COMPLETED', `Job ${id} is still ${state}`));
		if (state !== 'completed') return sendJson(res, 400, refusal('JOB_FAILED', `Job ${id} ${state}: see error_message from the status endpoint`));
		const size = server.fileSizeOf(job.id);
		const [width, height] = this.frameOf(job);
		sendJson(res, 200, {
			success: true,
			data: {
				job_id: job.id,
				status: 'completed',
				result_url: server.fileUrl(this.name, job.id),
				created_at: new Date(job.createdAt).toISOString(),
				prompt: job.body.prompt,
				width,
				height,
				size,
				file_size: size,
				type: job.mode,
				used_credit: job.cost,
			},
		});
	}

	private frameOf(job: KvidGenerationJob): [number, number] {
		const lines = { '480p': 480, '720p': 720, '1080p': 1080 }[(job.body.resolution as string) ?? '480p'] ?? 480;
		const ratio = (job.body.aspect_ratio as string) ?? '16:9';
		const long = Math.round((lines * 16) / 9);
		return ratio === '9:16' ? [lines, long] : ratio === '1:1' ? [lines, lines] : [long, lines];
	}

	private generate(mode: KvidGenerationMode, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, now: number): void {
		const body = req.body;
		if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendJson(res, 400, refusal('INVALID_PARAMETERS', 'The body must be a JSON object'));
		const fields = body as Json;
		const named = POOL_FIELDS.filter((f) => fields[f] !== undefined && fields[f] !== null && fields[f] !== '');
		if (named.length === 0) return sendJson(res, 400, refusal('MISSING_PARAMETERS', 'One of product_id, product_code or email is required'));
		if (named.length > 1) return sendJson(res, 400, refusal('INVALID_PARAMETERS', `Send exactly one of product_id, product_code or email; got ${named.join(', ')}`));
		const pool = this.pools.find((p) => p[named[0]] === fields[named[0]]);
		if (!pool) return sendJson(res, 400, refusal('INVALID_PARAMETERS', `Unknown ${named[0]}`));
		const missing = this.missing(fields, mode);
		if (missing.length) return sendJson(res, 400, refusal('MISSING_PARAMETERS', `Missing required parameters: ${missing.join(', ')}`));
		const model = typeof fields.model === 'string' ? fields.model : 'wan';
		const family = familyOf(model);
		const accepted: Record<string, Check> = { ...COMMON, ...(family === 'wan' ? WAN : {}), ...BY_MODE[mode] };
		const dropped = Object.keys(fields).filter((key) => !Object.hasOwn(accepted, key));
		const invalid = Object.keys(fields).filter((key) => Object.hasOwn(accepted, key) && !accepted[key](fields[key]));
		invalid.push(...this.invalidCombination(fields, mode, family));
		if (invalid.length) return sendJson(res, 400, refusal('INVALID_PARAMETERS', `Invalid parameters: ${invalid.join(', ')}`));
		const price = PRICES[family][(fields.resolution as string | undefined) ?? '480p'];
		const seconds = typeof fields.duration === 'number' ? fields.duration : 5;
		const cost = Math.ceil((price * seconds) / 5);
		if (cost > pool.credits) return sendJson(res, 402, refusal('INSUFFICIENT_CREDIT', `Insufficient credit: this video costs ${cost} credits, ${pool.credits} left`));
		const running = [...this.clock.jobs.values()].filter((job) => ['queued', 'processing'].includes(this.clock.state(job, now)));
		if (running.length >= this.concurrentLimit) {
			this.concurrencyRefusals++;
			const firstEnd = Math.min(...running.map((job) => job.createdAt + job.renderMs));
			const after = this.retryAfterSeconds === 'auto' ? Math.max(1, Math.ceil((firstEnd - now) / 1000)) : this.retryAfterSeconds;
			return sendJson(res, 429, refusal('CONCURRENT_LIMIT', `Too many concurrent jobs (limit ${this.concurrentLimit})`), after === null ? {} : { 'Retry-After': String(after) });
		}
		pool.credits -= cost;
		const id = `job_${now}_${randomBytes(5).toString('hex').slice(0, 9)}`;
		const job = this.clock.create(server, { mode, model, body: fields, pool, cost, dropped }, id);
		const data = { status: 'queued', message: 'Video generation job queued.', estimated_time: this.estimate(job.renderMs), video_type: mode };
		const answer: Json = { success: true, data };
		if (this.idSpelling === 'data.job_id') Object.assign(data, { job_id: id });
		else if (this.idSpelling === 'data.jobId') Object.assign(data, { jobId: id });
		else answer[this.idSpelling] = id;
		sendJson(res, 200, answer);
	}

	private estimate(renderMs: number): string {
		if (this.estimatedTime !== 'auto') return this.estimatedTime;
		const seconds = Math.floor(renderMs / 1000);
		return seconds >= 60 ? `${Math.floor(seconds / 60)}-${Math.ceil((seconds * 2.5) / 60)}min` : `${seconds}-${Math.ceil(seconds * 2.5) || 1}s`;
	}

	private missing(fields: Json, mode: KvidGenerationMode): string[] {
		const missing: string[] = [];
		if (typeof fields.prompt !== 'string' || fields.prompt.trim() === '') missing.push('prompt');
		if (mode === 'image-to-video' && fields.image_url === undefined && fields.image_file === undefined) missing.push('image_url');
		return missing;
	}

	/** The doc's rules across fields: veo3.1's frame and resolution, the reference counts, `function`. */
	private invalidCombination(fields: Json, mode: KvidGenerationMode, family: Family): string[] {
		const invalid: string[] = [];
		if (fields.function !== undefined && fields.function !== FUNCTIONS[mode]) invalid.push('function');
		if (fields.resolution !== undefined && PRICES[family][fields.resolution as string] === undefined) invalid.push('resolution');
		if (family === 'veo3.1' && fields.aspect_ratio !== undefined && !['16:9', '9:16'].includes(fields.aspect_ratio as string)) invalid.push('aspect_ratio');
		if (mode === 'reference-to-video') {
			const count = (key: string) => (Array.isArray(fields[key]) ? (fields[key] as unknown[]).length : 0);
			if (count('image_urls') + count('video_urls') + count('audio_urls') > 12) invalid.push('image_urls + video_urls + audio_urls (at most 12)');
			if (count('audio_urls') > 0 && count('image_urls') + count('video_urls') === 0) invalid.push('audio_urls (needs an image or video)');
		}
		return invalid;
	}
}
