/**
 * AI Studios node against the fake AI Studios (real HTTP through the n8n-context harness).
 * Seed: aistudios-chromakey-export.md — three chroma-key jobs submitted, followed and downloaded.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { TEXT_MAX } from '../../nodes/AiStudios/actions/submit.operation';
import { AiStudiosFake, FILES, startFakeProviders, videoBytes, type FakeServer, type RecordedRequest } from '../fakes';
import { runNode, testCredential } from '../helpers/n8nContext';

/** The seed's three jobs, verbatim. */
const SEED_JOBS = [
	{ language: 'ko', text: '안녕하세요, 저는 첫번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
	{ language: 'ko', text: '안녕하세요, 저는 두번째 작업입니다.', model: 'M000004017', clothes: 'BG00001004' },
	{ language: 'ko', text: '안녕하세요, 저는 세번째 작업입니다.', model: 'M000004017', clothes: 'BG00006160' },
];

/** Submit parameters that read each field from the incoming item, as the example workflow does. */
const FROM_ITEM = {
	operation: 'submit',
	language: '={{ $json.language }}',
	text: '={{ $json.text }}',
	model: '={{ $json.model }}',
	clothes: '={{ $json.clothes }}',
};

let server: FakeServer;
let fake: AiStudiosFake;
let clock: number;

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(AiStudiosFake);
});
afterAll(async () => await server.stop());
beforeEach(() => {
	server.reset();
	server.now = () => Date.now();
});

const credentials = (data: IDataObject = {}) => [{ type: new AiStudiosApi(), data: { apiKey: fake.apiKey, baseUrl: server.baseUrl, ...data } }];

async function run(parameters: IDataObject, items?: INodeExecutionData[], options: { continueOnFail?: boolean; apiKey?: string } = {}) {
	const { output } = await runNode({
		node: new AiStudios(),
		parameters,
		items,
		credentials: credentials(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
		continueOnFail: options.continueOnFail,
	});
	return output[0];
}

async function runError(parameters: IDataObject, items?: INodeExecutionData[], apiKey?: string) {
	return await run(parameters, items, { apiKey }).then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Error & { description?: string; httpCode?: string; context?: IDataObject }) => error,
	);
}

const seedItem = (n = 0): INodeExecutionData => ({ json: { ...SEED_JOBS[n] } });
const aiRequests = (method?: string, path?: string | RegExp) => server.requestsTo('aiStudios', method, path);
const submits = () => aiRequests('POST', '/api/odin/simple/video');
const progressChecks = () => aiRequests('GET', '/api/odin/editor/progress/');

/** Runs time on a hand-driven clock: jobs render for `renderMs` of it. */
function manualClock(renderMs: number) {
	clock = 1_700_000_000_000;
	server.now = () => clock;
	server.renderMs = renderMs;
}

async function submitOne(n = 0): Promise<string> {
	const [item] = await run(FROM_ITEM, [seedItem(n)]);
	return item.json.jobId as string;
}

const secretFree = (error: Error & { description?: string }, secret: string) => {
	expect(`${error.message} ${error.description ?? ''} ${JSON.stringify(error)}`).not.toContain(secret);
};

describe('submit', () => {
	test('sends the seed job as the chroma-key export body, with the raw key as Authorization, and returns the job', async () => {
		const out = await run(FROM_ITEM, [seedItem(0)]);

		expect(submits()).toHaveLength(1);
		expect(aiRequests()).toHaveLength(1);
		const [request] = submits();
		expect(request.body).toEqual(SEED_JOBS[0]);
		expect(request.headers.authorization).toBe(fake.apiKey);
		expect(String(request.headers['content-type'])).toContain('application/json');

		const key = fake.lastJobId!;
		expect(out).toHaveLength(1);
		expect(out[0].json).toEqual({
			provider: 'aiStudios',
			jobId: key,
			status: 'queued',
			progress: 0,
			videoUrl: null,
			error: null,
			raw: { success: true, data: { key } },
		});
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});

	test('fixed parameters; a language outside the list passes as a code, and no webhook is sent unless set', async () => {
		await run({ operation: 'submit', language: 'ja', text: 'こんにちは', model: 'M000045058', clothes: 'BG00002320' });
		await run({ ...FROM_ITEM }, [{ json: { ...SEED_JOBS[0], language: 'fil' } }]);
		expect(submits().map((r) => r.body)).toEqual([
			{ language: 'ja', text: 'こんにちは', model: 'M000045058', clothes: 'BG00002320' },
			{ ...SEED_JOBS[0], language: 'fil' },
		]);
	});

	test('the webhook option is sent as `webhook`, and the provider calls it when the video is done', async () => {
		const calls: string[] = [];
		const receiver = http.createServer((req, res) => {
			calls.push(req.url ?? '');
			res.end('ok');
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/done?run=7`;
		try {
			server.renderMs = 150;
			const [item] = await run({ ...FROM_ITEM, options: { webhook: hook } }, [seedItem(1)]);
			expect(submits()[0].body).toEqual({ ...SEED_JOBS[1], webhook: hook });
			for (let i = 0; i < 500 && fake.webhookCalls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
			expect(fake.webhookCalls).toHaveLength(1);
			expect(fake.webhookCalls[0].status).toBe(200);
			const called = new URL(calls[0], 'http://x');
			expect(called.pathname).toBe('/done');
			expect(called.searchParams.get('run')).toBe('7');
			expect(called.searchParams.get('videoUrl')).toBe(server.fileUrl('aiStudios', item.json.jobId as string));
			expect(called.searchParams.get('duration')).toBe('4.2');
		} finally {
			await new Promise((resolve) => receiver.close(resolve));
		}
	});

	test('`success: false` (unknown model) is an error with the provider message; model ids are not second-guessed', async () => {
		const error = await runError({ ...FROM_ITEM }, [{ json: { ...SEED_JOBS[0], model: 'not-a-model id' } }]);
		expect(error.message).toContain('Invalid model: not-a-model id');
		expect(error.message).toContain('AI Studios');
		expect(error.httpCode).toBe('200');
		expect(submits()).toHaveLength(1);
		expect(submits()[0].body).toEqual({ ...SEED_JOBS[0], model: 'not-a-model id' });
		expect(fake.acceptedSubmits).toBe(0);
	});

	test('`success: false` for clothes the model does not have surfaces the message; Continue On Fail gives an error item', async () => {
		const out = await run({ ...FROM_ITEM }, [seedItem(0), { json: { ...SEED_JOBS[1], clothes: 'BG00002320' } }], { continueOnFail: true });
		expect(out).toHaveLength(2);
		expect(out[0].json.status).toBe('queued');
		expect(out[1].json.error).toContain('Invalid clothes BG00002320 for model M000004017');
		expect(out[1].json.jobId).toBeUndefined();
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(fake.acceptedSubmits).toBe(1);
	});

	test('an unknown API key is an error naming HTTP 401 and the provider message, without the key', async () => {
		const wrong = 'wrong-key-0123456789';
		const error = await runError({ ...FROM_ITEM }, [seedItem(0)], wrong);
		expect(error.message).toContain('401');
		expect(error.message).toContain('Unauthorized: invalid API key');
		// n8n's own resend-after-401 is turned off: a refused submit is sent once, and made no job
		expect(submits()).toHaveLength(1);
		expect(submits().every((r) => r.headers.authorization === wrong)).toBe(true);
		expect(fake.acceptedSubmits).toBe(0);
		secretFree(error, wrong);
	});

	test('a provider message that echoes the key is redacted', async () => {
		server.inject({ provider: 'aiStudios', status: 403, body: { success: false, msg: `key ${fake.apiKey} has no API plan` } });
		const error = await runError({ ...FROM_ITEM }, [seedItem(0)]);
		expect(error.message).toContain('has no API plan');
		expect(error.message).toContain('***');
		secretFree(error, fake.apiKey);
	});

	test('a success answer without a project key is an error, not a job without id', async () => {
		server.inject({ provider: 'aiStudios', status: 200, body: { success: true, data: {} } });
		const error = await runError({ ...FROM_ITEM }, [seedItem(0)]);
		expect(error.message).toContain('returned no project key');
	});

	test('a 500 on the export is not repeated (it may have created a job)', async () => {
		server.inject({ provider: 'aiStudios', method: 'POST', status: 500, body: { success: false, msg: 'internal error' } });
		const error = await runError({ ...FROM_ITEM }, [seedItem(0)]);
		expect(error.message).toContain('500');
		expect(submits()).toHaveLength(1);
	});
});

describe('validation: fails naming the parameter, before any request', () => {
	const cases: Array<[string, IDataObject, string]> = [
		['language empty', { language: '' }, 'language'],
		['language not a code', { language: 'Korean please' }, 'language'],
		['text empty', { text: '' }, 'text'],
		['text only spaces', { text: '   \n ' }, 'text'],
		['text over the cap', { text: 'a'.repeat(TEXT_MAX + 1) }, 'text'],
		['model empty', { model: '' }, 'model'],
		['model only spaces', { model: '  ' }, 'model'],
		['clothes empty', { clothes: '' }, 'clothes'],
		['webhook not a URL', { options: { webhook: 'call me maybe' } }, 'options.webhook'],
		['webhook not http(s)', { options: { webhook: 'ftp://example.com/hook' } }, 'options.webhook'],
	];
	test.each(cases)('%s', async (_, change, parameter) => {
		const error = await runError({ operation: 'submit', ...SEED_JOBS[0], ...change });
		expect(error.message).toMatch(new RegExp(`^Parameter "${parameter.replace('.', '\\.')}" `));
		expect(aiRequests()).toHaveLength(0);
	});

	test(`text of exactly ${TEXT_MAX} characters (counted as people count them) is accepted`, async () => {
		const text = '가'.repeat(TEXT_MAX - 1) + '😀';
		await run({ operation: 'submit', ...SEED_JOBS[0], text });
		expect(submits()[0].body).toEqual({ ...SEED_JOBS[0], text });
	});

	test('the text cap is stated in the error', async () => {
		const error = await runError({ operation: 'submit', ...SEED_JOBS[0], text: 'b'.repeat(TEXT_MAX + 10) });
		expect(error.message).toContain(`${TEXT_MAX + 10} characters`);
		expect(error.message).toContain(`at most ${TEXT_MAX}`);
	});

	test.each(['getStatus', 'getResult'])('%s: a jobId that is not an id sends nothing', async (operation) => {
		for (const jobId of ['', 'a/b', '..', 'x y', 'k?e']) {
			const error = await runError({ operation, jobId });
			expect(error.message).toMatch(/^Parameter "jobId" /);
		}
		expect(aiRequests()).toHaveLength(0);
		expect(server.filesRequests).toHaveLength(0);
	});

	test('with Continue On Fail, an invalid item does not stop the valid ones', async () => {
		const out = await run({ ...FROM_ITEM }, [seedItem(0), { json: { ...SEED_JOBS[1], text: '' } }, seedItem(2)], { continueOnFail: true });
		expect(out.map((o) => o.json.status ?? o.json.error)).toEqual(['queued', expect.stringMatching(/^Parameter "text"/), 'queued']);
		expect(submits().map((r) => r.body)).toEqual([SEED_JOBS[0], SEED_JOBS[2]]);
	});
});

describe('getStatus: progress mapped to the job contract', () => {
	test('0 while queued, then processing with progress, then completed with the `url` (jobId chained from submit)', async () => {
		manualClock(10_000);
		const submitted = await run(FROM_ITEM, [seedItem(0)]);
		const key = submitted[0].json.jobId as string;
		const status = async () => (await run({ operation: 'getStatus' }, submitted))[0];

		clock += 500;
		expect((await status()).json).toMatchObject({ status: 'queued', progress: 0, videoUrl: null, error: null });
		clock += 4_500;
		const mid = await status();
		expect(mid.json).toMatchObject({ provider: 'aiStudios', jobId: key, status: 'processing', progress: 50, videoUrl: null, error: null });
		expect(mid.json.raw).toEqual({ success: true, data: { progress: 50 } });
		expect(mid.pairedItem).toEqual({ item: 0 });
		clock += 5_000;
		const done = await status();
		expect(done.json).toMatchObject({ status: 'completed', progress: 100, videoUrl: server.fileUrl('aiStudios', key), error: null });

		expect(progressChecks().map((r) => r.path)).toEqual(Array(3).fill(`/api/odin/editor/progress/${key}`));
		expect(progressChecks().every((r) => r.headers.authorization === fake.apiKey)).toBe(true);
		expect(server.filesRequests).toHaveLength(0);
	});

	test('the URL is also read from `videoUrl` (the reference table\'s name)', async () => {
		fake.urlField = 'videoUrl';
		const key = await submitOne();
		const [item] = await run({ operation: 'getStatus', jobId: key });
		expect(item.json).toMatchObject({ status: 'completed', videoUrl: server.fileUrl('aiStudios', key) });
		expect(item.json.raw).toEqual({ success: true, data: { progress: 100, videoUrl: server.fileUrl('aiStudios', key) } });
	});

	test('progress 100 without a URL yet is still processing', async () => {
		manualClock(1_000);
		fake.urlLagMs = 5_000;
		const key = await submitOne();
		clock += 2_000;
		const [item] = await run({ operation: 'getStatus', jobId: key });
		expect(item.json).toMatchObject({ status: 'processing', progress: 100, videoUrl: null });
	});

	test('fractional progress below 100 never shows as 100', async () => {
		server.inject({ provider: 'aiStudios', method: 'GET', status: 200, body: { success: true, data: { progress: 99.7 } } });
		const [item] = await run({ operation: 'getStatus', jobId: 'abc123' });
		expect(item.json).toMatchObject({ status: 'processing', progress: 99 });
	});

	test('`success: false` on progress is a failed job (data, not an error) with the provider message', async () => {
		manualClock(1_000);
		server.failNextJob('aiStudios', 'Export failed: TTS error');
		const key = await submitOne();
		clock += 1_000;
		const out = await run({ operation: 'getStatus', jobId: key });
		expect(out[0].json).toEqual({
			provider: 'aiStudios',
			jobId: key,
			status: 'failed',
			progress: null,
			videoUrl: null,
			error: 'Export failed: TTS error',
			raw: { success: false, msg: 'Export failed: TTS error' },
		});
	});

	test('an unknown project key comes back as AI Studios reports it: failed with its message', async () => {
		const [item] = await run({ operation: 'getStatus', jobId: 'no-such-project' });
		expect(item.json).toMatchObject({ jobId: 'no-such-project', status: 'failed', error: 'Project not found' });
	});

	test('an unknown API key is an error (HTTP 401), not a failed job, and names the job', async () => {
		const wrong = 'another-wrong-key-42';
		const error = await runError({ operation: 'getStatus', jobId: 'abc123' }, undefined, wrong);
		expect(error.message).toContain('401');
		expect(error.message).toContain('Unauthorized: invalid API key');
		expect(error.message).toContain('abc123');
		secretFree(error, wrong);
	});

	test('an answer that is not a progress report is an error', async () => {
		server.inject({ provider: 'aiStudios', method: 'GET', status: 200, body: { hello: 'proxy page' } });
		const error = await runError({ operation: 'getStatus', jobId: 'abc123' });
		expect(error.message).toContain('not a progress report');
		expect(error.context?.jobId).toBe('abc123');
	});

	test('several items are checked one by one, each paired with its item', async () => {
		const keys = [await submitOne(0), await submitOne(1)];
		const out = await run({ operation: 'getStatus' }, keys.map((jobId) => ({ json: { jobId } })));
		expect(out.map((o) => [o.json.jobId, o.json.status, o.pairedItem])).toEqual([
			[keys[0], 'completed', { item: 0 }],
			[keys[1], 'completed', { item: 1 }],
		]);
	});
});

describe('getResult', () => {
	const expectVideo = (item: INodeExecutionData, key: string, property = 'data') => {
		const binary = item.binary?.[property];
		expect(binary).toBeDefined();
		expect(binary!.mimeType).toBe('video/mp4');
		expect(binary!.fileName).toBe(`${key}.mp4`);
		expect(Buffer.from(binary!.data, 'base64').equals(videoBytes(key, server.fileSizeOf(key)))).toBe(true);
	};

	test('downloads the finished video into binary `data`, bytes identical, without sending the key to the file host', async () => {
		const submitted = await run(FROM_ITEM, [seedItem(0)]);
		const key = submitted[0].json.jobId as string;
		const [item] = await run({ operation: 'getResult' }, submitted);
		expect(item.json).toMatchObject({ provider: 'aiStudios', jobId: key, status: 'completed', progress: 100, videoUrl: server.fileUrl('aiStudios', key) });
		expectVideo(item, key);
		const files = server.requestsTo(FILES);
		expect(files).toHaveLength(1);
		expect(files[0].path).toBe(`/files/aiStudios/${key}.mp4`);
		expect(files[0].headers.authorization).toBeUndefined();
		expect(progressChecks()).toHaveLength(1);
	});

	test('reads `videoUrl` too, and honours the output field name', async () => {
		fake.urlField = 'videoUrl';
		server.fileSize = 300_000;
		const key = await submitOne(2);
		const [item] = await run({ operation: 'getResult', jobId: key, binaryPropertyName: 'chromaKey' });
		expectVideo(item, key, 'chromaKey');
		expect(item.binary?.data).toBeUndefined();
	});

	test('download off: only the URL, no file request', async () => {
		const key = await submitOne();
		const [item] = await run({ operation: 'getResult', jobId: key, download: false });
		expect(item.json).toMatchObject({ status: 'completed', videoUrl: server.fileUrl('aiStudios', key) });
		expect(item.binary).toBeUndefined();
		expect(server.filesRequests).toHaveLength(0);
	});

	test('a job still rendering is an error saying so (no download attempted)', async () => {
		manualClock(10_000);
		const key = await submitOne();
		clock += 3_000;
		const error = await runError({ operation: 'getResult', jobId: key });
		expect(error.message).toContain(`Job ${key} is not finished yet (status: processing, 30%)`);
		expect(error.context?.jobId).toBe(key);
		expect(server.filesRequests).toHaveLength(0);
	});

	test('progress 100 but no URL yet is still processing', async () => {
		manualClock(1_000);
		fake.urlLagMs = 10_000;
		const key = await submitOne();
		clock += 1_500;
		const error = await runError({ operation: 'getResult', jobId: key });
		expect(error.message).toContain('not finished yet (status: processing, 100%)');
		expect(server.filesRequests).toHaveLength(0);
	});

	test('a failed render is returned as data (status failed, provider message), nothing downloaded', async () => {
		server.failNextJob('aiStudios', 'Model rendering error');
		const key = await submitOne();
		const [item] = await run({ operation: 'getResult', jobId: key });
		expect(item.json).toMatchObject({ jobId: key, status: 'failed', error: 'Model rendering error', videoUrl: null });
		expect(item.binary).toBeUndefined();
		expect(server.filesRequests).toHaveLength(0);
	});

	test('an expired file link is an error naming the job', async () => {
		const key = await submitOne();
		server.expireFile(key);
		const error = await runError({ operation: 'getResult', jobId: key });
		expect(error.message).toContain(`Could not download the video of job ${key} from AI Studios`);
		expect(error.message).toContain('403');
	});
});

describe('the seed scenario: three chroma-key jobs in one execution', () => {
	const RENDER_MS = 1_500;

	const renderWindow = (key: string) => {
		const job = fake.jobs.get(key)!;
		return { start: job.createdAt, end: job.createdAt + job.renderMs };
	};

	test('submitted, followed together and downloaded: they render at the same time, not one after another', async () => {
		server.renderMs = RENDER_MS;
		const started = Date.now();
		const out = await run(
			{ ...FROM_ITEM, waitForCompletion: true, waitOptions: { pollInterval: 1 } },
			SEED_JOBS.map((job) => ({ json: { ...job } })),
		);
		const elapsed = Date.now() - started;

		// what the provider received: the seed's three bodies, in order, all before the first progress check
		expect(submits().map((r) => r.body)).toEqual(SEED_JOBS);
		const firstCheck = aiRequests().findIndex((r) => r.method === 'GET');
		expect(aiRequests().slice(0, firstCheck).map((r: RecordedRequest) => r.method)).toEqual(['POST', 'POST', 'POST']);

		// three finished videos, each its own, paired with its job
		expect(out).toHaveLength(3);
		const keys = [...fake.jobs.keys()];
		out.forEach((item, i) => {
			expect(item.json).toMatchObject({ provider: 'aiStudios', jobId: keys[i], status: 'completed', progress: 100, error: null });
			expect(item.pairedItem).toEqual({ item: i });
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(keys[i], server.fileSizeOf(keys[i])))).toBe(true);
		});
		expect(new Set(keys).size).toBe(3);
		expect(server.requestsTo(FILES).map((r) => r.path).sort()).toEqual(keys.map((k) => `/files/aiStudios/${k}.mp4`).sort());

		// concurrency: every render overlaps every other one, and the whole batch takes about one render
		const windows = keys.map(renderWindow);
		for (const a of windows) for (const b of windows) expect(a.start < b.end && b.start < a.end).toBe(true);
		expect(elapsed).toBeLessThan(2 * RENDER_MS + 1_000);
		// each job is checked at its own pace until done: once that sees it finished, once for the result
		for (const key of keys) {
			const checks = progressChecks().filter((r) => r.path.endsWith(key));
			expect(checks.length).toBeLessThanOrEqual(8);
			// one check sees it finished; that answer carries the link, so no second check
			expect(checks.filter((r) => r.at >= renderWindow(key).end)).toHaveLength(1);
		}
	});

	test('a render that fails is reported with its message while the others finish (Continue On Fail)', async () => {
		server.renderMs = 600;
		fake.failIf = (body) => (body.clothes === 'BG00001004' ? 'Export failed: clothes unavailable' : undefined);
		const out = await run(
			{ ...FROM_ITEM, waitForCompletion: true, waitOptions: { pollInterval: 1, download: false } },
			SEED_JOBS.map((job) => ({ json: { ...job } })),
			{ continueOnFail: true },
		);
		const keys = [...fake.jobs.keys()];
		expect(out).toHaveLength(3);
		expect(out[0].json).toMatchObject({ jobId: keys[0], status: 'completed', videoUrl: server.fileUrl('aiStudios', keys[0]) });
		expect(out[1].json.error).toBe(`Job ${keys[1]} failed: Export failed: clothes unavailable`);
		expect(out[1].json.jobId).toBe(keys[1]);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json).toMatchObject({ jobId: keys[2], status: 'completed' });
		expect(out[0].binary).toBeUndefined();
		expect(server.filesRequests).toHaveLength(0);
	});

	test('without Continue On Fail, the failure stops the node and names the other jobs of the batch', async () => {
		server.renderMs = 400;
		server.failNextJob('aiStudios', 'Export failed');
		const error = await runError(
			{ ...FROM_ITEM, waitForCompletion: true, waitOptions: { pollInterval: 1, download: false } },
			SEED_JOBS.map((job) => ({ json: { ...job } })),
		);
		const keys = [...fake.jobs.keys()];
		expect(error.message).toBe(`Job ${keys[0]} failed: Export failed`);
		expect(error.description).toContain(`item 1: job ${keys[1]}`);
		expect(error.description).toContain(`item 2: job ${keys[2]}`);
	});
});

describe('credential', () => {
	test('the test request passes with the right key, sending it as is', async () => {
		const result = await testCredential({ type: new AiStudiosApi(), data: { apiKey: fake.apiKey, baseUrl: `${server.baseUrl}/` } });
		expect(result).toEqual({ ok: true });
		expect(aiRequests()).toHaveLength(1);
		expect(aiRequests()[0].method).toBe('GET');
		expect(aiRequests()[0].headers.authorization).toBe(fake.apiKey);
		expect(fake.acceptedSubmits).toBe(0);
	});

	test('the test request fails with an unknown key', async () => {
		const result = await testCredential({ type: new AiStudiosApi(), data: { apiKey: 'nope-not-a-key', baseUrl: server.baseUrl } });
		expect(result.ok).toBe(false);
		expect(result.message).toContain('401');
	});

	test('the credential has the contract fields (v3 keys, v2 key, per-version Base URL), and the node uses it', () => {
		const type = new AiStudiosApi();
		expect(type.name).toBe('aiStudiosApi');
		expect(type.properties.filter((p) => p.type !== 'notice').map((p) => [p.name, p.default])).toEqual([
			['appId', ''],
			['userKey', ''],
			['apiKey', ''],
			// empty: each API version falls back to its own host
			['baseUrl', ''],
			['sessionToken', ''],
			['sessionExpiresAt', ''],
		]);
		const secret = (name: string) => type.properties.find((p) => p.name === name)?.typeOptions?.password;
		expect([secret('userKey'), secret('apiKey'), secret('sessionToken'), secret('appId')]).toEqual([true, true, true, undefined]);
		expect(type.properties.find((p) => p.name === 'sessionToken')?.typeOptions?.expirable).toBe(true);
		const node = new AiStudios().description;
		expect(node.name).toBe('aiStudios');
		expect([node.version, node.defaultVersion]).toEqual([[1, 2], 2]);
		expect(node.credentials).toEqual([{ name: 'aiStudiosApi', required: true }]);
		const operations = node.properties.filter((p) => p.name === 'operation');
		const values = (version: string) =>
			(operations.find((p) => p.displayOptions?.show?.apiVersion?.includes(version))?.options as Array<{ value: string }>).map((o) => o.value).sort();
		expect(values('v2')).toEqual(['getResult', 'getStatus', 'submit']);
		expect(values('v3')).toEqual(['delete', 'getAll', 'getResult', 'getStatus', 'submit']);
		const apiVersion = node.properties.filter((p) => p.name === 'apiVersion').map((p) => [p.displayOptions?.show?.['@version'], p.default]);
		expect(apiVersion).toEqual([[[1], 'v2'], [[2], 'v3']]);
	});
});
