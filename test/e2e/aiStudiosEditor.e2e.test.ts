/**
 * AI Studios in a running n8n's editor API, against the fake AI Studios: the credential test of
 * both versions (n8n evaluates the test's host and path expressions and runs the v3 exchange) and
 * the v3 dropdowns (loadOptions through n8n's own request path and credentials).
 * Needs the built package (npm run build).
 */

import { AiStudiosFake, type FakeServer } from '../fakes';
import { startN8nServer, type N8nHome, type N8nServer } from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';

let fakes: FakeServer;
let fake: AiStudiosFake;
let home: N8nHome;
let server: N8nServer;

const CREDENTIALS = {
	v3: { id: 'aistudios-v3', name: 'AI Studios v3' },
	wrong: { id: 'aistudios-v3-wrong', name: 'AI Studios v3, wrong key' },
	v2: { id: 'aistudios-v2', name: 'AI Studios v2' },
};

beforeAll(async () => {
	({ server: fakes, home } = await startSandbox({
		nodes: ['AiStudios/AiStudios.node.js'],
		credentials: (sandbox) => {
			const keys = sandbox.provider(AiStudiosFake);
			const baseUrl = sandbox.baseUrl;
			return [
				{ ...CREDENTIALS.v3, type: 'aiStudiosApi', data: { appId: keys.v3.appId, userKey: keys.v3.userKey, baseUrl } },
				{ ...CREDENTIALS.wrong, type: 'aiStudiosApi', data: { appId: keys.v3.appId, userKey: 'WRONG-user-key-e2e-41c9', baseUrl } },
				{ ...CREDENTIALS.v2, type: 'aiStudiosApi', data: { apiKey: keys.apiKey, baseUrl } },
			];
		},
	}));
	fake = fakes.provider(AiStudiosFake);
	server = await startN8nServer(home);
}, 45 * 60_000);

afterAll(async () => {
	await server?.stop();
	await stopSandbox({ server: fakes, home });
});

beforeEach(() => {
	fakes.requests = [];
});

async function credentialTest(ref: { id: string; name: string }, data: Record<string, unknown>) {
	const r = await server.rest('POST', '/credentials/test', { credentials: { ...ref, type: 'aiStudiosApi', data } });
	expect(r.status).toBe(200);
	return r.json!.data as { status: string; message: string };
}

test('the credential test: v3 exchanges the keys and asks GET /auth with the token; v2 reads a progress; wrong keys fail without echoing them', async () => {
	expect(await credentialTest(CREDENTIALS.v3, { appId: fake.v3.appId, userKey: fake.v3.userKey, baseUrl: fakes.baseUrl })).toMatchObject({ status: 'OK' });
	expect(fakes.requests.map((r) => [r.method, r.path])).toEqual([
		['POST', '/api/odin/v3/auth/token'],
		['GET', '/api/odin/v3/auth'],
	]);
	expect(fake.v3.tokens.has(fakes.requests[1].headers.authorization as string)).toBe(true);

	fakes.requests = [];
	expect(await credentialTest(CREDENTIALS.v2, { apiKey: fake.apiKey, baseUrl: fakes.baseUrl })).toMatchObject({ status: 'OK' });
	expect(fakes.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/api/odin/editor/progress/n8n-credential-test', fake.apiKey]]);

	const wrong = await credentialTest(CREDENTIALS.wrong, { appId: fake.v3.appId, userKey: 'WRONG-user-key-e2e-41c9', baseUrl: fakes.baseUrl });
	expect(wrong.status).toBe('Error');
	expect(wrong.message).toContain('AI Studios refused the App ID and User Key');
	expect(wrong.message).not.toContain('WRONG-user-key-e2e-41c9');
}, 120_000);

async function options(methodName: string, parameters: Record<string, unknown>, credential = CREDENTIALS.v3) {
	const r = await server.rest('POST', '/dynamic-node-parameters/options', {
		nodeTypeAndVersion: { name: 'CUSTOM.aiStudios', version: 2 },
		path: 'parameters.model',
		methodName,
		currentNodeParameters: { operation: 'submit', apiVersion: 'v3', ...parameters },
		credentials: { aiStudiosApi: credential },
	});
	return r;
}

test('the v3 dropdowns: models with English labels, the clothes of the chosen model, workspaces; a v2-only credential is refused', async () => {
	const models = await options('getModels', { avatarType: 'chromaKey' });
	expect(models.status).toBe(200);
	expect((models.json!.data as Array<{ name: string; value: string }>).map((o) => [o.name, o.value])).toEqual([
		['Ella', 'M000045058'],
		['Jonathan', 'M000004017'],
	]);
	const clothes = await options('getClothes', { avatarType: 'chromaKey', model: 'M000004017' });
	expect((clothes.json!.data as Array<{ name: string; value: string }>).map((o) => [o.name, o.value])).toEqual([
		['Grey jacket', 'BG00001004'],
		['Navy suit', 'BG00006160'],
	]);
	const workspaces = await options('getWorkspaces', {});
	expect((workspaces.json!.data as Array<{ value: string }>).map((o) => o.value)).toEqual(['', 'ws-marketing-01', 'ws-training-02']);
	// a token saved with the credential (by the credential test, or else by the first dropdown) is reused: at most one exchange
	expect(fakes.requests.filter((r) => r.path === '/api/odin/v3/auth/token').length).toBeLessThanOrEqual(1);
	const reads = fakes.requests.filter((r) => r.method === 'GET');
	expect(reads.map((r) => r.path)).toEqual(['/api/odin/v3/model', '/api/odin/v3/model', '/api/odin/v3/dropdown/workspaces']);
	expect(reads.every((r) => fake.v3.tokens.has(r.headers.authorization as string))).toBe(true);

	fakes.requests = [];
	const refused = await options('getModels', { avatarType: 'chromaKey' }, CREDENTIALS.v2);
	expect(refused.status).not.toBe(200);
	expect(refused.text).toContain('cannot serve AI Studios API Version v3');
	expect(fakes.requests).toEqual([]);
}, 120_000);
