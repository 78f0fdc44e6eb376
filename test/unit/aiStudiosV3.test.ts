/**
 * AI Studios node, API v3 (typeVersion 2's default), against the fake AI Studios v3: every v3
 * operation, the dropdowns, and the refusals before any request. Tokens and credentials: aiStudiosV3Auth.test.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { AiStudiosFake, FILES, startFakeProviders, videoBytes, type AiStudiosV3, type FakeServer } from '../fakes';
import { loadOptions, runNode } from '../helpers/n8nContext';

const SEED_JOBS = [
	{ language: 'ko', text: '안녕하세요, 저는 첫번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
	{ language: 'ko', text: '안녕하세요, 저는 두번째 작업입니다.', model: 'M000004017', clothes: 'BG00001004' },
	{ language: 'ko', text: '안녕하세요, 저는 세번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
];
const FROM_ITEM = { operation: 'submit', language: '={{ $json.language }}', text: '={{ $json.text }}', model: '={{ $json.model }}', clothes: '={{ $json.clothes }}' };

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
	server.now = () => Date.now();
});

const v3Credential = (data: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({ appId: v3.appId, userKey: v3.userKey, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '', ...data });

async function run(parameters: IDataObject, items?: INodeExecutionData[], options: { continueOnFail?: boolean; credential?: ICredentialDataDecryptedObject } = {}) {
	const { output } = await runNode({
		node: new AiStudios(),
		typeVersion: 2,
		parameters,
		items,
		credentials: [{ type: new AiStudiosApi(), data: options.credential ?? v3Credential() }],
		continueOnFail: options.continueOnFail,
	});
	return output;
}

async function runError(parameters: IDataObject, items?: INodeExecutionData[], credential?: ICredentialDataDecryptedObject) {
	return await run(parameters, items, { credential }).then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Error & { description?: string; context?: IDataObject }) => error,
	);
}

const v3Requests = (method?: string, path?: string | RegExp) => server.requestsTo('aiStudios', method, path ?? /^\/api\/odin\/v3\//);
const submits = () => v3Requests('POST', /^\/api\/odin\/v3\/simple\//);
const tokenOf = () => [...v3.tokens.keys()][0];
const seedItems = () => SEED_JOBS.map((json) => ({ json: { ...json } }));

async function submitted(n = 1, renderMs = 0): Promise<string[]> {
	server.renderMs = renderMs;
	const [out] = await run(FROM_ITEM, seedItems().slice(0, n));
	return out.map((i) => i.json.jobId as string);
}

describe('submit', () => {
	test("typeVersion 2 speaks v3: the seed's three chroma-key jobs, one token exchange, isExport always true", async () => {
		const [out] = await run(FROM_ITEM, seedItems());
		expect(v3Requests('POST', '/api/odin/v3/auth/token').map((r) => r.body)).toEqual([{ appId: v3.appId, userKey: v3.userKey }]);
		expect(submits().map((r) => [r.path, r.body])).toEqual(SEED_JOBS.map((job) => ['/api/odin/v3/simple/video', { ...job, isExport: true }]));
		expect(submits().every((r) => r.headers.authorization === tokenOf())).toBe(true);
		const ids = [...fake.jobs.keys()];
		expect(out.map((i) => i.json)).toEqual(
			ids.map((id) => ({ provider: 'aiStudios', jobId: id, status: 'queued', progress: null, videoUrl: null, error: null, avatarType: 'chromaKey', raw: { success: true, data: { projectId: id }, error: null } })),
		);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('a custom avatar goes to /simple/custom without clothes and returns projectId and taskId', async () => {
		const [[item]] = await run({ operation: 'submit', avatarType: 'custom', language: 'en', text: 'Hello there', model: 'CA0000000001', clothes: 'ignored' });
		expect(submits().map((r) => [r.path, r.body])).toEqual([['/api/odin/v3/simple/custom', { language: 'en', text: 'Hello there', model: 'CA0000000001', isExport: true }]]);
		const job = fake.jobs.get(item.json.jobId as string)!;
		expect(item.json).toMatchObject({ jobId: job.id, taskId: job.v3!.taskId, avatarType: 'custom', status: 'queued' });
	});

	test('options: resolution, workspace and webhook URL are sent; the provider POSTs its JSON body to the webhook when done', async () => {
		const bodies: unknown[] = [];
		const receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				bodies.push({ method: req.method, url: req.url, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/done`;
		try {
			server.renderMs = 150;
			const options = { resolution: '4k', workspaceId: 'ws-training-02', webhookUrl: hook };
			const [[item]] = await run({ ...FROM_ITEM, options }, [seedItems()[1]]);
			expect(submits()[0].body).toEqual({ ...SEED_JOBS[1], isExport: true, ...options });
			for (let i = 0; i < 500 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
			const id = item.json.jobId as string;
			expect(bodies).toEqual([{ method: 'POST', url: '/done', body: { progress: 100, backendTaskId: id, credit: 1, download_url: server.fileUrl('aiStudios', id) } }]);
		} finally {
			await new Promise((resolve) => receiver.close(resolve));
		}
	});

	test("the provider's refusal (clothes the model does not have) is an error with its words; Continue On Fail keeps the other jobs", async () => {
		const items = [seedItems()[0], { json: { ...SEED_JOBS[1], clothes: 'BG00002320' } }];
		const [out] = await run(FROM_ITEM, items, { continueOnFail: true });
		expect(out[0].json.status).toBe('queued');
		expect(out[1].json.error).toContain('Invalid clothes BG00002320 for model M000004017');
		expect(out[1].json.error).toContain('HTTP 400');
		expect(fake.acceptedSubmits).toBe(1);
	});

	test('Wait for Completion follows the projects to their files (100 without a URL keeps waiting) and downloads them', async () => {
		server.renderMs = 300;
		fake.urlLagMs = 400;
		const [out] = await run({ ...FROM_ITEM, waitForCompletion: true, waitOptions: { pollInterval: 1 } }, seedItems().slice(0, 2));
		const ids = [...fake.jobs.keys()];
		expect(out.map((i) => [i.json.jobId, i.json.status, i.json.videoUrl])).toEqual(ids.map((id) => [id, 'completed', server.fileUrl('aiStudios', id)]));
		out.forEach((item, n) => expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(ids[n], server.fileSizeOf(ids[n])))).toBe(true));
		expect(v3Requests('POST', '/api/odin/v3/auth/token')).toHaveLength(1);
	}, 20_000);

	test("the project ids go into the execution's custom data, so an execution can be found by one", async () => {
		const { customData } = await runNode({ node: new AiStudios(), typeVersion: 2, parameters: FROM_ITEM, items: seedItems(), credentials: [{ type: new AiStudiosApi(), data: v3Credential() }] });
		expect(customData).toEqual({ aiStudios_jobIds_1: [...fake.jobs.keys()].join(',') });
	});
});

describe('the fake, as the docs describe v3 (what the node is tested against)', () => {
	const call = async (method: string, path: string, body?: unknown, token?: string) => {
		const r = await fetch(`${server.baseUrl}/api/odin/v3${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: r.status, body: (await r.json()) as { success: boolean; data: IDataObject & IDataObject[]; error: IDataObject | null } };
	};

	test('isExport false (the chroma-key default) saves a project that never gets a file; isExport true renders one', async () => {
		const { body: auth } = await call('POST', '/auth/token', { appId: v3.appId, userKey: v3.userKey });
		const token = auth.data.token as string;
		const draft = (await call('POST', '/simple/video', SEED_JOBS[0], token)).body.data.projectId as string;
		const exported = (await call('POST', '/simple/video', { ...SEED_JOBS[0], isExport: true }, token)).body.data.projectId as string;
		server.now = () => Date.now() + 3_600_000;
		expect((await call('GET', `/editor/progress/${draft}`, undefined, token)).body).toEqual({ success: true, data: { state: 'draft' }, error: null });
		expect((await call('GET', `/editor/progress/${exported}`, undefined, token)).body.data).toEqual({ state: 'exported', progress: 100, downloadUrl: server.fileUrl('aiStudios', exported) });
		expect((await call('GET', '/editor/project', undefined, token)).body.data.map((p) => p.id)).toEqual([exported]);
		// the envelope's error form, for a request without a token
		expect(await call('GET', '/editor/project')).toEqual({ status: 401, body: { success: false, data: null, error: { code: 'UNAUTHORIZED', msg: 'Invalid or expired token' } } });
	});
});

describe('getStatus and getResult', () => {
	test('queued (no progress yet), processing with float progress, 100 without a URL still processing, then completed', async () => {
		let now = 1_700_000_000_000;
		server.now = () => now;
		fake.urlLagMs = 5_000;
		const [id] = await submitted(1, 10_000);
		const status = async () => (await run({ operation: 'getStatus', jobId: id }))[0][0].json;
		now += 500;
		expect(await status()).toMatchObject({ jobId: id, status: 'queued', progress: null, videoUrl: null });
		now += 3_250;
		const processing = await status();
		expect(processing).toMatchObject({ status: 'processing', progress: 38, videoUrl: null });
		expect((processing.raw as IDataObject).data).toEqual({ state: 'exporting', progress: 37.5 });
		now += 6_250;
		expect(await status()).toMatchObject({ status: 'processing', progress: 100, videoUrl: null });
		now += 5_000;
		expect(await status()).toMatchObject({ status: 'completed', progress: 100, videoUrl: server.fileUrl('aiStudios', id), error: null });
		expect(v3Requests('GET', /\/editor\/progress\//).map((r) => r.path)).toEqual(Array(4).fill(`/api/odin/v3/editor/progress/${id}`));
	});

	test("a failed render is data: status failed with the provider's error.msg; Route by Status sends it to Failed", async () => {
		server.failNextJob('aiStudios', 'Export failed: the avatar could not be rendered');
		const [failed] = await submitted(1);
		const [done] = await submitted(1);
		const outputs = await run({ operation: 'getStatus', routeByStatus: true }, [{ json: { jobId: failed } }, { json: { jobId: done } }]);
		expect(outputs[1].map((i) => i.json)).toEqual([
			expect.objectContaining({ jobId: failed, status: 'failed', progress: null, error: 'Export failed: the avatar could not be rendered' }),
		]);
		expect(outputs[0].map((i) => i.json.jobId)).toEqual([done]);
		expect(outputs[2]).toEqual([]);
	});

	test('getResult: the download URL and the file as binary; no credential goes to the file host', async () => {
		const [id] = await submitted(1);
		const [[item]] = await run({ operation: 'getResult', jobId: id });
		expect(item.json).toMatchObject({ jobId: id, status: 'completed', videoUrl: server.fileUrl('aiStudios', id) });
		expect(item.binary!.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${id}.mp4` });
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(id, server.fileSizeOf(id)))).toBe(true);
		const files = server.requestsTo(FILES);
		expect(files).toHaveLength(1);
		expect(files[0].headers.authorization).toBeUndefined();
	});

	test('getResult of a render still running fails naming the job; Download off gives the URL only', async () => {
		const [running] = await submitted(1, 60_000);
		const error = await runError({ operation: 'getResult', jobId: running });
		expect(error.message).toContain(`Job ${running} is not finished yet`);
		expect(error.context?.jobId).toBe(running);
		const [done] = await submitted(1);
		const [[item]] = await run({ operation: 'getResult', jobId: done, download: false });
		expect([item.json.videoUrl, item.binary]).toEqual([server.fileUrl('aiStudios', done), undefined]);
	});
});

describe('getAll and delete', () => {
	test('Get Many lists the exported projects, one item each with jobId; Limit keeps the first ones', async () => {
		const ids = await submitted(3);
		const [all] = await run({ operation: 'getAll', returnAll: true });
		expect(all.map((i) => i.json)).toEqual(
			ids.map((id) => ({ jobId: id, id, name: `API project ${id.slice(0, 6)}`, state: 'exported', download_url: server.fileUrl('aiStudios', id), videoUrl: server.fileUrl('aiStudios', id) })),
		);
		const [limited] = await run({ operation: 'getAll', returnAll: false, limit: 2 });
		expect(limited.map((i) => i.json.jobId)).toEqual(ids.slice(0, 2));
		expect(v3Requests('GET', '/api/odin/v3/editor/project')).toHaveLength(2);
	});

	test('Delete sends the id in `ids` and returns {jobId, success}; the project is gone; an unknown id fails naming it', async () => {
		const [id, kept] = await submitted(2);
		const [[item]] = await run({ operation: 'delete', jobId: id });
		expect(item.json).toEqual({ jobId: id, success: true });
		expect(v3Requests('DELETE').map((r) => r.body)).toEqual([{ ids: [id] }]);
		expect(fake.jobs.get(id)!.v3!.deleted).toBe(true);
		const [list] = await run({ operation: 'getAll', returnAll: true });
		expect(list.map((i) => i.json.jobId)).toEqual([kept]);
		const error = await runError({ operation: 'delete', jobId: id });
		expect(error.message).toBe(`AI Studios deleted no project with ID ${id}`);
		expect(error.context?.jobId).toBe(id);
	});
});

describe('dropdowns from the account', () => {
	const options = (parameters: IDataObject, credential: ICredentialDataDecryptedObject = v3Credential()) => ({
		node: new AiStudios(),
		typeVersion: 2,
		parameters,
		credentials: [{ type: new AiStudiosApi(), data: credential }],
	});

	test('models with English labels, the clothes of the chosen model, custom avatars, and workspaces', async () => {
		expect(await loadOptions(options({ avatarType: 'chromaKey' }), 'getModels')).toEqual([
			{ name: 'Ella', value: 'M000045058', description: 'M000045058 · 1 clothes' },
			{ name: 'Jonathan', value: 'M000004017', description: 'M000004017 · 2 clothes' },
		]);
		expect(await loadOptions(options({ model: 'M000004017' }), 'getClothes')).toEqual([
			{ name: 'Grey jacket', value: 'BG00001004', description: 'BG00001004' },
			{ name: 'Navy suit', value: 'BG00006160', description: 'BG00006160' },
		]);
		expect(await loadOptions(options({ avatarType: 'custom' }), 'getModels')).toEqual([{ name: 'My custom avatar', value: 'CA0000000001', description: 'CA0000000001' }]);
		expect(await loadOptions(options({}), 'getWorkspaces')).toEqual([
			{ name: 'Default Workspace', value: '' },
			{ name: 'Marketing', value: 'ws-marketing-01' },
			{ name: 'Training', value: 'ws-training-02' },
		]);
		expect(v3Requests('GET').map((r) => r.path)).toEqual(['/api/odin/v3/model', '/api/odin/v3/model', '/api/odin/v3/dropdown/models', '/api/odin/v3/dropdown/workspaces']);
		// each editor call here starts from the saved credential without a token (n8n would have saved the first one)
		expect(v3Requests('GET').every((r) => v3.tokens.has(r.headers.authorization as string))).toBe(true);
	});

	test('a credential without v3 keys is refused before any request, naming the credential and the version', async () => {
		const error = await loadOptions(options({}, { apiKey: fake.apiKey, baseUrl: server.baseUrl }), 'getWorkspaces').then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toBe('The credential "aiStudiosApi account" cannot serve AI Studios API Version v3: it has no App ID and User Key');
		expect(server.requests).toHaveLength(0);
	});
});
