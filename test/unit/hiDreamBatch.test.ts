/**
 * HiDream's batch results: Get Status over many items and Wait for Completion ask for many tasks
 * in one request, in chunks, per task family; where HiDream refuses the batch or leaves a task
 * out, that task is asked on its own.
 */
import type { IDataObject } from 'n8n-workflow';

import { HiDreamApi } from '../../credentials/HiDreamApi.credentials';
import { HiDream } from '../../nodes/HiDream/HiDream.node';
import { BATCH_SIZE, getStatuses } from '../../nodes/HiDream/batch';
import { HIDREAM_RESULTS_PATH, HiDreamFake, hiDreamBatchPath, hiDreamV3ResultsPath, videoBytes, type FakeServer } from '../fakes';
import { unpaced, useHiDreamFakes } from '../helpers/hiDreamFakes';
import { NodeHarness, runNode, type RunOptions } from '../helpers/n8nContext';

let server: FakeServer;
let fake: HiDreamFake;
useHiDreamFakes((s, f) => ([server, fake] = [s, f]));

const textParams: IDataObject = { operation: 'submit', task: 'textToVideo', prompt: 'a red fox runs through fresh snow', ...unpaced };
const styleParams: IDataObject = { operation: 'submit', task: 'videoStylization', style: 'anime', videoUrl: 'https://media.example.com/clip.mp4', ...unpaced };

async function run(parameters: IDataObject, extra: Partial<RunOptions> = {}) {
	const credentials = [{ type: new HiDreamApi(), data: { authentication: 'token', token: 'hidream-sandbox-static-token', baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' } }];
	return await runNode({ node: new HiDream(), parameters, credentials, ...extra });
}
const many = (n: number) => Array.from({ length: n }, () => ({ json: {} }));
/** submits n jobs and returns their outputs as the next node's items */
async function jobs(parameters: IDataObject, n: number) {
	const { output } = await run(parameters, { items: many(n) });
	server.requests = [];
	return output[0].map((i) => ({ json: i.json }));
}
const T2V_BATCH = hiDreamBatchPath('txt2video');
const statusRequests = () => server.requestsTo('hiDream').filter((r) => r.path.includes('/results'));

describe('Get Status over many items', () => {
	it('asks for all of them in batches of 25, in order, each item paired with its own job', async () => {
		const items = await jobs(textParams, 30);
		const { output } = await run({ operation: 'getStatus' }, { items });
		const sent = statusRequests();
		expect(sent.map((r) => [r.method, r.path])).toEqual([
			['POST', T2V_BATCH],
			['POST', T2V_BATCH],
		]);
		expect(sent.map((r) => (r.body as IDataObject).task_id_list)).toEqual([items.slice(0, BATCH_SIZE).map((i) => i.json.jobId), items.slice(BATCH_SIZE).map((i) => i.json.jobId)]);
		expect(sent[0].headers.authorization).toBe('Bearer hidream-sandbox-static-token');
		expect(output[0]).toHaveLength(30);
		output[0].forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			const subTaskId = fake.jobs.get(items[n].json.jobId as string)!.subTaskIds[0];
			expect(item.json).toMatchObject({ jobId: items[n].json.jobId, task: 'textToVideo', status: 'completed', videoUrl: server.fileUrl('hiDream', subTaskId) });
			expect((item.json.raw as IDataObject).result).toMatchObject({ task_id: items[n].json.jobId });
		});
	});

	it('asks each task family at its own batch path', async () => {
		const items = [...(await jobs(textParams, 2)), ...(await jobs(styleParams, 2))];
		const { output } = await run({ operation: 'getStatus' }, { items });
		expect(statusRequests().map((r) => [r.path, (r.body as IDataObject).task_id_list])).toEqual([
			[T2V_BATCH, [items[0].json.jobId, items[1].json.jobId]],
			[hiDreamBatchPath('video_edit'), [items[2].json.jobId, items[3].json.jobId]],
		]);
		expect(output[0].map((i) => [i.json.task, i.json.status])).toEqual([
			['textToVideo', 'completed'],
			['textToVideo', 'completed'],
			['videoStylization', 'completed'],
			['videoStylization', 'completed'],
		]);
	});

	it('reports running, negative (transient) and failed tasks from the batch answer', async () => {
		server.renderMs = 60_000;
		const items = await jobs(textParams, 3);
		fake.forceTaskStatus(items[1].json.jobId as string, -2);
		fake.forceTaskStatus(items[2].json.jobId as string, 3);
		const { output } = await run({ operation: 'getStatus' }, { items });
		expect(output[0].map((i) => i.json.status)).toEqual(['queued', 'processing', 'failed']);
		expect(output[0][2].json.error).toMatch(/^HiDream reported the video as failed \(task_status 3\)/);
		expect(statusRequests()).toHaveLength(1);
	});

	it.each([
		['HTTP 404', { status: 404 }],
		['code != 0 on HTTP 200', { status: 200, code: 1004 }],
	])('falls back to one request per task when HiDream refuses the batch (%s)', async (_name, refusal) => {
		const items = await jobs(textParams, 3);
		fake.batchRefusal = refusal;
		const { output } = await run({ operation: 'getStatus' }, { items });
		expect(output[0].map((i) => [i.json.jobId, i.json.status])).toEqual(items.map((i) => [i.json.jobId, 'completed']));
		const sent = statusRequests();
		expect(sent[0].path).toBe(T2V_BATCH);
		expect(sent.slice(1).map((r) => [r.method, r.path, r.query.task_id]).sort()).toEqual(items.map((i) => ['GET', hiDreamV3ResultsPath('txt2video'), i.json.jobId]).sort());
		expect(sent).toHaveLength(4);
	});

	it('asks on its own for a task the batch answer leaves out, and only for that one', async () => {
		const items = await jobs(textParams, 4);
		fake.batchOmits.add(items[2].json.jobId as string);
		const { output } = await run({ operation: 'getStatus' }, { items });
		expect(output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
		expect(statusRequests().map((r) => [r.method, r.query.task_id])).toEqual([
			['POST', undefined],
			['GET', items[2].json.jobId],
		]);
	});

	it('a job HiDream does not know fails its own item (Continue On Fail: error with the jobId); the others are reported', async () => {
		const items = await jobs(textParams, 2);
		items.push({ json: { ...items[0].json, jobId: 'no-such-task' } });
		const { output } = await run({ operation: 'getStatus' }, { items, continueOnFail: true });
		expect(output[0].map((i) => i.json.status ?? i.json.error)).toEqual(['completed', 'completed', expect.stringMatching(/^HiDream refused the request \(job no-such-task\): task no-such-task does not exist/)]);
		expect(output[0][2].json.jobId).toBe('no-such-task');
	});
});

describe('looks that are not due yet', () => {
	/** HiDream's getStatuses as the status rounds call it, with the harness's execution context */
	async function statuses(looks: Array<{ jobId: string; optional: boolean }>) {
		const credentials = [{ type: new HiDreamApi(), data: { authentication: 'token', token: 'hidream-sandbox-static-token', baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' } }];
		const ctx = new NodeHarness({ node: new HiDream(), parameters: {}, credentials }).context() as never;
		return await getStatuses(ctx, looks.map((l, n) => ({ itemIndex: n, job: { jobId: l.jobId, task: 'textToVideo' }, optional: l.optional })));
	}

	it('fill the room of a batch request that goes out anyway; alone, or where the batch is refused, they are not asked', async () => {
		const ids = (await jobs(textParams, 30)).map((i) => i.json.jobId as string);
		// 2 due and 28 optional: one request of 25, due ones first; the other 5 are not asked
		const results = await statuses(ids.map((jobId, n) => ({ jobId, optional: n < 28 })));
		const [sent] = statusRequests();
		expect(statusRequests()).toHaveLength(1);
		expect((sent.body as IDataObject).task_id_list).toEqual([ids[28], ids[29], ...ids.slice(0, 23)]);
		expect(results.map((r) => (r === undefined ? 'not asked' : (r as IDataObject).status))).toEqual([...Array(23).fill('completed'), ...Array(5).fill('not asked'), 'completed', 'completed']);

		server.requests = [];
		expect(await statuses(ids.slice(0, 3).map((jobId) => ({ jobId, optional: true })))).toEqual([undefined, undefined, undefined]);
		expect(statusRequests()).toHaveLength(0);

		fake.batchRefusal = { status: 404 };
		const fallback = await statuses(ids.slice(0, 3).map((jobId, n) => ({ jobId, optional: n > 0 })));
		expect(fallback.map((r) => (r as IDataObject | undefined)?.status)).toEqual(['completed', undefined, undefined]);
		expect(statusRequests().map((r) => [r.method, r.query.task_id])).toEqual([
			['POST', undefined],
			['GET', ids[0]],
		]);
	});
});

describe('Wait for Completion of many jobs', () => {
	it('follows them with batch requests only, and downloads every video', async () => {
		server.renderMs = 1_500;
		const { output } = await run({ ...textParams, waitForCompletion: true, waitOptions: { pollInterval: 1 } }, { items: many(6) });
		expect(output[0].map((i) => i.json.status)).toEqual(Array(6).fill('completed'));
		output[0].forEach((item) => {
			const subTaskId = fake.jobs.get(item.json.jobId as string)!.subTaskIds[0];
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(subTaskId, server.fileSize))).toBe(true);
		});
		const sent = statusRequests();
		expect(sent.every((r) => r.method === 'POST' && r.path === T2V_BATCH)).toBe(true);
		// one by one, each of the six would be asked at least twice in a 1.5 s render polled every ≤ 1 s
		expect(sent.length).toBeLessThanOrEqual(4);
		expect(sent.length).toBeGreaterThanOrEqual(1);
		expect(new Set(sent.flatMap((r) => (r.body as IDataObject).task_id_list as string[]))).toEqual(new Set(output[0].map((i) => i.json.jobId)));
	});

	it('where HiDream refuses the batch, asks it once per execution and then one by one', async () => {
		server.renderMs = 2_500;
		fake.batchRefusal = { status: 404 };
		const { output } = await run({ ...styleParams, waitForCompletion: true, waitOptions: { pollInterval: 1, download: false } }, { items: many(3) });
		expect(output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed']);
		const sent = statusRequests();
		expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(sent[0].method).toBe('POST');
		const singles = sent.filter((r) => r.method === 'GET');
		expect(singles.every((r) => r.path === HIDREAM_RESULTS_PATH)).toBe(true);
		expect(singles.length).toBeGreaterThanOrEqual(6);
	});
});
