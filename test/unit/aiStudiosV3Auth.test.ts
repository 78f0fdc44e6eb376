/**
 * AI Studios' two API versions and their credentials: the v3 token (kept, renewed once per
 * execution, a refused exchange never retried), v2 never exchanging, a credential refused for a
 * version it cannot serve, the per-version Base URL, the credential test, and the bad input v3
 * refuses before any request.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { aiStudiosBaseUrl } from '../../credentials/aiStudiosAccess';
import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { AiStudiosFake, startFakeProviders, type AiStudiosV3, type FakeServer } from '../fakes';
import { CredentialStore, runNode, testCredential } from '../helpers/n8nContext';

const JOB = { language: 'en', text: 'Hello from v3.', model: 'M000004017', clothes: 'BG00006160' };
const SUBMIT = { operation: 'submit', ...JOB };

let server: FakeServer;
let fake: AiStudiosFake;
let v3: AiStudiosV3;

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(AiStudiosFake);
	v3 = fake.v3;
});
afterAll(async () => await server.stop());
beforeEach(() => {
	server.reset();
	server.onRequest = undefined;
});

const v3Credential = (data: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	appId: v3.appId,
	userKey: v3.userKey,
	baseUrl: server.baseUrl,
	sessionToken: '',
	sessionExpiresAt: '',
	...data,
});
const storeOf = (data: ICredentialDataDecryptedObject) => new CredentialStore([{ type: new AiStudiosApi(), data }]);
const saved = (store: CredentialStore) => store.get('aiStudiosApi').data;

interface RunOptions {
	store?: CredentialStore;
	items?: INodeExecutionData[];
	typeVersion?: number;
	continueOnFail?: boolean;
}

async function run(parameters: IDataObject, options: RunOptions = {}) {
	const store = options.store ?? storeOf(v3Credential());
	const { output } = await runNode(
		{ node: new AiStudios(), typeVersion: options.typeVersion ?? 2, parameters, items: options.items, credentials: [], continueOnFail: options.continueOnFail },
		store,
	);
	return output[0];
}

const failure = async (parameters: IDataObject, options: RunOptions = {}) =>
	await run(parameters, options).then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Error & { description?: string }) => error,
	);

const exchangesSent = () => server.requestsTo('aiStudios', 'POST', '/api/odin/v3/auth/token').length;
const refused = () => server.requests.filter((r) => r.provider === 'aiStudios' && r.path !== '/api/odin/v3/auth/token' && !v3.tokens.has(r.headers.authorization as string)).length;
const jobs = (n: number) => Array.from({ length: n }, () => ({ json: {} }));

describe('the v3 token', () => {
	test('is exchanged once, saved with the credential for 24 h, and reused by the next execution', async () => {
		const store = storeOf(v3Credential());
		const before = Date.now();
		const first = await run(SUBMIT, { store, items: jobs(2) });
		const token = saved(store).sessionToken as string;
		expect(v3.tokens.has(token)).toBe(true);
		expect(Number(saved(store).sessionExpiresAt)).toBeGreaterThanOrEqual(before + 24 * 3600_000);
		expect(Number(saved(store).sessionExpiresAt)).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
		await run({ operation: 'getStatus' }, { store, items: first.map((i) => ({ json: i.json })) });
		expect(exchangesSent()).toBe(1);
		expect(server.requestsTo('aiStudios', undefined, /^\/api\/odin\/v3\/(simple|editor)/).every((r) => r.headers.authorization === token)).toBe(true);
		// neither the token nor the User Key is in any output
		expect(JSON.stringify(first)).not.toContain(token);
		expect(JSON.stringify(first)).not.toContain(v3.userKey);
	});

	test('past its expiry time it is renewed before the request, so no request goes out with it', async () => {
		const store = storeOf(v3Credential({ sessionToken: 'v3tok-stale', sessionExpiresAt: Date.now() - 1000 }));
		await run(SUBMIT, { store, items: jobs(3) });
		expect(exchangesSent()).toBe(1);
		expect(refused()).toBe(0);
		expect(fake.acceptedSubmits).toBe(3);
		expect(saved(store).sessionToken).not.toBe('v3tok-stale');
	});

	test('refused in the middle of a status batch: renewed once, the refused check sent again, every item completes', async () => {
		const store = storeOf(v3Credential());
		const submitted = await run(SUBMIT, { store, items: jobs(5) });
		const old = saved(store).sessionToken;
		server.requests = [];
		let checks = 0;
		server.onRequest = (request) => {
			if (request.path.startsWith('/api/odin/v3/editor/progress/') && ++checks === 3) v3.expireTokens();
		};
		const out = await run({ operation: 'getStatus' }, { store, items: submitted.map((i) => ({ json: i.json })) });
		expect(out.map((i) => [i.json.jobId, i.json.status])).toEqual(submitted.map((i) => [i.json.jobId, 'completed']));
		expect(exchangesSent()).toBe(1);
		expect(v3.exchanges).toBe(2);
		// checks 1–3 with the old token (the 3rd refused), then the 3rd again and the rest with the new one
		const renewed = saved(store).sessionToken;
		expect(renewed).not.toBe(old);
		expect(server.requestsTo('aiStudios', 'GET', /\/editor\/progress\//).map((r) => r.headers.authorization)).toEqual([old, old, old, renewed, renewed, renewed]);
	});

	test('refused in the middle of a submit batch: renewed once, the refused submit (no project made) sent again, one project per item', async () => {
		const store = storeOf(v3Credential());
		let submits = 0;
		server.onRequest = (request) => {
			if (request.path === '/api/odin/v3/simple/video' && ++submits === 2) v3.expireTokens();
		};
		const out = await run(SUBMIT, { store, items: jobs(3) });
		expect(out.map((i) => i.json.status)).toEqual(['queued', 'queued', 'queued']);
		expect(fake.acceptedSubmits).toBe(3);
		expect(new Set(out.map((i) => i.json.jobId)).size).toBe(3);
		expect([v3.exchanges, submits]).toEqual([2, 4]);
	});

	test.each([401, 200] as const)('a refused exchange (answered HTTP %s) is tried once for the whole batch, and the User Key never shows', async (status) => {
		v3.exchangeRefusal = status;
		const store = storeOf(v3Credential({ userKey: 'WRONG-user-key-5c1e9a' }));
		const out = await run(SUBMIT, { store, items: jobs(3), continueOnFail: true });
		expect(v3.refusedExchanges).toBe(1);
		expect(server.requests.map((r) => r.path)).toEqual(['/api/odin/v3/auth/token']);
		expect(out).toHaveLength(3);
		for (const item of out) {
			expect(item.json.error).toContain('AI Studios refused the App ID and User Key');
			expect(item.json.error).toContain('Invalid appId or userKey');
			expect(JSON.stringify(item.json)).not.toContain('WRONG-user-key-5c1e9a');
		}
		expect(saved(store).sessionToken).toBe('');
	});
});

describe('API versions and the credential', () => {
	test('typeVersion 1 stays on v2: the API key as is, v2 paths, and never a token exchange, even with v3 keys in the credential', async () => {
		const store = storeOf(v3Credential({ apiKey: fake.apiKey }));
		const [submitted] = await run(SUBMIT, { store, typeVersion: 1 });
		await run({ operation: 'getStatus', jobId: submitted.json.jobId }, { store, typeVersion: 1 });
		expect(server.requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/api/odin/simple/video'],
			['GET', `/api/odin/editor/progress/${submitted.json.jobId as string}`],
		]);
		expect(server.requests.every((r) => r.headers.authorization === fake.apiKey)).toBe(true);
		expect(server.requests[0].body).toEqual(JOB);
		expect([v3.exchanges, saved(store).sessionToken]).toEqual([0, '']);
	});

	test('typeVersion 2 set to v2 uses the v2 API; apiVersion v3 on typeVersion 1 uses v3', async () => {
		await run({ ...SUBMIT, apiVersion: 'v2' }, { store: storeOf({ apiKey: fake.apiKey, baseUrl: server.baseUrl }) });
		await run({ ...SUBMIT, apiVersion: 'v3' }, { typeVersion: 1 });
		expect(server.requests.map((r) => r.path)).toEqual(['/api/odin/simple/video', '/api/odin/v3/auth/token', '/api/odin/v3/simple/video']);
	});

	test.each([
		['v3', 2, { apiKey: 'aistudios-sandbox-key-0001' }, 'cannot serve AI Studios API Version v3: it has no App ID and User Key'],
		['v2', 1, { appId: 'aistudios-sandbox-app-0001', userKey: 'aistudios-sandbox-user-key-0001' }, 'cannot serve AI Studios API Version v2: it has no API Key'],
	])('a %s node with a credential of the other version is refused before any request, naming both', async (_version, typeVersion, keys, message) => {
		const error = await failure(SUBMIT, { typeVersion, store: storeOf({ ...keys, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' }) });
		expect(error.message).toBe(`The credential "aiStudiosApi account" ${message}`);
		expect(error.description).toContain('"API Version"');
		expect(server.requests).toHaveLength(0);
	});

	test.each([
		['empty', '', 'https://app.aistudios.com', 'https://v2.aistudios.com'],
		['the pre-v3 default', 'https://aistudios.com/', 'https://app.aistudios.com', 'https://aistudios.com'],
		['a proxy', 'https://proxy.example/ai/', 'https://proxy.example/ai', 'https://proxy.example/ai'],
	])('Base URL %s: v3 and v2 hosts, and the credential test expression agrees', (_what, baseUrl, v3Host, v2Host) => {
		expect([aiStudiosBaseUrl({ baseUrl }, 'v3'), aiStudiosBaseUrl({ baseUrl }, 'v2')]).toEqual([v3Host, v2Host]);
		const expression = String(new AiStudiosApi().test.request.baseURL).replace(/^=\{\{([\s\S]*)\}\}$/, '$1');
		// the expression body evaluated with $credentials in scope, as the harness evaluates expressions
		const evaluate = (credentials: IDataObject) => new Function('$credentials', `return (${expression});`)(credentials) as string;
		expect(evaluate({ baseUrl, appId: 'a', userKey: 'u' })).toBe(v3Host);
		expect(evaluate({ baseUrl, apiKey: 'k' })).toBe(v2Host);
	});

	test('credential test, v3: exchanges the keys and asks GET /api/odin/v3/auth with the token; wrong keys fail without echoing them', async () => {
		expect(await testCredential({ type: new AiStudiosApi(), data: v3Credential({ baseUrl: `${server.baseUrl}/` }) })).toEqual({ ok: true });
		expect(server.requests.map((r) => [r.method, r.path])).toEqual([
			['POST', '/api/odin/v3/auth/token'],
			['GET', '/api/odin/v3/auth'],
		]);
		expect(v3.tokens.has(server.requests[1].headers.authorization as string)).toBe(true);
		const wrong = await testCredential({ type: new AiStudiosApi(), data: v3Credential({ userKey: 'WRONG-user-key-77a1' }) });
		expect(wrong.ok).toBe(false);
		expect(wrong.message).toContain('AI Studios refused the App ID and User Key (HTTP 401: Invalid appId or userKey)');
		expect(wrong.message).not.toContain('WRONG-user-key-77a1');
	});

	test('credential test, v2: the progress check of no project, with the API key; no exchange', async () => {
		expect(await testCredential({ type: new AiStudiosApi(), data: { apiKey: fake.apiKey, baseUrl: server.baseUrl, sessionToken: '' } })).toEqual({ ok: true });
		expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/api/odin/editor/progress/n8n-credential-test', fake.apiKey]]);
	});
});

describe('v3 input refused before any request, naming the field', () => {
	test.each([
		['empty language', { language: '' }, 'language'],
		['empty text', { text: '  ' }, 'text'],
		['empty model', { model: '' }, 'model'],
		['empty clothes (chroma key)', { clothes: '' }, 'clothes'],
		['text over 5000 characters', { text: 'a'.repeat(5001) }, 'text'],
		['an unknown avatar type', { avatarType: 'hologram' }, 'avatarType'],
		['an unknown resolution', { options: { resolution: '8k' } }, 'options.resolution'],
		['a webhook URL that is not http(s)', { options: { webhookUrl: 'ftp://example.com/hook' } }, 'options.webhookUrl'],
		['a workspace id with a path', { options: { workspaceId: 'ws/../admin' } }, 'options.workspaceId'],
		["v2's webhook option on v3", { options: { webhook: 'https://example.com/hook' } }, 'options.webhook'],
		['a project id with "/" (Get Status)', { operation: 'getStatus', jobId: 'abc/def' }, 'jobId'],
		['a project id with "?" (Delete)', { operation: 'delete', jobId: 'abc?x=1' }, 'jobId'],
		['a limit of 0 (Get Many)', { operation: 'getAll', returnAll: false, limit: 0 }, 'limit'],
	])('%s', async (_what, params, parameter) => {
		const error = await failure({ ...SUBMIT, ...params });
		expect(error.message).toMatch(new RegExp(`^Parameter "${parameter.replace('.', '\\.')}"`));
		expect(server.requests).toHaveLength(0);
	});

	test.each([
		['a v3 option on v2', { ...SUBMIT, options: { resolution: '720' } }, 'Parameter "options.resolution" is an option of AI Studios API v3, not of v2'],
		['a v3 operation on v2', { operation: 'getAll' }, 'Parameter "operation" "getAll" is an operation of AI Studios API v3; the node is set to API Version v2'],
	])('%s (typeVersion 1)', async (_what, params, message) => {
		const error = await failure(params, { typeVersion: 1, store: storeOf({ apiKey: fake.apiKey, baseUrl: server.baseUrl }) });
		expect(error.message).toBe(message);
		expect(server.requests).toHaveLength(0);
	});
});
