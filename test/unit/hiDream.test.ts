import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { HiDreamApi, tokenExpiresAt } from '../../credentials/HiDreamApi.credentials';
import { HiDream } from '../../nodes/HiDream/HiDream.node';
import { newRequestId } from '../../nodes/HiDream/actions/common';
import { MAX_BINARY_VIDEO_BYTES } from '../../nodes/HiDream/actions/stylize';
import { toJobStatus } from '../../nodes/HiDream/job';
import {
	FILES,
	HIDREAM_RESULTS_PATH,
	HIDREAM_STYLES,
	HIDREAM_SUBMIT_PATH,
	HIDREAM_TOKEN_PATH,
	HiDreamFake,
	hiDreamBatchPath,
	videoBytes,
	type FakeServer,
} from '../fakes';
import { failure, realSleep, until, withMockedClock } from '../helpers/clock';
import { unpaced, useHiDreamFakes } from '../helpers/hiDreamFakes';
import { CredentialStore, runNode, testCredential, type RunOptions } from '../helpers/n8nContext';

const API_KEY = 'hidream-sandbox-api-key';
const TOKEN = 'hidream-sandbox-static-token';
const VIDEO_URL = 'https://media.example.com/clip.mp4';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: FakeServer;
let fake: HiDreamFake;
useHiDreamFakes((s, f) => ([server, fake] = [s, f]));

const credentialType = new HiDreamApi();

function tokenCredentials(data: IDataObject = {}) {
	return [{ type: credentialType, data: { authentication: 'token', token: TOKEN, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '', ...data } }];
}
function apiKeyCredentials(data: IDataObject = {}) {
	return [{ type: credentialType, data: { authentication: 'apiKey', apiKey: API_KEY, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '', ...data } }];
}

const submitParams: IDataObject = { operation: 'submit', style: 'ink_wash', videoSource: 'url', videoUrl: VIDEO_URL, ...unpaced };

function options(parameters: IDataObject, extra: Partial<RunOptions> = {}): RunOptions {
	return { node: new HiDream(), parameters, credentials: tokenCredentials(), ...extra };
}

async function run(parameters: IDataObject, extra: Partial<RunOptions> = {}, store?: CredentialStore) {
	return await runNode(options(parameters, extra), store);
}

const json = (items: INodeExecutionData[][]) => items[0].map((i) => i.json);
const apiRequests = (method?: string, path?: string | RegExp) => server.requestsTo('hiDream', method, path);
const submits = () => apiRequests('POST', new RegExp(`^${HIDREAM_SUBMIT_PATH}$`));
const sentBody = (n = 0) => submits()[n].body as IDataObject;

async function submitOne(params: IDataObject = {}, extra: Partial<RunOptions> = {}) {
	const { output } = await run({ ...submitParams, ...params }, extra);
	return output[0][0].json;
}

function videoItem(bytes: Buffer, mimeType = 'video/mp4', property = 'data'): INodeExecutionData {
	return { json: {}, binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName: 'clip.mp4' } } };
}

/** a tiny HTTP server standing in for the workflow's callback address */
async function callbackReceiver(answer: (n: number) => number | 'hang' = () => 200) {
	const received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: IDataObject; at: number }> = [];
	const receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as IDataObject, at: Date.now() });
			const status = answer(received.length);
			if (status === 'hang') return;
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end('{"message":"Workflow was started"}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
	const close = async () => {
		receiver.closeAllConnections();
		await new Promise<void>((resolve) => receiver.close(() => resolve()));
	};
	return { url, received, close };
}

describe('HiDream submit', () => {
	it('sends a documented style with a video URL and a generated request id, and returns the job contract', async () => {
		const { output } = await run(submitParams);
		const [item] = output[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		const job = fake.jobs.get(fake.lastJobId!)!;
		expect(item.json).toMatchObject({ provider: 'hiDream', jobId: job.id, status: 'queued', progress: null, videoUrl: null, error: null, style: 'ink_wash', notifyUrl: null });
		expect(item.json.subTaskIds).toEqual(job.subTaskIds);
		expect((item.json.raw as IDataObject).code).toBe(0);

		const [request] = submits();
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(String(request.headers['content-type'])).toContain('application/json');
		const body = request.body as IDataObject;
		expect(Object.keys(body).sort()).toEqual(['request_id', 'style', 'video_name']);
		expect(body).toMatchObject({ style: 'ink_wash', video_name: VIDEO_URL });
		expect(body.request_id).toMatch(UUID_V4);
		expect(item.json.requestId).toBe(body.request_id);
		expect(fake.acceptedSubmits).toBe(1);
	});

	it('sends every documented style as is', async () => {
		const items = HIDREAM_STYLES.map((style) => ({ json: { style } }));
		await run({ ...submitParams, style: '={{ $json.style }}' }, { items });
		expect(submits().map((r) => (r.body as IDataObject).style)).toEqual([...HIDREAM_STYLES]);
	});

	it('sends a prompt instead of a style for custom', async () => {
		const job = await submitOne({ style: 'custom', prompt: '  a pig is eating, oil painting ' });
		expect(sentBody()).toEqual({ prompt: 'a pig is eating, oil painting', video_name: VIDEO_URL, request_id: job.requestId });
		expect(job.style).toBe('custom');
	});

	it('sends the given request id and notify URL, and keeps them in the output', async () => {
		const job = await submitOne({ options: { requestId: 'order-1234', notifyUrl: 'https://n8n.example.com/webhook-waiting/17?signature=abc' } });
		expect(sentBody()).toEqual({
			style: 'ink_wash',
			video_name: VIDEO_URL,
			request_id: 'order-1234',
			notify_url: 'https://n8n.example.com/webhook-waiting/17?signature=abc',
		});
		expect(job).toMatchObject({ requestId: 'order-1234', notifyUrl: 'https://n8n.example.com/webhook-waiting/17?signature=abc' });
		expect(fake.jobs.get(job.jobId as string)!.requestId).toBe('order-1234');
	});

	it('gives every item its own request id', async () => {
		const items = Array.from({ length: 3 }, () => ({ json: {} }));
		const { output } = await run(submitParams, { items });
		const ids = submits().map((r) => (r.body as IDataObject).request_id);
		expect(new Set(ids).size).toBe(3);
		expect(json(output).map((j) => j.requestId)).toEqual(ids);
		expect(Array.from({ length: 50 }, newRequestId).every((id) => UUID_V4.test(id))).toBe(true);
	});

	it('sends a binary video base64-encoded', async () => {
		const video = videoBytes('input-clip', 70_000);
		const job = await submitOne({ videoSource: 'binary' }, { items: [videoItem(video, 'video/quicktime')] });
		expect(sentBody().video_name).toBe(video.toString('base64'));
		expect(fake.jobs.get(job.jobId as string)!.videoBytes).toBe(70_000);
	});

	it('reads the video from the named binary property, also from n8n’s filesystem storage', async () => {
		const video = videoBytes('stored-clip', 20_000);
		const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'hidream-test-')), 'clip.mp4');
		await fs.writeFile(file, video);
		const item: INodeExecutionData = { json: {}, binary: { clip: { data: 'filesystem-v2', id: `filesystem-v2:${file}`, bytes: video.length, mimeType: 'video/mp4' } } };
		await submitOne({ videoSource: 'binary', binaryPropertyName: 'clip' }, { items: [item] });
		expect(sentBody().video_name).toBe(video.toString('base64'));
	});

	it('reports code != 0 on HTTP 200 as an error with HiDream’s message, the code and the request id', async () => {
		server.inject({ provider: 'hiDream', method: 'POST', path: HIDREAM_SUBMIT_PATH, status: 200, body: { code: 2001, message: 'insufficient credits', result: {} } });
		const error = await failure(run({ ...submitParams, options: { requestId: 'req-77' } }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('HiDream refused the request: insufficient credits');
		expect(error.description).toContain('request_id req-77');
		expect(error.context.requestId).toBe('req-77');
		expect(submits()).toHaveLength(1);
	});

	it('never repeats a submit answered 500: the error says so and names the request id', async () => {
		server.inject({ provider: 'hiDream', method: 'POST', path: HIDREAM_SUBMIT_PATH, status: 500, body: '<html>oops</html>' });
		const error = await failure(run(submitParams));
		expect(error.message).toContain('HTTP 500');
		expect(error.description).toMatch(/not repeated/);
		expect(error.description).toContain(`request_id ${String((submits()[0].body as IDataObject).request_id)}`);
		expect(submits()).toHaveLength(1);
	});

	it('a 413 (body too large) says to give the video as a URL', async () => {
		server.inject({ provider: 'hiDream', method: 'POST', path: HIDREAM_SUBMIT_PATH, status: 413, body: '<html>Request Entity Too Large</html>' });
		const error = await failure(run({ ...submitParams, videoSource: 'binary' }, { items: [videoItem(videoBytes('big', 1000))] }));
		expect(error.message).toMatch(/^HiDream answered HTTP 413/);
		expect(error.description).toMatch(/give the video as a URL/);
		expect(submits()).toHaveLength(1);
	});

	it('waits out a 429 (Retry-After), resends the same request id and creates exactly one job', async () => {
		server.inject({ provider: 'hiDream', method: 'POST', path: HIDREAM_SUBMIT_PATH, status: 429, headers: { 'Retry-After': '1' }, body: { code: 429, message: 'too many requests' } });
		const started = Date.now();
		const job = await submitOne();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		const posts = submits();
		expect(posts).toHaveLength(2);
		expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(950);
		expect((posts[1].body as IDataObject).request_id).toBe((posts[0].body as IDataObject).request_id);
		expect(fake.acceptedSubmits).toBe(1);
		expect(job.jobId).toBe(fake.lastJobId);
	});

	it('waits out HiDream’s own limit of tasks per window and never doubles a job', async () => {
		fake.stylizationsPerWindow = 1;
		fake.rateWindowMs = 1000;
		fake.retryAfterSeconds = 'auto';
		const items = Array.from({ length: 2 }, (_, i) => ({ json: { id: `r${i}` } }));
		const { output } = await run({ ...submitParams, options: { requestId: '={{ $json.id }}' } }, { items });
		expect(fake.rateLimited).toBe(1);
		expect(fake.acceptedSubmits).toBe(2);
		expect(submits().map((r) => (r.body as IDataObject).request_id)).toEqual(['r0', 'r1', 'r1']);
		expect(json(output).map((j) => j.requestId)).toEqual(['r0', 'r1']);
	});

	it('without Retry-After waits HiDream’s whole minute before resending a 429', async () => {
		server.inject({ provider: 'hiDream', method: 'POST', path: HIDREAM_SUBMIT_PATH, status: 429, body: { code: 429, message: 'too many requests' } });
		const job = await withMockedClock(async (advance) => {
			const pending = run(submitParams);
			await until(() => submits().length === 1);
			await advance(59_000);
			expect(submits()).toHaveLength(1);
			await advance(1_500);
			return (await pending).output[0][0].json;
		});
		const posts = submits();
		expect(posts).toHaveLength(2);
		expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(60_000);
		expect((posts[1].body as IDataObject).request_id).toBe((posts[0].body as IDataObject).request_id);
		expect(fake.acceptedSubmits).toBe(1);
		expect(job.jobId).toBe(fake.lastJobId);
	});

	it('paces submits to 2 a minute by default, so HiDream never has to refuse one', async () => {
		fake.stylizationsPerWindow = 2;
		const items = Array.from({ length: 3 }, () => ({ json: {} }));
		const { rateLimit: _default, ...params } = submitParams;
		const output = await withMockedClock(async (advance) => {
			const pending = run(params, { items });
			await until(() => submits().length === 2);
			await advance(59_000);
			// the third waits for the minute to pass instead of being sent (and refused)
			expect(submits()).toHaveLength(2);
			await advance(1_500);
			return (await pending).output;
		});
		const posts = submits();
		expect(posts).toHaveLength(3);
		expect(posts[2].at - posts[0].at).toBeGreaterThanOrEqual(60_000);
		expect(fake.rateLimited).toBe(0);
		expect(json(output).map((j) => j.status)).toEqual(['queued', 'queued', 'queued']);
	});

	it('paces submits to a changed rate limit', async () => {
		const items = Array.from({ length: 5 }, (_, i) => ({ json: { id: `p${i}` } }));
		const { output } = await run({ ...submitParams, options: { requestId: '={{ $json.id }}' }, rateLimit: { maxSubmits: 2, windowSeconds: 1 } }, { items });
		const posts = submits();
		expect(posts.map((p) => (p.body as IDataObject).request_id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
		expect(posts[2].at - posts[0].at).toBeGreaterThanOrEqual(990);
		expect(posts[4].at - posts[2].at).toBeGreaterThanOrEqual(990);
		expect(new Set(json(output).map((j) => j.jobId)).size).toBe(5);
	});
});

describe('HiDream input validation (no request sent)', () => {
	const cases: Array<[string, IDataObject, Partial<RunOptions>, RegExp]> = [
		['a style HiDream does not have', { style: 'pop_art' }, {}, /"style" must be one of "barbie_doll", .*"custom"; got "pop_art"/],
		['custom without a prompt', { style: 'custom', prompt: '  ' }, {}, /"prompt" is required/],
		['an empty video URL', { videoUrl: '' }, {}, /"videoUrl" must be an http\(s\) URL; got ""/],
		['a video URL that is not http(s)', { videoUrl: 'ftp://media.example.com/clip.mp4' }, {}, /"videoUrl" must be an http\(s\) URL/],
		['an unknown video source', { videoSource: 'drive' }, {}, /"videoSource" must be one of "url", "binary"/],
		['a notify URL that is not a URL', { options: { notifyUrl: 'resume-me' } }, {}, /"options.notifyUrl" must be an http\(s\) URL/],
		['a missing binary property', { videoSource: 'binary', binaryPropertyName: 'clip' }, { items: [videoItem(Buffer.from('x'))] }, /"binaryPropertyName" names the binary field "clip", but the input item has only "data"/],
		['a binary that is not a video', { videoSource: 'binary' }, { items: [videoItem(Buffer.from('png'), 'image/png')] }, /"binaryPropertyName" holds (".*" )?of type image\/png, not a video/],
		['an empty binary video', { videoSource: 'binary' }, { items: [videoItem(Buffer.alloc(0))] }, /"binaryPropertyName" holds (".*" )?with no bytes/],
	];

	it.each(cases)('refuses %s', async (_name, params, extra, message) => {
		const error = await failure(run({ ...submitParams, ...params }, extra));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(server.requests).toHaveLength(0);
	});

	it('refuses a binary video over the 50 MB cap, known from its stored size without reading it', async () => {
		const item: INodeExecutionData = { json: {}, binary: { data: { data: 'filesystem-v2', id: 'filesystem-v2:/nonexistent/clip.mp4', bytes: MAX_BINARY_VIDEO_BYTES + 1, mimeType: 'video/mp4' } } };
		const error = await failure(run({ ...submitParams, videoSource: 'binary' }, { items: [item] }));
		expect(error.message).toMatch(/"binaryPropertyName" holds (".*" )?of 50\.0 MB; videos sent inline may be at most 50\.0 MB/);
		expect(error.description).toMatch(/Video Source "URL"/);
		expect(server.requests).toHaveLength(0);
	});

	it('refuses a binary video over the 50 MB cap held in memory', async () => {
		const error = await failure(run({ ...submitParams, videoSource: 'binary' }, { items: [videoItem(Buffer.alloc(MAX_BINARY_VIDEO_BYTES + 1))] }));
		expect(error.message).toMatch(/"binaryPropertyName" holds (".*" )?of 50\.0 MB/);
		expect(server.requests).toHaveLength(0);
	});

	it('accepts a binary video of exactly 50 MB', async () => {
		await submitOne({ videoSource: 'binary' }, { items: [videoItem(Buffer.alloc(MAX_BINARY_VIDEO_BYTES, 1))] });
		expect(fake.jobs.get(fake.lastJobId!)!.videoBytes).toBe(MAX_BINARY_VIDEO_BYTES);
	}, 60_000);

	it.each([['', /"jobId" is required/], ['a/b', /"jobId" must not contain "\/"/], ['..', /"jobId" "\.\." is not a job ID/], ['a b', /whitespace/]])(
		'getStatus refuses the jobId %j',
		async (jobId, message) => {
			const error = await failure(run({ operation: 'getStatus', jobId }));
			expect(error.message).toMatch(message);
			expect(server.requests).toHaveLength(0);
		},
	);

	it('with Continue On Fail, a bad item becomes an error item and the others are still submitted', async () => {
		const items = [{ json: { style: 'ink_wash' } }, { json: { style: 'pop_art' } }, { json: { style: 'anime' } }];
		const { output } = await run({ ...submitParams, style: '={{ $json.style }}' }, { items, continueOnFail: true });
		expect(output[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0][1].json.error).toMatch(/"style" must be one of/);
		expect(output[0][1].json.jobId).toBeUndefined();
		expect([output[0][0].json.status, output[0][2].json.status]).toEqual(['queued', 'queued']);
		expect(submits().map((r) => (r.body as IDataObject).style)).toEqual(['ink_wash', 'anime']);
	});
});

describe('HiDream getStatus', () => {
	it('maps task_status: 0 queued, 2 processing, 1 completed, 3 and 4 failed, negative (transient) processing', () => {
		expect([0, 2, 1, 3, 4, -1, -2].map(toJobStatus)).toEqual(['queued', 'processing', 'completed', 'failed', 'failed', 'processing', 'processing']);
		// not documented: the task exists, so it is still running rather than failed
		expect(toJobStatus(7)).toBe('processing');
	});

	it('reads the task from the results endpoint, with the jobId of the previous item by default', async () => {
		const job = await submitOne();
		server.requests = [];
		const { output } = await run({ operation: 'getStatus' }, { items: [{ json: job }] });
		const [request] = apiRequests();
		expect(request.method).toBe('GET');
		expect(request.path).toBe(HIDREAM_RESULTS_PATH);
		expect(request.query).toEqual({ task_id: job.jobId });
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		const status = output[0][0].json;
		const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
		const fileUrl = server.fileUrl('hiDream', subTaskId);
		expect(status).toMatchObject({ provider: 'hiDream', jobId: job.jobId, status: 'completed', progress: 100, videoUrl: fileUrl, error: null, subTaskIds: [subTaskId], videoUrls: [fileUrl] });
		expect(status.subTasks).toEqual([{ subTaskId, status: 'completed', taskStatus: 1, progress: 100, videoUrl: fileUrl }]);
		expect((status.raw as IDataObject).result).toEqual({ task_id: job.jobId, sub_task_results: [{ sub_task_id: subTaskId, task_status: 1, task_completion: 1, video: fileUrl }] });
	});

	it('follows a task from queued through processing (completion 0–1 shown as 0–100) to completed', async () => {
		server.renderMs = 10_000;
		const start = Date.now();
		let now = start;
		server.now = () => now;
		const job = await submitOne();
		const look = async () => (await run({ operation: 'getStatus', jobId: job.jobId })).output[0][0].json;
		expect(await look()).toMatchObject({ status: 'queued', progress: 0, videoUrl: null });
		now = start + 4_000;
		expect(await look()).toMatchObject({ status: 'processing', progress: 40, videoUrl: null });
		now = start + 10_000;
		expect(await look()).toMatchObject({ status: 'completed', progress: 100 });
	});

	it.each([
		[3, 'HiDream reported the stylization as failed (task_status 3)'],
		[4, 'HiDream’s content review rejected the video (task_status 4)'.replace('’', "'")],
	])('reports task_status %i as a failed job (data, not an error)', async (taskStatus, reason) => {
		const job = await submitOne();
		fake.forceTaskStatus(job.jobId as string, taskStatus);
		const { output } = await run({ operation: 'getStatus', jobId: job.jobId });
		const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
		expect(output[0][0].json).toMatchObject({ status: 'failed', videoUrl: null, error: `${reason}, sub-task ${subTaskId}` });
	});

	it('reports a negative (transient) task_status as processing', async () => {
		server.renderMs = 10_000;
		const job = await submitOne();
		fake.forceTaskStatus(job.jobId as string, -1);
		const { output } = await run({ operation: 'getStatus', jobId: job.jobId });
		expect(output[0][0].json).toMatchObject({ status: 'processing', videoUrl: null, error: null });
		expect((output[0][0].json.subTasks as IDataObject[])[0]).toMatchObject({ taskStatus: -1, status: 'processing' });
	});

	it('combines several sub-tasks: mean progress, completed when all are, failed when any is', async () => {
		fake.subTasksPerTask = 3;
		server.renderMs = 10_000;
		const start = Date.now();
		let now = start;
		server.now = () => now;
		const job = await submitOne();
		const id = job.jobId as string;
		expect(job.subTaskIds).toHaveLength(3);
		const look = async () => (await run({ operation: 'getStatus', jobId: id })).output[0][0].json;
		now = start + 5_000;
		fake.forceTaskStatus(id, 1, 0);
		fake.forceTaskStatus(id, 0, 2);
		// 1, 0.5, 0 -> 50
		expect(await look()).toMatchObject({ status: 'processing', progress: 50, videoUrl: null });
		fake.forceTaskStatus(id, 4, 1);
		expect((await look()).status).toBe('failed');
		fake.forceTaskStatus(id, 1, 1);
		fake.forceTaskStatus(id, 1, 2);
		const done = await look();
		const subTaskIds = fake.jobs.get(id)!.subTaskIds;
		expect(done).toMatchObject({ status: 'completed', progress: 100, videoUrl: server.fileUrl('hiDream', subTaskIds[0]) });
		expect(done.videoUrls).toEqual(subTaskIds.map((s) => server.fileUrl('hiDream', s)));
	});

	it('with Route by Status sends each task to the Completed, Failed or Running output', async () => {
		server.renderMs = 10_000;
		const ids: string[] = [];
		for (let n = 0; n < 4; n++) ids.push((await submitOne()).jobId as string);
		fake.forceTaskStatus(ids[0], 1);
		fake.forceTaskStatus(ids[1], 4);
		fake.forceTaskStatus(ids[2], 2);
		fake.forceTaskStatus(ids[3], 0);
		const { output } = await run({ operation: 'getStatus', routeByStatus: true }, { items: ids.map((jobId) => ({ json: { jobId } })) });
		expect(output.map((o) => o.map((i) => [i.json.jobId, i.json.status]))).toEqual([
			[[ids[0], 'completed']],
			[[ids[1], 'failed']],
			[[ids[2], 'processing'], [ids[3], 'queued']],
		]);
		expect(output[2].map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
	});

	it('an unknown task is an error with HiDream’s message and code, naming the job', async () => {
		const error = await failure(run({ operation: 'getStatus', jobId: 'no-such-task' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('HiDream refused the request (job no-such-task): task no-such-task does not exist');
		expect(server.requestsTo('hiDream')).toHaveLength(1);
		expect(error.context.jobId).toBe('no-such-task');
	});

	it('with Continue On Fail an unknown task becomes an item carrying the error and the jobId', async () => {
		const job = await submitOne();
		const { output } = await run({ operation: 'getStatus' }, { items: [{ json: { jobId: 'gone' } }, { json: job }], continueOnFail: true });
		expect(output[0][0].json).toMatchObject({ jobId: 'gone' });
		expect(output[0][0].json.error).toMatch(/does not exist/);
		expect(output[0][1].json.status).toBe('completed');
	});

	it('retries a read after 503 and a connection reset, then succeeds', async () => {
		const job = await submitOne();
		server.inject({ provider: 'hiDream', method: 'GET', path: HIDREAM_RESULTS_PATH, status: 503 });
		server.inject({ provider: 'hiDream', method: 'GET', path: HIDREAM_RESULTS_PATH, kind: 'reset' });
		const { output } = await run({ operation: 'getStatus', jobId: job.jobId });
		expect(output[0][0].json.status).toBe('completed');
		expect(apiRequests('GET', HIDREAM_RESULTS_PATH)).toHaveLength(3);
	});
});

describe('HiDream getResult', () => {
	it('returns the link and the stylized video as binary, byte for byte, with no credential sent to the file host', async () => {
		const job = await submitOne();
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: job }] });
		const [item] = output[0];
		const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
		expect(item.json).toMatchObject({ status: 'completed', videoUrl: server.fileUrl('hiDream', subTaskId) });
		const binary = item.binary!.data;
		expect(binary.mimeType).toBe('video/mp4');
		expect(binary.fileName).toBe(`${String(job.jobId)}.mp4`);
		expect(Buffer.from(binary.data, 'base64').equals(videoBytes(subTaskId, server.fileSize))).toBe(true);
		const [download] = server.requestsTo(FILES);
		expect(download.headers.authorization).toBeUndefined();
		expect(JSON.stringify(download.headers)).not.toContain(TOKEN);
	});

	it('puts the file in the chosen binary property, or skips the download', async () => {
		const job = await submitOne();
		const named = await run({ operation: 'getResult', jobId: job.jobId, binaryPropertyName: 'stylized' });
		expect(Object.keys(named.output[0][0].binary!)).toEqual(['stylized']);
		server.filesRequests = [];
		const linkOnly = await run({ operation: 'getResult', jobId: job.jobId, download: false });
		expect(linkOnly.output[0][0].binary).toBeUndefined();
		expect(linkOnly.output[0][0].json.videoUrl).toBe(server.fileUrl('hiDream', fake.jobs.get(job.jobId as string)!.subTaskIds[0]));
		expect(server.filesRequests).toHaveLength(0);
	});

	it('a task still running is an error that names the job and its progress', async () => {
		server.renderMs = 10_000;
		const job = await submitOne();
		const createdAt = fake.jobs.get(job.jobId as string)!.createdAt;
		server.now = () => createdAt + 2_500;
		const error = await failure(run({ operation: 'getResult', jobId: job.jobId }));
		expect(error.message).toBe(`Job ${String(job.jobId)} is not finished yet (status: processing, 25%)`);
		expect(error.context.jobId).toBe(job.jobId);
		expect(server.filesRequests).toHaveLength(0);
	});

	it('a failed task is reported as data and not downloaded', async () => {
		const job = await submitOne();
		fake.forceTaskStatus(job.jobId as string, 4);
		const { output } = await run({ operation: 'getResult', jobId: job.jobId });
		expect(output[0][0].json).toMatchObject({ status: 'failed', videoUrl: null });
		expect(output[0][0].json.error).toMatch(/content review/);
		expect(output[0][0].binary).toBeUndefined();
		expect(server.filesRequests).toHaveLength(0);
	});

	it('an expired link is an error that says to fetch a fresh one', async () => {
		const job = await submitOne();
		server.expireFile(fake.jobs.get(job.jobId as string)!.subTaskIds[0]);
		const error = await failure(run({ operation: 'getResult', jobId: job.jobId }));
		expect(error.message).toMatch(/link was refused \(HTTP 403\)/);
	});
});

describe('HiDream credential', () => {
	it('exchanges the API key for a token once, sends it as Bearer, and keeps it for later executions', async () => {
		const store = new CredentialStore(apiKeyCredentials());
		const submitted = await runNode(options(submitParams, { credentials: apiKeyCredentials() }), store);
		const [exchange] = apiRequests('GET', HIDREAM_TOKEN_PATH);
		expect(exchange.headers['api-key']).toBe(API_KEY);
		const saved = store.get('hiDreamApi').data;
		const token = saved.sessionToken as string;
		expect(token).toMatch(/^hd_/);
		// expire_time (Unix seconds) is one day ahead
		expect(Number(saved.sessionExpiresAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
		expect(submits()[0].headers.authorization).toBe(`Bearer ${token}`);
		expect(submits()[0].headers['api-key']).toBeUndefined();

		const jobId = submitted.output[0][0].json.jobId;
		await runNode(options({ operation: 'getStatus', jobId }, { credentials: apiKeyCredentials() }), store);
		await runNode(options({ operation: 'getStatus', jobId }, { credentials: apiKeyCredentials() }), store);
		expect(fake.exchanges).toBe(1);
		expect(apiRequests('GET', HIDREAM_RESULTS_PATH).every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
	});

	it('sends a pasted token as is and never exchanges anything', async () => {
		await submitOne();
		expect(apiRequests('GET', HIDREAM_TOKEN_PATH)).toHaveLength(0);
		expect(submits()[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	it('renews a token whose lifetime has run out before using it, once for a whole batch', async () => {
		const store = new CredentialStore(apiKeyCredentials());
		const items = Array.from({ length: 4 }, () => ({ json: {} }));
		const submitted = await runNode(options(submitParams, { credentials: apiKeyCredentials(), items }), store);
		store.get('hiDreamApi').data.sessionExpiresAt = Date.now() - 1000;
		server.requests = [];
		const polled = await runNode(options({ operation: 'getStatus' }, { credentials: apiKeyCredentials(), items: submitted.output[0].map((i) => ({ json: i.json })) }), store);
		expect(polled.output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
		expect(fake.exchanges).toBe(2);
		// the exchange first, then one batch read of the four with the new token: no refused request
		expect(apiRequests().map((r) => r.path)).toEqual([HIDREAM_TOKEN_PATH, hiDreamBatchPath('video_edit')]);
		expect(Number(store.get('hiDreamApi').data.sessionExpiresAt)).toBeGreaterThan(Date.now());
	});

	it('renews a refused token exactly once when a batch sees it refused, and saves it', async () => {
		const store = new CredentialStore(apiKeyCredentials());
		const items = Array.from({ length: 4 }, () => ({ json: {} }));
		const submitted = await runNode(options(submitParams, { credentials: apiKeyCredentials(), items }), store);
		expect(fake.exchanges).toBe(1);
		fake.expireTokens();
		const polled = await runNode(options({ operation: 'getStatus' }, { credentials: apiKeyCredentials(), items: submitted.output[0].map((i) => ({ json: i.json })) }), store);
		expect(polled.output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
		expect(fake.exchanges).toBe(2);
		await runNode(options({ operation: 'getStatus', jobId: submitted.output[0][0].json.jobId }, { credentials: apiKeyCredentials() }), store);
		expect(fake.exchanges).toBe(2);
	});

	it('renews a token refused in the middle of waiting for several renders exactly once', async () => {
		server.renderMs = 1500;
		const store = new CredentialStore(apiKeyCredentials());
		const items = Array.from({ length: 3 }, () => ({ json: {} }));
		const pending = runNode(options({ ...submitParams, waitForCompletion: true, waitOptions: { pollInterval: 1, download: false } }, { credentials: apiKeyCredentials(), items }), store);
		await until(() => fake.acceptedSubmits === 3, 20_000);
		fake.expireTokens();
		const { output } = await pending;
		expect(output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed']);
		// the three are checked together (one batch request), refused with the old token; one exchange serves the rest
		const checks = apiRequests(undefined, HIDREAM_RESULTS_PATH);
		expect(checks.filter((r) => r.headers.authorization !== `Bearer ${String(store.get('hiDreamApi').data.sessionToken)}`).length).toBeGreaterThanOrEqual(1);
		expect(checks.every((r) => r.path === hiDreamBatchPath('video_edit'))).toBe(true);
		expect(fake.exchanges).toBe(2);
	});

	it('a refused API key is never exchanged twice, sends no submit, and the error holds no key', async () => {
		const error = await failure(runNode(options(submitParams, { credentials: apiKeyCredentials({ apiKey: 'wrong-api-key-123' }) })));
		expect(fake.refusedExchanges).toBe(1);
		expect(submits()).toHaveLength(0);
		expect(error.message).toMatch(/HiDream refused the API key \(HTTP 401: invalid Api-Key\)/);
		expect(JSON.stringify({ m: error.message, d: error.description, c: error.context })).not.toContain('wrong-api-key-123');
	});

	it('a key exchange answered with code != 0 on HTTP 200 is a refusal with HiDream’s message', async () => {
		server.inject({ provider: 'hiDream', path: HIDREAM_TOKEN_PATH, status: 200, body: { code: 10002, message: 'Api-Key disabled' } });
		const error = await failure(runNode(options(submitParams, { credentials: apiKeyCredentials() })));
		expect(error.message).toMatch(/HiDream refused the API key \(code 10002: Api-Key disabled\)/);
		expect(submits()).toHaveLength(0);
	});

	it('a bad pasted token is a 401 error without the token in it', async () => {
		const error = await failure(run(submitParams, { credentials: tokenCredentials({ token: 'hd_not_a_valid_token' }) }));
		expect(error.message).toBe('HiDream answered HTTP 401: invalid or expired token');
		expect(error.description).toMatch(/did not accept the token/);
		expect(JSON.stringify({ m: error.message, d: error.description, c: error.context })).not.toContain('hd_not_a_valid_token');
		expect(fake.acceptedSubmits).toBe(0);
	});

	it('redacts a secret the provider echoes back', async () => {
		server.inject({ provider: 'hiDream', path: HIDREAM_RESULTS_PATH, status: 403, body: { code: 403, message: `token ${TOKEN} is revoked` } });
		const error = await failure(run({ operation: 'getStatus', jobId: 'abc' }));
		expect(error.message).toBe('HiDream answered HTTP 403 (job abc): token *** is revoked');
	});

	it('does not follow a redirect with the credentials', async () => {
		server.inject({ provider: 'hiDream', status: 302, headers: { Location: `${server.fileBaseUrl}/steal` } });
		const error = await failure(run({ operation: 'getStatus', jobId: 'abc' }));
		expect(error.message).toMatch(/redirected the request \(HTTP 302\)/);
		expect(server.filesRequests).toHaveLength(0);
	});

	it('the credential test looks up a task with the token, or after exchanging the key', async () => {
		expect(await testCredential(tokenCredentials()[0])).toEqual({ ok: true });
		const [lookup] = apiRequests('GET', HIDREAM_RESULTS_PATH);
		expect(lookup.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(await testCredential(apiKeyCredentials()[0])).toEqual({ ok: true });
		expect(fake.exchanges).toBe(1);
		expect(fake.acceptedSubmits).toBe(0);
		expect((await testCredential(tokenCredentials({ token: 'nope-nope' })[0])).ok).toBe(false);
		const badKey = await testCredential(apiKeyCredentials({ apiKey: 'nope-nope-key' })[0]);
		expect(badKey.ok).toBe(false);
		expect(badKey.message).toMatch(/refused the API key/);
	});

	it('reads expire_time as Unix seconds or milliseconds, a lifetime in seconds or a date, else one day', () => {
		const now = Date.UTC(2026, 0, 1);
		const day = 24 * 3600_000;
		expect(tokenExpiresAt(now / 1000 + 3600, now)).toBe(now + 3600_000);
		expect(tokenExpiresAt(String(now + 7200_000), now)).toBe(now + 7200_000);
		expect(tokenExpiresAt(86_400, now)).toBe(now + day);
		expect(tokenExpiresAt('2026-01-01T06:00:00Z', now)).toBe(now + 6 * 3600_000);
		expect(tokenExpiresAt(undefined, now)).toBe(now + day);
		expect(tokenExpiresAt('soon', now)).toBe(now + day);
		// a time already past is not believed
		expect(tokenExpiresAt(now / 1000 - 10, now)).toBe(now + day);
	});
});

describe('HiDream wait for completion', () => {
	it('submits every item first, then follows them together and downloads each', async () => {
		server.renderMs = 1500;
		const items = Array.from({ length: 3 }, () => ({ json: {} }));
		const started = Date.now();
		const { output, customData } = await run({ ...submitParams, waitForCompletion: true, waitOptions: { pollInterval: 1 } }, { items });
		const elapsed = Date.now() - started;
		// three 1.5 s renders at once: well under the 4.5 s they would take one after another
		expect(elapsed).toBeLessThan(4000);
		const posts = submits();
		expect(posts).toHaveLength(3);
		// the three are followed together: their status checks go out as batches
		const checks = apiRequests(undefined, HIDREAM_RESULTS_PATH);
		expect(posts[2].at).toBeLessThanOrEqual(checks[0].at);
		expect(checks.every((r) => r.path === hiDreamBatchPath('video_edit'))).toBe(true);
		output[0].forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json.status).toBe('completed');
			const subTaskId = fake.jobs.get(item.json.jobId as string)!.subTaskIds[0];
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(subTaskId, server.fileSize))).toBe(true);
		});
		// the execution's custom data names the jobs, so none is lost if n8n stops
		expect(customData).toEqual({ hiDream_jobIds_1: output[0].map((i) => i.json.jobId).join(',') });
	});

	it('a task failing the content review gives its item an error with the jobId while the others finish', async () => {
		server.renderMs = 3000;
		const items = Array.from({ length: 2 }, () => ({ json: {} }));
		const pending = run({ ...submitParams, waitForCompletion: true, waitOptions: { pollInterval: 1, download: false } }, { items, continueOnFail: true });
		await until(() => fake.jobs.size === 2, 20_000);
		const first = [...fake.jobs.keys()][0];
		fake.forceTaskStatus(first, 4);
		const { output } = await pending;
		expect(output[0][0].json.jobId).toBe(first);
		expect(output[0][0].json.error).toMatch(/failed: HiDream's content review rejected the video/);
		expect(output[0][1].json.status).toBe('completed');
	});
});

describe('HiDream callback (notify_url)', () => {
	it('POSTs {main_task_id, sub_task_results} to the notify URL, query string kept, once when answered 200', async () => {
		const receiver = await callbackReceiver();
		try {
			server.renderMs = 300;
			const notifyUrl = `${receiver.url}/webhook-waiting/42?signature=s1g`;
			const job = await submitOne({ options: { notifyUrl } });
			const attempts = await fake.callbackSettled(job.jobId as string);
			expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([[1, 200, true]]);
			expect(receiver.received).toHaveLength(1);
			const [call] = receiver.received;
			expect(call.path).toBe('/webhook-waiting/42?signature=s1g');
			expect(String(call.headers['content-type'])).toBe('application/json');
			const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
			expect(call.body).toEqual({
				main_task_id: job.jobId,
				sub_task_results: [{ sub_task_id: subTaskId, task_status: 1, task_completion: 1, video: server.fileUrl('hiDream', subTaskId) }],
			});
			// not before the task ended
			expect(call.at - fake.jobs.get(job.jobId as string)!.createdAt).toBeGreaterThanOrEqual(290);
		} finally {
			await receiver.close();
		}
	});

	it('retries every second until answered 200, three requests at most', async () => {
		const receiver = await callbackReceiver((n) => (n < 3 ? 503 : 200));
		try {
			const job = await submitOne({ options: { notifyUrl: `${receiver.url}/cb` } });
			const attempts = await fake.callbackSettled(job.jobId as string);
			expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([[1, 503, false], [2, 503, false], [3, 200, true]]);
			expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
			expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(950);
		} finally {
			await receiver.close();
		}
	});

	it('gives up after three refused requests', async () => {
		fake.callbackRetryMs = 50;
		const receiver = await callbackReceiver(() => 404);
		try {
			const job = await submitOne({ options: { notifyUrl: `${receiver.url}/cb` } });
			const attempts = await fake.callbackSettled(job.jobId as string);
			expect(attempts.map((a) => a.status)).toEqual([404, 404, 404]);
			await new Promise((r) => setTimeout(r, 300));
			expect(receiver.received).toHaveLength(3);
			expect(fake.callbacksFor(job.jobId as string)).toHaveLength(3);
		} finally {
			await receiver.close();
		}
	});

	it('counts an answer slower than the timeout as failed and tries again', async () => {
		fake.callbackRetryMs = 50;
		fake.callbackTimeoutMs = 300;
		const receiver = await callbackReceiver((n) => (n === 1 ? 'hang' : 200));
		try {
			const job = await submitOne({ options: { notifyUrl: `${receiver.url}/cb` } });
			const attempts = await fake.callbackSettled(job.jobId as string);
			expect(attempts).toHaveLength(2);
			expect(attempts[0].ok).toBe(false);
			expect(attempts[0].status).toBeUndefined();
			expect(attempts[0].error).toMatch(/no answer within 300 ms/);
			expect(attempts[1]).toMatchObject({ ok: true, status: 200 });
		} finally {
			await receiver.close();
		}
	});

	it('calls back for a task that failed too, and not at all without a notify URL', async () => {
		server.renderMs = 10_000;
		const receiver = await callbackReceiver();
		try {
			const quiet = await submitOne();
			const job = await submitOne({ options: { notifyUrl: `${receiver.url}/cb` } });
			fake.forceTaskStatus(job.jobId as string, 4);
			const attempts = await fake.callbackSettled(job.jobId as string);
			expect(attempts).toHaveLength(1);
			expect((receiver.received[0].body.sub_task_results as IDataObject[])[0].task_status).toBe(4);
			expect(fake.callbacksFor(quiet.jobId as string)).toHaveLength(0);
		} finally {
			await receiver.close();
		}
	});

	it('the callback body gives Get Result the task (the Wait-node pattern, without n8n)', async () => {
		server.renderMs = 200;
		const receiver = await callbackReceiver();
		try {
			// the submit's notifyUrl comes from an expression, as {{ $execution.resumeUrl }} does in n8n
			const submitted = await run({ ...submitParams, options: { notifyUrl: '={{ $json.resumeUrl }}' } }, { items: [{ json: { resumeUrl: `${receiver.url}/webhook-waiting/7` } }] });
			const job = submitted.output[0][0].json;
			await fake.callbackSettled(job.jobId as string);
			const webhookItem = { json: { headers: {}, params: {}, query: {}, body: receiver.received[0].body } };
			const { output } = await run({ operation: 'getResult', jobId: '={{ $json.body.main_task_id }}' }, { items: [webhookItem] });
			expect(output[0][0].json).toMatchObject({ jobId: job.jobId, status: 'completed' });
			const subTaskId = fake.jobs.get(job.jobId as string)!.subTaskIds[0];
			expect(Buffer.from(output[0][0].binary!.data.data, 'base64').equals(videoBytes(subTaskId, server.fileSize))).toBe(true);
		} finally {
			await receiver.close();
		}
	});
});
