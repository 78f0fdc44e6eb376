/**
 * The HiDream text-to-video and image-to-video examples inside a real n8n (`n8n execute`), against
 * the fake HiDream. (The stylization examples run in examples.e2e.test.ts and server.e2e.test.ts.)
 * Needs the built package (npm run build): n8n loads dist/ as custom extensions.
 */
import * as fs from 'fs';
import * as path from 'path';

import { HiDreamFake, hiDreamV3ResultsPath, hiDreamV3SubmitPath, videoBytes, type FakeServer } from '../fakes';
import { REPO_ROOT, executeWorkflow, formatRun, importWorkflow, nodeItems, readBinaryData, type N8nHome } from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';

const RENDER_MS = 5_000;

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8')) as Record<string, unknown>;

let server: FakeServer;
let fake: HiDreamFake;
let home: N8nHome;

beforeAll(async () => {
	({ server, home } = await startSandbox({ nodes: ['HiDream/HiDream.node.js'], renderMs: RENDER_MS }));
	fake = server.provider(HiDreamFake);
}, 45 * 60_000);

afterAll(async () => await stopSandbox({ server, home }));

beforeEach(() => {
	server.reset();
	server.renderMs = RENDER_MS;
});

/**
 * The submits HiDream accepted. n8n keeps the token exchanged in an earlier test with the
 * credential, which the reset fake no longer knows: that first submit is refused (401, no task)
 * and sent again once with a new token.
 */
const acceptedSubmits = () => {
	const token = [...fake.tokens.keys()].pop();
	return server.requestsTo('hiDream', 'POST').filter((r) => r.headers.authorization === `Bearer ${token}`);
};

test('examples/hidream-text-to-video-loop.json: text to video, Wait → Get Status → IF until completed, then the download', async () => {
	const { id } = await importWorkflow(home, example('hidream-text-to-video-loop.json'));
	const run = await executeWorkflow(home, id);
	if (run.exitCode !== 0) throw new Error(formatRun(run));

	const submits = acceptedSubmits();
	expect(submits.map((r) => r.path)).toEqual([hiDreamV3SubmitPath('txt2video')]);
	expect(fake.acceptedSubmits).toBe(1);
	expect(submits[0].body).toEqual({
		prompt: 'A red fox runs through fresh snow at dawn, cinematic',
		negative_prompt: 'blurry, distorted',
		resolution: '1280*720',
		camera_move_horizontal: 2,
		motion_strength: 9,
		request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
	});
	expect(fake.exchanges).toBe(1);
	const jobId = fake.lastJobId!;
	expect(nodeItems(run.result, 'Submit Text to Video')[0].json).toMatchObject({ jobId, task: 'textToVideo', status: 'queued' });

	// the task travels from Submit through every Get Status to Get Result with the default {{ $json.task }}
	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(statusRuns.length).toBeGreaterThanOrEqual(2);
	expect(nodeItems(run.result, 'Get Status', { run: 0 })[0].json).toMatchObject({ jobId, task: 'textToVideo', status: expect.stringMatching(/^(queued|processing)$/) });
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1 })[0].json).toMatchObject({ jobId, task: 'textToVideo', status: 'completed', progress: 100 });
	const reads = server.requestsTo('hiDream', 'GET', /\/results$/);
	expect(reads.length).toBe(statusRuns.length + 1);
	expect(reads.every((r) => r.path === hiDreamV3ResultsPath('txt2video') && r.query.task_id === jobId)).toBe(true);
	expect(run.result!.data.resultData.runData['Stop And Error']).toBeUndefined();

	const subTaskId = fake.jobs.get(jobId)!.subTaskIds[0];
	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ provider: 'hiDream', jobId, task: 'textToVideo', status: 'completed', videoUrl: server.fileUrl('hiDream', subTaskId) });
	expect(result.binary!.data.mimeType).toBe('video/mp4');
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(subTaskId, server.fileSizeOf(subTaskId)))).toBe(true);
});

test('examples/hidream-image-to-video-wait.json: a PNG made in the workflow, sent as image to video, waited for and downloaded', async () => {
	const workflow = example('hidream-image-to-video-wait.json') as { nodes: Array<{ name: string; parameters: { assignments?: { assignments: Array<{ value: string }> } } }> };
	const png = Buffer.from(workflow.nodes.find((n) => n.name === 'First Frame (Base64 PNG)')!.parameters.assignments!.assignments[0].value, 'base64');
	expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
	const { id } = await importWorkflow(home, workflow);
	const run = await executeWorkflow(home, id);
	if (run.exitCode !== 0) throw new Error(formatRun(run));

	const submits = acceptedSubmits();
	expect(submits.map((r) => r.path)).toEqual([hiDreamV3SubmitPath('img2video')]);
	expect(fake.acceptedSubmits).toBe(1);
	expect(submits[0].body).toEqual({
		prompt: 'The scene slowly comes alive, gentle camera push-in',
		resolution: '960*960',
		camera_move_depth: 1,
		request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		image: png.toString('base64'),
	});
	const jobId = fake.lastJobId!;
	expect(fake.jobs.get(jobId)!.imageBytes).toBe(png.length);
	// one job followed: its status is read at its own v3 path until done
	const reads = server.requestsTo('hiDream', 'GET', /\/results$/);
	expect(reads.length).toBeGreaterThanOrEqual(2);
	expect(reads.every((r) => r.path === hiDreamV3ResultsPath('img2video') && r.query.task_id === jobId)).toBe(true);

	const subTaskId = fake.jobs.get(jobId)!.subTaskIds[0];
	const [result] = nodeItems(run.result, 'Image to Video');
	expect(result.json).toMatchObject({ provider: 'hiDream', jobId, task: 'imageToVideo', status: 'completed', videoUrl: server.fileUrl('hiDream', subTaskId) });
	expect(result.binary!.data.mimeType).toBe('video/mp4');
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(subTaskId, server.fileSizeOf(subTaskId)))).toBe(true);
});
