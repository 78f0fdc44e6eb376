/**
 * Fake AI-video provider framework: one API server shared by every fake provider (their paths do not
 * collide) plus a second server standing in for the providers' file CDN. Plain node:http, bound to
 * 127.0.0.1, no dependencies. Used by the unit tests, the end-to-end suite and the local sandbox.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';

/** One request as the fake received it. */
export interface RecordedRequest {
	/** name of the fake provider that owns the path; `files` on the file server; '' when none does */
	provider: string;
	method: string;
	/** raw pathname as received (not percent-decoded) */
	path: string;
	query: Record<string, string>;
	/** lower-cased header names, as node parses them */
	headers: Record<string, string | string[] | undefined>;
	/** parsed JSON, parsed form object (x-www-form-urlencoded), else the UTF-8 text; undefined when empty */
	body: unknown;
	rawBody: Buffer;
	at: number;
	/** kind of the injected fault that answered this request, if one did */
	fault?: string;
}

/** Pseudo-provider name of the file server's requests (use it in `Fault.provider`). */
export const FILES = 'files';

interface FaultMatch {
	/** provider name (`files` for the file server); any when absent */
	provider?: string;
	method?: string;
	/** pathname prefix or RegExp tested against the raw pathname */
	path?: string | RegExp;
	/** how many matching requests it answers; default 1 (Infinity: until cleared) */
	times?: number;
}

export type Fault = FaultMatch &
	(
		| {
				kind?: 'status';
				status: number;
				/** object: JSON; string: sent as is (default type text/html); absent: a small JSON error */
				body?: unknown;
				headers?: Record<string, string>;
				contentType?: string;
		  }
		| { kind: 'reset' }
		| { kind: 'hang' }
		| { kind: 'malformedJson' }
		/** full Content-Length, only `bytes` bytes of the body, then the connection closes */
		| { kind: 'truncate'; bytes: number }
		/** answers normally after `ms` */
		| { kind: 'delay'; ms: number }
	);

export interface FakeProvider {
	readonly name: string;
	handles(path: string): boolean;
	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): Promise<void> | void;
	/** back to a fresh provider: no jobs, tokens, counters; settings at their defaults */
	reset(): void;
	/** the provider's jobs (a JobClock); enables `server.failNextJob` / `server.cancelJob` */
	readonly clock?: JobControl;
	/** credentials (by n8n credential type) that work against this fake at `baseUrl` */
	sandboxCredentials?(baseUrl: string): Record<string, Record<string, unknown>>;
}

export interface FakeServerOptions {
	/** time from job creation to completion; default 0 = done at first look */
	renderMs?: number;
	/** size of every served video file unless set per job; default 150 000 bytes */
	fileSize?: number;
	/** port of the file server; default 0 = random */
	filePort?: number;
}

// ---------------------------------------------------------------- responses

export function sendJson(
	res: http.ServerResponse,
	status: number,
	body: unknown,
	headers: http.OutgoingHttpHeaders = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...headers,
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

export function sendEmpty(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders = {}): void {
	res.writeHead(status, { ...headers, 'Content-Length': 0 });
	res.end();
}

export function sendText(
	res: http.ServerResponse,
	status: number,
	text: string,
	contentType = 'text/plain; charset=utf-8',
	headers: http.OutgoingHttpHeaders = {},
): void {
	res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('json')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
	return text;
}

// ---------------------------------------------------------------- rate limits

/**
 * Sliding-window limiter over the timestamps in `hits` (mutated): records `now` when allowed.
 * `retryAfterMs` is when the oldest hit leaves the window.
 */
export function slidingWindowHit(
	hits: number[],
	now: number,
	limit: number,
	windowMs: number,
): { allowed: boolean; retryAfterMs: number } {
	while (hits.length > 0 && hits[0] <= now - windowMs) hits.shift();
	if (hits.length >= limit) return { allowed: false, retryAfterMs: Math.max(1, hits[0] + windowMs - now) };
	hits.push(now);
	return { allowed: true, retryAfterMs: 0 };
}

// ---------------------------------------------------------------- jobs

export type JobState = 'queued' | 'processing' | 'completed' | 'failed' | 'canceled';

export interface ClockJobBase {
	id: string;
	createdAt: number;
	/** completes (or fails) at createdAt + renderMs */
	renderMs: number;
	/** set by failNext: the job ends failed with this message */
	failMessage?: string;
	canceledAt?: number;
	cancelMessage?: string;
}

export type ClockJob<D> = ClockJobBase & D;

/** what the server needs of a provider's JobClock, whatever its job data */
export interface JobControl {
	failNext(message: string): void;
	cancel(id: string, now: number, message: string): boolean;
	reset(): void;
}

/**
 * A provider's jobs and their progress in time: created at t, done at t + renderMs, progress linear
 * in between; the first `queueFraction` of the time it is queued.
 */
export class JobClock<D extends object = object> implements JobControl {
	readonly jobs = new Map<string, ClockJob<D>>();
	queueFraction = 0.1;
	/** per-job render time (provider hook); undefined = the server's renderMs */
	renderMsFor?: (data: D) => number | undefined;
	private pendingFailures: string[] = [];

	create(server: FakeServer, data: D, id: string = randomUUID()): ClockJob<D> {
		const job = {
			...data,
			id,
			createdAt: server.now(),
			renderMs: this.renderMsFor?.(data) ?? server.renderMs,
			failMessage: this.pendingFailures.shift(),
		} as ClockJob<D>;
		this.jobs.set(id, job);
		return job;
	}

	get(id: string): ClockJob<D> | undefined {
		return this.jobs.get(id);
	}

	state(job: ClockJobBase, now: number): JobState {
		if (job.canceledAt !== undefined) return 'canceled';
		const elapsed = now - job.createdAt;
		if (elapsed >= job.renderMs) return job.failMessage === undefined ? 'completed' : 'failed';
		return elapsed < job.renderMs * this.queueFraction ? 'queued' : 'processing';
	}

	/** 0..100; frozen when canceled */
	progress(job: ClockJobBase, now: number): number {
		const at = job.canceledAt ?? now;
		if (job.renderMs <= 0) return 100;
		return Math.max(0, Math.min(100, Math.floor(((at - job.createdAt) / job.renderMs) * 100)));
	}

	/** the next created job ends failed with `message` (queued: several calls fail several jobs) */
	failNext(message: string): void {
		this.pendingFailures.push(message);
	}

	/** cancels a queued/processing job; false when unknown or already ended */
	cancel(id: string, now: number, message: string): boolean {
		const job = this.jobs.get(id);
		if (!job) return false;
		const state = this.state(job, now);
		if (state !== 'queued' && state !== 'processing') return false;
		job.canceledAt = now;
		job.cancelMessage = message;
		return true;
	}

	/** makes a job finish now */
	complete(id: string, now: number): void {
		const job = this.jobs.get(id);
		if (job) job.renderMs = Math.min(job.renderMs, now - job.createdAt);
	}

	reset(): void {
		this.jobs.clear();
		this.pendingFailures = [];
		this.queueFraction = 0.1;
		this.renderMsFor = undefined;
	}
}

// ---------------------------------------------------------------- video files

const CHUNK_SIZE = 64 * 1024;
/** an ISO-BMFF `ftyp` box: size 24, brand isom, minor 0x200, compatible isom mp42 */
const FTYP = Buffer.from('000000186674797069736f6d0000020069736f6d6d703432', 'hex');
const blockCache = new Map<string, Uint32Array>();

function mix32(value: number): number {
	let x = value >>> 0;
	x ^= x >>> 16;
	x = Math.imul(x, 0x7feb352d);
	x ^= x >>> 15;
	x = Math.imul(x, 0x846ca68b);
	x ^= x >>> 16;
	return x >>> 0;
}

function seedOf(jobId: string): number {
	return createHash('sha256').update(jobId).digest().readUInt32LE(0);
}

function baseBlock(jobId: string): Uint32Array {
	let block = blockCache.get(jobId);
	if (!block) {
		const seed = seedOf(jobId);
		block = new Uint32Array(CHUNK_SIZE / 4);
		for (let i = 0; i < block.length; i++) block[i] = mix32(seed + Math.imul(i, 0x9e3779b9));
		if (blockCache.size > 64) blockCache.clear();
		blockCache.set(jobId, block);
	}
	return block;
}

/** bytes [index*64KiB, index*64KiB + length) of the job's video file */
function videoChunk(jobId: string, index: number, length: number): Buffer {
	const base = baseBlock(jobId);
	const key = mix32(seedOf(jobId) ^ mix32(index + 1));
	const words = new Uint32Array(base.length);
	for (let i = 0; i < words.length; i++) words[i] = base[i] ^ key;
	const chunk = Buffer.from(words.buffer, 0, length);
	if (index === 0) FTYP.copy(chunk, 0, 0, Math.min(FTYP.length, length));
	return chunk;
}

/** The deterministic content of a job's video file (what the file server streams). */
export function videoBytes(jobId: string, size: number): Buffer {
	const chunks: Buffer[] = [];
	for (let index = 0, offset = 0; offset < size; index++, offset += CHUNK_SIZE) {
		chunks.push(videoChunk(jobId, index, Math.min(CHUNK_SIZE, size - offset)));
	}
	return Buffer.concat(chunks, size);
}

function waitWritable(res: http.ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.once('drain', done);
		res.once('close', done);
	});
}

/** streams the first `bytes` bytes of the file in 64 KiB chunks with back-pressure */
async function streamVideo(res: http.ServerResponse, jobId: string, bytes: number): Promise<void> {
	for (let index = 0, offset = 0; offset < bytes && !res.destroyed; index++, offset += CHUNK_SIZE) {
		if (!res.write(videoChunk(jobId, index, Math.min(CHUNK_SIZE, bytes - offset)))) await waitWritable(res);
	}
}

// ---------------------------------------------------------------- server

interface ActiveFault {
	fault: Fault;
	remaining: number;
}

export class FakeServer {
	readonly providers: FakeProvider[];
	/** requests to the API server, in arrival order */
	requests: RecordedRequest[] = [];
	/** requests to the file server */
	filesRequests: RecordedRequest[] = [];
	renderMs: number;
	fileSize: number;
	/** per-job file sizes (by job id), overriding `fileSize` */
	readonly fileSizes = new Map<string, number>();
	/** errors thrown by provider handlers (answered 500) */
	handlerErrors: unknown[] = [];
	/** time source of jobs and rate windows; replace to drive time by hand */
	now: () => number = () => Date.now();
	/** called for every recorded request (API and files), e.g. for logging */
	onRequest?: (request: RecordedRequest) => void;
	baseUrl = '';
	fileBaseUrl = '';

	private faults: ActiveFault[] = [];
	private readonly expiredFiles = new Set<string>();
	private readonly deletedFiles = new Set<string>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly api: http.Server;
	private readonly files: http.Server;

	constructor(
		providers: FakeProvider[],
		private readonly options: FakeServerOptions = {},
	) {
		this.providers = providers;
		this.renderMs = options.renderMs ?? 0;
		this.fileSize = options.fileSize ?? 150_000;
		this.api = http.createServer((req, res) => void this.onApiRequest(req, res));
		this.files = http.createServer((req, res) => void this.onFileRequest(req, res));
	}

	async start(port = 0): Promise<string> {
		const listen = (server: http.Server, p: number) =>
			new Promise<number>((resolve, reject) => {
				server.once('error', reject);
				server.listen(p, '127.0.0.1', () => {
					server.off('error', reject);
					resolve((server.address() as AddressInfo).port);
				});
			});
		this.baseUrl = `http://127.0.0.1:${await listen(this.api, port)}`;
		this.fileBaseUrl = `http://127.0.0.1:${await listen(this.files, this.options.filePort ?? 0)}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const close = (server: http.Server) =>
			new Promise<void>((resolve) => {
				if (!server.listening) return resolve();
				server.close(() => resolve());
				server.closeAllConnections();
			});
		await Promise.all([close(this.api), close(this.files)]);
	}

	inject(fault: Fault): void {
		this.faults.push({ fault, remaining: fault.times ?? 1 });
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** requests, faults, expired/deleted files, provider state; renderMs, fileSize and now() back to defaults */
	reset(): void {
		this.now = () => Date.now();
		this.requests = [];
		this.filesRequests = [];
		this.handlerErrors = [];
		this.clearFaults();
		this.expiredFiles.clear();
		this.deletedFiles.clear();
		this.fileSizes.clear();
		this.renderMs = this.options.renderMs ?? 0;
		this.fileSize = this.options.fileSize ?? 150_000;
		for (const provider of this.providers) {
			provider.clock?.reset();
			provider.reset();
		}
	}

	requestsTo(provider: string, method?: string, path?: string | RegExp): RecordedRequest[] {
		const all = provider === FILES ? this.filesRequests : this.requests;
		return all.filter((r) => r.provider === provider && matches(r, method, path));
	}

	provider<T extends FakeProvider>(type: new (...args: never[]) => T): T;
	provider(name: string): FakeProvider;
	provider(key: string | (new (...args: never[]) => FakeProvider)): FakeProvider {
		const found = this.providers.find((p) => (typeof key === 'string' ? p.name === key : p instanceof key));
		if (!found) throw new Error(`no fake provider ${typeof key === 'string' ? key : key.name}`);
		return found;
	}

	/** the next job that provider creates ends failed with `message` */
	failNextJob(provider: string, message: string): void {
		this.clockOf(provider).failNext(message);
	}

	/** cancels a running job as if someone else did; false when unknown or already ended */
	cancelJob(provider: string, jobId: string, message = 'canceled by an administrator'): boolean {
		return this.clockOf(provider).cancel(jobId, this.now(), message);
	}

	fileUrl(provider: string, jobId: string): string {
		return `${this.fileBaseUrl}/files/${encodeURIComponent(provider)}/${encodeURIComponent(jobId)}.mp4`;
	}

	fileSizeOf(jobId: string): number {
		return this.fileSizes.get(jobId) ?? this.fileSize;
	}

	/** the file's link stops working: 403 */
	expireFile(jobId: string): void {
		this.expiredFiles.add(jobId);
	}

	/** the file is gone: 404 */
	deleteFile(jobId: string): void {
		this.deletedFiles.add(jobId);
	}

	sandboxCredentials(): Record<string, Record<string, unknown>> {
		return Object.assign({}, ...this.providers.map((p) => p.sandboxCredentials?.(this.baseUrl) ?? {}));
	}

	private clockOf(provider: string): JobControl {
		const clock = this.provider(provider).clock;
		if (!clock) throw new Error(`fake provider ${provider} has no jobs clock`);
		return clock;
	}

	private async record(req: http.IncomingMessage, providerOf: (path: string) => string): Promise<RecordedRequest> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const path = q < 0 ? url : url.slice(0, q);
		const headers: Record<string, string | string[] | undefined> = { ...req.headers };
		return {
			provider: providerOf(path),
			method: req.method ?? 'GET',
			path,
			query: q < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1))),
			headers,
			body: parseBody(rawBody, req.headers['content-type']),
			rawBody,
			at: this.now(),
		};
	}

	private takeFault(request: RecordedRequest): Fault | undefined {
		const index = this.faults.findIndex(
			({ fault }) =>
				(fault.provider === undefined || fault.provider === request.provider) &&
				matches(request, fault.method, fault.path),
		);
		if (index < 0) return undefined;
		const active = this.faults[index];
		if (--active.remaining <= 0) this.faults.splice(index, 1);
		return active.fault;
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	/** answers with the fault; false when the request should go on (delay) */
	private async applyFault(
		fault: Fault,
		req: http.IncomingMessage,
		res: http.ServerResponse,
		fileJobId?: string,
	): Promise<boolean> {
		switch (fault.kind) {
			case 'reset':
				req.socket.resetAndDestroy();
				return true;
			case 'hang':
				return true; // the socket is closed by stop()
			case 'malformedJson':
				sendText(res, 200, '{"oops', 'application/json');
				return true;
			case 'delay':
				await this.sleep(fault.ms);
				return false;
			case 'truncate': {
				if (fileJobId !== undefined) {
					const size = this.fileSizeOf(fileJobId);
					res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': size });
					await streamVideo(res, fileJobId, Math.min(fault.bytes, size));
				} else {
					const text = JSON.stringify({ status: 'ok', message: 'this answer is cut short on purpose' });
					res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
					res.write(text.slice(0, Math.min(fault.bytes, text.length - 1)));
				}
				res.flushHeaders();
				res.socket?.end();
				return true;
			}
			default: {
				const { status, body, headers = {}, contentType } = fault;
				if (body === undefined) sendJson(res, status, { status: 'ERROR', message: `injected ${status}` }, headers);
				else if (typeof body === 'string') sendText(res, status, body, contentType ?? 'text/html; charset=utf-8', headers);
				else sendText(res, status, JSON.stringify(body), contentType ?? 'application/json', headers);
				return true;
			}
		}
	}

	private async onApiRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		try {
			const request = await this.record(req, (path) => this.providers.find((p) => p.handles(path))?.name ?? '');
			this.requests.push(request);
			this.onRequest?.(request);
			const fault = this.takeFault(request);
			if (fault) {
				request.fault = fault.kind ?? 'status';
				if (await this.applyFault(fault, req, res)) return;
			}
			const provider = this.providers.find((p) => p.name === request.provider);
			if (!provider) return sendJson(res, 404, { status: 'ERROR', message: 'no fake provider serves this path' });
			await provider.handle(request, res, this);
		} catch (error) {
			this.handlerErrors.push(error);
			if (!res.headersSent) sendJson(res, 500, { status: 'ERROR', message: `fake server error: ${String(error)}` });
			else res.destroy();
		}
	}

	private async onFileRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		try {
			const request = await this.record(req, () => FILES);
			this.filesRequests.push(request);
			this.onRequest?.(request);
			const match = /^\/files\/[^/]+\/([^/]+)\.mp4$/.exec(request.path);
			let jobId: string | undefined;
			try {
				jobId = match ? decodeURIComponent(match[1]) : undefined;
			} catch {
				jobId = undefined;
			}
			const fault = this.takeFault(request);
			if (fault) {
				request.fault = fault.kind ?? 'status';
				if (await this.applyFault(fault, req, res, jobId)) return;
			}
			if (request.method !== 'GET' && request.method !== 'HEAD') {
				return sendJson(res, 405, { message: 'method not allowed' }, { Allow: 'GET, HEAD' });
			}
			if (jobId === undefined || this.deletedFiles.has(jobId)) return sendJson(res, 404, { message: 'not found' });
			if (this.expiredFiles.has(jobId)) return sendJson(res, 403, { message: 'link expired' });
			const size = this.fileSizeOf(jobId);
			res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': size });
			if (request.method === 'GET') await streamVideo(res, jobId, size);
			res.end();
		} catch (error) {
			this.handlerErrors.push(error);
			if (!res.headersSent) sendJson(res, 500, { message: `fake file server error: ${String(error)}` });
			else res.destroy();
		}
	}
}

function matches(request: RecordedRequest, method?: string, path?: string | RegExp): boolean {
	if (method !== undefined && method.toUpperCase() !== request.method.toUpperCase()) return false;
	if (path === undefined) return true;
	return typeof path === 'string' ? request.path.startsWith(path) : path.test(request.path);
}
