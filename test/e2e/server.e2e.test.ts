/**
 * The HiDream callback example (examples/hidream-callback.json) inside a running n8n: activated,
 * triggered through its webhook, parked in a Wait node "Resume: On Webhook Call" and resumed by the
 * fake HiDream's notify_url callback to `$execution.resumeUrl`. First under a plain `n8n start`,
 * then in queue mode (redis-server on loopback, `n8n start` as main + `n8n worker`), where the worker
 * must be the one that runs it. Both share one n8n home and one fake server.
 * Needs the built package (npm run build) and, for queue mode, redis-server (scripts/ensure-redis.sh
 * installs it with apt-get when missing).
 */
import * as fs from 'fs';
import * as path from 'path';

import { HiDreamFake, startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import {
	REPO_ROOT,
	createN8nHome,
	ensureN8n,
	getFreePort,
	importCredentials,
	importWorkflow,
	readBinaryData,
	startN8nServer,
	startN8nWorker,
	type N8nHome,
	type N8nServer,
	type N8nWorker,
} from './n8n';
import { queueModeEnv, startRedis, type Redis } from './redis';
import { sandboxCredentialList } from './sandboxCredentials';

const RENDER_MS = 3_000;
const INPUT_VIDEO = 'https://media.hidreamai.com/42c6c363-c20e-47a5-aa92-18c17c798793.mp4';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let fakes: FakeServer;
let hiDream: HiDreamFake;
let home: N8nHome;
let workflowId: string;

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'HiDream', 'HiDream.node.js'))) {
		throw new Error('dist/ has no HiDream node: run `npm run build` before the end-to-end tests');
	}
	ensureN8n();
	fakes = await startFakeProviders({ renderMs: RENDER_MS });
	hiDream = fakes.provider(HiDreamFake);
	home = createN8nHome();
	await importCredentials(home, sandboxCredentialList(fakes));
	const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'hidream-callback.json'), 'utf8'));
	({ id: workflowId } = await importWorkflow(home, example));
}, 45 * 60_000);

afterAll(async () => {
	home?.cleanup();
	await fakes?.stop();
});

// No fakes.reset() between the tests: the credential keeps HiDream's exchanged token (n8n's
// preAuthentication) across executions, and a reset would revoke it, so the next submit would be
// answered 401 and repeated once by n8n. Each run looks only at the requests made since it started.

/** POSTs to the example's production webhook (retrying the ~1 s of 404 right after activation) */
async function trigger(server: N8nServer): Promise<void> {
	for (let i = 0; ; i++) {
		const res = await fetch(`${server.webhookBase}webhook/hidream-stylize`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ videoUrl: INPUT_VIDEO }),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		if (res.status === 200) return;
		if (res.status !== 404 || i >= 60) throw new Error(`webhook: HTTP ${res.status} ${text}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** ids of the workflow's executions (any status) */
async function executionIds(server: N8nServer): Promise<string[]> {
	const ids: string[] = [];
	for (const status of ['success', 'error', 'waiting', 'running', 'new', 'canceled', 'crashed']) {
		const list = await server.api<{ data: Array<{ id: string }> }>(
			'GET',
			`/executions?workflowId=${workflowId}&status=${status}&includeData=false&limit=250`,
		).catch(() => ({ data: [] as Array<{ id: string }> })); // a status this version does not filter by
		ids.push(...list.data.map((e) => String(e.id)));
	}
	return [...new Set(ids)];
}

/** the one execution of the workflow not in `before`, once it exists */
async function newExecution(server: N8nServer, before: string[]): Promise<string> {
	const until = Date.now() + 60_000;
	for (;;) {
		const fresh = (await executionIds(server)).filter((id) => !before.includes(id));
		if (fresh.length > 1) throw new Error(`expected one new execution, got ${fresh.join(', ')}`);
		if (fresh.length === 1) return fresh[0];
		if (Date.now() > until) throw new Error('the webhook started no execution');
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** runs the example once on a started server and checks everything but who executed it */
async function runCallbackExample(server: N8nServer): Promise<{ executionId: string; execution: Json; binary: Buffer }> {
	await server.activateWorkflow(workflowId);
	const before = await executionIds(server);
	const mark = fakes.requests.length;
	const jobsBefore = hiDream.acceptedSubmits;
	const requests = (method: string, p?: RegExp) =>
		fakes.requests.slice(mark).filter((r) => r.provider === 'hiDream' && r.method === method && (!p || p.test(r.path)));
	const started = Date.now();
	await trigger(server);
	const executionId = await newExecution(server, before);

	// the fake calls the resume URL when the render ends (3 tries, 1 s apart, like HiDream)
	const until = Date.now() + 60_000;
	while (hiDream.acceptedSubmits === jobsBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
	expect(hiDream.acceptedSubmits).toBe(jobsBefore + 1);
	const jobId = hiDream.lastJobId!;
	const attempts = await hiDream.callbackSettled(jobId);
	const execution = await server.waitForExecution(executionId, { timeoutMs: 120_000 });
	console.log(`hidream-callback.json: execution ${executionId} ${execution.status} in ${Date.now() - started} ms`);
	if (execution.status !== 'success') throw new Error(`execution ${executionId}: ${JSON.stringify(execution).slice(0, 4000)}`);

	// exactly one submit, with the execution's own resume URL as notify_url
	const submits = requests('POST');
	expect(submits).toHaveLength(1);
	const notifyUrl = (submits[0].body as Json).notify_url as string;
	expect(notifyUrl.startsWith(`${server.webhookBase}webhook-waiting/${executionId}`)).toBe(true);
	expect(submits[0].body).toMatchObject({ style: 'ink_wash', video_name: INPUT_VIDEO });
	// one callback, answered 200 by n8n's Wait webhook
	expect(attempts).toHaveLength(1);
	expect(attempts[0]).toMatchObject({ jobId, url: notifyUrl, attempt: 1, status: 200, ok: true });
	expect(hiDream.callbacksFor(jobId)).toHaveLength(1);

	const runData = execution.data.resultData.runData as Json;
	expect(runData['Submit Stylization'][0].data.main[0][0].json).toMatchObject({ provider: 'hiDream', jobId, notifyUrl });
	// the Wait node continued with the callback's body
	expect(runData['Wait for HiDream'][0].data.main[0][0].json.body).toMatchObject({ main_task_id: jobId });
	const result = runData['Get Result'][0].data.main[0][0];
	const subTaskId = hiDream.jobs.get(jobId)!.subTaskIds[0];
	expect(result.json).toMatchObject({ provider: 'hiDream', jobId, status: 'completed', videoUrl: fakes.fileUrl('hiDream', subTaskId) });
	expect(result.binary.data.mimeType).toBe('video/mp4');
	const binary = await server.downloadBinary(result.binary.data);
	expect(binary.equals(videoBytes(subTaskId, fakes.fileSizeOf(subTaskId)))).toBe(true);
	// no polling needed: the callback replaced it (Get Result's single look only)
	expect(requests('GET', /\/results$/)).toHaveLength(1);
	return { executionId, execution, binary: result.binary.data };
}

test("examples/hidream-callback.json under `n8n start`: HiDream's callback to $execution.resumeUrl resumes the Wait node", async () => {
	const server = await startN8nServer(home);
	try {
		const { binary } = await runCallbackExample(server);
		// regular mode keeps binary data on disk: the same bytes there
		expect((binary as unknown as { id: string }).id).toMatch(/^filesystem-v2:/);
		const subTaskId = hiDream.jobs.get(hiDream.lastJobId!)!.subTaskIds[0];
		expect(readBinaryData(home, binary as never).equals(videoBytes(subTaskId, fakes.fileSizeOf(subTaskId)))).toBe(true);
	} finally {
		await server.stop();
	}
});

describe('queue mode: redis + n8n start (main) + n8n worker', () => {
	let redis: Redis | undefined;
	let main: N8nServer | undefined;
	let worker: N8nWorker | undefined;

	beforeAll(async () => {
		redis = await startRedis();
		const port = await getFreePort();
		const env = queueModeEnv(redis, port);
		// main and worker start side by side (each has its own task-runner broker port)
		[main, worker] = await Promise.all([startN8nServer(home, { port, env }), startN8nWorker(home, { env })]);
	}, 30 * 60_000); // a fresh machine first installs redis-server with apt-get (~15 s here)

	afterAll(async () => {
		await Promise.all([main?.stop(), worker?.stop()]);
		await redis?.stop();
	}, 60_000);

	test('examples/hidream-callback.json: the worker runs it, the main only takes the webhooks', async () => {
		const { executionId, binary } = await runCallbackExample(main!);
		// queue mode's default binary-data mode is the database; the bytes came through n8n's download endpoint
		expect((binary as unknown as { id: string }).id).toMatch(/^database:/);
		// started by the webhook, then resumed by the callback: the worker ran both parts
		const log = worker!.log();
		const startedLines = log.split('\n').filter((l) => l.includes(`Worker started execution ${executionId} `));
		const finishedLines = log.split('\n').filter((l) => l.includes(`Worker finished execution ${executionId} `));
		expect(startedLines.length).toBeGreaterThanOrEqual(1);
		expect(finishedLines.length).toBeGreaterThanOrEqual(1);
		const mainLog = fs.readFileSync(main!.logFile, 'utf8');
		expect(mainLog).not.toContain(`Worker started execution ${executionId} `);
	});
});
