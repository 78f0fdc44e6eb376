/**
 * A running n8n for tests of executions that wait (Wait Method Callback): `n8n start` alone, or
 * queue mode (redis on loopback, `n8n start` as main + two `n8n worker`s), on one home and one
 * fixed port, so the resume URLs handed to the providers stay valid across a restart. And what
 * those tests read from n8n: the executions of a workflow with their status, started through a
 * production webhook.
 */
import * as fs from 'fs';

import { getFreePort, startN8nServer, startN8nWorker, type N8nHome, type N8nServer, type N8nWorker } from './n8n';
import { queueModeEnv, startRedis, type Redis } from './redis';

export type Mode = 'regular' | 'queue';

export interface Cluster {
	mode: Mode;
	main: N8nServer;
	workers: N8nWorker[];
	/** stops every n8n process and starts them again (same home, port, redis) */
	restart(): Promise<void>;
	stop(): Promise<void>;
	/** the workers' and the main's log lines so far */
	logs(): { main: string; workers: string[] };
}

export async function startCluster(home: N8nHome, mode: Mode): Promise<Cluster> {
	const port = await getFreePort();
	const redis: Redis | undefined = mode === 'queue' ? await startRedis() : undefined;
	const env: Record<string, string> = redis ? queueModeEnv(redis, port) : {};
	const mainLogs: string[] = [];
	const workerLogs: string[] = [];
	const startAll = async () => {
		const [main, ...workers] = await Promise.all([
			startN8nServer(home, { port, env }),
			...(redis ? [startN8nWorker(home, { env }), startN8nWorker(home, { env })] : []),
		]);
		mainLogs.push(main.logFile);
		workerLogs.push(...workers.map((w) => w.logFile));
		return { main: main as N8nServer, workers: workers as N8nWorker[] };
	};
	const stopAll = async (c: { main: N8nServer; workers: N8nWorker[] }) => await Promise.all([c.main.stop(), ...c.workers.map((w) => w.stop())]);
	const cluster: Cluster = {
		mode,
		...(await startAll()),
		async restart() {
			await stopAll(cluster);
			Object.assign(cluster, await startAll());
		},
		async stop() {
			await stopAll(cluster);
			await redis?.stop();
		},
		logs: () => ({ main: mainLogs.map(read).join('\n'), workers: workerLogs.map(read) }),
	};
	return cluster;
}

const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

export interface ExecutionRef {
	id: string;
	status: string;
}

const STATUSES = ['new', 'running', 'waiting', 'success', 'error', 'canceled', 'crashed'];

/** Every execution (of the workflow, or of all), with its status, from n8n's public API. */
export async function executionsOf(server: N8nServer, workflowId?: string): Promise<ExecutionRef[]> {
	// one status at a time: an execution that changes status meanwhile is listed by the later query
	const found = new Map<string, ExecutionRef>();
	for (const status of STATUSES) {
		const query = `${workflowId ? `workflowId=${workflowId}&` : ''}status=${status}&includeData=false&limit=250`;
		const list = await server.api<{ data: Array<{ id: string; status: string }> }>('GET', `/executions?${query}`);
		for (const e of list.data) found.set(String(e.id), { id: String(e.id), status: e.status });
	}
	return [...found.values()];
}

/** POSTs to a production webhook (retrying the ~1 s of 404 right after activation or a start). */
export async function trigger(server: N8nServer, path: string, body: unknown): Promise<void> {
	for (let i = 0; ; i++) {
		const res = await fetch(`${server.webhookBase}webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		if (res.status === 200) return;
		if (res.status !== 404 || i >= 60) throw new Error(`webhook ${path}: HTTP ${res.status} ${text}`);
		await sleep(250);
	}
}

/** Starts one execution per body through the workflow's webhook; resolves with their ids. */
export async function startExecutions(server: N8nServer, workflowId: string, path: string, bodies: unknown[]): Promise<string[]> {
	const before = new Set((await executionsOf(server, workflowId)).map((e) => e.id));
	await Promise.all(bodies.map(async (body) => await trigger(server, path, body)));
	return await until(`${bodies.length} executions of workflow ${workflowId}`, 60_000, async () => {
		const fresh = (await executionsOf(server, workflowId)).filter((e) => !before.has(e.id)).map((e) => e.id);
		if (fresh.length > bodies.length) throw new Error(`more executions than triggers: ${fresh.join(', ')}`);
		return fresh.length === bodies.length ? fresh : undefined;
	});
}

/** Resolves once every one of the executions has the status (polling the API). */
export async function waitForStatus(server: N8nServer, ids: string[], status: string, timeoutMs = 60_000): Promise<void> {
	await until(`executions ${ids.join(', ')} ${status}`, timeoutMs, async () => {
		const all = await executionsOf(server);
		return ids.every((id) => all.some((e) => e.id === id && e.status === status)) || undefined;
	});
}

/** Polls `look` until it returns something other than undefined. */
export async function until<T>(what: string, timeoutMs: number, look: () => Promise<T | undefined> | T | undefined): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await look();
		if (found !== undefined) return found;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
