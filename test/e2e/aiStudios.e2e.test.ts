/**
 * The AI Studios example workflows inside a real n8n, against the fake AI Studios: the v2 examples
 * (typeVersion 1) and the v3 ones (typeVersion 2, App ID + User Key exchanged for a token).
 * Needs the built package (npm run build): n8n loads dist/ as custom extensions.
 */
import * as fs from 'fs';
import * as path from 'path';

import { AiStudiosFake, videoBytes, type FakeServer } from '../fakes';
import {
	REPO_ROOT,
	executeWorkflow,
	importWorkflow,
	nodeItems,
	readBinaryData,
	type N8nHome,
} from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';
import { sandboxCredentialList } from './sandboxCredentials';

const SEED_JOBS = [
	{ language: 'ko', text: '안녕하세요, 저는 첫번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
	{ language: 'ko', text: '안녕하세요, 저는 두번째 작업입니다.', model: 'M000004017', clothes: 'BG00001004' },
	{ language: 'ko', text: '안녕하세요, 저는 세번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
];
const RENDER_MS = 5_000;

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8')) as Record<string, unknown>;

let server: FakeServer;
let fake: AiStudiosFake;
let home: N8nHome;

beforeAll(async () => {
	({ server, home } = await startSandbox({
		nodes: ['AiStudios/AiStudios.node.js'],
		renderMs: RENDER_MS,
		// the credential the examples reference, pointed at the fake: its v2 API key and v3 App ID + User Key
		credentials: (fakes) => sandboxCredentialList(fakes).filter((c) => c.type === 'aiStudiosApi'),
	}));
	fake = server.provider(AiStudiosFake);
}, 45 * 60_000);

afterAll(async () => await stopSandbox({ server, home }));

beforeEach(() => {
	server.reset();
	server.renderMs = RENDER_MS;
});

test('examples/aistudios-chromakey-batch.json: the seed\'s three jobs render at the same time and are downloaded', async () => {
	const { id } = await importWorkflow(home, example('aistudios-chromakey-batch.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(0);

	const submits = server.requestsTo('aiStudios', 'POST');
	expect(submits.map((r) => r.body)).toEqual(SEED_JOBS);
	// typeVersion 1 stays on v2: no token exchange, no v3 request
	expect(server.requestsTo('aiStudios', undefined, /^\/api\/odin\/v3\//)).toEqual([]);
	expect(submits.every((r) => r.headers.authorization === fake.apiKey)).toBe(true);
	const requests = server.requestsTo('aiStudios');
	expect(requests.slice(0, 3).map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);

	const keys = [...fake.jobs.keys()];
	const windows = keys.map((k) => ({ start: fake.jobs.get(k)!.createdAt, end: fake.jobs.get(k)!.createdAt + RENDER_MS }));
	for (const a of windows) for (const b of windows) expect(a.start < b.end && b.start < a.end).toBe(true);

	const items = nodeItems(run.result, 'Render chroma-key videos');
	expect(items).toHaveLength(3);
	items.forEach((item, i) => {
		expect(item.json).toMatchObject({ provider: 'aiStudios', jobId: keys[i], status: 'completed', progress: 100, error: null });
		expect(item.binary!.data.mimeType).toBe('video/mp4');
		expect(item.binary!.data.fileName).toBe(`${keys[i]}.mp4`);
		expect(readBinaryData(home, item.binary!.data).equals(videoBytes(keys[i], server.fileSizeOf(keys[i])))).toBe(true);
	});
});

test('examples/aistudios-polling-loop.json: Wait → Get Status → IF loops until completed, then downloads', async () => {
	const { id } = await importWorkflow(home, example('aistudios-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(0);

	expect(server.requestsTo('aiStudios', 'POST').map((r) => r.body)).toEqual([SEED_JOBS[0]]);
	const key = fake.lastJobId!;
	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(statusRuns.length).toBeGreaterThanOrEqual(2);
	expect(nodeItems(run.result, 'Get Status', { run: 0 })[0].json).toMatchObject({ jobId: key, status: expect.stringMatching(/^(queued|processing)$/) });
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1 })[0].json).toMatchObject({ status: 'completed' });
	expect(run.result!.data.resultData.runData['Stop And Error']).toBeUndefined();

	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ provider: 'aiStudios', jobId: key, status: 'completed', videoUrl: server.fileUrl('aiStudios', key) });
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(key, server.fileSizeOf(key)))).toBe(true);
});

test('examples/aistudios-polling-loop.json: a render AI Studios reports as failed ends in Stop And Error with its message', async () => {
	server.renderMs = 2_500;
	fake.failIf = () => 'Export failed: the model could not be rendered';
	const { id } = await importWorkflow(home, example('aistudios-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(1);

	const key = fake.lastJobId!;
	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1 })[0].json).toMatchObject({
		jobId: key,
		status: 'failed',
		error: 'Export failed: the model could not be rendered',
	});
	expect(run.result!.data.resultData.runData['Get Result']).toBeUndefined();
	expect(JSON.stringify(run.result!.data.resultData.error)).toContain(`AI Studios render ${key} failed: Export failed: the model could not be rendered`);
});

test("examples/aistudios-v3-chromakey-batch.json: the seed's three jobs on v3, one token for the batch, rendered together and downloaded", async () => {
	const { id } = await importWorkflow(home, example('aistudios-v3-chromakey-batch.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(0);

	expect(server.requestsTo('aiStudios', 'POST', '/api/odin/v3/auth/token').map((r) => r.body)).toEqual([{ appId: fake.v3.appId, userKey: fake.v3.userKey }]);
	// a token an earlier test saved in the credential is unknown to the reset fake: refused once, renewed, the submit resent
	const [token] = [...fake.v3.tokens.keys()];
	const submits = server.requestsTo('aiStudios', 'POST', '/api/odin/v3/simple/video').filter((r) => r.headers.authorization === token);
	expect(submits.map((r) => r.body)).toEqual(SEED_JOBS.map((job) => ({ ...job, isExport: true, resolution: '720' })));
	expect([...fake.jobs.values()].map((job) => job.body)).toEqual(submits.map((r) => r.body));
	expect(server.requestsTo('aiStudios', undefined, /^\/api\/odin\/(simple|editor)\//)).toEqual([]);

	const keys = [...fake.jobs.keys()];
	const windows = keys.map((k) => ({ start: fake.jobs.get(k)!.createdAt, end: fake.jobs.get(k)!.createdAt + RENDER_MS }));
	for (const a of windows) for (const b of windows) expect(a.start < b.end && b.start < a.end).toBe(true);

	const items = nodeItems(run.result, 'Render chroma-key videos');
	expect(items).toHaveLength(3);
	items.forEach((item, i) => {
		expect(item.json).toMatchObject({ provider: 'aiStudios', jobId: keys[i], status: 'completed', progress: 100, error: null, videoUrl: server.fileUrl('aiStudios', keys[i]) });
		expect(item.binary!.data.mimeType).toBe('video/mp4');
		expect(readBinaryData(home, item.binary!.data).equals(videoBytes(keys[i], server.fileSizeOf(keys[i])))).toBe(true);
	});
	expect(JSON.stringify(run.result)).not.toContain(token);
});

test('examples/aistudios-v3-polling-loop.json: Wait → Get Status (Route by Status) loops on Running until Completed, then downloads', async () => {
	const { id } = await importWorkflow(home, example('aistudios-v3-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(0);

	// one project, whatever token the credential had saved (a stale one is renewed once and the submit resent)
	expect([...fake.jobs.values()].map((job) => job.body)).toEqual([{ ...SEED_JOBS[0], isExport: true }]);
	const key = fake.lastJobId!;
	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(statusRuns.length).toBeGreaterThanOrEqual(2);
	// the first look: still running (third output), the last: completed (first output)
	expect(nodeItems(run.result, 'Get Status', { run: 0, output: 2 })[0].json).toMatchObject({ jobId: key, status: expect.stringMatching(/^(queued|processing)$/) });
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1, output: 0 })[0].json).toMatchObject({ jobId: key, status: 'completed' });
	expect(run.result!.data.resultData.runData['Stop And Error']).toBeUndefined();
	// the token was exchanged once and kept in the credential for the later nodes of the run
	expect(fake.v3.exchanges).toBe(1);

	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ provider: 'aiStudios', jobId: key, status: 'completed', videoUrl: server.fileUrl('aiStudios', key) });
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(key, server.fileSizeOf(key)))).toBe(true);
});

test('examples/aistudios-v3-polling-loop.json: a render AI Studios reports as failed goes out of Failed into Stop And Error with its message', async () => {
	server.renderMs = 2_500;
	server.failNextJob('aiStudios', 'Export failed: the avatar could not be rendered');
	const { id } = await importWorkflow(home, example('aistudios-v3-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(1);

	const key = fake.lastJobId!;
	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1, output: 1 })[0].json).toMatchObject({
		jobId: key,
		status: 'failed',
		error: 'Export failed: the avatar could not be rendered',
	});
	expect(run.result!.data.resultData.runData['Get Result']).toBeUndefined();
	expect(JSON.stringify(run.result!.data.resultData.error)).toContain(`AI Studios render ${key} failed: Export failed: the avatar could not be rendered`);
});
