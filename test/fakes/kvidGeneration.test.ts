/**
 * The fake kvid generation API against PROVIDERS.md, over HTTP and without the node: the answers
 * the node is tested against must be the documented ones.
 */
import { KvidGenerationFake, startFakeProviders, type FakeServer } from './index';

let server: FakeServer;
let fake: KvidGenerationFake;
let now: number;

beforeAll(async () => {
	server = await startFakeProviders({ renderMs: 120_000 });
	fake = server.provider(KvidGenerationFake);
});
afterAll(async () => await server.stop());
beforeEach(() => {
	server.reset();
	server.renderMs = 120_000;
	now = 1_780_000_000_000;
	server.now = () => now;
});

/** The fields these tests read of kvid's answers. */
interface Answer {
	success?: boolean;
	error?: string;
	job_id?: string;
	jobId?: string;
	data: Record<string, unknown> & { job_id?: string; jobId?: string; status?: string };
}

const call = async (method: string, path: string, body?: unknown, key = 'kvid-sandbox-key') => {
	const res = await fetch(`${server.baseUrl}${path}`, {
		method,
		headers: { 'api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as Answer };
};
const generate = (mode: string, body: Record<string, unknown>, key?: string) => call('POST', `/ai/generation/${mode}/generate-async`, body, key);
const t2v = { product_id: 'pdt_sandbox00001', prompt: 'A beautiful sunset over the ocean' };

test("submit answers the doc's shape, with estimated_time as a range in words", async () => {
	const { status, json } = await generate('text-to-video', { ...t2v, model: 'veo3.1', function: 'txt2vid', duration: 4, aspect_ratio: '16:9' });
	expect(status).toBe(200);
	expect(json).toEqual({
		success: true,
		data: { job_id: expect.stringMatching(/^job_\d+_[0-9a-f]{9}$/), status: 'queued', message: 'Video generation job queued.', estimated_time: '2-5min', video_type: 'text-to-video' },
	});
});

test('the five status words, lower case; the result with its size and credits; canceled is final', async () => {
	const { json } = await generate('reference-to-video', { ...t2v, model: 'seedance', image_urls: ['https://a.example/1.png'], resolution: '720p', duration: 10 });
	const id = json.data.job_id as string;
	const status = async () => (await call('GET', `/ai/generation/status?jobId=${id}`)).json.data.status;
	expect(await status()).toBe('queued');
	expect((await call('GET', `/ai/generation/result?jobId=${id}`)).json.error).toBe('JOB_NOT_COMPLETED');
	now += 60_000;
	expect(await status()).toBe('processing');
	now += 60_000;
	expect(await status()).toBe('completed');
	const result = await call('GET', `/ai/generation/result?jobId=${id}`);
	expect(result.json.data).toMatchObject({ job_id: id, status: 'completed', type: 'reference-to-video', used_credit: 108, width: 1280, height: 720, size: 150_000, file_size: 150_000 });

	const other = (await generate('text-to-video', t2v)).json.data.job_id as string;
	server.cancelJob('kvidGeneration', other, 'canceled by the owner');
	now += 600_000;
	const canceled = await call('GET', `/ai/generation/status?jobId=${other}`);
	expect(canceled.json.data).toMatchObject({ status: 'canceled', error_message: 'canceled by the owner', result_url: null });
	expect((await call('GET', `/ai/generation/result?jobId=${other}`)).json.error).toBe('JOB_FAILED');
});

test.each([
	['data.jobId', (j: Answer) => j.data.jobId],
	['job_id', (j: Answer) => j.job_id],
	['jobId', (j: Answer) => j.jobId],
] as const)('spells the job id %s when told', async (spelling, read) => {
	fake.idSpelling = spelling;
	const { json } = await generate('text-to-video', t2v);
	expect(read(json)).toBe(fake.lastJob!.id);
	expect(json.data?.job_id).toBeUndefined();
});

test("the doc's error codes with their HTTP statuses", async () => {
	expect((await generate('text-to-video', t2v, 'wrong')).status).toBe(403);
	const codes = async (mode: string, body: Record<string, unknown>): Promise<[number, string | undefined]> => {
		const { status, json } = await generate(mode, body);
		return [status, json.error];
	};
	expect(await codes('text-to-video', { prompt: 'x' })).toEqual([400, 'MISSING_PARAMETERS']);
	expect(await codes('text-to-video', { ...t2v, email: 'sandbox@example.com' })).toEqual([400, 'INVALID_PARAMETERS']);
	expect(await codes('text-to-video', { ...t2v, prompt: '' })).toEqual([400, 'MISSING_PARAMETERS']);
	expect(await codes('image-to-video', t2v)).toEqual([400, 'MISSING_PARAMETERS']);
	expect(await codes('image-to-video', { ...t2v, image_url: 'http://a.example/1.png' })).toEqual([400, 'INVALID_PARAMETERS']);
	expect(await codes('text-to-video', { ...t2v, model: 'veo3.1', aspect_ratio: '1:1' })).toEqual([400, 'INVALID_PARAMETERS']);
	expect(await codes('reference-to-video', { ...t2v, audio_urls: ['https://a.example/1.mp3'] })).toEqual([400, 'INVALID_PARAMETERS']);
	expect(await codes('reference-to-video', { ...t2v, image_urls: ['https://a.example/1.png'], duration: 16 })).toEqual([400, 'INVALID_PARAMETERS']);
	fake.pools[0].credits = 10;
	expect(await codes('text-to-video', t2v)).toEqual([402, 'INSUFFICIENT_CREDIT']);
	expect((await call('GET', '/ai/generation/status?jobId=job_unknown')).status).toBe(404);
	expect(fake.acceptedSubmits).toBe(0);
});

test('fields a model does not take are dropped, as kvid does; the concurrency limit answers 429 with Retry-After', async () => {
	await generate('text-to-video', { ...t2v, model: 'seedance', num_frames: 90, acceleration: 'high' });
	expect(fake.lastJob!.dropped).toEqual(['num_frames', 'acceleration']);
	fake.concurrentLimit = 1;
	const refused = await generate('text-to-video', t2v);
	expect([refused.status, refused.json.error, refused.retryAfter]).toEqual([429, 'CONCURRENT_LIMIT', '120']);
	expect(fake.acceptedSubmits).toBe(1);
});
