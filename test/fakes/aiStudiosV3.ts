/**
 * Fake DeepBrain AI Studios, API v3 (PROVIDERS.md "v3", docs versioned_docs/version-1.6.x/aistudioV3),
 * served by AiStudiosFake under /api/odin/v3:
 *   POST   /auth/token {appId, userKey}        -> {success, data: {token}}   (valid 24 h from issue)
 *   GET    /auth                               -> {success, data: {isAuthenticated: true}}
 *   POST   /simple/video  {language, text, model, clothes[, isExport, workspaceId, resolution, webhookUrl]} -> {projectId}
 *   POST   /simple/custom {language, text, model[, isExport, ...]}                                      -> {projectId, taskId}
 *   GET    /editor/progress/{projectId}        -> {progress (float), downloadUrl}
 *   GET    /editor/project                     -> exported projects {id, name, state, download_url}
 *   DELETE /editor/project {ids}               -> {deletedCount}
 *   GET    /model, /dropdown/models, /dropdown/workspaces
 * Every answer is the envelope {success, data, error: {code, msg}}; `Authorization: <token>`, no Bearer.
 * Where the docs leave the answer open this fake picks one, and the comments say so:
 * - a refused exchange: HTTP 401 with the envelope (`exchangeRefusal = 200` answers it on HTTP 200);
 * - a missing, unknown or expired token: HTTP 401 with the envelope;
 * - refused input (missing field, unknown model, clothes, workspace, resolution): HTTP 400 with the envelope;
 * - an unknown or deleted project on progress: HTTP 200 {success: false}; a failed render likewise;
 * - a queued render reports no progress yet; progress is a float; 100 comes `urlLagMs` before downloadUrl;
 * - `isExport: false` (the API's default for chroma key) saves the project without ever rendering a
 *   file: its progress never gets a downloadUrl, and the project list (exported projects) omits it;
 * - lists are the `data` array itself (the docs give the items' fields, not the container);
 * - the webhook gets a JSON POST with progress 100, backendTaskId, credit and download_url.
 */
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AiStudiosJob, AiStudiosJobData } from './aiStudios';
import { type FakeServer, JobClock, type RecordedRequest, sendJson } from './server';

export const AI_STUDIOS_V3 = '/api/odin/v3';
const RESOLUTIONS = ['4k', '1080', '720', '480'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ok = (res: http.ServerResponse, data: unknown) => sendJson(res, 200, { success: true, data, error: null });
const fail = (res: http.ServerResponse, status: number, code: string, msg: string) => sendJson(res, status, { success: false, data: null, error: { code, msg } });
const label = (en: string, ko: string) => ({ ko, en });

export interface AiStudiosV3Model {
	id: string;
	label: { ko: string; en: string };
	thumbnail: string;
	clothes: Array<{ id: string; label: { ko: string; en: string }; thumbnail: string }>;
}

/** The seed's model (with both of its clothes) and the model of the v3 reference's sample request. */
export function defaultV3Models(): AiStudiosV3Model[] {
	const thumb = (id: string) => `https://cdn.example/thumbnails/${id}.png`;
	return [
		{
			id: 'M000004017',
			label: label('Jonathan', '조나단'),
			thumbnail: thumb('M000004017'),
			clothes: [
				{ id: 'BG00006160', label: label('Navy suit', '네이비 정장'), thumbnail: thumb('BG00006160') },
				{ id: 'BG00001004', label: label('Grey jacket', '회색 재킷'), thumbnail: thumb('BG00001004') },
			],
		},
		{ id: 'M000045058', label: label('Ella', '엘라'), thumbnail: thumb('M000045058'), clothes: [{ id: 'BG00002320', label: label('White blouse', '흰색 블라우스'), thumbnail: thumb('BG00002320') }] },
	];
}

export class AiStudiosV3 {
	appId!: string;
	userKey!: string;
	tokenLifetimeMs!: number;
	/** how a refused exchange is answered: HTTP 401 (the fake's pick) or 200, both with `success: false` */
	exchangeRefusal!: 401 | 200;
	models!: AiStudiosV3Model[];
	/** custom avatars of the account, listed only by /dropdown/models */
	customModels!: Array<{ id: string; label: string }>;
	workspaces!: Array<{ workspaceId: string; workspaceName: string }>;
	/** tokens issued: token -> time of issue */
	readonly tokens = new Map<string, number>();
	exchanges!: number;
	refusedExchanges!: number;
	readonly webhookCalls: Array<{ url: string; body: Json; status?: number; error?: string }> = [];
	private readonly webhookTimers = new Set<NodeJS.Timeout>();
	/** the pending webhook timer of each project */
	private readonly webhookTimerOf = new Map<string, NodeJS.Timeout>();

	constructor(
		private readonly clock: JobClock<AiStudiosJobData>,
		private readonly settings: { urlLagMs(): number; fileUrl(server: FakeServer, id: string): string },
	) {
		this.reset();
	}

	reset(): void {
		this.appId = 'aistudios-sandbox-app-0001';
		this.userKey = 'aistudios-sandbox-user-key-0001';
		this.tokenLifetimeMs = 24 * 60 * 60 * 1000;
		this.exchangeRefusal = 401;
		this.models = defaultV3Models();
		this.customModels = [{ id: 'CA0000000001', label: 'My custom avatar' }];
		this.workspaces = [
			{ workspaceId: 'ws-marketing-01', workspaceName: 'Marketing' },
			{ workspaceId: 'ws-training-02', workspaceName: 'Training' },
		];
		this.tokens.clear();
		this.exchanges = 0;
		this.refusedExchanges = 0;
		this.webhookCalls.length = 0;
		for (const timer of this.webhookTimers) clearTimeout(timer);
		this.webhookTimers.clear();
		this.webhookTimerOf.clear();
	}

	/** a project whose render was just ended (AiStudiosFake.finishNow): its pending webhook goes out now */
	webhookNow(job: AiStudiosJob, server: FakeServer): void {
		const timer = this.webhookTimerOf.get(job.id);
		if (timer === undefined) return;
		clearTimeout(timer);
		this.webhookTimers.delete(timer);
		this.scheduleWebhook(job, server);
	}

	/** a token as a credential saved earlier holds it (issued out of band), valid until expireTokens() */
	issueToken(): string {
		const token = `v3tok-saved-${randomBytes(8).toString('hex')}`;
		this.tokens.set(token, Number.MAX_SAFE_INTEGER);
		return token;
	}

	/** every issued token stops working (as 24 h after issue) */
	expireTokens(): void {
		for (const token of this.tokens.keys()) this.tokens.set(token, -Infinity);
	}

	handle(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const path = req.path.slice(AI_STUDIOS_V3.length);
		const route = `${req.method} ${path.startsWith('/editor/progress/') ? '/editor/progress/*' : path}`;
		if (route === 'POST /auth/token') return this.exchange(req, res, server);
		const token = req.headers.authorization;
		const issued = typeof token === 'string' ? this.tokens.get(token) : undefined;
		if (issued === undefined || server.now() - issued >= this.tokenLifetimeMs) return fail(res, 401, 'UNAUTHORIZED', 'Invalid or expired token');
		switch (route) {
			case 'GET /auth':
				return ok(res, { isAuthenticated: true });
			case 'POST /simple/video':
				return this.submit(req, res, server, 'chromaKey');
			case 'POST /simple/custom':
				return this.submit(req, res, server, 'custom');
			case 'GET /editor/progress/*':
				return this.progress(path.slice('/editor/progress/'.length), res, server);
			case 'GET /editor/project':
				return ok(res, this.exported(server));
			case 'DELETE /editor/project':
				return this.delete(req, res);
			case 'GET /model':
				return ok(res, { models: this.models });
			case 'GET /dropdown/models':
				return ok(res, [
					...this.models.map((m) => ({ id: m.id, label: m.label.en, avatarType: 'chromakey' })),
					...this.customModels.map((m) => ({ ...m, avatarType: 'custom' })),
				]);
			case 'GET /dropdown/workspaces':
				return ok(res, this.workspaces);
			default:
				return fail(res, 404, 'NOT_FOUND', `Cannot ${req.method} ${req.path}`);
		}
	}

	private exchange(req: RecordedRequest, res: http.ServerResponse, server: FakeServer): void {
		const body = isObject(req.body) ? req.body : {};
		if (body.appId !== this.appId || body.userKey !== this.userKey) {
			this.refusedExchanges++;
			return fail(res, this.exchangeRefusal, 'INVALID_CREDENTIALS', 'Invalid appId or userKey');
		}
		this.exchanges++;
		const token = `v3tok-${randomBytes(16).toString('hex')}`;
		this.tokens.set(token, server.now());
		ok(res, { token });
	}

	private submit(req: RecordedRequest, res: http.ServerResponse, server: FakeServer, avatarType: 'chromaKey' | 'custom'): void {
		if (!isObject(req.body)) return fail(res, 400, 'INVALID_PARAMETER', 'Invalid request body');
		const body = req.body;
		const required = avatarType === 'chromaKey' ? ['language', 'text', 'model', 'clothes'] : ['language', 'text', 'model'];
		for (const field of required) {
			if (typeof body[field] !== 'string' || (body[field] as string).trim() === '') return fail(res, 400, 'INVALID_PARAMETER', `${field} is required`);
		}
		if (avatarType === 'chromaKey') {
			const model = this.models.find((m) => m.id === body.model);
			if (!model) return fail(res, 400, 'INVALID_PARAMETER', `Invalid model: ${String(body.model)}`);
			if (!model.clothes.some((c) => c.id === body.clothes)) return fail(res, 400, 'INVALID_PARAMETER', `Invalid clothes ${String(body.clothes)} for model ${String(body.model)}`);
		} else if (!this.customModels.some((m) => m.id === body.model)) {
			return fail(res, 400, 'INVALID_PARAMETER', `Invalid custom avatar: ${String(body.model)}`);
		}
		if (body.isExport !== undefined && typeof body.isExport !== 'boolean') return fail(res, 400, 'INVALID_PARAMETER', 'isExport must be a boolean');
		if (body.resolution !== undefined && !RESOLUTIONS.includes(body.resolution as string)) return fail(res, 400, 'INVALID_PARAMETER', `Invalid resolution: ${String(body.resolution)}`);
		if (body.workspaceId !== undefined && !this.workspaces.some((w) => w.workspaceId === body.workspaceId)) {
			return fail(res, 400, 'INVALID_PARAMETER', `Invalid workspaceId: ${String(body.workspaceId)}`);
		}
		if (body.webhookUrl !== undefined && (typeof body.webhookUrl !== 'string' || !/^https?:\/\//.test(body.webhookUrl))) {
			return fail(res, 400, 'INVALID_PARAMETER', 'Invalid webhookUrl');
		}
		// chroma key's isExport defaults to false (never rendered to a file); custom's to true
		const isExport = typeof body.isExport === 'boolean' ? body.isExport : avatarType === 'custom';
		const taskId = avatarType === 'custom' ? `task-${randomBytes(6).toString('hex')}` : undefined;
		const job = this.clock.create(server, { body, v3: { avatarType, isExport, taskId, webhookUrl: body.webhookUrl as string | undefined } }, randomBytes(12).toString('hex'));
		if (isExport && job.v3?.webhookUrl) this.scheduleWebhook(job, server);
		ok(res, taskId ? { projectId: job.id, taskId } : { projectId: job.id });
	}

	private project(id: string): AiStudiosJob | undefined {
		const job = this.clock.get(id);
		return job?.v3 && !job.v3.deleted ? job : undefined;
	}

	/** progress as a float, none while queued; the URL once rendered and published */
	private report(job: AiStudiosJob, server: FakeServer): { state: string; progress?: number; downloadUrl?: string } {
		const now = server.now();
		const state = this.clock.state(job, now);
		if (!job.v3?.isExport) return { state: 'draft' };
		if (state === 'queued') return { state: 'queued' };
		if (state === 'failed' || state === 'canceled') return { state };
		if (state === 'processing') return { state: 'exporting', progress: Math.min(99.99, Math.round(((now - job.createdAt) / job.renderMs) * 10000) / 100) };
		const published = now - (job.createdAt + job.renderMs) >= this.settings.urlLagMs();
		return published ? { state: 'exported', progress: 100, downloadUrl: this.settings.fileUrl(server, job.id) } : { state: 'exporting', progress: 100 };
	}

	private progress(rawId: string, res: http.ServerResponse, server: FakeServer): void {
		let id: string;
		try {
			id = decodeURIComponent(rawId);
		} catch {
			return fail(res, 200, 'NOT_FOUND', 'Project not found');
		}
		const job = this.project(id);
		if (!job) return fail(res, 200, 'NOT_FOUND', 'Project not found');
		const report = this.report(job, server);
		if (report.state === 'failed') return fail(res, 200, 'EXPORT_FAILED', job.failMessage ?? 'Export failed');
		if (report.state === 'canceled') return fail(res, 200, 'EXPORT_CANCELED', job.cancelMessage ?? 'Export canceled');
		const data: Json = { state: report.state };
		if (report.progress !== undefined) data.progress = report.progress;
		if (report.downloadUrl) data.downloadUrl = report.downloadUrl;
		ok(res, data);
	}

	private exported(server: FakeServer): Json[] {
		return [...this.clock.jobs.values()]
			.filter((job) => job.v3?.isExport && !job.v3.deleted)
			.map((job) => {
				const report = this.report(job, server);
				return { id: job.id, name: `API project ${job.id.slice(0, 6)}`, state: report.state, download_url: report.downloadUrl ?? null };
			});
	}

	private delete(req: RecordedRequest, res: http.ServerResponse): void {
		const ids = isObject(req.body) ? req.body.ids : undefined;
		if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) return fail(res, 400, 'INVALID_PARAMETER', 'ids must be an array of project ids');
		let deletedCount = 0;
		for (const id of ids as string[]) {
			const job = this.project(id);
			if (job?.v3) {
				job.v3.deleted = true;
				deletedCount++;
			}
		}
		ok(res, { deletedCount });
	}

	/** the webhook (reference/webhook.md): a JSON POST when the export is done (a real timer: webhooks need real time) */
	private scheduleWebhook(job: AiStudiosJob, server: FakeServer): void {
		const timer = setTimeout(() => {
			this.webhookTimers.delete(timer);
			this.webhookTimerOf.delete(job.id);
			const state = this.clock.state(job, server.now());
			// a timer may fire a millisecond before Date.now() reaches the end: look again, never drop the call
			if (state === 'queued' || state === 'processing') return this.scheduleWebhook(job, server);
			if (state !== 'completed' || !job.v3?.webhookUrl) return;
			const url = job.v3.webhookUrl;
			const body = { progress: 100, backendTaskId: job.v3.taskId ?? job.id, credit: 1, download_url: this.settings.fileUrl(server, job.id) };
			fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
				.then(async (answer) => {
					await answer.arrayBuffer();
					this.webhookCalls.push({ url, body, status: answer.status });
				})
				.catch((error: unknown) => this.webhookCalls.push({ url, body, error: String(error) }));
		}, Math.max(1, job.createdAt + job.renderMs + this.settings.urlLagMs() - server.now()));
		timer.unref();
		this.webhookTimers.add(timer);
		this.webhookTimerOf.set(job.id, timer);
	}
}
