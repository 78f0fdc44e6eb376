/**
 * kvid's generation API inside a real n8n (node typeVersion 2), against the fake generation API:
 * the Veo 3.1 text-to-video example (Wait for Completion in the node) and the reference-to-video
 * example (two images and a soundtrack, polled with Route by Status). The credential is the
 * sandbox's (`npm start` imports the same one), which names a credit pool.
 * Needs the built package (npm run build): n8n loads dist/ as custom extensions.
 */
import * as fs from 'fs';
import * as path from 'path';

import { KvidGenerationFake, videoBytes, type FakeServer } from '../fakes';
import { REPO_ROOT, executeWorkflow, formatRun, importWorkflow, nodeItems, readBinaryData, type N8nHome } from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';
import { sandboxCredentialList } from './sandboxCredentials';

const RENDER_MS = 5_000;

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8')) as Record<string, unknown>;

let server: FakeServer;
let fake: KvidGenerationFake;
let home: N8nHome;

beforeAll(async () => {
	({ server, home } = await startSandbox({
		nodes: ['Kvid/Kvid.node.js'],
		renderMs: RENDER_MS,
		credentials: (fakes) => sandboxCredentialList(fakes).filter((c) => c.type === 'kvidApi'),
	}));
	fake = server.provider(KvidGenerationFake);
}, 45 * 60_000);

afterAll(async () => await stopSandbox({ server, home }));

beforeEach(() => {
	server.reset();
	server.renderMs = RENDER_MS;
});

test('examples/kvid-veo-text-to-video.json: veo3.1 text to video, waited for in the node from the estimate on, with the file', async () => {
	const { id } = await importWorkflow(home, example('kvid-veo-text-to-video.json'));
	const run = await executeWorkflow(home, id);
	if (run.exitCode !== 0) throw new Error(formatRun(run));

	const submits = server.requestsTo('kvidGeneration', 'POST');
	expect(submits.map((r) => [r.path, r.body])).toEqual([
		[
			'/ai/generation/text-to-video/generate-async',
			{
				product_code: 'SANDBOX',
				prompt: 'A beautiful sunset over the ocean, slow aerial shot, golden light on the waves',
				model: 'veo3.1',
				function: 'txt2vid',
				aspect_ratio: '16:9',
				duration: 5,
				negative_prompt: 'text, watermark',
				resolution: '480p',
			},
		],
	]);
	const job = fake.lastJob!;
	expect(fake.acceptedSubmits).toBe(1);
	// the fake estimated "5-13s": no status check before 5 s
	const looks = server.requestsTo('kvidGeneration', 'GET', '/ai/generation/status');
	expect(looks.length).toBeGreaterThanOrEqual(1);
	expect(looks[0].at - submits[0].at).toBeGreaterThanOrEqual(5_000);
	expect(looks.every((r) => r.query.jobId === job.id)).toBe(true);

	const [result] = nodeItems(run.result, 'Render with Veo 3.1');
	expect(result.json).toMatchObject({
		provider: 'kvid',
		jobId: job.id,
		status: 'completed',
		mode: 'textToVideo',
		videoUrl: server.fileUrl('kvidGeneration', job.id),
		width: 853,
		height: 480,
		fileSize: server.fileSizeOf(job.id),
		creditsUsed: 150,
	});
	expect(result.binary!.data.mimeType).toBe('video/mp4');
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(job.id, server.fileSizeOf(job.id)))).toBe(true);
});

test('examples/kvid-reference-to-video.json: two images and an audio URL, Get Status routes Running back to Wait, then Get Result', async () => {
	const { id } = await importWorkflow(home, example('kvid-reference-to-video.json'));
	const run = await executeWorkflow(home, id);
	if (run.exitCode !== 0) throw new Error(formatRun(run));

	const submits = server.requestsTo('kvidGeneration', 'POST');
	expect(submits).toHaveLength(1);
	expect(submits[0].path).toBe('/ai/generation/reference-to-video/generate-async');
	expect(submits[0].body).toEqual({
		product_code: 'SANDBOX',
		prompt: 'The dancer from the reference images performs a short K-pop routine on a neon-lit stage, in time with the music',
		model: 'seedance',
		function: 'ref2vid',
		aspect_ratio: '9:16',
		duration: 10,
		generate_audio: false,
		resolution: '720p',
		image_urls: ['https://media.example.com/dancer-front.png', 'https://media.example.com/dancer-side.png'],
		video_urls: [],
		audio_urls: ['https://media.example.com/beat-10s.mp3'],
	});
	const job = fake.lastJob!;
	const runData = run.result!.data.resultData.runData;
	expect(runData['Get Status'].length).toBeGreaterThanOrEqual(2);
	expect(runData['Wait'].length).toBe(runData['Get Status'].length);
	expect(nodeItems(run.result, 'Get Status', { run: 0, output: 2 })[0].json).toMatchObject({ jobId: job.id, status: expect.stringMatching(/^(queued|processing)$/), mode: 'referenceToVideo' });
	expect(runData['Stop And Error']).toBeUndefined();

	const [result] = nodeItems(run.result, 'Get Result');
	expect(result.json).toMatchObject({ jobId: job.id, status: 'completed', mode: 'referenceToVideo', width: 720, height: 1280, creditsUsed: 108 });
	expect(readBinaryData(home, result.binary!.data).equals(videoBytes(job.id, server.fileSizeOf(job.id)))).toBe(true);
});

test('examples/kvid-reference-to-video.json: a job canceled at kvid leaves through Failed to Stop And Error', async () => {
	server.renderMs = 60_000;
	const { id } = await importWorkflow(home, example('kvid-reference-to-video.json'));
	server.onRequest = (request) => {
		if (request.provider === 'kvidGeneration' && request.method === 'POST') setImmediate(() => server.cancelJob('kvidGeneration', fake.lastJob!.id, 'canceled in the kvid dashboard'));
	};
	const run = await executeWorkflow(home, id);
	server.onRequest = undefined;
	expect(run.exitCode).toBe(1);
	const job = fake.lastJob!;
	expect(nodeItems(run.result, 'Get Status', { run: 0, output: 1 })[0].json).toMatchObject({ jobId: job.id, status: 'canceled', error: 'canceled in the kvid dashboard' });
	expect(run.result!.data.resultData.runData['Get Result']).toBeUndefined();
	expect(JSON.stringify(run.result!.data.resultData.error)).toContain(`kvid video ${job.id} canceled: canceled in the kvid dashboard`);
});
