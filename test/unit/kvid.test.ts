import axios from 'axios';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	NodeApiError,
	NodeOperationError,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { KvidApi } from '../../credentials/KvidApi.credentials';
import { Kvid } from '../../nodes/Kvid/Kvid.node';
import { IMAGE_MAX_BYTES } from '../../nodes/Kvid/actions/submit.operation';
import { toJobStatus } from '../../nodes/Kvid/job';
import { FILES, KvidFake, startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import { runNode, testCredential, type RunOptions } from '../helpers/n8nContext';

const KEY = 'kvid-sandbox-key';

let server: FakeServer;
let fake: KvidFake;

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(KvidFake);
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

const credentialType = new KvidApi();
const credentials = (data: IDataObject = {}) => [{ type: credentialType, data: { apiKey: KEY, baseUrl: server.baseUrl, ...data } }];

async function run(parameters: IDataObject, extra: Partial<RunOptions> = {}) {
	return await runNode({ node: new Kvid(), parameters, credentials: credentials(), ...extra });
}

const requests = (method?: string, p?: string | RegExp) => server.requestsTo('kvid', method, p);
const posts = () => requests('POST');
const lastBody = () => posts()[posts().length - 1].body as IDataObject;

const t2v = { operation: 'submit', mode: 'textToVideo', prompt: 'A waterfall flowing down a mountain, nature documentary style' };
const i2v = { operation: 'submit', mode: 'imageToVideo', prompt: 'Make the subject move naturally', imageUrl: 'https://img.example/tiger.jpg' };

async function submitOne(params: IDataObject = {}, extra: Partial<RunOptions> = {}) {
	const { output } = await run({ ...t2v, ...params }, extra);
	return output[0][0].json;
}

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string; httpCode?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

/** Everything an error shows a user or a log, as one string. */
const errorText = (error: Error & { description?: string }) => `${error.message}\n${error.description ?? ''}\n${JSON.stringify(error)}`;

// A small PNG (signature + IHDR), enough to be an image by its bytes and its MIME type.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const binaryItem = (buffer: Buffer, mimeType = 'image/png', fileName = 'tiger.png', prop = 'data'): INodeExecutionData => ({
	json: {},
	binary: { [prop]: { data: buffer.toString('base64'), mimeType, fileName } as IBinaryData },
});

describe('kvid submit: both modes × both models', () => {
	it('text-to-video with wan sends every wan option by its doc name and returns the job with its mode', async () => {
		const { output } = await run({
			...t2v,
			model: 'wan',
			options: {
				negativePrompt: 'low quality, bad anatomy',
				numFrames: 90,
				framesPerSecond: 20,
				seed: 42,
				resolution: '480p',
				aspectRatio: '9:16',
				numInferenceSteps: 25,
				enableSafetyChecker: false,
				enablePromptExpansion: false,
			},
		});
		const [item] = output[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ provider: 'kvid', status: 'queued', progress: null, videoUrl: null, error: null, mode: 'textToVideo', model: 'wan' });
		expect(item.json.jobId).toBe(fake.lastJob!.id);
		expect(item.json.raw).toEqual({ success: true, data: { request_id: fake.lastJob!.id }, message: 'Video generation request submitted successfully' });

		const [request] = posts();
		expect(request.path).toBe('/ai/video/text-to-video/generate');
		expect(request.headers['api-key']).toBe(KEY);
		expect(request.body).toEqual({
			prompt: t2v.prompt,
			negative_prompt: 'low quality, bad anatomy',
			num_frames: 90,
			frames_per_second: 20,
			seed: 42,
			resolution: '480p',
			aspect_ratio: '9:16',
			num_inference_steps: 25,
			enable_safety_checker: false,
			enable_prompt_expansion: false,
		});
		expect(fake.acceptedSubmits).toBe(1);
	});

	it('text-to-video with seedance sends the model path, the duration as a string and camera_fixed', async () => {
		const job = await submitOne({ model: 'seedance', options: { aspectRatio: '4:3', resolution: '1080p', duration: '10', cameraFixed: true, seed: 7 } });
		expect(job).toMatchObject({ mode: 'textToVideo', model: 'seedance', status: 'queued' });
		expect(posts()[0].path).toBe('/ai/video/text-to-video/generate');
		expect(lastBody()).toEqual({
			prompt: t2v.prompt,
			model: 'bytedance/seedance/v1/lite/text-to-video',
			aspect_ratio: '4:3',
			resolution: '1080p',
			duration: '10',
			camera_fixed: true,
			seed: 7,
		});
	});

	it('image-to-video with wan sends the image URL and accepts the image-only aspect ratios', async () => {
		const { output } = await run({ ...i2v, model: 'wan', options: { aspectRatio: 'auto', numFrames: 81, framesPerSecond: 16 } });
		expect(output[0][0].json).toMatchObject({ mode: 'imageToVideo', model: 'wan', jobId: fake.lastJob!.id });
		expect(posts()[0].path).toBe('/ai/video/image-to-video/generate');
		expect(lastBody()).toEqual({ prompt: i2v.prompt, aspect_ratio: 'auto', num_frames: 81, frames_per_second: 16, image_url: 'https://img.example/tiger.jpg' });
		await run({ ...i2v, model: 'wan', options: { aspectRatio: '1:1' } });
		expect(lastBody().aspect_ratio).toBe('1:1');
		expect(fake.acceptedSubmits).toBe(2);
	});

	it('image-to-video with seedance sends the image-to-video model and the end image', async () => {
		await run({ ...i2v, model: 'seedance', options: { endImageUrl: 'https://img.example/end.jpg', resolution: '480p', duration: '5', cameraFixed: false } });
		expect(lastBody()).toEqual({
			prompt: i2v.prompt,
			model: 'bytedance/seedance/v1/lite/image-to-video',
			end_image_url: 'https://img.example/end.jpg',
			resolution: '480p',
			duration: '5',
			camera_fixed: false,
			image_url: 'https://img.example/tiger.jpg',
		});
		expect(fake.lastJob).toMatchObject({ mode: 'image-to-video', model: 'seedance' });
	});

	it('with no options set sends only what is required, so kvid applies its own defaults', async () => {
		await submitOne();
		expect(lastBody()).toEqual({ prompt: t2v.prompt });
		await submitOne({ model: 'seedance' });
		expect(lastBody()).toEqual({ prompt: t2v.prompt, model: 'bytedance/seedance/v1/lite/text-to-video' });
		await run(i2v);
		expect(lastBody()).toEqual({ prompt: i2v.prompt, image_url: i2v.imageUrl });
	});

	it('does not send options of the other model or mode that are left in the collection', async () => {
		// e.g. after switching the model in the editor, which keeps the collection's values
		await submitOne({ model: 'seedance', options: { numFrames: 90, negativePrompt: 'blur', endImageUrl: 'https://img.example/end.jpg', duration: '10' } });
		expect(lastBody()).toEqual({ prompt: t2v.prompt, model: 'bytedance/seedance/v1/lite/text-to-video', duration: '10' });
		await submitOne({ model: 'wan', options: { cameraFixed: true, duration: '10', numFrames: 100 } });
		expect(lastBody()).toEqual({ prompt: t2v.prompt, num_frames: 100 });
		expect(fake.acceptedSubmits).toBe(2);
	});

	it('submits every item, each paired with its input', async () => {
		const items = ['one', 'two', 'three'].map((p) => ({ json: { p } }));
		const { output } = await run({ ...t2v, prompt: '={{ $json.p }}' }, { items });
		expect(output[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(posts().map((r) => (r.body as IDataObject).prompt)).toEqual(['one', 'two', 'three']);
		expect(new Set(output[0].map((o) => o.json.jobId)).size).toBe(3);
	});
});

describe('kvid editor: each model and mode shows only its own options, with the doc defaults', () => {
	const properties = new Kvid().description.properties;
	const collectionFor = (model: string, mode: string) => {
		const shown = properties.filter(
			(p) => p.name === 'options' && p.displayOptions?.show?.apiVersion?.includes('legacy') && p.displayOptions.show.model?.includes(model) && p.displayOptions.show.mode?.includes(mode),
		);
		expect(shown).toHaveLength(1);
		expect(shown[0].displayOptions?.show?.operation).toEqual(['submit']);
		return Object.fromEntries((shown[0].options as INodeProperties[]).map((o) => [o.name, o]));
	};
	const defaults = (fields: Record<string, INodeProperties>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.default]));
	const values = (field: INodeProperties) => (field.options as Array<{ value: string }>).map((o) => o.value);

	it('has one "options" collection per model and mode, all saved under the same name', () => {
		const legacy = properties.filter((p) => p.name === 'options' && p.displayOptions?.show?.apiVersion?.includes('legacy'));
		expect(legacy).toHaveLength(4);
		// and one per model and mode of the generation API (3 × 3)
		expect(properties.filter((p) => p.name === 'options')).toHaveLength(13);
	});

	it('wan, text to video', () => {
		const fields = collectionFor('wan', 'textToVideo');
		expect(defaults(fields)).toEqual({
			aspectRatio: '16:9',
			enablePromptExpansion: true,
			enableSafetyChecker: true,
			framesPerSecond: 16,
			negativePrompt: '',
			numFrames: 81,
			numInferenceSteps: 30,
			resolution: '720p',
			seed: 0,
		});
		expect(values(fields.aspectRatio)).toEqual(['16:9', '9:16']);
		expect(values(fields.resolution)).toEqual(['480p', '580p', '720p']);
		expect(fields.numFrames.typeOptions).toMatchObject({ minValue: 81, maxValue: 100 });
		expect(fields.framesPerSecond.typeOptions).toMatchObject({ minValue: 5, maxValue: 24 });
	});

	it('wan, image to video: aspect ratio auto by default, and 1:1', () => {
		const fields = collectionFor('wan', 'imageToVideo');
		expect(Object.keys(fields)).toEqual(Object.keys(collectionFor('wan', 'textToVideo')));
		expect(fields.aspectRatio.default).toBe('auto');
		expect(values(fields.aspectRatio)).toEqual(['auto', '16:9', '9:16', '1:1']);
	});

	it('seedance, text to video', () => {
		const fields = collectionFor('seedance', 'textToVideo');
		expect(defaults(fields)).toEqual({ aspectRatio: '16:9', cameraFixed: false, duration: '5', resolution: '720p', seed: 0 });
		expect(values(fields.aspectRatio)).toEqual(['16:9', '4:3', '1:1', '9:21']);
		expect(values(fields.resolution)).toEqual(['480p', '720p', '1080p']);
		expect(values(fields.duration)).toEqual(['5', '10']);
	});

	it('seedance, image to video adds the end image', () => {
		const fields = collectionFor('seedance', 'imageToVideo');
		expect(Object.keys(fields).sort()).toEqual(['aspectRatio', 'cameraFixed', 'duration', 'endImageUrl', 'resolution', 'seed']);
	});

	it('offers the options in alphabetical order, as n8n lists them', () => {
		for (const [model, mode] of [['wan', 'textToVideo'], ['wan', 'imageToVideo'], ['seedance', 'textToVideo'], ['seedance', 'imageToVideo']]) {
			const names = Object.values(collectionFor(model, mode)).map((f) => f.displayName);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('shows the image fields for image to video only, and the binary field only for a binary source', () => {
		const show = (name: string) => properties.filter((p) => p.name === name && p.displayOptions?.show?.operation?.includes('submit')).map((p) => p.displayOptions?.show);
		expect(show('imageSource')).toEqual([{ operation: ['submit'], mode: ['imageToVideo'] }]);
		expect(show('imageUrl')).toEqual([{ operation: ['submit'], mode: ['imageToVideo'], imageSource: ['url'] }]);
		expect(show('binaryPropertyName')).toEqual([{ operation: ['submit'], mode: ['imageToVideo'], imageSource: ['binary'] }]);
		expect(properties.find((p) => p.name === 'binaryPropertyName' && p.displayOptions?.show?.operation?.includes('submit'))?.default).toBe('data');
	});

	it('getStatus and getResult read jobId and mode from the incoming item by default', () => {
		const forOp = (name: string) => properties.find((p) => p.name === name && p.displayOptions?.show?.operation?.includes('getStatus'));
		expect(forOp('jobId')?.default).toBe('={{ $json.jobId }}');
		expect(forOp('mode')?.default).toBe('={{ $json.mode }}');
		expect(forOp('mode')?.displayOptions?.show?.operation).toEqual(['getStatus', 'getResult']);
	});
});

describe('kvid ranges: accepted at the edge, refused one past it, with no request sent', () => {
	const accepted: Array<[string, IDataObject, IDataObject, IDataObject]> = [
		['81 frames', {}, { numFrames: 81 }, { num_frames: 81 }],
		['100 frames', {}, { numFrames: 100 }, { num_frames: 100 }],
		['5 fps', {}, { framesPerSecond: 5 }, { frames_per_second: 5 }],
		['24 fps', {}, { framesPerSecond: 24 }, { frames_per_second: 24 }],
		['1 inference step', {}, { numInferenceSteps: 1 }, { num_inference_steps: 1 }],
		['seed 0', {}, { seed: 0 }, { seed: 0 }],
		['wan 580p', {}, { resolution: '580p' }, { resolution: '580p' }],
		['wan 720p', {}, { resolution: '720p' }, { resolution: '720p' }],
		['seedance 1080p', { model: 'seedance' }, { resolution: '1080p' }, { resolution: '1080p' }],
		['seedance 9:21', { model: 'seedance' }, { aspectRatio: '9:21' }, { aspect_ratio: '9:21' }],
		['seedance 10 s', { model: 'seedance' }, { duration: '10' }, { duration: '10' }],
		['seedance 10 s given as a number', { model: 'seedance' }, { duration: 10 }, { duration: '10' }],
		['a numeric string for frames', {}, { numFrames: '95' }, { num_frames: 95 }],
	];
	it.each(accepted)('%s is sent', async (_, params, options, sent) => {
		await submitOne({ ...params, options });
		expect(lastBody()).toMatchObject(sent);
		expect(fake.acceptedSubmits).toBe(1);
	});

	const refused: Array<[string, IDataObject, RegExp]> = [
		['80 frames', { options: { numFrames: 80 } }, /^Parameter "options.numFrames" must be in \[81, 100\]; got 80/],
		['101 frames', { options: { numFrames: 101 } }, /^Parameter "options.numFrames" must be in \[81, 100\]; got 101/],
		['90.5 frames', { options: { numFrames: 90.5 } }, /^Parameter "options.numFrames" must be a whole number/],
		['4 fps', { options: { framesPerSecond: 4 } }, /^Parameter "options.framesPerSecond" must be in \[5, 24\]; got 4/],
		['25 fps', { options: { framesPerSecond: 25 } }, /^Parameter "options.framesPerSecond" must be in \[5, 24\]; got 25/],
		['0 inference steps', { options: { numInferenceSteps: 0 } }, /^Parameter "options.numInferenceSteps" must be in \[1, ∞\)/],
		['a fractional seed', { options: { seed: 1.5 } }, /^Parameter "options.seed" must be a whole number/],
		['a seed that is not a number', { options: { seed: 'abc' } }, /^Parameter "options.seed" must be a number/],
		['wan 1080p', { options: { resolution: '1080p' } }, /^Parameter "options.resolution" must be one of "480p", "580p", "720p"; got "1080p"/],
		['seedance 580p', { model: 'seedance', options: { resolution: '580p' } }, /^Parameter "options.resolution" must be one of "480p", "720p", "1080p"; got "580p"/],
		['wan text-to-video auto', { options: { aspectRatio: 'auto' } }, /^Parameter "options.aspectRatio" must be one of "16:9", "9:16"; got "auto"/],
		['wan text-to-video 1:1', { options: { aspectRatio: '1:1' } }, /^Parameter "options.aspectRatio"/],
		['wan image-to-video 4:3', { ...i2v, options: { aspectRatio: '4:3' } }, /^Parameter "options.aspectRatio" must be one of "auto", "16:9", "9:16", "1:1"/],
		['seedance 9:16', { model: 'seedance', options: { aspectRatio: '9:16' } }, /^Parameter "options.aspectRatio" must be one of "16:9", "4:3", "1:1", "9:21"/],
		['seedance 15 s', { model: 'seedance', options: { duration: '15' } }, /^Parameter "options.duration" must be one of "5", "10"; got "15"/],
		['a safety checker that is not a boolean', { options: { enableSafetyChecker: 'yes' } }, /^Parameter "options.enableSafetyChecker" must be true or false/],
		['an end image that is not http(s)', { ...i2v, model: 'seedance', options: { endImageUrl: 'ftp://img.example/end.jpg' } }, /^Parameter "options.endImageUrl" must be an http\(s\) URL/],
		['an empty prompt', { prompt: '  ' }, /^Parameter "prompt" is required/],
		['an unknown mode', { mode: 'audioToVideo' }, /^Parameter "mode" must be one of "textToVideo", "imageToVideo"/],
		['an unknown model', { model: 'veo3.1' }, /^Parameter "model" must be one of "wan", "seedance"/],
		['no image URL', { ...i2v, imageUrl: '' }, /^Parameter "imageUrl" must be an http\(s\) URL/],
		['an image URL that is not a URL', { ...i2v, imageUrl: 'tiger.jpg' }, /^Parameter "imageUrl" must be an http\(s\) URL/],
		['an unknown image source', { ...i2v, imageSource: 'ftp' }, /^Parameter "imageSource" must be one of "url", "binary"/],
	];
	it.each(refused)('%s is refused', async (_, params, message) => {
		const error = await failure(run({ ...t2v, ...params }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(server.requests).toHaveLength(0);
	});
});

describe('kvid image from an incoming binary', () => {
	const binary = { ...i2v, imageUrl: undefined, imageSource: 'binary' };

	it('sends the image as base64 image_file, not image_url', async () => {
		const { output } = await run(binary, { items: [binaryItem(PNG)] });
		expect(output[0][0].json).toMatchObject({ mode: 'imageToVideo', status: 'queued' });
		expect(lastBody()).toEqual({ prompt: i2v.prompt, image_file: PNG.toString('base64') });
		expect(fake.acceptedSubmits).toBe(1);
	});

	it('reads the named binary field, also from n8n’s filesystem storage', async () => {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kvid-image-'));
		const file = path.join(dir, 'frame.jpg');
		const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(2000, 7)]);
		await fs.writeFile(file, jpeg);
		const item: INodeExecutionData = {
			json: {},
			binary: { frame: { data: 'filesystem-v2', id: `filesystem-v2:${file}`, bytes: jpeg.length, mimeType: 'image/jpeg', fileName: 'frame.jpg' } },
		};
		await run({ ...binary, model: 'seedance', binaryPropertyName: 'frame' }, { items: [item] });
		expect(lastBody()).toEqual({ prompt: i2v.prompt, model: 'bytedance/seedance/v1/lite/image-to-video', image_file: jpeg.toString('base64') });
	});

	it(`accepts an image of exactly ${IMAGE_MAX_BYTES} bytes`, async () => {
		const big = Buffer.alloc(IMAGE_MAX_BYTES, 1);
		PNG.copy(big);
		await run(binary, { items: [binaryItem(big)] });
		expect(Buffer.from(lastBody().image_file as string, 'base64').equals(big)).toBe(true);
	});

	it('refuses an image one byte over the cap, with no request sent', async () => {
		const error = await failure(run(binary, { items: [binaryItem(Buffer.alloc(IMAGE_MAX_BYTES + 1, 1))] }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Parameter "binaryPropertyName" holds "tiger.png" of 10.0 MB; images sent inline may be at most 10.0 MB/);
		expect(error.description).toMatch(/Image Source "URL"/);
		expect(server.requests).toHaveLength(0);
	});

	it('refuses a file on disk whose stored size is over the cap without reading it', async () => {
		const item: INodeExecutionData = {
			json: {},
			binary: { data: { data: 'filesystem-v2', id: 'filesystem-v2:/nonexistent/huge.png', bytes: 50 * 1024 * 1024, mimeType: 'image/png', fileName: 'huge.png' } },
		};
		const error = await failure(run(binary, { items: [item] }));
		expect(error.message).toMatch(/^Parameter "binaryPropertyName" holds "huge.png" of 50.0 MB/);
		expect(server.requests).toHaveLength(0);
	});

	it.each([
		['a PDF', 'application/pdf', 'report.pdf'],
		['a video', 'video/mp4', 'clip.mp4'],
		['a file of unknown type', '', 'blob'],
	])('refuses %s, naming the parameter, with no request sent', async (_, mimeType, fileName) => {
		const error = await failure(run(binary, { items: [binaryItem(PNG, mimeType, fileName)] }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Parameter "binaryPropertyName" holds "${fileName}" of type ${mimeType || 'unknown'}, not an image`);
		expect(server.requests).toHaveLength(0);
	});

	it('refuses an empty image', async () => {
		const error = await failure(run(binary, { items: [binaryItem(Buffer.alloc(0))] }));
		expect(error.message).toMatch(/^Parameter "binaryPropertyName" holds "tiger.png" with no bytes/);
		expect(server.requests).toHaveLength(0);
	});

	it('names the binary fields the item does have when the named one is missing', async () => {
		const error = await failure(run(binary, { items: [binaryItem(PNG, 'image/png', 'a.png', 'photo')] }));
		expect(error.message).toBe('Parameter "binaryPropertyName" names the binary field "data", but the input item has only "photo"');
		const none = await failure(run(binary, { items: [{ json: {} }] }));
		expect(none.message).toBe('Parameter "binaryPropertyName" names the binary field "data", but the input item has no binary data');
		expect(server.requests).toHaveLength(0);
	});
});

describe('kvid getStatus', () => {
	let clock: number;
	beforeEach(() => {
		clock = 1_700_000_000_000;
		server.now = () => clock;
		server.renderMs = 10_000;
	});

	it('maps PROCESSING without progress or logs to queued, then processing with progress and logs, then completed', async () => {
		const job = await submitOne();
		const status = async () => (await run({ operation: 'getStatus' }, { items: [{ json: job }] })).output[0][0].json;

		expect(await status()).toMatchObject({ provider: 'kvid', jobId: job.jobId, mode: 'textToVideo', status: 'queued', progress: 0, providerStatus: 'PROCESSING', logs: [], error: null });
		clock += 5_000;
		const running = await status();
		expect(running).toMatchObject({ status: 'processing', progress: 50, providerStatus: 'PROCESSING', videoUrl: null });
		expect(running.logs).toEqual([expect.stringMatching(/ - Video generation started$/), expect.stringMatching(/ - Processing frame 1-50$/)]);
		expect((running.raw as IDataObject).message).toBe('Video generation in progress');
		clock += 5_000;
		expect(await status()).toMatchObject({ status: 'completed', progress: 100, providerStatus: 'COMPLETED', error: null });

		const calls = requests('GET');
		expect(calls.map((r) => r.path)).toEqual(Array(3).fill('/ai/video/text-to-video/status'));
		expect(calls.every((r) => r.query.request_id === job.jobId && r.headers['api-key'] === KEY)).toBe(true);
	});

	it('reports a failed render as data, with the reason from its logs', async () => {
		server.failNextJob('kvid', 'NSFW content detected');
		const job = await submitOne();
		clock += 10_000;
		const { output } = await run({ operation: 'getStatus' }, { items: [{ json: job }] });
		expect(output[0][0].json).toMatchObject({ status: 'failed', providerStatus: 'FAILED', error: expect.stringMatching(/ - Error: NSFW content detected$/) });
	});

	it('chains after an image-to-video submit with default settings: the mode travels with the job', async () => {
		const submitted = await run(i2v);
		const { output } = await run({ operation: 'getStatus' }, { items: submitted.output[0] });
		expect(output[0][0].json).toMatchObject({ jobId: fake.lastJob!.id, mode: 'imageToVideo', status: 'queued' });
		expect(requests('GET')[0].path).toBe('/ai/video/image-to-video/status');
	});

	it('with Route by Status, sends each job to the Completed, Failed or Running output', async () => {
		const done = await submitOne();
		server.failNextJob('kvid', 'broken');
		const failed = await submitOne();
		clock += 10_000;
		const running = await submitOne();
		const { output } = await run({ operation: 'getStatus', routeByStatus: true }, { items: [done, failed, running].map((json) => ({ json })) });
		expect(output.map((route) => route.map((item) => [item.json.jobId, item.json.status, item.pairedItem]))).toEqual([
			[[done.jobId, 'completed', { item: 0 }]],
			[[failed.jobId, 'failed', { item: 1 }]],
			[[running.jobId, 'queued', { item: 2 }]],
		]);
		expect(new Kvid().description.outputs).toMatch(/routeByStatus/);
	});

	it.each([
		['COMPLETED', 50, [], 'completed'],
		['FAILED', 10, ['x'], 'failed'],
		['PROCESSING', 0, [], 'queued'],
		['PROCESSING', null, [], 'queued'],
		['PROCESSING', 0, ['started'], 'processing'],
		['PROCESSING', 5, [], 'processing'],
		['processing', 5, [], 'processing'],
		['QUEUED', null, [], 'queued'],
		['CANCELLED', null, [], 'canceled'],
		['SOMETHING_NEW', null, [], 'processing'],
	] as const)('toJobStatus(%s, %s, %j) is %s', (word, progress, logs, status) => {
		expect(toJobStatus(word, progress, [...logs])).toBe(status);
	});
});

describe('kvid getResult', () => {
	it('returns url, name and size, and the video as binary byte for byte, without the key sent to the file host', async () => {
		const job = await submitOne();
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: job }] });
		const item = output[0][0];
		expect(item.json).toMatchObject({
			provider: 'kvid',
			jobId: job.jobId,
			mode: 'textToVideo',
			status: 'completed',
			progress: 100,
			error: null,
			videoUrl: server.fileUrl('kvid', job.jobId as string),
			fileName: 'generated_video.mp4',
			fileSizeKb: Math.ceil(server.fileSize / 1024),
		});
		expect(requests('GET')[0]).toMatchObject({ path: '/ai/video/text-to-video/result', query: { request_id: job.jobId } });
		const binary = item.binary!.data;
		expect(binary.mimeType).toBe('video/mp4');
		expect(binary.fileName).toBe(`${job.jobId}.mp4`);
		expect(Buffer.from(binary.data, 'base64').equals(videoBytes(job.jobId as string, server.fileSize))).toBe(true);
		const [download] = server.requestsTo(FILES);
		expect(download.headers['api-key']).toBeUndefined();
		expect(JSON.stringify(download.headers)).not.toContain(KEY);
	});

	it('chains after an image-to-video submit with default settings, and after getStatus', async () => {
		const submitted = await run({ ...i2v, model: 'seedance' });
		const status = await run({ operation: 'getStatus' }, { items: submitted.output[0] });
		const { output } = await run({ operation: 'getResult' }, { items: status.output[0] });
		expect(output[0][0].json).toMatchObject({ jobId: fake.lastJob!.id, mode: 'imageToVideo', status: 'completed' });
		expect(requests('GET').map((r) => r.path)).toEqual(['/ai/video/image-to-video/status', '/ai/video/image-to-video/result']);
	});

	it('puts the file in the chosen binary field, or skips the download', async () => {
		const job = await submitOne();
		const named = await run({ operation: 'getResult', binaryPropertyName: 'video' }, { items: [{ json: job }] });
		expect(Object.keys(named.output[0][0].binary!)).toEqual(['video']);
		const plain = await run({ operation: 'getResult', download: false }, { items: [{ json: job }] });
		expect(plain.output[0][0].binary).toBeUndefined();
		expect(plain.output[0][0].json.videoUrl).toBe(server.fileUrl('kvid', job.jobId as string));
		expect(server.requestsTo(FILES)).toHaveLength(1);
	});

	it('JOB_FAILED: a failed render comes back as status "failed" data with its reason, nothing downloaded', async () => {
		server.failNextJob('kvid', 'GPU worker crashed');
		const job = await submitOne();
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: job }] });
		expect(output[0][0].json).toMatchObject({ jobId: job.jobId, mode: 'textToVideo', status: 'failed', videoUrl: null, error: expect.stringMatching(/GPU worker crashed$/) });
		expect(output[0][0].binary).toBeUndefined();
		expect(requests('GET').map((r) => r.path)).toEqual(['/ai/video/text-to-video/result', '/ai/video/text-to-video/status']);
		expect(server.requestsTo(FILES)).toHaveLength(0);
	});

	it('JOB_NOT_COMPLETED: says the job is still running and to poll getStatus first', async () => {
		server.renderMs = 60_000;
		const job = await submitOne();
		const error = await failure(run({ operation: 'getResult' }, { items: [{ json: job }] }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Job ${job.jobId as string} is not finished yet (status: queued, 0%)`);
		expect(error.description).toMatch(/Check Get Status until the status is "completed"/);
		expect(requests('GET').map((r) => r.path)).toEqual(['/ai/video/text-to-video/result', '/ai/video/text-to-video/status']);

		const { output } = await run({ operation: 'getResult' }, { items: [{ json: job }], continueOnFail: true });
		expect(output[0][0].json).toMatchObject({ jobId: job.jobId, error: expect.stringMatching(/not finished yet/) });
	});
});

describe('kvid job references (checked before any request)', () => {
	const badIds = ['', ' ', 'a b', '../x', 'a/b', 'a\\b', 'a?b', 'a#b', '50%', '.', '..'];
	it.each(badIds)('refuses the jobId %j for getStatus and getResult', async (jobId) => {
		for (const operation of ['getStatus', 'getResult']) {
			const error = await failure(run({ operation, jobId, mode: 'textToVideo' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/^Parameter "jobId"/);
		}
		expect(server.requests).toHaveLength(0);
	});

	it('refuses a missing or unknown mode, naming "mode" and how to set it', async () => {
		for (const operation of ['getStatus', 'getResult']) {
			const missing = await failure(run({ operation }, { items: [{ json: { jobId: 'req_1' } }] }));
			expect(missing.message).toBe('Parameter "mode" must be "textToVideo" or "imageToVideo"; got nothing');
			expect(missing.description).toMatch(/\{\{ \$json\.mode \}\}/);
			const wrong = await failure(run({ operation, jobId: 'req_1', mode: 'text-to-video' }));
			expect(wrong.message).toBe('Parameter "mode" must be "textToVideo" or "imageToVideo"; got "text-to-video"');
		}
		expect(server.requests).toHaveLength(0);
	});
});

describe('kvid provider errors say what happened and what to do', () => {
	it('INSUFFICIENT_CREDIT (402): not retried, no job, the hint says to buy credits', async () => {
		fake.credits = 100; // wan 720p costs 160
		const error = await failure(run(t2v));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('kvid answered HTTP 402: Insufficient credit: this video costs 160 credits, 100 left');
		expect(error.httpCode).toBe('402');
		expect(error.description).toMatch(/^INSUFFICIENT_CREDIT: .*https:\/\/kvid\.ai\/credits\/purchase/);
		expect(posts()).toHaveLength(1);
		expect(fake.acceptedSubmits).toBe(0);
	});

	it.each([
		['INVALID_PARAMETERS', 'Invalid parameters: image_url'],
		['MISSING_PARAMETERS', 'Missing required parameters: prompt'],
	])('%s (400): kvid’s message names the field; not retried', async (code, message) => {
		server.inject({ provider: 'kvid', method: 'POST', status: 400, body: { success: false, error: code, message } });
		const error = await failure(run(t2v));
		expect(error.message).toBe(`kvid answered HTTP 400: ${message}`);
		expect(error.description).toMatch(/MISSING_PARAMETERS or INVALID_PARAMETERS/);
		expect(posts()).toHaveLength(1);
	});

	it('JOB_NOT_FOUND (404): names the job and says to check the jobId, the mode and the account', async () => {
		const error = await failure(run({ operation: 'getStatus', jobId: 'req_unknown', mode: 'textToVideo' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('kvid answered HTTP 404 (job req_unknown): No job with request_id req_unknown');
		expect(error.description).toMatch(/^JOB_NOT_FOUND: .*API Version the job was submitted with.*Mode is the one it was submitted with/);
		expect(error.context?.jobId).toBe('req_unknown');
	});

	it('a job asked for under the other mode is not found', async () => {
		const job = await submitOne();
		const error = await failure(run({ operation: 'getResult', jobId: job.jobId, mode: 'imageToVideo' }));
		expect(error.message).toMatch(/^kvid answered HTTP 404/);
		expect(requests('GET')[0].path).toBe('/ai/video/image-to-video/result');
	});

	it('CONCURRENT_LIMIT (429) on submit is waited out (Retry-After) and retried without a second job', async () => {
		server.inject({
			provider: 'kvid',
			method: 'POST',
			status: 429,
			headers: { 'Retry-After': '1' },
			body: { success: false, error: 'CONCURRENT_LIMIT', message: 'Too many concurrent jobs' },
		});
		const started = Date.now();
		const job = await submitOne();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(posts()).toHaveLength(2);
		expect(fake.acceptedSubmits).toBe(1);
		expect(job.jobId).toBe(fake.lastJob!.id);
	});

	it('CONCURRENT_LIMIT from the fake’s own limit: the next item waits until a render ends', async () => {
		server.renderMs = 1_200;
		fake.concurrentLimit = 1;
		const items = [{ json: { p: 'first' } }, { json: { p: 'second' } }];
		const { output } = await run({ ...t2v, prompt: '={{ $json.p }}' }, { items });
		expect(fake.concurrencyRefusals).toBeGreaterThanOrEqual(1);
		expect(posts()).toHaveLength(2 + fake.concurrencyRefusals);
		expect(fake.acceptedSubmits).toBe(2);
		const [first, second] = [...fake.jobs.values()];
		expect(second.createdAt).toBeGreaterThanOrEqual(first.createdAt + 1_200);
		expect(output[0].map((o) => o.json.jobId)).toEqual([first.id, second.id]);
	});

	it('CONCURRENT_LIMIT that never clears ends in an error with the concurrency hint, still without a job', async () => {
		server.inject({
			provider: 'kvid',
			method: 'POST',
			status: 429,
			times: Infinity,
			headers: { 'Retry-After': '0' },
			body: { success: false, error: 'CONCURRENT_LIMIT', message: 'Too many concurrent jobs' },
		});
		const error = await failure(run(t2v));
		expect(error.message).toBe('kvid answered HTTP 429: Too many concurrent jobs');
		expect(error.description).toMatch(/^CONCURRENT_LIMIT: .*without submitting twice/);
		expect(posts()).toHaveLength(9);
		expect(fake.acceptedSubmits).toBe(0);
	});

	it('a refused API key (403): the hint points at the credential; the key appears nowhere', async () => {
		const error = await failure(runNode({ node: new Kvid(), parameters: t2v, credentials: credentials({ apiKey: 'wrong-key-1234' }) }));
		expect(error.message).toBe('kvid answered HTTP 403: Invalid or missing api-key');
		expect(error.description).toMatch(/API Key/);
		expect(errorText(error)).not.toContain('wrong-key-1234');
		expect(posts()[0].headers['api-key']).toBe('wrong-key-1234');
	});

	it('a provider message that echoes the key is redacted', async () => {
		server.inject({ provider: 'kvid', method: 'GET', status: 400, body: { success: false, error: 'INVALID_PARAMETERS', message: `bad request for key ${KEY}` } });
		const error = await failure(run({ operation: 'getStatus', jobId: 'req_1', mode: 'textToVideo' }));
		expect(error.message).toBe('kvid answered HTTP 400 (job req_1): bad request for key ***');
		expect(errorText(error)).not.toContain(KEY);
	});

	it('"success: false" in a 2xx answer is an error with kvid’s message, or its code when there is no message', async () => {
		server.inject({ provider: 'kvid', method: 'POST', status: 200, body: { success: false, error: 'INSUFFICIENT_CREDIT', message: 'Not enough credits' } });
		const error = await failure(run(t2v));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('kvid refused the request: Not enough credits');
		server.inject({ provider: 'kvid', method: 'POST', status: 200, body: { success: false, code: 'CONCURRENT_LIMIT' } });
		const bare = await failure(run(t2v));
		expect(bare.message).toBe('kvid refused the request: CONCURRENT_LIMIT');
		expect(posts()).toHaveLength(2);
		expect(fake.acceptedSubmits).toBe(0);
	});

	it('a 2xx "success: false" result is treated like JOB_FAILED: the status decides', async () => {
		server.failNextJob('kvid', 'model error');
		const job = await submitOne();
		server.inject({ provider: 'kvid', method: 'GET', path: /result$/, status: 200, body: { success: false, error: 'JOB_FAILED', message: 'The video generation failed' } });
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: job }] });
		expect(output[0][0].json).toMatchObject({ status: 'failed', error: expect.stringMatching(/model error$/) });
	});

	it('a FAILED status inside "success: false" is still status data', async () => {
		server.inject({
			provider: 'kvid',
			method: 'GET',
			status: 200,
			body: { success: false, data: { status: 'FAILED', progress: 30, logs: [] }, message: 'Video generation failed: out of memory' },
		});
		const { output } = await run({ operation: 'getStatus', jobId: 'req_1', mode: 'textToVideo' });
		expect(output[0][0].json).toMatchObject({ status: 'failed', progress: 30, error: 'Video generation failed: out of memory' });
	});

	it('with Continue On Fail, a refused item carries the error and the others still run', async () => {
		const items = [{ json: { p: 'one' } }, { json: { p: '' } }, { json: { p: 'three' } }];
		const { output } = await run({ ...t2v, prompt: '={{ $json.p }}' }, { items, continueOnFail: true });
		expect(output[0]).toHaveLength(3);
		expect(output[0][1]).toMatchObject({ json: { error: 'Parameter "prompt" is required and must not be empty' }, pairedItem: { item: 1 } });
		expect(output[0][2].json.status).toBe('queued');
		expect(fake.acceptedSubmits).toBe(2);
	});
});

describe('kvid submit with Wait for Completion', () => {
	it('follows several items at the same time and returns each finished video', async () => {
		server.renderMs = 1_500;
		const items = ['a', 'b', 'c'].map((p) => ({ json: { p } }));
		const started = Date.now();
		const { output } = await run(
			{ ...t2v, prompt: '={{ $json.p }}', waitForCompletion: true, waitOptions: { pollInterval: 1 } },
			{ items },
		);
		const elapsed = Date.now() - started;
		const jobs = [...fake.jobs.values()];
		expect(jobs).toHaveLength(3);
		// rendered side by side, not one after another
		for (const a of jobs) for (const b of jobs) expect(a.createdAt < b.createdAt + b.renderMs && b.createdAt < a.createdAt + a.renderMs).toBe(true);
		expect(elapsed).toBeLessThan(3 * 1_500 + 1_000);
		expect(output[0]).toHaveLength(3);
		output[0].forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ jobId: jobs[i].id, status: 'completed', mode: 'textToVideo' });
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(jobs[i].id, server.fileSize))).toBe(true);
		});
		expect(requests('GET', /status$/).length).toBeGreaterThanOrEqual(3);
	});

	it('ends a render kvid reports as failed with an error naming the job and the reason', async () => {
		server.renderMs = 500;
		server.failNextJob('kvid', 'prompt rejected by the safety checker');
		const error = await failure(run({ ...t2v, waitForCompletion: true, waitOptions: { pollInterval: 1 } }));
		expect(error.message).toMatch(new RegExp(`^Job ${fake.lastJob!.id} failed: .*prompt rejected by the safety checker$`));
		expect(server.requestsTo(FILES)).toHaveLength(0);
	});
});

/** n8n's credential test, reported in its editor's words. */
async function n8nCredentialTest(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const result = await testCredential({ type: credentialType, data });
	return result.ok ? { status: 'OK', message: 'Connection successful!' } : { status: 'Error', message: result.message ?? '' };
}

describe('kvid credential', () => {
	it('sends the key in the api-key header to the Base URL only', async () => {
		await submitOne();
		expect(posts()[0].headers['api-key']).toBe(KEY);
		expect(credentialType.properties.map((p) => [p.name, p.default])).toEqual([
			['apiKey', ''],
			['creditPool', 'productId'],
			['creditPoolValue', ''],
			['baseUrl', 'https://api.kvid.ai'],
		]);
	});

	it('test: a good key gets JOB_NOT_FOUND for the dummy job and passes', async () => {
		expect(await n8nCredentialTest({ apiKey: KEY, baseUrl: `${server.baseUrl}/` })).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = requests('GET');
		expect(request).toMatchObject({ path: '/ai/video/text-to-video/status', query: { request_id: 'n8n-credential-test' } });
		expect(request.headers['api-key']).toBe(KEY);
	});

	it('test: a refused key fails with a message that says so', async () => {
		expect(await n8nCredentialTest({ apiKey: 'nope', baseUrl: server.baseUrl })).toEqual({
			status: 'Error',
			message: 'kvid refused the API key (INVALID_API_KEY): check the key and the Base URL',
		});
	});

	it('test: a gateway-style refusal {statusCode: 401} fails too', async () => {
		server.inject({ provider: 'kvid', status: 401, body: { statusCode: 401, message: 'Access denied due to invalid subscription key.' } });
		expect(await n8nCredentialTest({ apiKey: KEY, baseUrl: server.baseUrl })).toMatchObject({ status: 'Error', message: expect.stringContaining('HTTP 401') });
	});
});

describe('the fake kvid enforces the doc', () => {
	const generate = async (mode: string, body: IDataObject, key = KEY) => {
		const response = await fetch(`${server.baseUrl}/ai/video/${mode}/generate`, {
			method: 'POST',
			headers: { 'api-key': key, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as IDataObject };
	};

	it.each([
		['text-to-video', { num_frames: 81 }, 200],
		['text-to-video', { num_frames: 100 }, 200],
		['text-to-video', { num_frames: 80 }, 400],
		['text-to-video', { num_frames: 101 }, 400],
		['text-to-video', { frames_per_second: 5 }, 200],
		['text-to-video', { frames_per_second: 24 }, 200],
		['text-to-video', { frames_per_second: 4 }, 400],
		['text-to-video', { frames_per_second: 25 }, 400],
		['text-to-video', { aspect_ratio: 'auto' }, 400],
		['image-to-video', { aspect_ratio: 'auto', image_url: 'https://x.example/a.jpg' }, 200],
		['text-to-video', { resolution: '1080p' }, 400],
		['text-to-video', { model: 'bytedance/seedance/v1/lite/text-to-video', resolution: '1080p', duration: '10' }, 200],
		['text-to-video', { model: 'bytedance/seedance/v1/lite/text-to-video', duration: 10 }, 400],
		['text-to-video', { model: 'bytedance/seedance/v1/lite/image-to-video' }, 400],
		['text-to-video', { model: 'bytedance/seedance/v1/lite/text-to-video', num_frames: 81 }, 400],
		['text-to-video', { model: 'bytedance/seedance/v1/lite/text-to-video', end_image_url: 'https://x.example/e.jpg' }, 400],
		['image-to-video', { model: 'bytedance/seedance/v1/lite/image-to-video', image_file: PNG.toString('base64'), end_image_url: 'https://x.example/e.jpg' }, 200],
		['image-to-video', {}, 400],
	])('%s %j → %i', async (mode, fields, status) => {
		const answer = await generate(mode, { prompt: 'p', ...fields });
		expect(answer.status).toBe(status);
		if (status === 400) expect(answer.body).toMatchObject({ success: false, error: expect.stringMatching(/^(INVALID|MISSING)_PARAMETERS$/) });
	});

	it('answers status and result of an unknown job with 404 JOB_NOT_FOUND, and a wrong key with 403', async () => {
		const get = async (p: string, key = KEY) => {
			const response = await fetch(`${server.baseUrl}${p}`, { headers: { 'api-key': key } });
			return { status: response.status, body: await response.json() };
		};
		expect(await get('/ai/video/text-to-video/status?request_id=nope')).toEqual({
			status: 404,
			body: { success: false, error: 'JOB_NOT_FOUND', message: 'No job with request_id nope' },
		});
		expect((await get('/ai/video/image-to-video/result?request_id=nope')).status).toBe(404);
		expect((await get('/ai/video/text-to-video/status?request_id=nope', 'bad')).status).toBe(403);
		expect((await generate('text-to-video', { prompt: 'p' }, 'bad')).status).toBe(403);
	});

	it('charges the doc’s prices and refuses with 402 when credits run out', async () => {
		fake.credits = 250;
		expect((await generate('text-to-video', { prompt: 'p', model: 'bytedance/seedance/v1/lite/text-to-video', resolution: '1080p' })).status).toBe(200);
		expect(fake.credits).toBe(116);
		expect(await generate('text-to-video', { prompt: 'p' })).toEqual({
			status: 402,
			body: { success: false, error: 'INSUFFICIENT_CREDIT', message: 'Insufficient credit: this video costs 160 credits, 116 left' },
		});
	});

	it('refuses a submit over the concurrency limit with 429 CONCURRENT_LIMIT and a Retry-After', async () => {
		server.renderMs = 5_000;
		fake.concurrentLimit = 1;
		expect((await generate('text-to-video', { prompt: 'p' })).status).toBe(200);
		const response = await fetch(`${server.baseUrl}/ai/video/text-to-video/generate`, {
			method: 'POST',
			headers: { 'api-key': KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ prompt: 'p' }),
		});
		expect(response.status).toBe(429);
		expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
		expect(await response.json()).toMatchObject({ success: false, error: 'CONCURRENT_LIMIT' });
		expect(fake.acceptedSubmits).toBe(1);
	});

	it('hands the sandbox credential to the local sandbox', () => {
		// one credential for both kvid APIs: the generation fake adds its credit pool
		expect(server.sandboxCredentials().kvidApi).toEqual({ apiKey: KEY, baseUrl: server.baseUrl, creditPool: 'productCode', creditPoolValue: 'SANDBOX' });
	});
});
