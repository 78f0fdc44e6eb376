/**
 * One run of the callback bench: EXECUTIONS webhook calls at once, each starting an execution of
 * scripts/bench/hidream-callback.workflow.json (Webhook → Split Out → HiDream Submit of ITEMS
 * text-to-video jobs with Wait for Completion), in the queue-mode n8n of ./queueMode.ts; then what
 * n8n, the worker, redis and the fake HiDream saw.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { HiDreamFake, hiDreamV3SubmitPath, type FakeServer } from '../../test/fakes';
import type { N8nHome } from '../../test/e2e/n8n';
import { importWorkflowOnce } from './n8nRuns';
import { unfinishedExecution } from './callbackDiagnosis';
import { workerJobs, type QueueStack } from './queueMode';

export const EXECUTIONS = 5;
export const ITEMS = 4;
export type WaitMethod = 'callback' | 'poll';

interface WorkflowJson {
	name: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown>; webhookId?: string }>;
	[key: string]: unknown;
}
interface OutputItem {
	json?: Record<string, unknown>;
	binary?: Record<string, unknown>;
}
/** what GET /api/v1/executions/<id>?includeData=true answers, as far as read here */
export interface ExecutionJson {
	id: string | number;
	workflowId: string;
	status: string;
	startedAt: string;
	stoppedAt: string;
	data?: { resultData?: { runData?: Record<string, Array<{ data?: { main?: OutputItem[][] } }>> } };
}

const FINAL = ['success', 'error', 'crashed', 'canceled'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The bench workflow for a wait method. Poll is the workflow without `waitMethod`, as saved before
 * the callback existed (its default is poll); callback sets it.
 */
export function benchWorkflow(method: WaitMethod): WorkflowJson {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, 'hidream-callback.workflow.json'), 'utf8')) as WorkflowJson;
	if (method === 'callback') return workflow;
	const node = (name: string) => workflow.nodes.find((n) => n.name === name) as WorkflowJson['nodes'][number];
	const render = node('Render');
	delete render.parameters.waitMethod;
	const trigger = node('Prompts');
	trigger.parameters.path = 'bench-hidream-poll';
	trigger.webhookId = 'b3e5c1a0-15be-4c0b-9a11-0c1a2b3c4db1';
	return { ...workflow, name: workflow.name.replace(/callback$/, 'Wait for Completion, polling') };
}

/** Imports both workflows into the home (before n8n starts); the ids by wait method. */
export async function importBenchWorkflows(home: N8nHome): Promise<Record<WaitMethod, string>> {
	return {
		callback: await importWorkflowOnce(home, benchWorkflow('callback')),
		poll: await importWorkflowOnce(home, benchWorkflow('poll')),
	};
}

export interface ModeRun {
	method: WaitMethod;
	executions: ExecutionJson[];
	/** from the first webhook call to the last execution's stoppedAt (n8n's) */
	makespanMs: number;
	/** from the first webhook call to the first execution's startedAt */
	firstStartMs: number;
	/** items of the Submit node's output that are completed with a video in binary */
	completedWithVideo: number;
	submits: number;
	/** submits whose notify_url is one of the run's executions' resume URL on the main */
	resumeUrlSubmits: number;
	statusRequests: number;
	batchStatusRequests: number;
	downloads: number;
	callbacks: number;
	callbackStatuses: Record<string, number>;
	/** worker-slot seconds: Bull's active list integrated (see ./bullActive.ts) */
	bullBusySeconds: number;
	bullPeak: number;
	/** per Bull job, "Worker started execution" → "Worker finished execution", summed */
	logBusySeconds: number;
	/** Bull jobs the worker ran for each execution */
	jobsPerExecution: number[];
	/** ms after the first webhook call that the last of each happened (undefined: none did) */
	timeline: Array<[string, number | undefined]>;
	/** executions that had not ended by the timeout, with what the fake and n8n's log say of them */
	unfinished: string[];
	/** executions of the run that n8n's public execution lists leave out (see unlisted()) */
	unlisted: string[];
	/** an execution beyond the EXECUTIONS expected exists */
	extraExecution: boolean;
}

/** POSTs to a production webhook, repeating the ~1 s of 404 right after activation. */
async function callWebhook(url: string, body: unknown): Promise<void> {
	for (let i = 0; ; i++) {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
		const text = await res.text();
		if (res.status === 200) return;
		if (res.status !== 404 || i >= 60) throw new Error(`webhook ${url}: HTTP ${res.status} ${text}`);
		await sleep(250);
	}
}

/** an execution's status from n8n's own record, undefined while it does not exist */
async function statusOf(stack: QueueStack, id: string): Promise<string | undefined> {
	return await stack.main.api<ExecutionJson>('GET', `/executions/${id}?includeData=false`).then(
		(e) => e.status,
		() => undefined,
	);
}

/**
 * Ids the public API's execution lists leave out. n8n drops from every list but `status=running`
 * the executions its main process still holds as running in memory, whatever their record says.
 */
async function unlisted(stack: QueueStack, workflowId: string, ids: string[]): Promise<string[]> {
	const list = async (query: string) =>
		(await stack.main.api<{ data: Array<{ id: string }> }>('GET', `/executions?workflowId=${workflowId}&includeData=false&limit=250${query}`)).data.map((e) => String(e.id));
	const listed = new Set([...(await list('')), ...(await list('&status=running'))]);
	return ids.filter((id) => !listed.has(id));
}

export async function runMode(stack: QueueStack, fakes: FakeServer, workflowId: string, method: WaitMethod, round: number, timeoutMs: number): Promise<ModeRun> {
	const fake = fakes.provider(HiDreamFake);
	const marks = { requests: fakes.requests.length, files: fakes.filesRequests.length, callbacks: fake.callbacks.length, log: stack.worker.log().length };
	const trigger = `${stack.main.webhookBase}webhook/${method === 'callback' ? 'bench-hidream-callback' : 'bench-hidream-poll'}`;
	// This n8n runs the bench alone: the webhook calls start the next EXECUTIONS execution ids.
	// (Not found through the execution lists, which may leave finished ones out: see unlisted().)
	const ids = Array.from({ length: EXECUTIONS }, (_, e) => String(stack.lastExecutionId + e + 1));
	stack.lastExecutionId += EXECUTIONS;
	const started = Date.now();
	await Promise.all(
		Array.from({ length: EXECUTIONS }, (_, e) =>
			callWebhook(trigger, { prompts: Array.from({ length: ITEMS }, (_, i) => ({ prompt: `A red fox in the snow, ${method} run ${round + 1}, execution ${e + 1}, take ${i + 1}` })) }),
		),
	);
	let statuses: Array<string | undefined> = [];
	for (;;) {
		statuses = await Promise.all(ids.map((id) => statusOf(stack, id)));
		// past the timeout the run is reported as it stands: the executions that have not ended are named
		if (statuses.every((status) => FINAL.includes(status as string)) || Date.now() - started > timeoutMs) break;
		await sleep(1_000);
	}
	const extra = await statusOf(stack, String(stack.lastExecutionId + 1));
	const unfinished = ids.filter((_, n) => !FINAL.includes(statuses[n] as string));
	// the worker leaves Bull's active list a moment after n8n saved the execution as ended
	const settle = Date.now() + 5_000;
	while (stack.bull.samples[stack.bull.samples.length - 1]?.active && Date.now() < settle) await sleep(100);
	const ended = Date.now();

	const executions = (await Promise.all(ids.map((id) => stack.main.api<ExecutionJson>('GET', `/executions/${id}?includeData=true`).catch(() => undefined)))).filter(
		(e): e is ExecutionJson => e !== undefined && e.workflowId === workflowId,
	);
	const times = (key: 'startedAt' | 'stoppedAt') => executions.map((e) => Date.parse(e[key]));
	// the Submit node's last run: a resumed execution's output
	const items = executions.flatMap((e) => {
		const runs = e.data?.resultData?.runData?.Render ?? [];
		return runs[runs.length - 1]?.data?.main?.[0] ?? [];
	});
	const requests = fakes.requests.slice(marks.requests).filter((r) => r.provider === 'hiDream');
	const status = requests.filter((r) => /\/results(\/batch)?$/.test(r.path));
	const submits = requests.filter((r) => r.method === 'POST' && r.path === hiDreamV3SubmitPath('txt2video'));
	const resumeUrls = ids.map((id) => `${stack.main.webhookBase}webhook-waiting/${id}?`);
	const notifyUrl = (body: unknown) => String((body as { notify_url?: unknown } | undefined)?.notify_url ?? '');
	const callbacks = fake.callbacks.slice(marks.callbacks);
	const jobs = workerJobs(stack.worker.log().slice(marks.log)).filter((j) => ids.includes(j.executionId));
	const last = (values: number[]) => {
		const known = values.filter(Number.isFinite);
		return known.length ? Math.max(...known) - started : undefined;
	};
	const rendered = [...fake.jobs.values()].filter((j) => j.createdAt >= started).map((j) => j.createdAt + j.renderMs);
	const timeline: ModeRun['timeline'] = [
		['submit', last(submits.map((r) => r.at))],
		['render end', last(rendered)],
		['callback', last(callbacks.map((c) => c.at))],
		['status request', last(status.map((r) => r.at))],
		['download', last(fakes.filesRequests.slice(marks.files).map((r) => r.at))],
		['worker job start', last(jobs.map((j) => j.startedAt))],
		['stoppedAt', last(times('stoppedAt'))],
	];
	return {
		method,
		executions,
		makespanMs: unfinished.length ? NaN : (last(times('stoppedAt')) as number),
		firstStartMs: Math.min(...times('startedAt')) - started,
		completedWithVideo: items.filter((i) => i.json?.status === 'completed' && i.binary?.data).length,
		submits: submits.length,
		resumeUrlSubmits: submits.filter((r) => resumeUrls.some((url) => notifyUrl(r.body).startsWith(url))).length,
		statusRequests: status.length,
		batchStatusRequests: status.filter((r) => r.path.endsWith('/batch')).length,
		downloads: fakes.filesRequests.length - marks.files,
		callbacks: callbacks.length,
		callbackStatuses: callbacks.reduce<Record<string, number>>((n, c) => ({ ...n, [String(c.status ?? c.error)]: (n[String(c.status ?? c.error)] ?? 0) + 1 }), {}),
		bullBusySeconds: stack.bull.busySeconds(started, ended),
		bullPeak: stack.bull.peak(started, ended),
		logBusySeconds: jobs.reduce((sum, j) => sum + ((j.finishedAt ?? ended) - j.startedAt), 0) / 1000,
		jobsPerExecution: ids.map((id) => jobs.filter((j) => j.executionId === id).length),
		timeline,
		unfinished: unfinished.map((id) => unfinishedExecution(stack, fakes, id, statuses[ids.indexOf(id)] ?? 'missing', started)),
		unlisted: await unlisted(stack, workflowId, ids),
		extraExecution: extra !== undefined,
	};
}

/** What is wrong with a run (empty: every execution succeeded, every job submitted once and downloaded once). */
export function runProblems(run: ModeRun): string[] {
	const jobs = EXECUTIONS * ITEMS;
	const problems: string[] = [];
	if (run.unfinished.length) problems.push(`${run.unfinished.length} executions had not ended by the timeout`);
	if (run.executions.length !== EXECUTIONS || run.extraExecution) problems.push(`${run.executions.length}${run.extraExecution ? ' and more' : ''} executions of the workflow for ${EXECUTIONS} webhook calls`);
	const failed = run.executions.filter((e) => e.status !== 'success');
	if (failed.length) problems.push(`${failed.length} executions not successful (${failed.map((e) => `${e.id}: ${e.status}`).join(', ')})`);
	if (run.completedWithVideo !== jobs) problems.push(`${run.completedWithVideo} of ${jobs} items completed with a video`);
	if (run.submits !== jobs) problems.push(`${run.submits} submits for ${jobs} jobs`);
	if (run.downloads !== jobs) problems.push(`${run.downloads} downloads for ${jobs} jobs`);
	// callback mode hands HiDream each execution's resume URL; Wait for Completion hands it none
	const wanted = run.method === 'callback' ? jobs : 0;
	if (run.resumeUrlSubmits !== wanted) problems.push(`${run.resumeUrlSubmits} submits carry the execution's resume URL as notify_url (want ${wanted})`);
	return problems;
}
