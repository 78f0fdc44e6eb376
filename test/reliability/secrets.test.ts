/**
 * Secrets, for every credential type and authentication mode: succeeding and failing runs leave no
 * secret in an output item, an error (message, description, context, the details n8n keeps) or a
 * log line; credential headers reach only the credential's Base URL (never a download host, never
 * a redirect elsewhere); a refused CDNvideo login (or HiDream key exchange) is never repeated.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { AiStudiosFake, CdnVideoFake, FILES, HiDreamFake, startFakeProviders, type Fault, type FakeServer, type RecordedRequest } from '../fakes';
import { CredentialStore, type CredentialEntry } from '../helpers/n8nContext';
import { ADAPTERS, relaxLimits } from './nodes';
import { CREDENTIAL_HEADERS, MODES, SECRET_SCENARIOS, type Mode, type SecretScenarioId } from './secretCases';
import { execute, items, thrown, visibleText, type ExecuteOptions, type Outcome } from './support';

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

const adapter = (provider: string) => ADAPTERS.find((a) => a.provider === provider)!;

const SECRET_FIELDS = ['apiKey', 'token', 'password', 'sessionToken', 'userKey'];

/** Every secret the run could have seen: the credential's, the stored session token, every token the fakes issued. */
function secretsOf(data: ICredentialDataDecryptedObject, store?: CredentialStore): string[] {
	const values = SECRET_FIELDS.map((f) => data[f]);
	for (const entry of store?.entries.values() ?? []) values.push(...SECRET_FIELDS.map((f) => entry.data[f]));
	values.push(...server.provider(CdnVideoFake).tokens.keys(), ...server.provider(HiDreamFake).tokens.keys(), ...server.provider(AiStudiosFake).v3.tokens.keys());
	return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))];
}

/** Nothing a user can see holds a secret, and no credential went anywhere but the Base URL. */
function expectSecretFree(outcome: Outcome, secrets: string[]): void {
	const text = visibleText(outcome);
	for (const secret of secrets) expect(text).not.toContain(secret);
	expectCredentialsOnlyToBaseUrl(secrets);
}

/** A credential header, or a secret anywhere in the headers, the URL or the body. */
function carriesCredentialOf(r: RecordedRequest, secrets: string[]): boolean {
	const text = `${JSON.stringify(r.headers)} ${r.path} ${JSON.stringify(r.query)} ${r.rawBody.toString('latin1')}`;
	return Object.keys(r.headers).some((name) => CREDENTIAL_HEADERS.includes(name)) || secrets.some((s) => text.includes(s));
}

function expectCredentialsOnlyToBaseUrl(secrets: string[]): void {
	const carriesCredential = (r: RecordedRequest) => carriesCredentialOf(r, secrets);
	// the file host is another origin: nothing of the credential reaches it
	expect(server.filesRequests.filter(carriesCredential)).toEqual([]);
	// the API host is the Base URL; what it receives outside a provider's paths (a redirected download) carries nothing either
	expect(server.requests.filter((r) => r.provider === '' && carriesCredential(r))).toEqual([]);
}

type Run = (mode: Mode, data: ICredentialDataDecryptedObject, store: CredentialStore) => Promise<Outcome>;

async function runWith(mode: Mode, data: ICredentialDataDecryptedObject, store: CredentialStore, parameters: IDataObject, extra: Partial<ExecuteOptions> = {}) {
	const credentials: CredentialEntry[] = [{ type: mode.adapter.credentialType, data }];
	return await execute({ node: mode.adapter.node(), parameters, credentials, store, ...extra });
}

async function submittedJob(mode: Mode, data: ICredentialDataDecryptedObject, store: CredentialStore): Promise<IDataObject> {
	return items(await runWith(mode, data, store, mode.adapter.submitParams))[0].json;
}

const echo = (secrets: string[]) => `credential ${secrets.join(' / ')} is not accepted here`;

const RUNS: Record<SecretScenarioId, Run> = {
	'succeeds: submit + wait + download': async (mode, data, store) => await runWith(mode, data, store, { ...mode.adapter.submitParams, waitForCompletion: true, waitOptions: { pollInterval: 5 } }),
	'succeeds: getStatus, then getResult with download': async (mode, data, store) => {
		const job = await submittedJob(mode, data, store);
		items(await runWith(mode, data, store, { operation: 'getStatus', ...mode.adapter.jobParams(job) }));
		return await runWith(mode, data, store, { operation: 'getResult', ...mode.adapter.jobParams(job) });
	},
	'fails: the provider refuses the credential': async (mode, data) => await runWith(mode, mode.refused(data), new CredentialStore([{ type: mode.adapter.credentialType, data: mode.refused(data) }]), mode.adapter.submitParams),
	'fails: a 4xx error body echoes every secret': async (mode, data, store) => {
		const job = await submittedJob(mode, data, store);
		server.inject({ provider: mode.adapter.provider, method: 'GET', path: mode.adapter.paths.status, status: 400, body: { message: echo(secretsOf(data, store)) } });
		return await runWith(mode, data, store, { operation: 'getStatus', ...mode.adapter.jobParams(job) });
	},
	'fails: a 2xx refusal (the provider’s own form) echoes every secret': async (mode, data, store) => {
		await submittedJob(mode, data, store);
		server.inject({ provider: mode.adapter.provider, method: 'POST', path: mode.adapter.paths.submit, status: 200, body: mode.adapter.refusalBody(echo(secretsOf(data, store))) } as Fault);
		return await runWith(mode, data, store, mode.adapter.submitParams);
	},
	'fails: a 5xx text body echoes every secret (Continue On Fail item)': async (mode, data, store) => {
		const job = await submittedJob(mode, data, store);
		server.inject({ provider: mode.adapter.provider, method: 'GET', path: mode.adapter.paths.status, status: 500, body: echo(secretsOf(data, store)), contentType: 'text/plain', times: Infinity });
		const outcome = await runWith(mode, data, store, { operation: 'getStatus', ...mode.adapter.jobParams(job) }, { continueOnFail: true });
		expect(items(outcome)[0].json.error).toMatch(/HTTP 500/);
		return outcome;
	},
	'fails: the connection is reset on submit': async (mode, data, store) => {
		await submittedJob(mode, data, store);
		server.inject({ provider: mode.adapter.provider, method: 'POST', path: mode.adapter.paths.submit, kind: 'reset' });
		return await runWith(mode, data, store, mode.adapter.submitParams);
	},
	'fails: a 302 redirect to another host is not followed': async (mode, data, store) => {
		const job = await submittedJob(mode, data, store);
		server.inject({ provider: mode.adapter.provider, method: 'GET', path: mode.adapter.paths.status, status: 302, headers: { Location: `${server.fileBaseUrl}/steal` }, body: '' });
		const outcome = await runWith(mode, data, store, { operation: 'getStatus', ...mode.adapter.jobParams(job) });
		expect(thrown(outcome).message).toMatch(/redirected the request \(HTTP 302\)/);
		expect(server.filesRequests).toHaveLength(0);
		return outcome;
	},
	'fails: a 307 redirect of the submit is not followed': async (mode, data, store) => {
		await submittedJob(mode, data, store);
		const before = mode.adapter.acceptedSubmits(server);
		server.inject({ provider: mode.adapter.provider, method: 'POST', path: mode.adapter.paths.submit, status: 307, headers: { Location: `${server.fileBaseUrl}/steal` }, body: '' });
		const outcome = await runWith(mode, data, store, mode.adapter.submitParams);
		expect(thrown(outcome).message).toMatch(/redirected the request \(HTTP 307\)/);
		expect(server.filesRequests).toHaveLength(0);
		expect(mode.adapter.acceptedSubmits(server)).toBe(before);
		return outcome;
	},
	'fails: the download link expired': async (mode, data, store) => {
		const job = await submittedJob(mode, data, store);
		server.onRequest = (request) => {
			if (request.provider === FILES) server.expireFile(decodeURIComponent(request.path.split('/').pop()!.replace(/\.mp4$/, '')));
		};
		return await runWith(mode, data, store, { operation: 'getResult', ...mode.adapter.jobParams(job) });
	},
	'fails: the download is redirected to the API host': async (mode, data, store) => {
		const job = await submittedJob(mode, data, store);
		server.inject({ provider: FILES, status: 302, headers: { Location: `${server.baseUrl}/collect/video.mp4` }, body: '' });
		const outcome = await runWith(mode, data, store, { operation: 'getResult', ...mode.adapter.jobParams(job) });
		// the download followed the redirect to the Base URL's host: without any credential
		expect(server.requests.filter((r) => r.path === '/collect/video.mp4')).toHaveLength(1);
		return outcome;
	},
};

describe.each(MODES)('$id', (mode) => {
	it.each(SECRET_SCENARIOS)('$id: no secret in outputs, errors or logs; credentials only to the Base URL', async (scenario) => {
		const data = mode.arrange(server);
		const store = new CredentialStore([{ type: mode.adapter.credentialType, data }]);
		const outcome = await RUNS[scenario.id](mode, data, store);
		if (scenario.ok) items(outcome);
		else thrown(outcome);
		const secrets = secretsOf(scenario.id.includes('refuses the credential') ? mode.refused(data) : data, store);
		// requests to the Base URL did carry the credential: the checks below are not vacuous
		expect(server.requests.some((r) => r.provider === mode.adapter.provider && carriesCredentialOf(r, secrets))).toBe(true);
		expectSecretFree(outcome, secrets);
	});
});

describe('a refused login is never repeated', () => {
	const cdn = MODES.find((m) => m.id === 'cdnVideoApi (username and password)')!;
	const cdnOperations = adapter('cdnVideo').operations;

	it.each(cdnOperations.map((op) => [op.name, op] as const))('cdnVideo %s: one refused login, no other request, no password in the error', async (_name, op) => {
		const data = cdn.refused(cdn.arrange(server));
		const outcome = await execute({ node: cdn.adapter.node(), parameters: op.params({ jobId: 'job-1' }), credentials: [{ type: cdn.adapter.credentialType, data }] });
		expect(thrown(outcome).message).toMatch(/refused the login/);
		expect(server.provider(CdnVideoFake).failedLogins).toBe(1);
		expect(server.requests.map((r) => r.path)).toEqual(['/app/oauth/v1/token/']);
		expectSecretFree(outcome, secretsOf(data));
	});

	it('cdnVideo: a batch with Continue On Fail tries the refused login once, not once per item', async () => {
		const data = cdn.refused(cdn.arrange(server));
		const outcome = await execute({
			node: cdn.adapter.node(),
			parameters: { operation: 'getStatus' },
			items: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((jobId) => ({ json: { jobId } })),
			credentials: [{ type: cdn.adapter.credentialType, data }],
			continueOnFail: true,
		});
		const out = items(outcome);
		expect(out).toHaveLength(8);
		for (const item of out) expect(item.json.error).toMatch(/refused the login/);
		// seven refused logins lock the account for 3 hours
		expect(server.provider(CdnVideoFake).failedLogins).toBe(1);
		expect(server.provider(CdnVideoFake).locked).toBe(false);
		expectSecretFree(outcome, secretsOf(data));
	});

	it('cdnVideo: a refused login is not repeated by submit + wait either', async () => {
		const data = cdn.refused(cdn.arrange(server));
		const outcome = await execute({
			node: cdn.adapter.node(),
			parameters: { ...cdn.adapter.submitParams, waitForCompletion: true },
			items: [{ json: {} }, { json: {} }, { json: {} }],
			credentials: [{ type: cdn.adapter.credentialType, data }],
			continueOnFail: true,
		});
		expect(items(outcome).map((i) => Boolean(i.json.error))).toEqual([true, true, true]);
		expect(server.provider(CdnVideoFake).failedLogins).toBe(1);
	});

	it('aiStudios v3: a refused App ID and User Key are exchanged once for a whole batch', async () => {
		const mode = MODES.find((m) => m.id === 'aiStudiosApi (App ID + User Key, v3)')!;
		const data = mode.refused(mode.arrange(server));
		const outcome = await execute({
			node: mode.adapter.node(),
			parameters: { operation: 'getStatus', apiVersion: 'v3' },
			items: ['a', 'b', 'c', 'd'].map((jobId) => ({ json: { jobId } })),
			credentials: [{ type: mode.adapter.credentialType, data }],
			continueOnFail: true,
		});
		expect(items(outcome).map((i) => String(i.json.error))).toEqual(Array(4).fill(expect.stringMatching(/refused the App ID and User Key/)));
		expect(server.provider(AiStudiosFake).v3.refusedExchanges).toBe(1);
		expect(server.requests.map((r) => r.path)).toEqual(['/api/odin/v3/auth/token']);
		expectSecretFree(outcome, secretsOf(data));
	});

	it('hiDream: a refused API key is exchanged once for a whole batch', async () => {
		const mode = MODES.find((m) => m.id === 'hiDreamApi (API key)')!;
		const data = mode.refused(mode.arrange(server));
		const outcome = await execute({
			node: mode.adapter.node(),
			parameters: { operation: 'getStatus' },
			items: ['a', 'b', 'c', 'd'].map((jobId) => ({ json: { jobId } })),
			credentials: [{ type: mode.adapter.credentialType, data }],
			continueOnFail: true,
		});
		expect(items(outcome).map((i) => String(i.json.error))).toEqual(Array(4).fill(expect.stringMatching(/refused the API key/)));
		expect(server.provider(HiDreamFake).refusedExchanges).toBe(1);
		expectSecretFree(outcome, secretsOf(data));
	});
});
