/**
 * HiDream Submit with Wait Method Callback: the execution waits in n8n (the harness's waiting
 * execution) and the fake HiDream's real notify_url callbacks reach the node's webhook() through
 * n8n's waiting-webhook endpoint on 127.0.0.1. Stylization and text-to-video.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { FILES, HIDREAM_SUBMIT_PATH, hiDreamBatchPath, hiDreamV3ResultsPath, hiDreamV3SubmitPath } from '../fakes';
import { failure, until } from '../helpers/clock';
import * as h from '../helpers/hiDreamCallback';
import { items, post, resumed, styleParams, textParams } from '../helpers/hiDreamCallback';

const STYLE_BATCH = hiDreamBatchPath('video_edit');
const T2V_BATCH = hiDreamBatchPath('txt2video');

const setup = h.hiDreamCallbackSetup();
const submit = async (parameters: IDataObject, input: INodeExecutionData[]) => await h.submit(setup, parameters, input);
const statusLooks = () => h.statusLooks(setup);
const subTaskOf = (jobId: unknown) => h.subTaskOf(setup, jobId);
const isVideoOf = h.isVideoOf(setup);

describe('Submit in callback mode', () => {
	test('every item is submitted once with notify_url = the resume URL; the execution waits until now + Timeout with the jobs stacked as timed out', async () => {
		setup.server.renderMs = 60_000;
		const before = Date.now();
		const { execution } = await submit(styleParams, items(4));
		const after = Date.now();
		const posts = setup.server.requestsTo('hiDream', 'POST', new RegExp(`^${HIDREAM_SUBMIT_PATH}$`));
		expect(posts.map((r) => (r.body as IDataObject).notify_url)).toEqual(Array(4).fill(execution.resumeUrl));
		expect(execution.resumeUrl).toBe(`${setup.receiver.baseUrl}/webhook-waiting/${execution.id}?signature=${execution.resumeToken}`);
		const ids = [...setup.fake.jobs.keys()];
		expect(execution.status).toBe('waiting');
		expect(execution.waitCalls).toHaveLength(1);
		expect(execution.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 120_000);
		expect(execution.waitTill!.getTime()).toBeLessThanOrEqual(after + 120_000);
		expect(execution.customData).toEqual({ hiDream_jobIds_1: ids.join(',') });
		// one look at the four before waiting, in one batch request; nothing else
		expect(statusLooks()).toEqual([['batch', STYLE_BATCH, ids]]);
		expect(setup.server.requests).toHaveLength(5);
		// what n8n passes on at the deadline: each job, still running, saying it timed out
		expect(execution.passDeadline()).toBe(true);
		const out = execution.output![0];
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		out.forEach((item, n) => {
			expect(item.json).toMatchObject({ provider: 'hiDream', jobId: ids[n], task: 'videoStylization', status: 'queued', timedOut: true });
			expect(item.json.error).toMatch(new RegExp(`^HiDream did not report job ${ids[n]} finished by the deadline \\(.+\\); it may still be rendering`));
			expect(item.binary).toBeUndefined();
		});
		// the resume URL (n8n's signature) stays the node's: in no item
		expect(JSON.stringify(execution.output)).not.toContain(execution.resumeToken);
		// a callback after the deadline finds the execution finished
		expect(await post(execution.resumeUrl, { main_task_id: ids[0], sub_task_results: [] })).toBe(409);
		expect(setup.receiver.webhookCalls(execution)).toHaveLength(0);
	});

	test('refused before any request: the Notify URL option set as well, naming it', async () => {
		const error = await failure(submit({ ...styleParams, options: { notifyUrl: 'https://hooks.example.com/x' } }, items(2)));
		expect(error.message).toMatch(/^Parameter "options\.notifyUrl" cannot be set together with Wait Method "Callback"/);
		expect(setup.server.requests).toHaveLength(0);
	});

	test("refused before any request when the node is an AI Agent's tool (a tool call cannot park the execution)", async () => {
		const error = await failure(h.submit(setup, styleParams, items(1), { asTool: true }));
		expect(error.message).toMatch(/^Parameter "waitMethod" cannot be "callback" when the node is an AI Agent's tool/);
		expect(setup.server.requests).toHaveLength(0);
		// the same node as a tool may still poll
		setup.server.renderMs = 0;
		const { execution, output } = await h.submit(setup, { ...styleParams, waitMethod: 'poll', waitOptions: { pollInterval: 1 } }, items(1), { asTool: true });
		expect(execution.waitCalls).toHaveLength(0);
		expect(output[0][0].json.status).toBe('completed');
	});

	test.each([
		['waitMethod', { waitMethod: '={{ $json.method }}' }, (i: number) => ({ method: i === 0 ? 'callback' : 'poll' })],
		['waitForCompletion', { waitForCompletion: '={{ $json.wait }}' }, (i: number) => ({ wait: i === 0 })],
	])('refused before any request: items mixing wait methods (%s)', async (field, override, json) => {
		const error = await failure(submit({ ...styleParams, ...override }, items(2, json)));
		expect(error.message).toMatch(new RegExp(`^Parameter "${field}" must be the same for every item: item 0 waits for the callback, item 1`));
		expect(error.context.itemIndex).toBe(1);
		expect(setup.server.requests).toHaveLength(0);
	});

	test.each([
		['waitMethod', { waitMethod: '={{ $json.m }}' }, (i: number) => ({ m: i === 2 ? 'callback' : 'poll' }), 'waits by poll'],
		['waitForCompletion', { waitForCompletion: '={{ $json.w }}' }, (i: number) => ({ w: i === 2 }), 'does not wait'],
	])('a mix whose first item does not wait for the callback names the item that does (%s)', async (field, override, json, first) => {
		const error = await failure(submit({ ...styleParams, ...override }, items(3, json)));
		expect(error.message).toMatch(new RegExp(`^Parameter "${field}" must be the same for every item: item 0 ${first}, item 2 waits for the callback`));
		expect(error.context.itemIndex).toBe(2);
		expect(setup.server.requests).toHaveLength(0);
	});

	test('jobs all done before the execution would wait: no wait, the videos come out at once', async () => {
		setup.server.renderMs = 0;
		const { execution, output } = await submit(styleParams, items(2));
		expect(execution.waitCalls).toHaveLength(0);
		expect(execution.status).toBe('success');
		expect(output[0].map((i) => i.json.status)).toEqual(['completed', 'completed']);
		expect(output[0].every(isVideoOf)).toBe(true);
		expect(setup.server.filesRequests).toHaveLength(2);
		// their callbacks found no waiting execution: nothing resumed
		await until(() => setup.fake.callbacks.length >= 2);
		expect(setup.receiver.webhookCalls(execution)).toHaveLength(0);
	});
});

describe('webhook()', () => {
	test('a callback once all four stylizations are done: HiDream is asked in one batch request, the execution resumes with the videos', async () => {
		setup.server.renderMs = 60_000;
		const { execution } = await submit(styleParams, items(4));
		const ids = [...setup.fake.jobs.keys()];
		// the renders end; HiDream's own callbacks would come later: any call to the resume URL makes the node look
		for (const id of ids) setup.fake.clock.complete(id, setup.server.now());
		expect(await post(execution.resumeUrl, { main_task_id: ids[0] })).toBe(200);
		await resumed(execution);
		expect(execution.resumedBy).toBe('webhook');
		expect(statusLooks()).toEqual([
			['batch', STYLE_BATCH, ids],
			['batch', STYLE_BATCH, ids],
		]);
		expect(execution.output![0].map((i) => [i.json.jobId, i.json.status])).toEqual(ids.map((id) => [id, 'completed']));
		expect(execution.output![0].every(isVideoOf)).toBe(true);
	});

	test("resumed by the fake's four real callbacks arriving together: once, each video downloaded once", async () => {
		setup.server.renderMs = 700;
		const { execution } = await submit(styleParams, items(4));
		const ids = [...setup.fake.jobs.keys()];
		await resumed(execution);
		expect(execution.resumedBy).toBe('webhook');
		const out = execution.output![0];
		expect(out.map((i) => [i.json.jobId, i.json.status, i.pairedItem])).toEqual(ids.map((id, item) => [id, 'completed', { item }]));
		expect(out.every(isVideoOf)).toBe(true);
		out.forEach((item) => expect(item.json).not.toHaveProperty('timedOut'));
		// the provider was asked, never the callback believed; the four ended together, so a look after the end asks about each at most once per concurrent call
		const calls = setup.receiver.webhookCalls(execution);
		const looks = statusLooks();
		expect(looks[0]).toEqual(['batch', STYLE_BATCH, ids]);
		expect(looks.length).toBeLessThanOrEqual(1 + calls.length);
		expect(looks.slice(1).every(([, , asked]) => (asked as string[]).every((id) => ids.includes(id)))).toBe(true);
		expect(setup.server.requestsTo(FILES, 'GET').map((r) => r.path).sort()).toEqual(ids.map((id) => new URL(setup.server.fileUrl('hiDream', subTaskOf(id))).pathname).sort());
		expect(calls.filter((c) => c.resumed)).toHaveLength(1);
		expect(JSON.stringify(out.map((i) => i.json))).not.toContain(execution.resumeToken);
		// the node itself returned the output once: n8n never had to refuse a second resume
		expect(execution.refusedResumes).toBe(0);
		// every call that reached the node was answered 200; one arriving after the resume finds the execution finished (n8n: 409)
		expect(calls.map((c) => c.status)).toEqual(calls.map(() => 200));
		await Promise.all(ids.map(async (id) => await setup.fake.callbackSettled(id)));
		const late = setup.receiver.received.filter((r) => r.executionId === execution.id && !r.webhookCalled);
		expect(late.map((r) => [r.status, r.executionStatus])).toEqual(late.map(() => [409, 'success']));
		expect(setup.fake.callbacks.filter((c) => c.status !== 200)).toHaveLength(late.length);
		// a callback after the resume resumes nothing again
		expect(await post(execution.resumeUrl, setup.fake.callbacks[0].body)).toBe(409);
		expect(setup.receiver.webhookCalls(execution)).toHaveLength(calls.length);
	});

	test('text-to-video: an early callback is answered 200 and the execution keeps waiting; the last one resumes it', async () => {
		setup.fake.clock.renderMsFor = (job) => ((job.body as IDataObject).prompt === 'fast' ? 300 : 60_000);
		const { execution } = await submit(textParams, items(2, (i) => ({ prompt: i === 0 ? 'fast' : 'slow' })));
		const [fast, slow] = [...setup.fake.jobs.keys()];
		await until(() => setup.receiver.webhookCalls(execution).length === 1);
		const [early] = setup.receiver.webhookCalls(execution);
		expect([early.status, early.resumed, (early.request.body as IDataObject).main_task_id]).toEqual([200, false, fast]);
		expect(execution.status).toBe('waiting');
		expect(statusLooks()).toEqual([
			['batch', T2V_BATCH, [fast, slow]],
			['batch', T2V_BATCH, [fast, slow]],
		]);
		setup.fake.forceTaskStatus(slow, 1);
		await resumed(execution);
		expect(execution.output![0].map((i) => [i.json.jobId, i.json.task, i.json.status])).toEqual([
			[fast, 'textToVideo', 'completed'],
			[slow, 'textToVideo', 'completed'],
		]);
		expect(execution.output![0].every(isVideoOf)).toBe(true);
		// the last callback asked only about the job not yet reported ended
		expect(statusLooks().slice(2)).toEqual([['single', hiDreamV3ResultsPath('txt2video'), [slow]]]);
		expect(setup.server.requestsTo('hiDream', 'POST', hiDreamV3SubmitPath('txt2video')).map((r) => (r.body as IDataObject).notify_url)).toEqual([execution.resumeUrl, execution.resumeUrl]);
	});

	test('a forged body saying done, or naming an unknown job, is answered 200 and resumes nothing; nothing is downloaded', async () => {
		setup.server.renderMs = 60_000;
		const { execution } = await submit(styleParams, items(2));
		const [first, second] = [...setup.fake.jobs.keys()];
		const forged = { main_task_id: first, sub_task_results: [{ sub_task_id: subTaskOf(first), task_status: 1, task_completion: 1, video: 'http://127.0.0.1:9/forged.mp4' }] };
		expect(await post(execution.resumeUrl, forged)).toBe(200);
		expect(await post(execution.resumeUrl, { ...forged, main_task_id: 'no-such-task' })).toBe(200);
		expect(await post(execution.resumeUrl, 'not json at all')).toBe(200);
		expect(setup.receiver.webhookCalls(execution).map((c) => [c.status, c.resumed])).toEqual(Array(3).fill([200, false]));
		expect(execution.status).toBe('waiting');
		expect(setup.server.filesRequests).toHaveLength(0);
		// each was checked with HiDream: one batch request for both jobs each
		expect(statusLooks()).toEqual(Array(4).fill(['batch', STYLE_BATCH, [first, second]]));
	});

	test('a failed render comes out as an item with status failed, its error and jobId; the others with their videos', async () => {
		setup.server.renderMs = 1_000;
		const { execution } = await submit(styleParams, items(3));
		const ids = [...setup.fake.jobs.keys()];
		setup.fake.forceTaskStatus(ids[1], 4);
		await resumed(execution);
		const out = execution.output![0];
		expect(out.map((i) => [i.json.jobId, i.json.status])).toEqual([
			[ids[0], 'completed'],
			[ids[1], 'failed'],
			[ids[2], 'completed'],
		]);
		expect(out[1].json.error).toMatch(/content review/);
		expect(out[1].binary).toBeUndefined();
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect([out[0], out[2]].every(isVideoOf)).toBe(true);
		expect(setup.server.filesRequests).toHaveLength(2);
		expect(setup.fake.callbacksFor(ids[1]).map((c) => c.status)).toEqual([200]);
	});
});
