/**
 * Token lifetime of the exchanged tokens (CDNvideo login, HiDream API-key exchange, AI Studios v3
 * App ID + User Key exchange): a token that
 * expires in the middle of a batch, at the provider or by its own lifetime, is renewed exactly once
 * and the batch completes; a renewal never turns into one login per item.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { AiStudiosFake, CdnVideoFake, HiDreamFake, startFakeProviders, type FakeServer } from '../fakes';
import { CredentialStore } from '../helpers/n8nContext';
import { ADAPTERS, expectVideo, relaxLimits, type Adapter } from './nodes';
import { execute, items, type ExecuteOptions } from './support';

let server: FakeServer;

beforeAll(async () => {
	server = await startFakeProviders();
});
afterAll(async () => await server.stop());
beforeEach(() => {
	server.reset();
	server.onRequest = undefined;
	relaxLimits(server);
});

interface Session {
	id: string;
	adapter: Adapter;
	data(server: FakeServer): ICredentialDataDecryptedObject;
	/** tokens issued so far (successful logins / exchanges) */
	issued(server: FakeServer): number;
	expireAtProvider(server: FakeServer): void;
	/** the status the provider refuses an expired token with */
	refusal: number;
	/** the token exchange (login) request */
	loginPath: RegExp;
	/** the node's typeVersion where it matters (AI Studios: 2 speaks v3) */
	typeVersion?: number;
	/** the status requests of Get Status, one per item or (HiDream) a batch request for many */
	statusPath: RegExp;
	statusRequests(items: number): number;
}

const SESSIONS: Session[] = [
	{
		id: 'cdnVideo (username and password)',
		adapter: ADAPTERS.find((a) => a.provider === 'cdnVideo')!,
		data: (s) => {
			const fake = s.provider(CdnVideoFake);
			return { account: fake.account, authentication: 'password', username: fake.username, password: fake.password, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' };
		},
		issued: (s) => s.provider(CdnVideoFake).logins,
		expireAtProvider: (s) => s.provider(CdnVideoFake).expireTokens(),
		refusal: 403,
		loginPath: /^\/app\/oauth\/v1\/token\/$/,
		statusPath: ADAPTERS.find((a) => a.provider === 'cdnVideo')!.paths.status,
		statusRequests: (n) => n,
	},
	{
		id: 'hiDream (API key)',
		adapter: ADAPTERS.find((a) => a.provider === 'hiDream')!,
		data: (s) => ({ authentication: 'apiKey', apiKey: s.provider(HiDreamFake).apiKey, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' }),
		issued: (s) => s.provider(HiDreamFake).exchanges,
		expireAtProvider: (s) => s.provider(HiDreamFake).expireTokens(),
		refusal: 401,
		loginPath: /^\/prod-api\/user\/apikey2token$/,
		// many jobs are asked in one batch request (25 a request)
		statusPath: /\/video_edit\/async\/results(\/batch)?$/,
		statusRequests: (n) => Math.ceil(n / 25),
	},
	{
		id: 'aiStudios v3 (App ID + User Key)',
		adapter: ADAPTERS.find((a) => a.column === 'aiStudios v3')!,
		data: (s) => {
			const v3 = s.provider(AiStudiosFake).v3;
			return { appId: v3.appId, userKey: v3.userKey, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' };
		},
		issued: (s) => s.provider(AiStudiosFake).v3.exchanges,
		expireAtProvider: (s) => s.provider(AiStudiosFake).v3.expireTokens(),
		refusal: 401,
		loginPath: /^\/api\/odin\/v3\/auth\/token$/,
		typeVersion: 2,
		statusPath: /^\/api\/odin\/v3\/editor\/progress\//,
		statusRequests: (n) => n,
	},
];

async function run(session: Session, store: CredentialStore, parameters: IDataObject, extra: Partial<ExecuteOptions> = {}) {
	return await execute({ node: session.adapter.node(), typeVersion: session.typeVersion, parameters, credentials: [{ type: session.adapter.credentialType, data: session.data(server) }], store, ...extra });
}

/** Submits `n` jobs in one execution (which logs in once) and returns them as items for the next node. */
async function submitted(session: Session, store: CredentialStore, n: number) {
	const outcome = await run(session, store, session.adapter.submitParams, { items: Array.from({ length: n }, () => ({ json: {} })), clock: 'real' });
	return items(outcome).map((i) => ({ json: i.json }));
}

const refusedRequests = (session: Session) => server.requestsTo(session.adapter.provider).filter((r) => !session.loginPath.test(r.path)).length;

describe.each(SESSIONS)('$id', (session) => {
	it('getStatus over a batch: the token expires at the provider mid-batch (per item: at the 3rd check); renewed once, every item completes', async () => {
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		const jobs = await submitted(session, store, 5);
		expect(session.issued(server)).toBe(1);
		const oldToken = store.get(session.adapter.credentialType.name).data.sessionToken;
		server.requests = [];
		let statusChecks = 0;
		server.onRequest = (request) => {
			if (request.provider === session.adapter.provider && session.statusPath.test(request.path) && ++statusChecks === Math.min(3, session.statusRequests(jobs.length))) session.expireAtProvider(server);
		};
		const outcome = await run(session, store, { operation: 'getStatus' }, { items: jobs });
		expect(items(outcome).map((i) => [i.json.jobId, i.json.status])).toEqual(jobs.map((j) => [j.json.jobId, 'completed']));
		expect(session.issued(server)).toBe(2);
		// one request was refused and sent again with the new token; nothing else was repeated
		expect(refusedRequests(session)).toBe(session.statusRequests(jobs.length) + 1);
		const newToken = store.get(session.adapter.credentialType.name).data.sessionToken;
		expect(newToken).not.toBe(oldToken);
		// the renewed token was saved: the next execution does not exchange again
		items(await run(session, store, { operation: 'getStatus' }, { items: jobs.slice(0, 1) }));
		expect(session.issued(server)).toBe(2);
	});

	it('getResult over a batch (with downloads): the token expires at the provider mid-batch; renewed once', async () => {
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		const jobs = await submitted(session, store, 3);
		let resultChecks = 0;
		server.onRequest = (request) => {
			if (request.provider === session.adapter.provider && session.adapter.paths.result.test(request.path) && ++resultChecks === 2) session.expireAtProvider(server);
		};
		const outcome = await run(session, store, { operation: 'getResult' }, { items: jobs });
		items(outcome).forEach((item, n) => {
			expect(item.json.jobId).toBe(jobs[n].json.jobId);
			expectVideo(server, item, `item ${n}`);
		});
		expect(session.issued(server)).toBe(2);
	});

	it('submit + wait: the token expires at the provider while three renders are followed at once; renewed once', async () => {
		server.renderMs = 90_000;
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		let expired = false;
		server.onRequest = (request) => {
			// the first status check of the batch: all three submits are done by then
			if (!expired && request.provider === session.adapter.provider && session.statusPath.test(request.path)) {
				expired = true;
				session.expireAtProvider(server);
			}
		};
		const outcome = await run(session, store, { ...session.adapter.submitParams, waitForCompletion: true, waitOptions: { pollInterval: 20 } }, { items: [{ json: {} }, { json: {} }, { json: {} }] });
		const out = items(outcome);
		expect(out.map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed']);
		out.forEach((item, n) => expectVideo(server, item, `item ${n}`));
		expect(session.adapter.acceptedSubmits(server)).toBe(3);
		expect(session.issued(server)).toBe(2);
		expect(server.requestsTo(session.adapter.provider).filter((r) => session.adapter.paths.submit.test(r.path))).toHaveLength(3);
	});

	it('submit + wait: the token’s own lifetime runs out during the wait; renewed once before use, no request refused', async () => {
		server.renderMs = 6 * 60_000;
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		await submitted(session, store, 1);
		expect(session.issued(server)).toBe(1);
		// the stored token has 3 minutes left (the node renews a minute early)
		const data = store.get(session.adapter.credentialType.name).data;
		const oldToken = String(data.sessionToken);
		const renewBy = Date.now() + 2 * 60_000;
		data.sessionExpiresAt = renewBy + 60_000;
		server.requests = [];
		const outcome = await run(session, store, { ...session.adapter.submitParams, waitForCompletion: true, waitOptions: { pollInterval: 60 } }, { items: [{ json: {} }, { json: {} }] });
		expect(items(outcome).map((i) => i.json.status)).toEqual(['completed', 'completed']);
		expect(outcome.tookMs).toBeGreaterThan(6 * 60_000);
		expect(session.issued(server)).toBe(2);
		const newToken = String(data.sessionToken);
		expect(newToken).not.toBe(oldToken);
		expect(Number(data.sessionExpiresAt)).toBeGreaterThan(renewBy + 3600_000);
		// requests before the renewal carried the old token, every one after it the new: none was sent with an expired token
		const api = server.requestsTo(session.adapter.provider).filter((r) => !session.loginPath.test(r.path));
		const tokenOf = (r: (typeof api)[number]) => (JSON.stringify(r.headers).includes(newToken) ? 'new' : JSON.stringify(r.headers).includes(oldToken) ? 'old' : 'none');
		expect(api.filter((r) => r.at < renewBy).map(tokenOf)).toEqual(expect.arrayContaining(['old']));
		expect(new Set(api.filter((r) => r.at >= renewBy).map(tokenOf))).toEqual(new Set(['new']));
		expect(api.filter((r) => r.at >= renewBy).length).toBeGreaterThanOrEqual(2);
	});

	it('submit + wait over two hours: the token expires at the provider twice, an hour apart; renewed each time', async () => {
		server.renderMs = 2 * 3600_000;
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		const started = Date.now();
		let expiries = 0;
		server.onRequest = (request) => {
			const due = [10 * 60_000, 70 * 60_000][expiries];
			if (due !== undefined && request.provider === session.adapter.provider && session.adapter.paths.status.test(request.path) && request.at - started >= due) {
				expiries++;
				session.expireAtProvider(server);
			}
		};
		const outcome = await run(session, store, { ...session.adapter.submitParams, waitForCompletion: true, waitOptions: { pollInterval: 600, timeout: 4 * 3600 } });
		expect(items(outcome)[0].json.status).toBe('completed');
		expect(expiries).toBe(2);
		expect(session.issued(server)).toBe(3);
	});

	it('a token refused again right after its renewal (e.g. a wrong account) is not renewed once per item', async () => {
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		const jobs = await submitted(session, store, 1);
		// from now on every token is refused, also the renewed one (e.g. the account lost API access)
		server.inject({ provider: session.adapter.provider, path: session.statusPath, status: session.refusal, body: { status: 'ERROR', code: session.refusal, message: 'token not accepted' }, times: Infinity });
		const batch = Array.from({ length: 6 }, () => jobs[0]);
		const outcome = await run(session, store, { operation: 'getStatus' }, { items: batch, continueOnFail: true });
		expect(items(outcome).map((i) => Boolean(i.json.error))).toEqual(Array(6).fill(true));
		expect(items(outcome).every((i) => i.json.jobId === jobs[0].json.jobId)).toBe(true);
		// one renewal for the execution, not one per item
		expect(session.issued(server)).toBe(2);
	});

	it('a login that never answers ends through a timeout with a clear error, and is not tried again for the other items', async () => {
		const loginPath = session.loginPath;
		server.inject({ provider: session.adapter.provider, path: loginPath, kind: 'hang', times: Infinity });
		const store = new CredentialStore([{ type: session.adapter.credentialType, data: session.data(server) }]);
		const outcome = await run(session, store, { operation: 'getStatus' }, {
			items: [{ json: { jobId: 'a' } }, { json: { jobId: 'b' } }, { json: { jobId: 'c' } }],
			continueOnFail: true,
			shorten: { path: loginPath, ms: 100 },
		});
		expect(items(outcome).map((i) => String(i.json.error))).toEqual(Array(3).fill(expect.stringMatching(/Could not reach the .* (login|token exchange)/)));
		expect(server.requestsTo(session.adapter.provider)).toHaveLength(1);
		// the credential's own request sets no timeout: n8n's default applies (5 minutes in n8n 2.x)
		expect(outcome.sent.filter((s) => !s.authenticated).map((s) => s.timeout)).toEqual([undefined]);
	});
});
