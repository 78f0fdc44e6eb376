/**
 * HiDream Submit with Wait Method Callback across the wait: the webhook runs later, in its own
 * n8n context, with the credential as n8n saved it; what went wrong before or after the wait is
 * an item of the resumed output, never a lost job.
 */
import type { IDataObject } from 'n8n-workflow';

import { HIDREAM_SUBMIT_PATH, HIDREAM_TOKEN_PATH, hiDreamBatchPath } from '../fakes';
import * as h from '../helpers/hiDreamCallback';
import { items, resumed, styleParams } from '../helpers/hiDreamCallback';

const setup = h.hiDreamCallbackSetup();
const isVideoOf = h.isVideoOf(setup);
const STYLE_BATCH = hiDreamBatchPath('video_edit');

test('the token exchanged at submit expired while the execution waited: the first webhook exchanges the key again, the next one uses the saved token', async () => {
	const { server, fake } = setup;
	let made = 0;
	// the two callbacks come apart, so that the second finds the token the first saved
	fake.clock.renderMsFor = () => (made++ === 0 ? 500 : 1_200);
	const apiKey = { authentication: 'apiKey', apiKey: fake.apiKey };
	const { execution, store } = await h.submit(setup, styleParams, items(2), {}, apiKey);
	expect(fake.exchanges).toBe(1);
	const firstToken = store.get('hiDreamApi').data.sessionToken;
	fake.expireTokens();
	await resumed(execution);
	expect(execution.output![0].map((i) => i.json.status)).toEqual(['completed', 'completed']);
	expect(execution.output![0].every(isVideoOf)).toBe(true);
	// refused once (401), exchanged again once, the new token saved for the next webhook call
	expect(fake.exchanges).toBe(2);
	expect(server.requestsTo('hiDream', 'GET', HIDREAM_TOKEN_PATH)).toHaveLength(2);
	const secondToken = store.get('hiDreamApi').data.sessionToken;
	expect(secondToken).not.toBe(firstToken);
	// the look before waiting, the first webhook's refused look and its retry, the second webhook's look (at the job not yet ended)
	const looks = server.requestsTo('hiDream').filter((r) => r.path.includes('/results'));
	expect(looks.map((r) => [r.method, r.headers.authorization])).toEqual([
		['POST', `Bearer ${String(firstToken)}`],
		['POST', `Bearer ${String(firstToken)}`],
		['POST', `Bearer ${String(secondToken)}`],
		['GET', `Bearer ${String(secondToken)}`],
	]);
});

test('a finished video that cannot be fetched is an item with its error and jobId; the other comes with its video', async () => {
	const { server, fake } = setup;
	server.renderMs = 600;
	const { execution } = await h.submit(setup, styleParams, items(2));
	const ids = [...fake.jobs.keys()];
	server.expireFile(h.subTaskOf(setup, ids[0]));
	await resumed(execution);
	const [broken, fine] = execution.output![0];
	expect(broken.json.jobId).toBe(ids[0]);
	expect(broken.json.error).toMatch(/HTTP 403/);
	expect(broken.binary).toBeUndefined();
	expect(broken.pairedItem).toEqual({ item: 0 });
	expect(fine.json).toMatchObject({ jobId: ids[1], status: 'completed' });
	expect(isVideoOf(fine)).toBe(true);
});

test('Continue On Fail: an item whose submit HiDream refused keeps its place with the error; the execution waits for the others', async () => {
	const { server, fake } = setup;
	server.renderMs = 600;
	server.inject({ provider: 'hiDream', method: 'POST', path: HIDREAM_SUBMIT_PATH, status: 200, body: { code: 2001, message: 'insufficient credits', result: {} } });
	const { execution } = await h.submit(setup, styleParams, items(3), { continueOnFail: true });
	expect(execution.status).toBe('waiting');
	const ids = [...fake.jobs.keys()];
	expect(ids).toHaveLength(2);
	// only the jobs that exist are asked for
	expect((server.requestsTo('hiDream', 'POST', STYLE_BATCH)[0].body as IDataObject).task_id_list).toEqual(ids);
	await resumed(execution);
	const out = execution.output![0];
	expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(out[0].json.error).toMatch(/insufficient credits/);
	expect(out[0].json.jobId).toBeUndefined();
	expect(out.slice(1).map((i) => [i.json.jobId, i.json.status])).toEqual(ids.map((id) => [id, 'completed']));
	expect(out.slice(1).every(isVideoOf)).toBe(true);
});

test('HiDream refusing the batch endpoint: the webhook asks each job on its own and still resumes', async () => {
	const { server, fake } = setup;
	server.renderMs = 600;
	fake.batchRefusal = { status: 404 };
	const { execution } = await h.submit(setup, styleParams, items(2));
	const ids = [...fake.jobs.keys()];
	await resumed(execution);
	expect(execution.output![0].map((i) => [i.json.jobId, i.json.status])).toEqual(ids.map((id) => [id, 'completed']));
	const singles = server.requestsTo('hiDream', 'GET', /\/results$/).map((r) => r.query.task_id);
	expect(singles.length).toBeGreaterThanOrEqual(4);
	expect(new Set(singles)).toEqual(new Set(ids));
});

test('Wait Options carry over the wait: Put Output File in Field, and Download off (no file fetched, the URL given)', async () => {
	const { server, fake } = setup;
	server.renderMs = 500;
	const named = await h.submit(setup, { ...styleParams, waitOptions: { timeout: 120, binaryPropertyName: 'clip' } }, items(1));
	await resumed(named.execution);
	const [clip] = named.execution.output![0];
	expect(Object.keys(clip.binary ?? {})).toEqual(['clip']);
	expect(Buffer.from(clip.binary!.clip.data, 'base64').equals(h.videoOf(setup, clip.json.jobId))).toBe(true);

	server.reset();
	fake.stylizationsPerWindow = 1000;
	server.renderMs = 500;
	const linked = await h.submit(setup, { ...styleParams, waitOptions: { timeout: 120, download: false } }, items(1));
	await resumed(linked.execution);
	const [link] = linked.execution.output![0];
	expect(link.binary).toBeUndefined();
	expect(link.json).toMatchObject({ status: 'completed', videoUrl: server.fileUrl('hiDream', h.subTaskOf(setup, link.json.jobId)) });
	expect(server.filesRequests).toHaveLength(0);
});

test('items with different Timeouts: the execution waits until the latest; at the deadline each item names its own', async () => {
	const { server } = setup;
	server.renderMs = 60_000;
	const before = Date.now();
	const { execution } = await h.submit(setup, { ...styleParams, waitOptions: { timeout: '={{ $json.t }}' } }, items(2, (i) => ({ t: i === 0 ? 600 : 60 })));
	const after = Date.now();
	expect(execution.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 600_000);
	expect(execution.waitTill!.getTime()).toBeLessThanOrEqual(after + 600_000);
	execution.passDeadline();
	const [long, short] = execution.output![0].map((i) => Date.parse(/deadline \(([^)]+)\)/.exec(String(i.json.error))![1]));
	expect(long).toBe(execution.waitCalls[0].getTime());
	expect(long - short).toBe(540_000);
});

test("a workflow with n8n's combined binary mode (execution logic v2): the webhook finds its jobs and resumes", async () => {
	const { server, fake } = setup;
	server.renderMs = 600;
	const { execution } = await h.submit(setup, styleParams, items(2), { workflowBinaryMode: 'combined' });
	const ids = [...fake.jobs.keys()];
	await resumed(execution);
	expect(execution.resumedBy).toBe('webhook');
	expect(execution.output![0].map((i) => [i.json.jobId, i.json.status])).toEqual(ids.map((id) => [id, 'completed']));
});
