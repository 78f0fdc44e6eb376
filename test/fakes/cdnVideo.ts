/**
 * Fake CDNvideo virtual presenter (seed: cdnvideo-virtual-presenter.txt, PROVIDERS.md).
 * Endpoints under /app/th-api/v1/accounts/{account}/, header CDN-AUTH-TOKEN, login at
 * POST /app/oauth/v1/token/ (form username, password).
 * Where the docs leave the answer open (429 body, 422 body, status word of a failed render, 404 of an
 * unknown task) this fake picks one and the comments say so.
 */
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import {
	type ClockJob,
	type FakeProvider,
	type FakeServer,
	JobClock,
	type RecordedRequest,
	sendEmpty,
	sendJson,
	slidingWindowHit,
} from './server';

export interface CdnVoice {
	language: string;
	gender: string;
	name: string;
	provider: string;
	emotions?: string[];
}

export interface CdnModelVersion {
	style: string;
	gender: string;
	voices: string[];
	shots: Record<string, { size: string }>;
}

export interface CdnConfigurations {
	status: 'ok';
	voices: Record<string, CdnVoice>;
	/** model name -> version -> settings */
	models: Record<string, Record<string, CdnModelVersion>>;
	backgrounds: Record<string, { sizes: string[] }>;
	quota: { limit: number; left: number };
	watermark: boolean;
}

/** The seed's example answer of GET configurations. */
export function defaultCdnConfigurations(): CdnConfigurations {
	return {
		status: 'ok',
		voices: {
			Alena: {
				language: 'ru-RU',
				gender: 'female',
				name: 'alena',
				provider: 'Yandex',
				emotions: ['neutral', 'good'],
			},
			Sara: { language: 'en-EN', gender: 'female', name: 'en-US-SaraNeural', provider: 'Microsoft' },
			Mia: { language: 'en-EN', gender: 'female', name: 'en-GB-MiaNeural', provider: 'Microsoft' },
		},
		models: {
			Natalia: {
				'1.0.0': { style: 'suitjacket', gender: 'female', voices: ['Alena'], shots: { waist: { size: 'HD' } } },
				'4.0.0': {
					style: 'dressshirt',
					gender: 'female',
					voices: ['Alena', 'Mia', 'Sara'],
					shots: { waist: { size: 'HD' } },
				},
			},
		},
		backgrounds: { background_1: { sizes: ['HD'] }, globe: { sizes: ['HD'] } },
		quota: { limit: 560.0, left: 544.0 },
		watermark: false,
	};
}

export interface CdnJobData {
	/** the generate body as received */
	body: Record<string, unknown>;
	/** current video_name (PATCH changes it) */
	name: string | undefined;
	/** what the actor resolved to ("latest" -> a version) */
	actorName: string;
	version: string;
	shot: string;
	size: string;
	voice: string;
	deleted: boolean;
	/** forced status word, reported as is */
	statusWord?: string;
}

export type CdnJob = ClockJob<CdnJobData>;

type Json = Record<string, unknown>;
type Resolved = Pick<CdnJobData, 'actorName' | 'version' | 'shot' | 'size' | 'voice'>;
type Refusal = { status: number; body: Json };

const LOGIN_PATH = '/app/oauth/v1/token/';
const API_PATH = /^\/app\/th-api\/v1\/accounts\/([^/]+)\/([a-z]+)(?:\/([^/]+))?$/;
const METHODS: Record<string, { id: boolean; methods: string[] }> = {
	configurations: { id: false, methods: ['GET'] },
	generate: { id: false, methods: ['POST'] },
	tasks: { id: false, methods: ['GET'] },
	status: { id: true, methods: ['GET'] },
	cancel: { id: true, methods: ['DELETE'] },
	video: { id: true, methods: ['GET', 'PATCH', 'DELETE'] },
};
const STATUS_WORDS = {
	queued: 'in_queue',
	processing: 'processing',
	completed: 'processed',
	canceled: 'canceled',
	// not in the docs ("anything else reported for a task is a failure")
	failed: 'failed',
} as const;
const SIZES = ['SD', 'HD', 'FullHD', '4K'];
const LOCATIONS = ['upperleft', 'upperright', 'lowerleft', 'lowerright'];
const COLOR = /^#[0-9A-Fa-f]{6}$/;
/** YYYY-MM-DDTHH:MM:00+00 (UTC, seconds 00), as the seed's parameter table says */
const LIST_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):00\+00$/;
const MAX_NAME = 35;
const MAX_SCRIPT = 3000;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const own = <T>(record: Record<string, T>, key: unknown): T | undefined =>
	typeof key === 'string' && Object.hasOwn(record, key) ? record[key] : undefined;
const error = (message: string, extra: Json = {}): Json => ({ status: 'ERROR', message, ...extra });
const compareVersions = (a: string, b: string): number => {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		const d = (pa[i] ?? 0) - (pb[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
};

/** extra fields of GET tasks (`fields=`), from the stored job */
const TASK_FIELDS: Record<string, (job: CdnJob) => unknown> = {
	background: (job) => job.body.background ?? 'green_screen',
	shot: (job) => job.shot,
	script: (job) => job.body.script,
	voice_name: (job) => job.voice,
	actor_name: (job) => job.actorName,
	model_version: (job) => job.version,
	video_name: (job) => job.name ?? null,
	emotion: (job) => job.body.emotion ?? null,
	orientation: (job) => composition(job).orientation ?? null,
	crop: (job) => composition(job).crop ?? null,
	shift: (job) => composition(job).shift ?? null,
	scale: (job) => composition(job).scale ?? null,
	circle: (job) => {
		const comp = composition(job);
		const circle = isObject(job.body.circle) ? job.body.circle : comp.frame_style === 'circle' ? comp : {};
		return {
			location: circle.location ?? null,
			background_color: circle.background_color ?? null,
			border_color: circle.border_color ?? null,
		};
	},
};

const BASE_TASK_FIELDS = ['id', 'video_url', 'duration', 'resolution', 'date'];

/** NaN unless YYYY-MM-DDTHH:MM:00+00 */
function parseListDate(value: string): number {
	const m = LIST_DATE.exec(value);
	return m ? Date.parse(`${m[1]}:00Z`) : NaN;
}

function composition(job: CdnJob): Json {
	return isObject(job.body.composition) ? job.body.composition : {};
}

function checkColorsAndLocation(section: Json, prefix: string, params: string[]): void {
	if (section.location !== undefined && !LOCATIONS.includes(section.location as string))
		params.push(`${prefix}.location`);
	for (const key of ['background_color', 'border_color']) {
		if (section[key] !== undefined && !(typeof section[key] === 'string' && COLOR.test(section[key])))
			params.push(`${prefix}.${key}`);
	}
}

export class CdnVideoFake implements FakeProvider {
	readonly name = 'cdnVideo';
	readonly clock = new JobClock<CdnJobData>();
	/** token -> expiry time (issued by login) */
	readonly tokens = new Map<string, number>();

	account!: string;
	staticToken!: string;
	username!: string;
	password!: string;
	tokenLifetimeMs!: number;
	statusCase!: 'lower' | 'upper';
	generatePerMinute!: number;
	rateWindowMs!: number;
	/** Retry-After of a 429: seconds, 'auto' (when the window frees a slot) or null (no header) */
	retryAfterSeconds!: number | 'auto' | null;
	loginsPerMinute!: number;
	lockAfterFailedLogins!: number;
	configurations!: CdnConfigurations;
	/** successful logins (tokens issued) */
	logins!: number;
	/** refused logins (401) */
	failedLogins!: number;
	/** generate POSTs answered 429 */
	rateLimited!: number;

	private generateHits: number[] = [];
	private loginHits: number[] = [];

	constructor() {
		this.reset();
	}

	reset(): void {
		this.clock.reset();
		this.tokens.clear();
		this.account = 'testaccount';
		this.staticToken = 'cdn2_statictoken_sandbox';
		this.username = 'sandbox-user';
		this.password = 'sandbox-pass';
		this.tokenLifetimeMs = 21_599_000;
		this.statusCase = 'lower';
		this.generatePerMinute = 10;
		this.rateWindowMs = 60_000;
		this.retryAfterSeconds = null;
		this.loginsPerMinute = 20;
		this.lockAfterFailedLogins = 7;
		this.configurations = defaultCdnConfigurations();
		this.logins = 0;
		this.failedLogins = 0;
		this.rateLimited = 0;
		this.generateHits = [];
		this.loginHits = [];
	}

	/** accepted generate bodies by task id (deleted videos stay, flagged) */
	get jobs(): Map<string, CdnJob> {
		return this.clock.jobs;
	}

	get acceptedSubmits(): number {
		return this.clock.jobs.size;
	}

	get lastJobId(): string | undefined {
		return [...this.clock.jobs.keys()].pop();
	}

	get locked(): boolean {
		return this.failedLogins >= this.lockAfterFailedLogins;
	}

	/** every token issued so far stops working (the static token stays valid) */
	expireTokens(): void {
		for (const token of this.tokens.keys()) this.tokens.set(token, -Infinity);
	}

	/** the task reports this status word (as given, e.g. 'error') from now on */
	forceStatusWord(jobId: string, word: string): void {
		const job = this.clock.get(jobId);
		if (!job) throw new Error(`no cdnVideo job ${jobId}`);
		job.statusWord = word;
	}

	handles(path: string): boolean {
		return path.startsWith('/app/');
	}

	sandboxCredentials(baseUrl: string): Record<string, Record<string, unknown>> {
		return {
			cdnVideoApi: {
				account: this.account,
				authentication: 'token',
				token: this.staticToken,
				username: this.username,
				password: this.password,
				baseUrl,
			},
		};
	}

	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		if (req.path === LOGIN_PATH) {
			if (req.method !== 'POST') return sendJson(res, 405, { status: 405, message: 'method not allowed' });
			return this.login(req, res, server.now());
		}
		const match = API_PATH.exec(req.path);
		const route = match ? own(METHODS, match[2]) : undefined;
		if (!match || !route || route.id !== (match[3] !== undefined)) return sendJson(res, 404, error('not found'));
		if (!route.methods.includes(req.method)) {
			return sendJson(res, 405, error('method not allowed'), { Allow: route.methods.join(', ') });
		}
		const now = server.now();
		if (!this.authorized(req, now)) return sendJson(res, 403, error('invalid token'));
		let account: string;
		let id = '';
		try {
			account = decodeURIComponent(match[1]);
			if (match[3] !== undefined) id = decodeURIComponent(match[3]);
		} catch {
			return sendJson(res, 400, error('bad request'));
		}
		if (account !== this.account) return sendJson(res, 403, error('invalid account'));

		switch (match[2]) {
			case 'configurations':
				return sendJson(res, 200, this.configurations);
			case 'generate':
				return this.generate(req, res, server, now);
			case 'tasks':
				return this.list(req, res, server, now);
			case 'status':
				return this.status(id, res, now);
			case 'cancel':
				return this.cancel(id, res, now);
			default:
				return this.video(id, req, res, server, now);
		}
	}

	private authorized(req: RecordedRequest, now: number): boolean {
		const token = req.headers['cdn-auth-token'];
		if (typeof token !== 'string' || token === '') return false;
		if (token === this.staticToken) return true;
		const expiresAt = this.tokens.get(token);
		return expiresAt !== undefined && expiresAt > now;
	}

	private login(req: RecordedRequest, res: http.ServerResponse, now: number): void {
		if (!slidingWindowHit(this.loginHits, now, this.loginsPerMinute, 60_000).allowed) {
			return sendJson(res, 429, { status: 429, message: 'too many requests' });
		}
		if (this.locked) return sendJson(res, 403, { status: 403, message: 'account is locked' });
		const form = req.body;
		const isForm = String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
		if (!isForm || !isObject(form) || typeof form.username !== 'string' || typeof form.password !== 'string') {
			return sendJson(res, 400, { status: 400, message: 'username and password are required (form)' });
		}
		if (form.username !== this.username || form.password !== this.password) {
			this.failedLogins++;
			return sendJson(res, 401, { status: 401, message: 'wrong credentials' });
		}
		this.logins++;
		const token = `cdn1_${randomBytes(15).toString('hex').toUpperCase()}`;
		this.tokens.set(token, now + this.tokenLifetimeMs);
		sendJson(res, 200, { person_id: 17, status: 200, token, lifetime: this.tokenLifetimeMs });
	}

	private generate(req: RecordedRequest, res: http.ServerResponse, server: FakeServer, now: number): void {
		// every authorised generate POST counts against the window; a 429 neither counts nor creates a job
		const hit = slidingWindowHit(this.generateHits, now, this.generatePerMinute, this.rateWindowMs);
		if (!hit.allowed) {
			this.rateLimited++;
			const after = this.retryAfterSeconds === 'auto' ? Math.ceil(hit.retryAfterMs / 1000) : this.retryAfterSeconds;
			return sendJson(res, 429, error('too many requests'), after === null ? {} : { 'Retry-After': String(after) });
		}
		if (!isObject(req.body)) return sendJson(res, 400, error('invalid json'));
		const body = req.body;
		const result = this.validate(body);
		if ('status' in result) return sendJson(res, result.status, result.body);
		const job = this.clock.create(server, {
			body,
			name: typeof body.video_name === 'string' ? body.video_name : undefined,
			...result,
			deleted: false,
		});
		sendJson(res, 202, { status: 'ok', id: job.id });
	}

	/** 422 {params} for malformed fields, 400 for an actor whose settings do not fit together */
	private validate(body: Json): Resolved | Refusal {
		const config = this.configurations;
		const params: string[] = [];
		const { script, actor, voice, emotion, background, video_name: videoName } = body;
		if (typeof script !== 'string' || script.length === 0 || [...script].length > MAX_SCRIPT) params.push('script');

		const model = isObject(actor) ? own(config.models, actor.name) : undefined;
		const version = isObject(actor) ? (actor.version ?? 'latest') : undefined;
		if (!isObject(actor)) params.push('actor');
		else {
			if (!model) params.push('actor.name');
			if (typeof version !== 'string' || (model && version !== 'latest' && !own(model, version)))
				params.push('actor.version');
			if (typeof actor.shot !== 'string') params.push('actor.shot');
			if (actor.style !== undefined && typeof actor.style !== 'string') params.push('actor.style');
			if (actor.size !== undefined && !SIZES.includes(actor.size as string)) params.push('actor.size');
		}
		const voiceConfig = own(config.voices, voice);
		if (!voiceConfig) params.push('voice');
		else if (emotion !== undefined && !voiceConfig.emotions?.includes(emotion as string)) params.push('emotion');
		if (background !== undefined && background !== 'green_screen' && !own(config.backgrounds, background))
			params.push('background');
		if (videoName !== undefined && (typeof videoName !== 'string' || [...videoName].length > MAX_NAME))
			params.push('video_name');
		if (body.composition !== undefined) {
			const comp = body.composition;
			if (!isObject(comp)) params.push('composition');
			else {
				if (comp.orientation !== 'vertical' && comp.orientation !== 'horizontal') params.push('composition.orientation');
				if (comp.frame_style !== undefined && comp.frame_style !== 'rectangle' && comp.frame_style !== 'circle')
					params.push('composition.frame_style');
				for (const key of ['scale', 'crop']) {
					const v = comp[key];
					if (v !== undefined && !(isNumber(v) && v > 0 && v <= 1)) params.push(`composition.${key}`);
				}
				const shift = comp.shift;
				if (shift !== undefined && !(isNumber(shift) && shift >= -1 && shift <= 1)) params.push('composition.shift');
				checkColorsAndLocation(comp, 'composition', params);
			}
		}
		if (body.circle !== undefined) {
			if (!isObject(body.circle)) params.push('circle');
			else checkColorsAndLocation(body.circle, 'circle', params);
		}
		if (params.length > 0 || !isObject(actor) || !model || typeof version !== 'string') {
			return { status: 422, body: error('invalid parameters', { params }) };
		}

		// "latest" = the newest version that fits the given style, shot, size and voice
		const label = `${actor.name as string}-${version}`;
		let candidates = (version === 'latest' ? Object.keys(model).sort(compareVersions).reverse() : [version]).map(
			(v) => ({ version: v, settings: model[v] }),
		);
		if (actor.style !== undefined) {
			candidates = candidates.filter((c) => c.settings.style === actor.style);
			if (candidates.length === 0) return { status: 400, body: error(`bad style for ${label}`) };
		}
		const shot = actor.shot as string;
		candidates = candidates.filter((c) => own(c.settings.shots, shot));
		if (candidates.length === 0) return { status: 422, body: error('invalid parameters', { params: ['actor.shot'] }) };
		if (actor.size !== undefined) {
			candidates = candidates.filter((c) => c.settings.shots[shot].size === actor.size);
			if (candidates.length === 0) return { status: 400, body: error(`bad size for ${label}`) };
		}
		candidates = candidates.filter((c) => c.settings.voices.includes(voice as string));
		if (candidates.length === 0) return { status: 422, body: error('invalid parameters', { params: ['voice'] }) };
		const chosen = candidates[0];
		const size = chosen.settings.shots[shot].size;
		const backgroundSizes = own(config.backgrounds, background)?.sizes;
		if (backgroundSizes && !backgroundSizes.includes(size)) {
			return { status: 400, body: error(`bad background size for ${label}`) };
		}
		return { actorName: actor.name as string, version: chosen.version, shot, size, voice: voice as string };
	}

	private statusWord(job: CdnJob, now: number): string {
		if (job.statusWord !== undefined) return job.statusWord;
		const word = STATUS_WORDS[this.clock.state(job, now)];
		return this.statusCase === 'upper' ? word.toUpperCase() : word;
	}

	private liveJob(id: string): CdnJob | undefined {
		const job = this.clock.get(id);
		return job && !job.deleted ? job : undefined;
	}

	private status(id: string, res: http.ServerResponse, now: number): void {
		const job = this.liveJob(id);
		// the docs give no body for an unknown task; a JSON error like the video endpoint's
		if (!job) return sendJson(res, 404, error('no such task'));
		const state = this.clock.state(job, now);
		const message = {
			queued: 'task is in queue',
			processing: 'task is being processed',
			completed: 'task is processed',
			canceled: job.cancelMessage ?? 'canceled',
			failed: job.failMessage ?? 'failed',
		}[state];
		sendJson(res, 200, {
			status: 'ok',
			task: {
				id: job.id,
				attempts: state === 'queued' ? 0 : state === 'failed' ? 3 : 1,
				status: this.statusWord(job, now),
				message,
			},
		});
	}

	private cancel(id: string, res: http.ServerResponse, now: number): void {
		const job = this.liveJob(id);
		if (!job) return sendJson(res, 404, error('no such task'));
		if (!this.clock.cancel(id, now, 'canceled by a user request')) {
			return sendJson(res, 400, error(`wrong task status: ${this.statusWord(job, now).toUpperCase()}`));
		}
		sendEmpty(res, 204);
	}

	private video(id: string, req: RecordedRequest, res: http.ServerResponse, server: FakeServer, now: number): void {
		const job = this.liveJob(id);
		if (!job) return sendJson(res, 404, error('no such video'));
		if (req.method === 'GET') {
			if (job.statusWord !== undefined || this.clock.state(job, now) !== 'completed') {
				return sendJson(res, 400, error(`wrong task status: ${this.statusWord(job, now).toUpperCase()}`));
			}
			return sendJson(res, 200, { status: 'ok', url: server.fileUrl(this.name, id) });
		}
		if (req.method === 'PATCH') {
			const body = req.body;
			if (!isObject(body)) return sendJson(res, 400, error('invalid json'));
			const name = body.video_name;
			if (name !== undefined && (typeof name !== 'string' || [...name].length > MAX_NAME)) {
				return sendJson(res, 422, error('invalid parameters', { params: ['video_name'] }));
			}
			if (typeof name === 'string') job.name = name;
			return sendJson(res, 200, { status: 'ok', message: 'success' });
		}
		job.deleted = true;
		server.deleteFile(id);
		sendJson(res, 200, { status: 'ok', message: 'success' });
	}

	private list(req: RecordedRequest, res: http.ServerResponse, server: FakeServer, now: number): void {
		const { start, end, offset, limit, sort, fields, id } = req.query;
		const startAt = start === undefined ? -Infinity : parseListDate(start);
		const endAt = end === undefined ? Infinity : parseListDate(end);
		if (Number.isNaN(startAt)) return sendJson(res, 400, error('bad start: expected YYYY-MM-DDTHH:MM:00+00'));
		if (Number.isNaN(endAt)) return sendJson(res, 400, error('bad end: expected YYYY-MM-DDTHH:MM:00+00'));
		for (const [key, value] of [
			['offset', offset],
			['limit', limit],
		] as const) {
			if (value !== undefined && !/^\d+$/.test(value)) return sendJson(res, 400, error(`bad ${key}`));
		}
		const extra = fields === undefined ? [] : fields.split(',').map((f) => f.trim()).filter(Boolean);
		const unknown = extra.find((f) => !Object.hasOwn(TASK_FIELDS, f));
		if (unknown !== undefined) return sendJson(res, 400, error(`bad fields: ${unknown}`));

		let rows = [...this.clock.jobs.values()]
			.filter((job) => !job.deleted && job.createdAt >= startAt && job.createdAt < endAt)
			.filter((job) => id === undefined || job.id === id)
			.map((job) => {
				const done = job.statusWord === undefined && this.clock.state(job, now) === 'completed';
				const row: Json = {
					id: job.id,
					video_url: done ? server.fileUrl(this.name, job.id) : null,
					duration: done ? Math.min(180, Math.max(1, [...String(job.body.script)].length / 15)) : null,
					resolution: job.size,
					date: new Date(job.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
				};
				for (const [field, value] of Object.entries(TASK_FIELDS)) row[field] = value(job);
				return row;
			});
		if (sort !== undefined) {
			// a literal '+' in a query string decodes to a space: refused, as a strict server would
			const m = /^([+-]?)([a-z_]+)$/.exec(sort);
			if (!m || !(BASE_TASK_FIELDS.includes(m[2]) || Object.hasOwn(TASK_FIELDS, m[2]))) {
				return sendJson(res, 400, error(`bad sort: ${sort}`));
			}
			const sign = m[1] === '-' ? -1 : 1;
			const key = m[2];
			rows = rows.sort((a, b) => {
				const x = a[key];
				const y = b[key];
				if (x === y) return 0;
				if (x === null || x === undefined) return 1;
				if (y === null || y === undefined) return -1;
				return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sign;
			});
		}
		const from = offset === undefined ? 0 : Number(offset);
		rows = rows.slice(from, limit === undefined ? undefined : from + Number(limit));
		const keep = new Set([...BASE_TASK_FIELDS, ...extra]);
		sendJson(
			res,
			200,
			rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => keep.has(k)))),
		);
	}
}
