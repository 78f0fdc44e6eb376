/**
 * kvid node, typeVersion 2: the generation API (/ai/generation/…) against its fake, with real HTTP.
 * typeVersion 1 (the legacy API) is covered by kvid.test.ts; here only that it stays the default there.
 */
import type { IBinaryData, IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { KvidApi } from '../../credentials/KvidApi.credentials';
import { Kvid } from '../../nodes/Kvid/Kvid.node';
import { estimatedFirstLookMs, toGenerationStatus } from '../../nodes/Kvid/generationJob';
import { KvidFake, KvidGenerationFake, startFakeProviders, videoBytes, type FakeServer, type KvidIdSpelling } from '../fakes';
import { runNode, type RunOptions } from '../helpers/n8nContext';
import { execute, items as outputItems, thrown } from '../reliability/support';

const KEY = 'kvid-sandbox-key';
const POOL = { creditPool: 'productCode', creditPoolValue: 'SANDBOX' };

let server: FakeServer;
let fake: KvidGenerationFake;

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(KvidGenerationFake);
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

const credentials = (data: IDataObject = POOL) => [{ type: new KvidApi(), data: { apiKey: KEY, baseUrl: server.baseUrl, ...data } }];

async function run(parameters: IDataObject, extra: Partial<RunOptions> = {}) {
	return await runNode({ node: new Kvid(), parameters, credentials: credentials(), typeVersion: 2, ...extra });
}

const posts = () => server.requestsTo('kvidGeneration', 'POST');
const lastBody = () => posts()[posts().length - 1].body as IDataObject;
const gets = () => server.requestsTo('kvidGeneration', 'GET');

const t2v = { operation: 'submit', mode: 'textToVideo', prompt: 'A beautiful sunset over the ocean' };
const i2v = { operation: 'submit', mode: 'imageToVideo', prompt: 'windy, forest, autumn', imageUrl: 'https://img.example/scene.png' };
const r2v = {
	operation: 'submit',
	mode: 'referenceToVideo',
	prompt: 'the character from the reference image walks through a neon city at night',
	imageUrls: 'https://img.example/ref-1.png, https://img.example/ref-2.png',
};

async function submitOne(params: IDataObject, extra: Partial<RunOptions> = {}) {
	const { output } = await run(params, extra);
	return output[0][0].json;
}

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

/** The item is refused naming `parameter`, and nothing reached kvid. */
async function refused(params: IDataObject, parameter: string, extra: Partial<RunOptions> = {}): Promise<string> {
	const error = await failure(run(params, extra));
	expect(error.message).toMatch(new RegExp(`^Parameter "${parameter.replace('.', '\\.')}" `));
	expect(server.requests).toHaveLength(0);
	return error.message;
}

describe('kvid generation API: each mode × model', () => {
	const cases: Array<[string, IDataObject, string, IDataObject]> = [
		['textToVideo', t2v, 'text-to-video', {}],
		['imageToVideo', i2v, 'image-to-video', { image_url: i2v.imageUrl }],
		['referenceToVideo', r2v, 'reference-to-video', { image_urls: ['https://img.example/ref-1.png', 'https://img.example/ref-2.png'], video_urls: [], audio_urls: [] }],
	];
	const functions: Record<string, string> = { textToVideo: 'txt2vid', imageToVideo: 'img2vid', referenceToVideo: 'ref2vid' };

	for (const [mode, params, word, modeFields] of cases) {
		for (const model of ['wan', 'seedance', 'veo3.1']) {
			it(`${mode} with ${model}: the credit pool, model, function and mode fields; the job with mode and estimated_time`, async () => {
				const job = await submitOne({ ...params, model, options: { resolution: '480p', seed: 5834 } });
				const [request] = posts();
				expect(request.path).toBe(`/ai/generation/${word}/generate-async`);
				expect(request.headers['api-key']).toBe(KEY);
				expect(request.body).toEqual({ product_code: 'SANDBOX', prompt: params.prompt, model, function: functions[mode], resolution: '480p', seed: 5834, ...modeFields });
				const created = fake.lastJob!;
				expect(created).toMatchObject({ mode: word, model, dropped: [] });
				expect(job).toMatchObject({ provider: 'kvid', jobId: created.id, status: 'queued', mode, model, estimatedTime: '0-1s', error: null, videoUrl: null });
				expect(job.raw).toMatchObject({ success: true, data: { job_id: created.id, status: 'queued', video_type: word } });
			});
		}
	}

	it("sends wan's own fields to wan only, and the common ones to every model", async () => {
		const options = { negativePrompt: 'blur', numFrames: 90, framesPerSecond: 20, numInferenceSteps: 25, guidanceScale: 4.5, shift: 3, enableSafetyChecker: false, enablePromptExpansion: true, acceleration: 'high', duration: 6, aspectRatio: '9:16' };
		await submitOne({ ...t2v, model: 'wan', options });
		expect(lastBody()).toEqual({
			product_code: 'SANDBOX', prompt: t2v.prompt, model: 'wan', function: 'txt2vid', negative_prompt: 'blur', num_frames: 90, frames_per_second: 20,
			num_inference_steps: 25, guidance_scale: 4.5, shift: 3, enable_safety_checker: false, enable_prompt_expansion: true, acceleration: 'high', duration: 6, aspect_ratio: '9:16',
		});
		await submitOne({ ...t2v, model: 'seedance', options });
		expect(lastBody()).toEqual({ product_code: 'SANDBOX', prompt: t2v.prompt, model: 'seedance', function: 'txt2vid', negative_prompt: 'blur', duration: 6, aspect_ratio: '9:16' });
		expect(fake.lastJob!.dropped).toEqual([]);
	});

	it('reference-to-video: images, a video and audio as lists or arrays, duration "auto" and generate_audio', async () => {
		await submitOne({
			...r2v,
			imageUrls: '={{ ["https://img.example/a.png", "https://img.example/b.png"] }}',
			videoUrls: 'https://cdn.example/dance.mp4',
			audioUrls: 'https://cdn.example/beat.mp3\nhttps://cdn.example/voice.mp3',
			options: { duration: 'auto', generateAudio: false, aspectRatio: 'auto' },
		});
		expect(lastBody()).toMatchObject({
			image_urls: ['https://img.example/a.png', 'https://img.example/b.png'],
			video_urls: ['https://cdn.example/dance.mp4'],
			audio_urls: ['https://cdn.example/beat.mp3', 'https://cdn.example/voice.mp3'],
			duration: 'auto',
			generate_audio: false,
			aspect_ratio: 'auto',
		});
	});

	it('a full model id given by expression is sent as is and checked by its family', async () => {
		const model = '={{ "bytedance/seedance-2.0/fast/reference-to-video" }}';
		const job = await submitOne({ ...r2v, model, options: { resolution: '1080p', duration: 15 } });
		expect(lastBody()).toMatchObject({ model: 'bytedance/seedance-2.0/fast/reference-to-video', resolution: '1080p', duration: 15 });
		expect(job.model).toBe('bytedance/seedance-2.0/fast/reference-to-video');
		server.reset();
		const message = await refused({ ...t2v, model }, 'model');
		expect(message).toContain('is a reference-to-video model');
	});

	it('an image from a binary field goes as base64 image_file', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
		const items: INodeExecutionData[] = [{ json: {}, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } as IBinaryData } }];
		await submitOne({ ...i2v, imageSource: 'binary', imageUrl: undefined, model: 'veo3.1' }, { items });
		expect(lastBody()).toMatchObject({ image_file: png.toString('base64'), model: 'veo3.1', function: 'img2vid' });
		expect(lastBody().image_url).toBeUndefined();
	});

	it.each<KvidIdSpelling>(['data.job_id', 'data.jobId', 'job_id', 'jobId'])('reads the job id spelled %s', async (spelling) => {
		fake.idSpelling = spelling;
		const job = await submitOne(t2v);
		expect(job.jobId).toBe(fake.lastJob!.id);
	});
});

describe('kvid generation API: refused before any request, naming the field', () => {
	it.each<[string, IDataObject, string]>([
		['no prompt', { ...t2v, prompt: '  ' }, 'prompt'],
		['veo3.1 in 1:1', { ...t2v, model: 'veo3.1', options: { aspectRatio: '1:1' } }, 'options.aspectRatio'],
		['veo3.1 at 720p', { ...t2v, model: 'veo3.1', options: { resolution: '720p' } }, 'options.resolution'],
		['wan at 1080p', { ...t2v, model: 'wan', options: { resolution: '1080p' } }, 'options.resolution'],
		['wan for 12 s', { ...t2v, model: 'wan', options: { duration: 12 } }, 'options.duration'],
		['reference duration 3', { ...r2v, options: { duration: 3 } }, 'options.duration'],
		['reference duration 16', { ...r2v, options: { duration: 16 } }, 'options.duration'],
		['"auto" duration outside reference-to-video', { ...t2v, options: { duration: 'auto' } }, 'options.duration'],
		['"auto" aspect ratio for text-to-video', { ...t2v, options: { aspectRatio: 'auto' } }, 'options.aspectRatio'],
		['10 images', { ...r2v, imageUrls: Array.from({ length: 10 }, (_, n) => `https://img.example/${n}.png`).join('\n') }, 'imageUrls'],
		['4 videos', { ...r2v, videoUrls: Array.from({ length: 4 }, (_, n) => `https://cdn.example/${n}.mp4`).join(',') }, 'videoUrls'],
		['4 audios', { ...r2v, audioUrls: Array.from({ length: 4 }, (_, n) => `https://cdn.example/${n}.mp3`).join(',') }, 'audioUrls'],
		[
			'13 references',
			{ ...r2v, imageUrls: Array.from({ length: 9 }, (_, n) => `https://img.example/${n}.png`).join(','), videoUrls: 'https://c.example/1.mp4,https://c.example/2.mp4', audioUrls: 'https://c.example/1.mp3,https://c.example/2.mp3' },
			'imageUrls',
		],
		['audio with no image or video', { ...r2v, imageUrls: '', audioUrls: 'https://cdn.example/beat.mp3' }, 'audioUrls'],
		['no reference at all', { ...r2v, imageUrls: '' }, 'imageUrls'],
		['an http image URL', { ...i2v, imageUrl: 'http://img.example/scene.png' }, 'imageUrl'],
		['an http reference image', { ...r2v, imageUrls: 'http://img.example/ref.png' }, 'imageUrls'],
	])('%s', async (_what, params, parameter) => {
		await refused(params, parameter);
	});

	it('a binary that is not an image, or over 10 MB', async () => {
		const item = (bytes: number, mimeType: string): INodeExecutionData[] => [{ json: {}, binary: { data: { data: Buffer.alloc(bytes, 1).toString('base64'), mimeType, fileName: 'f' } as IBinaryData } }];
		expect(await refused({ ...i2v, imageSource: 'binary' }, 'binaryPropertyName', { items: item(100, 'video/mp4') })).toContain('not an image');
		expect(await refused({ ...i2v, imageSource: 'binary' }, 'binaryPropertyName', { items: item(10 * 1024 * 1024 + 1, 'image/png') })).toContain('at most 10.0 MB');
	});
});

describe('kvid generation API: the credit pool', () => {
	it.each([
		['productId', 'pdt_sandbox00001', 'product_id'],
		['productCode', 'SANDBOX', 'product_code'],
		['email', 'sandbox@example.com', 'email'],
	])("the credential's %s is sent as exactly one field", async (creditPool, creditPoolValue, field) => {
		await submitOne(t2v, { credentials: credentials({ creditPool, creditPoolValue }) });
		const body = lastBody();
		expect(['product_id', 'product_code', 'email'].filter((f) => f in body)).toEqual([field]);
		expect(body[field]).toBe(creditPoolValue);
		expect(fake.lastJob!.pool.product_code).toBe('SANDBOX');
	});

	it("an item's option bills another pool (only the value, or kind and value); the other items keep the credential's", async () => {
		const items = [{ json: { client: '' } }, { json: { client: 'CLIENT-B' } }];
		await run({ ...t2v, options: { creditPoolValue: '={{ $json.client }}' } }, { items });
		expect(posts().map((r) => r.body as IDataObject).map((b) => b.product_code)).toEqual(['SANDBOX', 'CLIENT-B']);
		await run({ ...t2v, options: { creditPool: 'email', creditPoolValue: 'billing@client-b.example' } });
		expect(lastBody()).toMatchObject({ email: 'billing@client-b.example' });
		expect(lastBody().product_code).toBeUndefined();
		const [, second, third] = [...fake.jobs.values()];
		expect([second.pool.product_code, third.pool.product_code]).toEqual(['CLIENT-B', 'CLIENT-B']);
	});

	it('none, or more than one, is refused before any request', async () => {
		expect(await refused(t2v, 'creditPoolValue', { credentials: credentials({ creditPool: 'productId', creditPoolValue: '' }) })).toContain('credential');
		expect(await refused(t2v, 'creditPoolValue', { credentials: credentials({ apiKey: KEY }) })).toContain('is empty');
		await refused(t2v, 'creditPoolValue', { credentials: credentials({ creditPool: 'productCode', creditPoolValue: 'SANDBOX, CLIENT-B' }) });
		await refused({ ...t2v, options: { creditPoolValue: '={{ ["SANDBOX", "CLIENT-B"] }}' } }, 'options.creditPoolValue');
		await refused({ ...t2v, options: { creditPool: '={{ ["productId", "email"] }}', creditPoolValue: 'x@y.example' } }, 'options.creditPool');
		await refused({ ...t2v, options: { creditPool: 'email' } }, 'options.creditPoolValue');
		await refused(t2v, 'creditPoolValue', { credentials: credentials({ creditPool: 'email', creditPoolValue: 'not-an-email' }) });
	});

	it("kvid's own rules, as the fake enforces them: none or several fields are a 400", async () => {
		const generate = (body: IDataObject) =>
			fetch(`${server.baseUrl}/ai/generation/text-to-video/generate-async`, { method: 'POST', headers: { 'api-key': KEY, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
		const none = await generate({ prompt: 'x' });
		expect([none.status, ((await none.json()) as IDataObject).error]).toEqual([400, 'MISSING_PARAMETERS']);
		const two = await generate({ prompt: 'x', product_code: 'SANDBOX', email: 'sandbox@example.com' });
		expect([two.status, ((await two.json()) as IDataObject).error]).toEqual([400, 'INVALID_PARAMETERS']);
		expect(fake.acceptedSubmits).toBe(0);
	});
});

describe('kvid generation API: status and result', () => {
	it('maps the five words one to one, and accepts other spellings', () => {
		expect(['queued', 'processing', 'completed', 'failed', 'canceled'].map(toGenerationStatus)).toEqual(['queued', 'processing', 'completed', 'failed', 'canceled']);
		expect(['CANCELLED', 'Completed', 'rendering', undefined].map(toGenerationStatus)).toEqual(['canceled', 'completed', 'processing', 'processing']);
	});

	it('Get Status and Get Result by jobId alone; the result adds width, height, fileSize and creditsUsed', async () => {
		server.renderMs = 60_000;
		const job = await submitOne({ ...t2v, model: 'seedance', options: { resolution: '720p', aspectRatio: '9:16', duration: 10 } });
		const status = await run({ operation: 'getStatus' }, { items: [{ json: job }] });
		expect(status.output[0][0].json).toMatchObject({ jobId: job.jobId, status: 'queued', mode: 'textToVideo', providerStatus: 'queued', videoUrl: null });
		const early = await run({ operation: 'getResult', download: false }, { items: [{ json: job }] }).catch((e: Error) => e);
		expect((early as Error).message).toMatch(/is not finished yet \(status: queued\)/);
		server.provider(KvidGenerationFake).clock.complete(job.jobId as string, server.now());
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: job }] });
		expect(gets().map((r) => [r.path, r.query.jobId])).toEqual([
			['/ai/generation/status', job.jobId],
			['/ai/generation/result', job.jobId],
			['/ai/generation/status', job.jobId],
			['/ai/generation/result', job.jobId],
		]);
		const result = output[0][0];
		expect(result.json).toMatchObject({
			jobId: job.jobId, status: 'completed', mode: 'textToVideo', videoUrl: server.fileUrl('kvidGeneration', job.jobId as string),
			width: 720, height: 1280, fileSize: server.fileSizeOf(job.jobId as string), creditsUsed: 108,
		});
		expect(Buffer.from(result.binary!.data.data, 'base64').equals(videoBytes(job.jobId as string, server.fileSizeOf(job.jobId as string)))).toBe(true);
	});

	it('a failed and a canceled job are data with their reason, from Get Status and Get Result', async () => {
		server.renderMs = 60_000;
		server.failNextJob('kvidGeneration', 'NSFW content detected');
		const failed = await submitOne(t2v);
		const canceled = await submitOne(t2v);
		fake.clock.complete(failed.jobId as string, server.now());
		server.cancelJob('kvidGeneration', canceled.jobId as string, 'canceled by the account owner');
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: failed }, { json: canceled }] });
		expect(output[0].map((o) => [o.json.status, o.json.error])).toEqual([
			['failed', 'NSFW content detected'],
			['canceled', 'canceled by the account owner'],
		]);
	});

	it('Wait for Completion never looks long before the estimate: with "1-3min" and a 2 s timeout, one look at the deadline', async () => {
		server.renderMs = 60_000;
		fake.estimatedTime = '1-3min';
		const { output } = await run({ ...t2v, waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 2 } }, { continueOnFail: true });
		const looks = gets().map((r) => r.at - posts()[0].at);
		expect(looks).toHaveLength(1);
		expect(looks[0]).toBeGreaterThanOrEqual(1_900);
		expect(output[0][0].json).toMatchObject({ jobId: fake.lastJob!.id, error: expect.stringMatching(/did not finish within 2 s/) });
	});

	it('Wait for Completion: the first look comes at the lower bound of estimated_time, then the usual growth; canceled ends it', async () => {
		server.renderMs = 5_000;
		fake.estimatedTime = '3-6s';
		const { output } = await run({ ...t2v, waitForCompletion: true, waitOptions: { pollInterval: 15, download: false } });
		const submittedAt = posts()[0].at;
		const looks = gets().filter((r) => r.path === '/ai/generation/status').map((r) => r.at - submittedAt);
		expect(looks[0]).toBeGreaterThanOrEqual(3_000);
		expect(looks[0]).toBeLessThan(3_600);
		// then 4.8 s later (3 s × 1.6), by when the 5 s render is done
		expect(looks).toHaveLength(2);
		expect(looks[1] - looks[0]).toBeGreaterThanOrEqual(4_700);
		expect(output[0][0].json).toMatchObject({ status: 'completed', creditsUsed: 39, width: 853, height: 480 });

		server.reset();
		server.renderMs = 3_000;
		fake.estimatedTime = '1-2s';
		const waiting = run({ ...t2v, waitForCompletion: true, waitOptions: { pollInterval: 1 } }, { continueOnFail: true });
		while (!fake.lastJob) await new Promise((resolve) => setTimeout(resolve, 20));
		server.cancelJob('kvidGeneration', fake.lastJob.id, 'canceled in the dashboard');
		const canceled = (await waiting).output[0][0].json;
		expect(canceled).toMatchObject({ jobId: fake.lastJob.id, error: expect.stringMatching(/was canceled: canceled in the dashboard/) });
		expect(gets()).toHaveLength(1);
	}, 20_000);

	it('reads the lower bound of kvid\'s estimate in its usual words', () => {
		expect(['2-5min', '30s', '1 - 2 minutes', '45-90 sec', '1h', 'soon', undefined, 120].map(estimatedFirstLookMs)).toEqual([120_000, 30_000, 60_000, 45_000, 3_600_000, undefined, undefined, undefined]);
	});
});

describe('kvid generation API: concurrency', () => {
	it('CONCURRENT_LIMIT (429): a batch keeps submitting as slots free up, one job per item', async () => {
		server.renderMs = 1_200;
		fake.concurrentLimit = 1;
		const items = ['one', 'two', 'three'].map((p) => ({ json: { p } }));
		const { output } = await run({ ...t2v, prompt: '={{ $json.p }}' }, { items });
		expect(fake.concurrencyRefusals).toBeGreaterThanOrEqual(2);
		expect(posts()).toHaveLength(3 + fake.concurrencyRefusals);
		const jobs = [...fake.jobs.values()];
		expect(jobs.map((j) => j.body.prompt)).toEqual(['one', 'two', 'three']);
		expect(jobs[1].createdAt).toBeGreaterThanOrEqual(jobs[0].createdAt + 1_200);
		expect(output[0].map((o) => o.json.jobId)).toEqual(jobs.map((j) => j.id));
	});
});

describe('kvid generation API: concurrency over minutes (time lapsed)', () => {
	const lapsed = (parameters: IDataObject, extra: Partial<RunOptions> = {}) =>
		execute({ node: new Kvid(), parameters, credentials: credentials(), typeVersion: 2, continueOnFail: false, ...extra });

	it('without Retry-After, a submit waits a whole 5-minute render for the slot (more than the usual 8 tries, each ≥ 15 s)', async () => {
		server.renderMs = 5 * 60_000;
		fake.concurrentLimit = 1;
		fake.retryAfterSeconds = null;
		const items = ['one', 'two', 'three'].map((p) => ({ json: { p } }));
		const outcome = await lapsed({ ...t2v, prompt: '={{ $json.p }}' }, { items });
		const jobs = [...fake.jobs.values()];
		expect(jobs.map((j) => j.body.prompt)).toEqual(['one', 'two', 'three']);
		expect(outputItems(outcome).map((o) => o.json.jobId)).toEqual(jobs.map((j) => j.id));
		expect(jobs[1].createdAt - jobs[0].createdAt).toBeGreaterThanOrEqual(5 * 60_000);
		expect(jobs[2].createdAt - jobs[1].createdAt).toBeGreaterThanOrEqual(5 * 60_000);
		const attempts = posts().filter((r) => (r.body as IDataObject).prompt === 'two');
		expect(attempts.length).toBeGreaterThan(9);
		for (let n = 1; n < attempts.length; n++) expect(attempts[n].at - attempts[n - 1].at).toBeGreaterThanOrEqual(15_000);
	});

	it('a limit that never clears fails after about 10 minutes with the concurrency hint, and no job; a Retry-After of 0 is no busy loop', async () => {
		server.inject({ provider: 'kvidGeneration', method: 'POST', status: 429, times: Infinity, headers: { 'Retry-After': '0' }, body: { success: false, error: 'CONCURRENT_LIMIT', message: 'Too many concurrent jobs' } });
		const outcome = await lapsed(t2v);
		const error = thrown(outcome);
		expect(error.message).toBe('kvid answered HTTP 429: Too many concurrent jobs');
		expect(error.description).toMatch(/^CONCURRENT_LIMIT: /);
		expect(outcome.tookMs).toBeGreaterThanOrEqual(10 * 60_000);
		expect(outcome.tookMs).toBeLessThan(11 * 60_000);
		// 9 quick tries (Retry-After 0), then one every 15 s for 10 minutes
		expect(posts().length).toBeGreaterThan(40);
		expect(posts().length).toBeLessThan(60);
		expect(fake.acceptedSubmits).toBe(0);
	});
});

describe('kvid node versions', () => {
	const apiVersionFields = () => new Kvid().description.properties.filter((p: INodeProperties) => p.name === 'apiVersion');

	it('typeVersion 2 is the default and uses the generation API; typeVersion 1 keeps the legacy API', async () => {
		const description = new Kvid().description;
		expect([description.version, description.defaultVersion]).toEqual([[1, 2], 2]);
		expect(apiVersionFields().map((p) => [p.displayOptions?.show?.['@version'], p.default])).toEqual([
			[[1], 'legacy'],
			[[2], 'generation'],
		]);
		await submitOne(t2v);
		expect(posts()[0].path).toBe('/ai/generation/text-to-video/generate-async');
		await run(t2v, { typeVersion: 1 });
		const legacy = server.requestsTo('kvid', 'POST');
		expect(legacy.map((r) => [r.path, r.body])).toEqual([['/ai/video/text-to-video/generate', { prompt: t2v.prompt }]]);
		expect(server.provider(KvidFake).acceptedSubmits).toBe(1);
	});

	it('typeVersion 2 may still choose the legacy API, which needs no credit pool', async () => {
		await run({ ...t2v, apiVersion: 'legacy' }, { credentials: credentials({}) });
		expect(server.requestsTo('kvid', 'POST')).toHaveLength(1);
		expect(posts()).toHaveLength(0);
	});

	it('the editor shows each model its own options: veo3.1 480p and 16:9 / 9:16 only; wan its own fields', () => {
		const collection = (model: string, mode: string) => {
			const shown = new Kvid().description.properties.filter(
				(p) => p.name === 'options' && p.displayOptions?.show?.apiVersion?.includes('generation') && p.displayOptions.show.model?.includes(model) && p.displayOptions.show.mode?.includes(mode),
			);
			expect(shown).toHaveLength(1);
			return Object.fromEntries((shown[0].options as INodeProperties[]).map((o) => [o.name, o]));
		};
		const values = (field: INodeProperties) => (field.options as Array<{ value: unknown }>).map((o) => o.value);
		const veo = collection('veo3.1', 'textToVideo');
		expect(values(veo.resolution)).toEqual(['480p']);
		expect(values(veo.aspectRatio)).toEqual(['16:9', '9:16']);
		expect(Object.keys(veo)).toEqual(['aspectRatio', 'creditPool', 'creditPoolValue', 'duration', 'negativePrompt', 'resolution', 'seed']);
		expect(Object.keys(collection('seedance', 'referenceToVideo'))).toContain('generateAudio');
		expect(values(collection('seedance', 'referenceToVideo').duration)).toEqual(['auto', ...Array.from({ length: 12 }, (_, n) => n + 4)]);
		expect(Object.keys(collection('wan', 'imageToVideo'))).toEqual(expect.arrayContaining(['acceleration', 'guidanceScale', 'shift', 'numFrames', 'framesPerSecond']));
		// with a full model id by expression n8n shows a field at its first condition on it: mode filters first
		const generationCollections = new Kvid().description.properties.filter((p) => p.name === 'options' && p.displayOptions?.show?.apiVersion?.includes('generation'));
		expect(generationCollections).toHaveLength(9);
		for (const p of generationCollections) expect(Object.keys(p.displayOptions!.show!)).toEqual(['operation', 'apiVersion', 'mode', 'model']);
		const names = Object.values(collection('wan', 'referenceToVideo')).map((f) => f.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});
});
