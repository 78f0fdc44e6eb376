/**
 * The kvid example workflow inside a real n8n, against the fake kvid.
 * Needs the built package (npm run build): n8n loads dist/ as custom extensions.
 */
import * as fs from 'fs';
import * as path from 'path';

import { KvidFake, videoBytes, type FakeServer } from '../fakes';
import {
	REPO_ROOT,
	executeWorkflow,
	importWorkflow,
	nodeItems,
	readBinaryData,
	type N8nHome,
} from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';

const RENDER_MS = 5_000;

interface Workflow {
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
	[key: string]: unknown;
}

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8')) as Workflow;

let server: FakeServer;
let fake: KvidFake;
let home: N8nHome;

beforeAll(async () => {
	({ server, home } = await startSandbox({
		nodes: ['Kvid/Kvid.node.js'],
		renderMs: RENDER_MS,
		// the credential the example references, pointed at the fake (the legacy API needs no credit pool)
		credentials: (fakes) => [{ id: 'kvid-sandbox', name: 'kvid sandbox', type: 'kvidApi', data: { apiKey: fakes.provider(KvidFake).apiKey, baseUrl: fakes.baseUrl } }],
	}));
	fake = server.provider(KvidFake);
}, 45 * 60_000);

afterAll(async () => await stopSandbox({ server, home }));

beforeEach(() => {
	server.reset();
	server.renderMs = RENDER_MS;
});

test('examples/kvid-polling-loop.json: text to video, Wait → Get Status → IF until completed, then the download', async () => {
	const { id } = await importWorkflow(home, example('kvid-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(0);

	const submits = server.requestsTo('kvid', 'POST');
	expect(submits).toHaveLength(1);
	expect(submits[0].path).toBe('/ai/video/text-to-video/generate');
	expect(submits[0].headers['api-key']).toBe(fake.apiKey);
	expect(submits[0].body).toEqual({
		prompt: 'A waterfall flowing down a mountain, nature documentary style',
		negative_prompt: 'low quality, bad anatomy',
		num_frames: 81,
		frames_per_second: 16,
		resolution: '720p',
		aspect_ratio: '16:9',
	});
	const jobId = fake.lastJob!.id;

	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(statusRuns.length).toBeGreaterThanOrEqual(2);
	expect(nodeItems(run.result, 'Get Status', { run: 0 })[0].json).toMatchObject({ jobId, mode: 'textToVideo', status: expect.stringMatching(/^(queued|processing)$/) });
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1 })[0].json).toMatchObject({ status: 'completed', progress: 100 });
	expect(server.requestsTo('kvid', 'GET', '/ai/video/text-to-video/status').every((r) => r.query.request_id === jobId)).toBe(true);
	expect(run.result!.data.resultData.runData['Stop And Error']).toBeUndefined();

	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ provider: 'kvid', jobId, mode: 'textToVideo', status: 'completed', videoUrl: server.fileUrl('kvid', jobId), fileName: 'generated_video.mp4' });
	expect(result.binary!.data.mimeType).toBe('video/mp4');
	expect(result.binary!.data.fileName).toBe(`${jobId}.mp4`);
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(jobId, server.fileSizeOf(jobId)))).toBe(true);
});

test('the same loop for image to video with seedance: the mode travels from Submit through Get Status to Get Result', async () => {
	const workflow = example('kvid-polling-loop.json');
	const submit = workflow.nodes.find((n) => n.name === 'Submit')!;
	submit.parameters = {
		operation: 'submit',
		mode: 'imageToVideo',
		model: 'seedance',
		prompt: 'The tiger blinks and tilts its head slightly. [Low-angle close-up shot]',
		imageUrl: 'https://img.example/tiger.jpg',
		options: { resolution: '480p', duration: '5', cameraFixed: true },
	};
	const { id } = await importWorkflow(home, workflow);
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(0);

	expect(server.requestsTo('kvid', 'POST').map((r) => [r.path, r.body])).toEqual([
		[
			'/ai/video/image-to-video/generate',
			{
				prompt: 'The tiger blinks and tilts its head slightly. [Low-angle close-up shot]',
				model: 'bytedance/seedance/v1/lite/image-to-video',
				resolution: '480p',
				duration: '5',
				camera_fixed: true,
				image_url: 'https://img.example/tiger.jpg',
			},
		],
	]);
	const gets = server.requestsTo('kvid', 'GET');
	expect(gets.length).toBeGreaterThanOrEqual(3);
	expect(gets.every((r) => r.path.startsWith('/ai/video/image-to-video/'))).toBe(true);
	const jobId = fake.lastJob!.id;
	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ jobId, mode: 'imageToVideo', status: 'completed' });
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(jobId, server.fileSizeOf(jobId)))).toBe(true);
});

test('examples/kvid-polling-loop.json: a render kvid reports as failed ends in Stop And Error with its reason', async () => {
	server.renderMs = 2_500;
	server.failNextJob('kvid', 'prompt rejected by the safety checker');
	const { id } = await importWorkflow(home, example('kvid-polling-loop.json'));
	const run = await executeWorkflow(home, id);
	expect(run.exitCode).toBe(1);

	const jobId = fake.lastJob!.id;
	const statusRuns = run.result!.data.resultData.runData['Get Status'];
	expect(nodeItems(run.result, 'Get Status', { run: statusRuns.length - 1 })[0].json).toMatchObject({
		jobId,
		status: 'failed',
		providerStatus: 'FAILED',
		error: expect.stringMatching(/Error: prompt rejected by the safety checker$/),
	});
	expect(run.result!.data.resultData.runData['Get Result']).toBeUndefined();
	expect(JSON.stringify(run.result!.data.resultData.error)).toContain(`kvid video ${jobId} failed:`);
	expect(JSON.stringify(run.result!.data.resultData.error)).toContain('prompt rejected by the safety checker');
});
