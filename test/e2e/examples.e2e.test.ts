/**
 * The polling-loop examples of CDNvideo and HiDream inside a real n8n (`n8n execute`), against the
 * fake providers; AI Studios' and kvid's examples run in aiStudios.e2e.test.ts / kvid.e2e.test.ts,
 * the HiDream callback example and the queue-mode run in server.e2e.test.ts. The first test checks
 * that every file in examples/ is run by some end-to-end test, so a new example cannot go untested.
 * Needs the built package (npm run build): n8n loads dist/ as custom extensions.
 */
import * as fs from 'fs';
import * as path from 'path';

import { CdnVideoFake, HiDreamFake, videoBytes, type FakeServer } from '../fakes';
import {
	REPO_ROOT,
	executeWorkflow,
	formatRun,
	importWorkflow,
	nodeItems,
	readBinaryData,
	type N8nHome,
} from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';

/** long enough for the example's 2 s Wait to poll at least twice, short enough to keep the suite quick */
const RENDER_MS = 6_000;

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const example = (name: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, name), 'utf8')) as Record<string, unknown>;

let server: FakeServer;
let home: N8nHome;

beforeAll(async () => {
	// the credentials the examples reference (ids cdnvideo-sandbox, ...), pointed at the fakes
	({ server, home } = await startSandbox({ nodes: ['CdnVideo/CdnVideo.node.js', 'HiDream/HiDream.node.js'], renderMs: RENDER_MS }));
}, 45 * 60_000);

afterAll(async () => await stopSandbox({ server, home }));

beforeEach(() => {
	server.reset();
	server.renderMs = RENDER_MS;
});

test('every example workflow is run by an end-to-end test', () => {
	const examples = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
	expect(examples.length).toBeGreaterThanOrEqual(6);
	const tests = fs
		.readdirSync(__dirname)
		.filter((f) => f.endsWith('.e2e.test.ts'))
		.map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'))
		.join('\n');
	expect(examples.filter((f) => !tests.includes(`'${f}'`))).toEqual([]);
	// each one uses the node types users get and the sandbox credential ids
	for (const file of examples) {
		const wf = example(file) as { nodes: Array<{ type: string; credentials?: Record<string, { id: string }> }> };
		const ours = wf.nodes.filter((n) => n.type.startsWith('n8n-nodes-ai-video.'));
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			for (const cred of Object.values(node.credentials ?? {})) expect(cred.id).toMatch(/^[a-z]+-sandbox$/);
		}
	}
});

/** asserts the loop's shape from n8n's own run data: Get Status ran >= 2 times, ended completed, no error path */
function expectLoop(run: Awaited<ReturnType<typeof executeWorkflow>>, jobId: string): void {
	const runData = run.result!.data.resultData.runData;
	const statusRuns = runData['Get Status'];
	expect(statusRuns.length).toBeGreaterThanOrEqual(2);
	expect(runData['Wait'].length).toBe(statusRuns.length);
	expect(nodeItems(run.result, 'Get Status', { run: 0 })[0].json).toMatchObject({
		jobId,
		status: expect.stringMatching(/^(queued|processing)$/),
	});
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1 })[0].json).toMatchObject({
		jobId,
		status: 'completed',
		progress: 100,
	});
	expect(runData['Stop And Error']).toBeUndefined();
}

test("examples/cdnvideo-polling-loop.json: Submit → Wait → Get Status → IF until completed, then the download", async () => {
	const { id } = await importWorkflow(home, example('cdnvideo-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	if (run.exitCode !== 0) throw new Error(formatRun(run));
	const fake = server.provider(CdnVideoFake);

	const submits = server.requestsTo('cdnVideo', 'POST', /\/generate$/);
	expect(submits).toHaveLength(1);
	expect(submits[0].headers['cdn-auth-token']).toBe(fake.staticToken);
	expect(submits[0].body).toMatchObject({
		script: 'Hello! This presenter video was made by n8n.',
		actor: { name: 'Natalia', version: 'latest', shot: 'waist' },
		voice: 'Alena',
		emotion: 'good',
		background: 'green_screen',
		video_name: 'n8n example',
	});
	expect(fake.acceptedSubmits).toBe(1);
	const jobId = fake.lastJobId!;
	expectLoop(run, jobId);

	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ provider: 'cdnVideo', jobId, status: 'completed', error: null });
	expect(result.binary!.data.mimeType).toBe('video/mp4');
	expect(result.binary!.data.fileName).toMatch(/\.mp4$/);
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(jobId, server.fileSizeOf(jobId)))).toBe(true);
	expect(server.requestsTo('files', 'GET')).toHaveLength(1);
});

test('examples/hidream-polling-loop.json: Submit Stylization → Wait → Get Status → IF until completed, then the download', async () => {
	const { id } = await importWorkflow(home, example('hidream-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	if (run.exitCode !== 0) throw new Error(formatRun(run));
	const fake = server.provider(HiDreamFake);

	const submits = server.requestsTo('hiDream', 'POST');
	expect(submits).toHaveLength(1);
	expect(submits[0].body).toMatchObject({
		style: 'ink_wash',
		video_name: 'https://media.hidreamai.com/42c6c363-c20e-47a5-aa92-18c17c798793.mp4',
	});
	expect((submits[0].body as Record<string, unknown>).notify_url).toBeUndefined();
	// apiKey mode: one key exchange for the whole execution, then Bearer <token>
	expect(fake.exchanges).toBe(1);
	expect(fake.acceptedSubmits).toBe(1);
	const jobId = fake.lastJobId!;
	expectLoop(run, jobId);
	expect(nodeItems(run.result, 'Submit Stylization')[0].json).toMatchObject({ provider: 'hiDream', jobId });

	const subTaskId = fake.jobs.get(jobId)!.subTaskIds[0];
	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ provider: 'hiDream', jobId, status: 'completed', videoUrl: server.fileUrl('hiDream', subTaskId) });
	expect(result.binary!.data.mimeType).toBe('video/mp4');
	expect(result.binary!.data.fileName).toMatch(/\.mp4$/);
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(subTaskId, server.fileSizeOf(subTaskId)))).toBe(true);
	expect(fake.callbacks).toEqual([]);
});
