/**
 * AI Studios Submit with Wait Method Callback, API v2 (typeVersion 1: the `webhook` field, called
 * with GET) and v3 (typeVersion 2: `webhookUrl`, a JSON POST): the fake AI Studios' real webhook
 * calls reach the node's webhook() through n8n's waiting-webhook endpoint on 127.0.0.1.
 * Seed: aistudios-chromakey-export.md's three chroma-key jobs.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { AiStudiosFake, FILES, startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import { CallbackReceiver, runCallbackSubmit } from '../helpers/callbackReceiver';
import { failure, until } from '../helpers/clock';
import type { FakeExecution } from '../helpers/execution';

const SEED_JOBS = [
	{ language: 'ko', text: '안녕하세요, 저는 첫번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
	{ language: 'ko', text: '안녕하세요, 저는 두번째 작업입니다.', model: 'M000004017', clothes: 'BG00001004' },
	{ language: 'ko', text: '안녕하세요, 저는 세번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
];
const PARAMS: IDataObject = {
	operation: 'submit',
	language: '={{ $json.language }}',
	text: '={{ $json.text }}',
	model: '={{ $json.model }}',
	clothes: '={{ $json.clothes }}',
	waitForCompletion: true,
	waitMethod: 'callback',
	waitOptions: { timeout: 300 },
};

let server: FakeServer;
let fake: AiStudiosFake;
const receiver = new CallbackReceiver();

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(AiStudiosFake);
	await receiver.start();
});
afterAll(async () => {
	await receiver.stop();
	await server.stop();
});
beforeEach(() => {
	server.reset();
	receiver.reset();
});

const VERSIONS = {
	v2: { typeVersion: 1, field: 'webhook', method: 'GET', progress: /^\/api\/odin\/editor\/progress\//, credential: () => ({ apiKey: fake.apiKey, baseUrl: server.baseUrl }) },
	v3: { typeVersion: 2, field: 'webhookUrl', method: 'POST', progress: /^\/api\/odin\/v3\/editor\/progress\//, credential: () => ({ appId: fake.v3.appId, userKey: fake.v3.userKey, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' }) },
} as const;
type Version = keyof typeof VERSIONS;

const seedItems = (): INodeExecutionData[] => SEED_JOBS.map((json) => ({ json: { ...json } }));
async function submit(version: Version, parameters: IDataObject = PARAMS) {
	const { typeVersion, credential } = VERSIONS[version];
	return await runCallbackSubmit(receiver, { node: new AiStudios(), typeVersion, parameters, items: seedItems(), credentials: [{ type: new AiStudiosApi(), data: credential() }] });
}
const submits = () => server.requestsTo('aiStudios', 'POST', /\/simple\/video$/);
const progressLooks = (version: Version) => server.requestsTo('aiStudios', 'GET', VERSIONS[version].progress);
const lookedAt = (r: { path: string }) => decodeURIComponent(r.path.split('/').pop()!);
const resumed = async (execution: FakeExecution) => await until(() => execution.status !== 'waiting', 15_000);
const isVideoOf = (item: INodeExecutionData) => Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(item.json.jobId as string, server.fileSize));

describe.each(['v2', 'v3'] as const)('API %s', (version) => {
	const { field, method } = VERSIONS[version];

	test(`every job is submitted once with ${field} = the resume URL; the execution waits until now + Timeout, the jobs stacked as timed out`, async () => {
		server.renderMs = 60_000;
		const before = Date.now();
		const { execution } = await submit(version);
		const ids = [...fake.jobs.keys()];
		expect(submits().map((r) => (r.body as IDataObject)[field])).toEqual(Array(3).fill(execution.resumeUrl));
		expect(submits().map((r) => ({ ...(r.body as IDataObject), [field]: undefined, isExport: undefined }))).toEqual(SEED_JOBS.map((job) => ({ ...job, [field]: undefined, isExport: undefined })));
		expect(execution.status).toBe('waiting');
		expect(execution.waitTill!.getTime() - before).toBeGreaterThanOrEqual(300_000);
		expect(execution.waitTill!.getTime() - Date.now()).toBeLessThanOrEqual(300_000);
		expect(execution.customData).toEqual({ aiStudios_jobIds_1: ids.join(',') });
		// one look at each job before waiting
		expect(progressLooks(version).map(lookedAt)).toEqual(ids);
		expect(execution.passDeadline()).toBe(true);
		expect(JSON.stringify(execution.output)).not.toContain(execution.resumeToken);
		execution.output![0].forEach((item, n) => {
			expect(item.json).toMatchObject({ provider: 'aiStudios', jobId: ids[n], status: 'queued', timedOut: true });
			expect(item.json.error).toMatch(new RegExp(`^AI Studios did not report job ${ids[n]} finished by the deadline`));
			expect(item.pairedItem).toEqual({ item: n });
		});
	});

	test(`refused before any request: the ${field} option set as well, naming it`, async () => {
		const error = await failure(submit(version, { ...PARAMS, options: { [field]: 'https://hooks.example.com/x' } }));
		expect(error.message).toMatch(new RegExp(`^Parameter "options\\.${field}" cannot be set together with Wait Method "Callback"`));
		expect(server.requests).toHaveLength(0);
	});

	test(`resumed by the fake's ${method} webhook once every job has ended: videos downloaded once, a failed render an item with status failed, error and jobId`, async () => {
		server.renderMs = 800;
		const { execution } = await submit(version);
		const ids = [...fake.jobs.keys()];
		// the second render fails (AI Studios calls back only for a finished video)
		fake.jobs.get(ids[1])!.failMessage = 'clothes unavailable';
		await resumed(execution);
		expect(execution.resumedBy).toBe('webhook');
		const out = execution.output![0];
		expect(out.map((i) => [i.json.jobId, i.json.status, i.pairedItem])).toEqual([
			[ids[0], 'completed', { item: 0 }],
			[ids[1], 'failed', { item: 1 }],
			[ids[2], 'completed', { item: 2 }],
		]);
		expect(out[1].json.error).toMatch(/clothes unavailable/);
		expect(JSON.stringify(out.map((i) => i.json))).not.toContain(execution.resumeToken);
		expect(out[1].binary).toBeUndefined();
		expect([out[0], out[2]].every(isVideoOf)).toBe(true);
		expect(server.requestsTo(FILES, 'GET').map((r) => r.path).sort()).toEqual([ids[0], ids[2]].map((id) => new URL(server.fileUrl('aiStudios', id)).pathname).sort());
		// the calls were the provider's own, to the resume URL; the node asked AI Studios each time
		const calls = receiver.webhookCalls(execution);
		expect(calls.every((c) => c.request.method === method && c.request.query.signature === execution.resumeToken && c.status === 200)).toBe(true);
		expect(calls.filter((c) => c.resumed)).toHaveLength(1);
		expect(progressLooks(version).slice(0, 3).map(lookedAt)).toEqual(ids);
		expect(progressLooks(version).length).toBeLessThanOrEqual(3 * (1 + calls.length));
		if (version === 'v3') expect(fake.v3.exchanges).toBe(1);
	});

	test('an early webhook and a forged one saying done are answered 200 and resume nothing; the last job ending resumes', async () => {
		fake.clock.renderMsFor = (job) => ((job.body as IDataObject).text === SEED_JOBS[0].text ? 200 : 1_500);
		const { execution } = await submit(version);
		const ids = [...fake.jobs.keys()];
		await until(() => receiver.webhookCalls(execution).length === 1);
		const forged = new URL(execution.resumeUrl);
		forged.searchParams.set('videoUrl', 'http://127.0.0.1:9/forged.mp4');
		const forgedAnswer = await fetch(forged, method === 'GET' ? {} : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ progress: 100, backendTaskId: ids[1], download_url: 'http://127.0.0.1:9/forged.mp4' }) });
		expect(forgedAnswer.status).toBe(200);
		expect(receiver.webhookCalls(execution).map((c) => [c.status, c.resumed])).toEqual([
			[200, false],
			[200, false],
		]);
		expect(execution.status).toBe('waiting');
		expect(server.filesRequests).toHaveLength(0);
		// before waiting and at the first call all three were asked; the forged call only about the two not yet ended
		expect(progressLooks(version).map(lookedAt)).toEqual([...ids, ...ids, ids[1], ids[2]]);
		await resumed(execution);
		// the job reported ended is never asked about again
		expect(progressLooks(version).slice(6).map(lookedAt)).not.toContain(ids[0]);
		expect(execution.output![0].map((i) => [i.json.jobId, i.json.status])).toEqual(ids.map((id) => [id, 'completed']));
		expect(execution.output![0].every(isVideoOf)).toBe(true);
		expect(server.filesRequests).toHaveLength(3);
	});

	test('jobs all done before the execution would wait: no wait, the videos come out at once', async () => {
		server.renderMs = 0;
		const { execution, output } = await submit(version);
		expect(execution.waitCalls).toHaveLength(0);
		expect(output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed']);
		expect(output[0].every(isVideoOf)).toBe(true);
	});
});
