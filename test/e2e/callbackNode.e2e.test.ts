/**
 * Submit with Wait for Completion + Wait Method Callback inside a running n8n 2.41.1, against the
 * fake HiDream and AI Studios (v3): the examples examples/hidream-callback-node.json and
 * examples/aistudios-callback-node.json, started through their webhooks. First under `n8n start`,
 * then in queue mode (redis on loopback, `n8n start` + two `n8n worker`s), on one n8n home.
 * Everything is read from n8n (executions API, execution data, worker logs) and from the fakes'
 * records (submits, callbacks and their answers, file downloads).
 *
 * Renders are held: the fakes' render time is 10 minutes, and a test ends each render when it
 * chooses (`finishNow`, the provider then calls back at once), so "every execution waits while
 * the renders run" is looked at, not hoped for, and the file stays short.
 */
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { AiStudiosFake, HiDreamFake, type FakeServer } from '../fakes';
import { expectResumed, expectWaitingIdle, finishAll, outputOf, startWaiting, type Started } from './callbackChecks';
import { sides, type FakeJob } from './callbackSides';
import { REPO_ROOT, importWorkflow, type N8nHome } from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';
import { startCluster, startExecutions, type Cluster, type Mode } from './waitingCluster';

// execution data as n8n returns it (JSON of many shapes)
type Json = Record<string, any>;

const HOLD_MS = 10 * 60_000;
/** the deadline workflow's Timeout */
const DEADLINE_SECONDS = 5;

let fakes: FakeServer;
let home: N8nHome;
let side: ReturnType<typeof sides>;
const example = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as Json;

/** the example with its own webhook path, Submit's parameters (and node version) changed as given */
function variant(workflow: Json, webhookPath: string, submit: Json, typeVersion?: number): Json {
	const copy = JSON.parse(JSON.stringify(workflow)) as Json;
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') Object.assign(node, { webhookId: randomUUID(), parameters: { ...node.parameters, path: webhookPath } });
		if (node.type.startsWith('n8n-nodes-ai-video.')) Object.assign(node, { parameters: { ...node.parameters, ...submit }, typeVersion: typeVersion ?? node.typeVersion });
	}
	return copy;
}

/** workflow key -> its webhook path and id */
const flows: Record<'example' | 'fast' | 'deadline' | 'aiStudios' | 'aiStudiosV2', { path: string; id: string }> = {
	// hidream-callback-node.json as it is: HiDream's 2 stylizations a minute
	example: { path: 'hidream-stylize-videos', id: '' },
	// the same, paced for the fake's raised limit, so 20 jobs need not take 10 minutes
	fast: { path: 'hidream-stylize-fast', id: '' },
	deadline: { path: 'hidream-stylize-deadline', id: '' },
	aiStudios: { path: 'aistudios-render-videos', id: '' },
	// aistudios-callback-node.json on the legacy API (node version 1, v2's options: no resolution)
	aiStudiosV2: { path: 'aistudios-v2-render-videos', id: '' },
};

beforeAll(async () => {
	({ server: fakes, home } = await startSandbox({ nodes: ['HiDream/HiDream.node.js', 'AiStudios/AiStudios.node.js'], renderMs: HOLD_MS }));
	side = sides(fakes);
	// the node's pacing is set per workflow; the fake's own 2 a minute would only answer 429s
	fakes.provider(HiDreamFake).stylizationsPerWindow = 1_000;
	const hiDream = example('hidream-callback-node.json');
	const fast = { rateLimit: { maxSubmits: 100, windowSeconds: 60 } };
	const workflows: Record<string, Json> = {
		example: hiDream,
		fast: variant(hiDream, flows.fast.path, fast),
		deadline: variant(hiDream, flows.deadline.path, { ...fast, waitOptions: { timeout: DEADLINE_SECONDS } }),
		aiStudios: example('aistudios-callback-node.json'),
		aiStudiosV2: variant(example('aistudios-callback-node.json'), flows.aiStudiosV2.path, { options: {} }, 1),
	};
	for (const [key, workflow] of Object.entries(workflows)) flows[key as keyof typeof flows].id = (await importWorkflow(home, workflow)).id;
}, 45 * 60_000);

afterAll(async () => await stopSandbox({ server: fakes, home }));

/** POSTs a JSON body to a URL; resolves with the HTTP status */
async function post(url: string, body: unknown): Promise<number> {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
	await res.arrayBuffer();
	return res.status;
}

const statusLooks = () => fakes.requestsTo('hiDream', undefined, /\/results(\/batch)?$/);

describe.each<Mode>(['regular', 'queue'])('%s mode', (mode) => {
	let c: Cluster;
	let deadline: Started;

	beforeAll(async () => {
		c = await startCluster(home, mode);
		for (const flow of Object.values(flows)) if (flow.id) await c.main.activateWorkflow(flow.id);
		// its Timeout passes while the other tests run; looked at last
		deadline = await startWaiting(c, side.hiDream, flows.deadline, `deadline-${mode}`, 1, 2);
	}, 30 * 60_000);

	afterAll(async () => await c?.stop(), 60_000);

	test('examples/hidream-callback-node.json as it is: two videos, one execution waiting, resumed by the callbacks with both videos', async () => {
		const started = await startWaiting(c, side.hiDream, flows.example, `example-${mode}`, 1, 2);
		await expectWaitingIdle(c, side.hiDream, started);
		finishAll(side.hiDream, started);
		await expectResumed(fakes, c, side.hiDream, started);
	});

	test('5 executions × 4 HiDream jobs wait in n8n holding no worker, and each resumes once with its 4 videos', async () => {
		const started = await startWaiting(c, side.hiDream, flows.fast, `batch-${mode}`, 5, 4);
		await expectWaitingIdle(c, side.hiDream, started);
		const looksBefore = statusLooks().length;
		finishAll(side.hiDream, started);
		const began = Date.now();
		await expectResumed(fakes, c, side.hiDream, started);
		const callbacks = started.ids.flatMap((id) => side.hiDream.jobs(id)).flatMap((j) => fakes.provider(HiDreamFake).callbacksFor(j.id));
		console.log(`${mode}: 20 HiDream callbacks -> 5 executions resumed in ${Date.now() - began} ms; ${statusLooks().length - looksBefore} status requests; callback answers ${JSON.stringify(callbacks.map((a) => a.status))}`);
	});

	test('examples/aistudios-callback-node.json: 5 executions × 4 AI Studios v3 renders wait, then resume with their videos', async () => {
		const started = await startWaiting(c, side.aiStudios, flows.aiStudios, `ai-${mode}`, 5, 4);
		await expectWaitingIdle(c, side.aiStudios, started);
		finishAll(side.aiStudios, started);
		await expectResumed(fakes, c, side.aiStudios, started);
	});

	test("AI Studios v2 (node version 1): the GET webhook AI Studios' legacy API calls resumes 2 executions × 2 renders", async () => {
		const started = await startWaiting(c, side.aiStudiosV2, flows.aiStudiosV2, `ai-v2-${mode}`, 2, 2);
		await expectWaitingIdle(c, side.aiStudiosV2, started);
		finishAll(side.aiStudiosV2, started);
		await expectResumed(fakes, c, side.aiStudiosV2, started);
		const calls = fakes.provider(AiStudiosFake).webhookCalls.filter((call) => started.ids.some((id) => call.url.includes(`/webhook-waiting/${id}?`)));
		expect(calls).toHaveLength(4);
		expect(calls.filter((call) => call.status === 200).length).toBeGreaterThanOrEqual(2);
	});

	test('a failed render: the execution still resumes, the item says failed with its jobId and error, the other item has its video', async () => {
		const started = await startWaiting(c, side.hiDream, flows.fast, `failed-${mode}`, 1, 2);
		const [id] = started.ids;
		const [done, failed] = started.inputs.get(id)!.map((input) => side.hiDream.jobs(id).find((j) => j.input === input)!);
		side.hiDream.finish(done.id);
		fakes.provider(HiDreamFake).forceTaskStatus(failed.id, 3);
		const execution = await c.main.waitForExecution(id, { timeoutMs: 60_000 });
		expect(execution.status).toBe('success');
		const items = outputOf(execution, side.hiDream.node);
		expect(items[0].json).toMatchObject({ jobId: done.id, status: 'completed' });
		expect(items[0].binary?.data?.mimeType).toBe('video/mp4');
		expect(items[1].json).toMatchObject({ jobId: failed.id, status: 'failed', error: expect.any(String) });
		expect(items[1].binary).toBeUndefined();
		expect([side.hiDream.downloads(done).length, side.hiDream.downloads(failed).length]).toEqual([1, 0]);
	});

	test('forged callbacks to the real resume URL resume nothing: an unknown job, a "done" the provider denies (200); no or a wrong signature (401)', async () => {
		const started = await startWaiting(c, side.hiDream, flows.fast, `forged-${mode}`, 1, 2);
		const [id] = started.ids;
		const jobs = side.hiDream.jobs(id);
		const resumeUrl = jobs[0].callbackUrl;
		const claimsDone = (job: Pick<FakeJob, 'id' | 'fileId'>) => ({
			main_task_id: job.id,
			sub_task_results: [{ sub_task_id: job.fileId, task_status: 1, task_completion: 1, video: fakes.fileUrl('hiDream', job.fileId) }],
		});
		const looks = statusLooks().length;
		expect(await post(resumeUrl, claimsDone({ id: randomUUID(), fileId: randomUUID() }))).toBe(200);
		expect(await post(resumeUrl, claimsDone(jobs[0]))).toBe(200);
		// the node asked HiDream each time instead of believing the body
		expect(statusLooks().length).toBeGreaterThanOrEqual(looks + 2);
		const unsigned = new URL(resumeUrl);
		const signature = unsigned.searchParams.get('signature')!;
		unsigned.searchParams.delete('signature');
		expect(await post(unsigned.toString(), claimsDone(jobs[0]))).toBe(401);
		const forged = new URL(resumeUrl);
		forged.searchParams.set('signature', randomBytes(signature.length).toString('base64url').slice(0, signature.length));
		expect(await post(forged.toString(), claimsDone(jobs[0]))).toBe(401);
		await expectWaitingIdle(c, side.hiDream, started);
		finishAll(side.hiDream, started);
		await expectResumed(fakes, c, side.hiDream, started);
	});

	test("a render that ends before the node's own last look: its callbacks come while the execution runs (409, retried), the node finishes without waiting", async () => {
		fakes.renderMs = 0;
		// the node's look is answered 1.5 s late: HiDream's first two tries find the execution running
		fakes.inject({ provider: 'hiDream', path: /\/results(\/batch)?$/, kind: 'delay', ms: 1_500 });
		try {
			const [id] = await startExecutions(c.main, flows.fast.id, flows.fast.path, [side.hiDream.body([side.hiDream.input(`fast-${mode}`, 0, 0)])]);
			const execution = await c.main.waitForExecution(id, { timeoutMs: 60_000 });
			expect(execution.status).toBe('success');
			const [job] = side.hiDream.jobs(id);
			const attempts = await fakes.provider(HiDreamFake).callbackSettled(job.id);
			expect(attempts.map((a) => a.status)).toEqual([409, 409, 409]);
			const [item] = outputOf(execution, side.hiDream.node);
			expect(item.json).toMatchObject({ jobId: job.id, status: 'completed' });
			expect(side.hiDream.downloads(job)).toHaveLength(1);
		} finally {
			fakes.clearFaults();
			fakes.renderMs = HOLD_MS;
		}
	});

	test('a render that ends after the node\'s last look but before n8n saved the execution as waiting: the 409 is retried and resumes it', async () => {
		fakes.renderMs = 0;
		// HiDream's status answer lags its callback: the node's look (held 0.5 s, so the first
		// callback finds the execution running) still says "processing"; later looks say done
		const hiDream = fakes.provider(HiDreamFake);
		let looks = 0;
		fakes.onRequest = (request) => {
			if (request.provider !== 'hiDream' || !/\/results(\/batch)?$/.test(request.path)) return;
			const job = hiDream.jobs.get(hiDream.lastJobId!)!;
			if (looks++ === 0) job.forcedStatus.set(0, 2);
			else job.forcedStatus.delete(0);
		};
		fakes.inject({ provider: 'hiDream', path: /\/results(\/batch)?$/, kind: 'delay', ms: 500 });
		try {
			const started = await startExecutions(c.main, flows.fast.id, flows.fast.path, [side.hiDream.body([side.hiDream.input(`late-${mode}`, 0, 0)])]);
			const [job] = side.hiDream.jobs(started[0]);
			const attempts = await hiDream.callbackSettled(job.id);
			expect(attempts[0].status).toBe(409);
			expect(attempts[attempts.length - 1].status).toBe(200);
			await expectResumed(fakes, c, side.hiDream, { ids: started, inputs: new Map([[started[0], [job.input]]]) });
		} finally {
			fakes.onRequest = undefined;
			fakes.clearFaults();
			fakes.renderMs = HOLD_MS;
		}
	});

	test(`n8n restarted (${mode === 'queue' ? 'main and both workers' : 'main'}) while executions wait: they resume after the restart`, async () => {
		const started = await startWaiting(c, side.hiDream, flows.fast, `restart-${mode}`, 2, 2);
		await c.restart();
		await expectWaitingIdle(c, side.hiDream, started);
		finishAll(side.hiDream, started);
		await expectResumed(fakes, c, side.hiDream, started);
	});

	test(`the deadline: Timeout ${DEADLINE_SECONDS} s passes before the renders end; the execution resumes with each job timedOut, its jobId and last status`, async () => {
		const [id] = deadline.ids;
		// n8n looks for due executions every 60 s (and when it starts)
		const execution = await c.main.waitForExecution(id, { timeoutMs: 150_000 });
		expect(execution.status).toBe('success');
		const items = outputOf(execution, side.hiDream.node);
		const inputs = deadline.inputs.get(id)!;
		expect(items).toHaveLength(inputs.length);
		for (const [i, input] of inputs.entries()) {
			const job = side.hiDream.jobs(id).find((j) => j.input === input)!;
			expect(items[i].json).toMatchObject({ provider: 'hiDream', jobId: job.id, timedOut: true, status: expect.stringMatching(/^(queued|processing)$/) });
			expect(items[i].json.error).toEqual(expect.stringContaining(job.id));
			expect(items[i].binary).toBeUndefined();
			expect(side.hiDream.downloads(job)).toEqual([]);
		}
		// a render ending after the deadline calls back into a finished execution: refused, nothing changes
		const [late] = side.hiDream.jobs(id);
		side.hiDream.finish(late.id);
		const attempts = await fakes.provider(HiDreamFake).callbackSettled(late.id);
		expect(attempts.map((a) => a.status)).toEqual([409, 409, 409]);
		expect(side.hiDream.downloads(late)).toEqual([]);
		expect((await c.main.waitForExecution(id)).stoppedAt).toBe(execution.stoppedAt);
	});
});
