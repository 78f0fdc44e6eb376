/**
 * HiDream text-to-video and image-to-video (v3) beside video stylization: the requests, the task
 * that travels with the job, the refusals before any request, and the pacing of the two families.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { HiDreamApi } from '../../credentials/HiDreamApi.credentials';
import { HiDream } from '../../nodes/HiDream/HiDream.node';
import { HIDREAM_SUBMIT_PATH, HiDreamFake, hiDreamV3ResultsPath, hiDreamV3SubmitPath, videoBytes, type FakeServer } from '../fakes';
import { failure, until, withMockedClock } from '../helpers/clock';
import { unpaced, useHiDreamFakes } from '../helpers/hiDreamFakes';
import { runNode, type RunOptions } from '../helpers/n8nContext';

const TOKEN = 'hidream-sandbox-static-token';
const IMAGE_URL = 'https://media.example.com/fox.jpg';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: FakeServer;
let fake: HiDreamFake;
useHiDreamFakes((s, f) => ([server, fake] = [s, f]));

const textParams: IDataObject = { operation: 'submit', task: 'textToVideo', prompt: 'a red fox runs through fresh snow', ...unpaced };
const imageParams: IDataObject = { operation: 'submit', task: 'imageToVideo', imageSource: 'url', imageUrl: IMAGE_URL, ...unpaced };

async function run(parameters: IDataObject, extra: Partial<RunOptions> = {}) {
	const credentials = [{ type: new HiDreamApi(), data: { authentication: 'token', token: TOKEN, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' } }];
	return await runNode({ node: new HiDream(), parameters, credentials, ...extra });
}
const first = async (parameters: IDataObject, extra: Partial<RunOptions> = {}) => (await run(parameters, extra)).output[0][0].json;
const posts = (path: string) => server.requestsTo('hiDream', 'POST', new RegExp(`^${path.replace(/\*/g, '\\*')}$`));
const bodyOf = (path: string, n = 0) => posts(path)[n].body as IDataObject;
const T2V = hiDreamV3SubmitPath('txt2video');
const I2V = hiDreamV3SubmitPath('img2video');

function imageItem(bytes: Buffer, mimeType = 'image/png'): INodeExecutionData {
	return { json: {}, binary: { data: { data: bytes.toString('base64'), mimeType, fileName: 'frame.png' } } };
}

describe('HiDream text to video', () => {
	it('sends the prompt to the v3 txt2video endpoint with a generated request id; the job carries its task', async () => {
		const job = await first(textParams);
		const body = bodyOf(T2V);
		expect(Object.keys(body).sort()).toEqual(['prompt', 'request_id']);
		expect(body.prompt).toBe('a red fox runs through fresh snow');
		expect(body.request_id).toMatch(UUID_V4);
		expect(posts(T2V)[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(job).toMatchObject({ provider: 'hiDream', jobId: fake.lastJobId, task: 'textToVideo', status: 'queued', requestId: body.request_id, notifyUrl: null });
		expect(job.style).toBeUndefined();
		expect(fake.jobs.get(fake.lastJobId!)!.task).toBe('textToVideo');
	});

	it('maps every option to HiDream’s field', async () => {
		const options = {
			negativePrompt: ' blurry ',
			version: 'v2',
			resolution: '720*1280',
			cameraMoveHorizontal: -5,
			cameraMoveVertical: 5,
			cameraMoveDepth: 0,
			motionStrength: 12.5,
			requestId: 'order-7',
			notifyUrl: 'https://n8n.example.com/webhook-waiting/7',
		};
		const job = await first({ ...textParams, options });
		expect(bodyOf(T2V)).toEqual({
			prompt: 'a red fox runs through fresh snow',
			negative_prompt: 'blurry',
			version: 'v2',
			resolution: '720*1280',
			camera_move_horizontal: -5,
			camera_move_vertical: 5,
			camera_move_depth: 0,
			motion_strength: 12.5,
			request_id: 'order-7',
			notify_url: 'https://n8n.example.com/webhook-waiting/7',
		});
		expect(job).toMatchObject({ requestId: 'order-7', notifyUrl: 'https://n8n.example.com/webhook-waiting/7' });
	});

	it('Get Status and Get Result read the v3 results of the task the job carries, and download the video', async () => {
		const job = await first(textParams);
		server.requests = [];
		const status = await first({ operation: 'getStatus' }, { items: [{ json: job }] });
		const [read] = server.requestsTo('hiDream', 'GET');
		expect([read.path, read.query]).toEqual([hiDreamV3ResultsPath('txt2video'), { task_id: job.jobId }]);
		const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
		expect(status).toMatchObject({ jobId: job.jobId, task: 'textToVideo', status: 'completed', progress: 100, videoUrl: server.fileUrl('hiDream', subTaskId) });

		const { output } = await run({ operation: 'getResult' }, { items: [{ json: status }] });
		expect(output[0][0].json).toMatchObject({ jobId: job.jobId, task: 'textToVideo', status: 'completed' });
		expect(Buffer.from(output[0][0].binary!.data.data, 'base64').equals(videoBytes(subTaskId, server.fileSize))).toBe(true);
		expect(server.requestsTo('hiDream', 'GET').map((r) => r.path)).toEqual([hiDreamV3ResultsPath('txt2video'), hiDreamV3ResultsPath('txt2video')]);
	});

	it('an item without a task (a job from before tasks existed) is read as a stylization', async () => {
		const job = await first({ operation: 'submit', style: 'ink_wash', videoSource: 'url', videoUrl: 'https://media.example.com/clip.mp4', ...unpaced });
		expect(job.task).toBe('videoStylization');
		server.requests = [];
		const status = await first({ operation: 'getStatus' }, { items: [{ json: { jobId: job.jobId } }] });
		expect(status).toMatchObject({ jobId: job.jobId, task: 'videoStylization', status: 'completed' });
		expect(server.requestsTo('hiDream', 'GET')[0].path).toBe(`${HIDREAM_SUBMIT_PATH}/results`);
	});

	it('a task at status 1 without its video is still running; a negative status stays running', async () => {
		const job = await first(textParams);
		const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
		const answer = (status: number, video: string) => ({
			code: 0,
			message: 'success',
			result: { task_id: job.jobId, sub_task_results: [{ sub_task_id: subTaskId, task_status: status, task_completion: 1, video }] },
		});
		server.inject({ provider: 'hiDream', method: 'GET', path: hiDreamV3ResultsPath('txt2video'), status: 200, body: answer(1, '') });
		expect(await first({ operation: 'getStatus' }, { items: [{ json: job }] })).toMatchObject({ status: 'processing', videoUrl: null });
		fake.forceTaskStatus(job.jobId as string, -3);
		expect(await first({ operation: 'getStatus' }, { items: [{ json: job }] })).toMatchObject({ status: 'processing', videoUrl: null });
	});

	it('a task HiDream’s content review rejected is failed data', async () => {
		const job = await first(textParams);
		fake.forceTaskStatus(job.jobId as string, 4);
		const status = await first({ operation: 'getStatus' }, { items: [{ json: job }] });
		expect(status).toMatchObject({ status: 'failed', error: expect.stringMatching(/^HiDream's content review rejected the task \(task_status 4\)/) });
	});
});

describe('HiDream image to video', () => {
	it('sends the image URL (and an optional prompt) to the v3 img2video endpoint', async () => {
		const job = await first({ ...imageParams, prompt: ' the fox turns its head ' });
		expect(bodyOf(I2V)).toEqual({ prompt: 'the fox turns its head', image: IMAGE_URL, request_id: job.requestId });
		expect(job.task).toBe('imageToVideo');
		const status = await first({ operation: 'getStatus' }, { items: [{ json: job }] });
		expect(status).toMatchObject({ task: 'imageToVideo', status: 'completed' });
		expect(server.requestsTo('hiDream', 'GET')[0].path).toBe(hiDreamV3ResultsPath('img2video'));
	});

	it('sends a binary image base64-encoded, with no prompt when none is given', async () => {
		const image = videoBytes('frame', 30_000);
		const job = await first({ ...imageParams, imageSource: 'binary' }, { items: [imageItem(image, 'image/jpeg')] });
		expect(bodyOf(I2V)).toEqual({ image: image.toString('base64'), request_id: job.requestId });
		expect(fake.jobs.get(job.jobId as string)!.imageBytes).toBe(30_000);
	});
});

describe('HiDream text/image to video: refused before any request, naming the field', () => {
	const cases: Array<[string, IDataObject, Partial<RunOptions>, RegExp]> = [
		['text to video without a prompt', { ...textParams, prompt: '  ' }, {}, /^Parameter "prompt" is required/],
		['image to video without an image URL', { ...imageParams, imageUrl: '' }, {}, /^Parameter "imageUrl" must be an http\(s\) URL/],
		['image to video with a binary that is not an image', { ...imageParams, imageSource: 'binary' }, { items: [imageItem(Buffer.from('%PDF-1.7'), 'application/pdf')] }, /^Parameter "binaryPropertyName" holds "frame.png" of type application\/pdf, not an image/],
		['image to video with no binary at all', { ...imageParams, imageSource: 'binary' }, {}, /^Parameter "binaryPropertyName" names the binary field "data", but the input item has no binary data/],
		['a resolution not among the three', { ...textParams, options: { resolution: '1920*1080' } }, {}, /^Parameter "options.resolution" must be one of "960\*960", "1280\*720", "720\*1280"; got "1920\*1080"/],
		['a camera move above 5', { ...textParams, options: { cameraMoveHorizontal: 6 } }, {}, /^Parameter "options.cameraMoveHorizontal" must be in \[-5, 5\]; got 6/],
		['a camera move below -5', { ...imageParams, options: { cameraMoveDepth: -6 } }, {}, /^Parameter "options.cameraMoveDepth" must be in \[-5, 5\]; got -6/],
		['a camera move that is not an integer', { ...textParams, options: { cameraMoveVertical: 1.5 } }, {}, /^Parameter "options.cameraMoveVertical" must be a whole number; got 1.5/],
		['a motion strength above 30', { ...textParams, options: { motionStrength: 30.5 } }, {}, /^Parameter "options.motionStrength" must be in \[0, 30\]; got 30.5/],
		['a negative motion strength', { ...imageParams, options: { motionStrength: -1 } }, {}, /^Parameter "options.motionStrength" must be in \[0, 30\]; got -1/],
		['an unknown task', { ...textParams, task: 'textToSpeech' }, {}, /^Parameter "task" must be one of "videoStylization", "textToVideo", "imageToVideo"; got "textToSpeech"/],
		['a notify URL that is not a URL', { ...textParams, options: { notifyUrl: 'not a url' } }, {}, /^Parameter "options.notifyUrl" must be an http\(s\) URL/],
	];
	it.each(cases)('%s', async (_name, parameters, extra, message) => {
		const error = await failure(run(parameters, extra));
		expect(error.message).toMatch(message);
		expect(server.requests).toHaveLength(0);
	});

	it('Get Status refuses a task it does not know, naming the field', async () => {
		const error = await failure(run({ operation: 'getStatus', jobId: 'task-1', task: 'textToSpeech' }));
		expect(error.message).toMatch(/^Parameter "task" must be "videoStylization", "textToVideo", "imageToVideo" or empty/);
		expect(server.requests).toHaveLength(0);
	});
});

describe('HiDream pacing: each family has its own limit per credential', () => {
	it('paces text/image to video to 10 a minute and stylizations to 2 a minute, side by side, with no 429', async () => {
		fake.generationsPerWindow = 10;
		fake.stylizationsPerWindow = 2;
		const t = (n: number) => Array.from({ length: n }, (_, i) => ({ json: { task: i % 2 ? 'imageToVideo' : 'textToVideo' } }));
		const s = (n: number) => Array.from({ length: n }, () => ({ json: { task: 'videoStylization' } }));
		// ten generations fill their minute; two stylizations still go at once; then one of each waits the minute
		const items = [...t(10), ...s(2), ...t(1), ...s(1)];
		const parameters = { operation: 'submit', task: '={{ $json.task }}', prompt: 'a fox', imageUrl: IMAGE_URL, style: 'ink_wash', videoUrl: 'https://media.example.com/clip.mp4' };
		const output = await withMockedClock(async (advance) => {
			const pending = run(parameters, { items });
			await until(() => server.requests.length >= 12);
			await advance(59_000);
			expect(server.requests).toHaveLength(12);
			await advance(1_500);
			await until(() => server.requests.length === 14);
			return (await pending).output;
		});
		const sent = server.requestsTo('hiDream', 'POST');
		expect(sent.map((r) => r.path.split('/')[5])).toEqual([...Array(10).fill(['txt2video', 'img2video']).flat().slice(0, 10), 'video_edit', 'video_edit', 'txt2video', 'video_edit']);
		expect(sent[11].at - sent[0].at).toBeLessThan(1_000);
		expect(sent[12].at - sent[0].at).toBeGreaterThanOrEqual(60_000);
		expect(sent[13].at - sent[10].at).toBeGreaterThanOrEqual(60_000);
		expect(fake.rateLimited).toBe(0);
		expect(fake.acceptedSubmits).toBe(14);
		expect(output[0].map((i) => i.json.task)).toEqual(items.map((i) => i.json.task));
	}, 20_000);

	it('a 429 of the generation family is waited out and never becomes a second task', async () => {
		fake.generationsPerWindow = 1;
		fake.rateWindowMs = 1_000;
		fake.retryAfterSeconds = 'auto';
		const items = [{ json: { id: 'g0' } }, { json: { id: 'g1' } }];
		const { output } = await run({ ...textParams, options: { requestId: '={{ $json.id }}' } }, { items });
		expect(fake.rateLimited).toBe(1);
		expect(fake.acceptedSubmits).toBe(2);
		expect(posts(T2V).map((r) => (r.body as IDataObject).request_id)).toEqual(['g0', 'g1', 'g1']);
		expect(output[0].map((i) => i.json.requestId)).toEqual(['g0', 'g1']);
	});
});
