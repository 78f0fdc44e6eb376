/**
 * The checks callbackNode.e2e.test.ts makes on executions that wait for the provider's callback,
 * from n8n's executions API and execution data, the workers' logs and the fakes' records.
 */
import { videoBytes, type FakeServer } from '../fakes';
import type { Side } from './callbackSides';
import { executionsOf, startExecutions, waitForStatus, type Cluster } from './waitingCluster';

// execution data as n8n returns it (JSON of many shapes)
type Json = Record<string, any>;

/** the last run's items of a node in an execution's data */
export function outputOf(execution: Json, node: string): Json[] {
	const runs = execution.data?.resultData?.runData?.[node] as Json[] | undefined;
	if (!runs?.length) throw new Error(`${node} did not run in execution ${execution.id}: ${JSON.stringify(execution.data?.resultData?.error ?? {})}`);
	return runs[runs.length - 1].data?.main?.[0] ?? [];
}

export interface Started {
	ids: string[];
	/** execution id -> its inputs, in item order */
	inputs: Map<string, string[]>;
}

/** Starts `executions` executions of `items` items each, and waits until all have submitted and wait. */
export async function startWaiting(c: Cluster, s: Side, flow: { path: string; id: string }, label: string, executions: number, items: number): Promise<Started> {
	const lists = Array.from({ length: executions }, (_, e) => Array.from({ length: items }, (_, i) => s.input(label, e, i)));
	const ids = await startExecutions(c.main, flow.id, flow.path, lists.map((l) => s.body(l)));
	await waitForStatus(c.main, ids, 'waiting');
	const inputs = new Map<string, string[]>();
	for (const id of ids) {
		const submitted = s.jobs(id).map((j) => j.input);
		const list = lists.find((l) => l.every((input) => submitted.includes(input)));
		expect({ id, jobs: submitted.length, matched: Boolean(list) }).toEqual({ id, jobs: items, matched: true });
		inputs.set(id, list!);
	}
	return { ids, inputs };
}

/** While the renders run: each execution waits, nothing runs in n8n, no worker holds a job, nothing is downloaded. */
export async function expectWaitingIdle(c: Cluster, s: Side, started: Started): Promise<void> {
	const all = await executionsOf(c.main);
	for (const id of started.ids) expect({ id, status: all.find((e) => e.id === id)?.status }).toEqual({ id, status: 'waiting' });
	expect(all.filter((e) => e.status === 'running' || e.status === 'new')).toEqual([]);
	for (const log of c.logs().workers) {
		const count = (word: string) => log.split('\n').filter((l) => l.includes(`Worker ${word} execution `)).length;
		expect(count('finished')).toBe(count('started'));
	}
	if (c.mode === 'queue') {
		// the workers ran the executions up to the wait: the main ran none of them
		const workers = c.logs().workers.join('\n');
		for (const id of started.ids) expect({ id, byWorker: workers.includes(`Worker finished execution ${id} `) }).toEqual({ id, byWorker: true });
	}
	for (const id of started.ids) for (const job of s.jobs(id)) expect(s.downloads(job)).toEqual([]);
}

/** Each execution resumed and succeeded with one item per input: the finished video, downloaded once, from one submit. */
export async function expectResumed(fakes: FakeServer, c: Cluster, s: Side, started: Started): Promise<Json[]> {
	const executions: Json[] = [];
	for (const id of started.ids) {
		const execution = await c.main.waitForExecution(id, { timeoutMs: 120_000 });
		if (execution.status !== 'success') throw new Error(`execution ${id} ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? execution).slice(0, 3000)}`);
		const items = outputOf(execution, s.node);
		const inputs = started.inputs.get(id)!;
		expect(items).toHaveLength(inputs.length);
		for (const [i, input] of inputs.entries()) {
			expect(s.submitsOf(input)).toHaveLength(1);
			const job = s.jobs(id).find((j) => j.input === input)!;
			expect(items[i].json).toMatchObject({ provider: s.provider, jobId: job.id, status: 'completed', videoUrl: fakes.fileUrl(s.provider, job.fileId) });
			expect(items[i].json.callbackWait).toBeUndefined();
			expect(items[i].binary?.data?.mimeType).toBe('video/mp4');
			const bytes = await c.main.downloadBinary(items[i].binary.data);
			expect(bytes.equals(videoBytes(job.fileId, fakes.fileSizeOf(job.fileId)))).toBe(true);
			expect({ job: job.id, downloads: s.downloads(job).length }).toEqual({ job: job.id, downloads: 1 });
		}
		executions.push(execution);
	}
	return executions;
}

export const finishAll = (s: Side, started: Started) => started.ids.flatMap((id) => s.jobs(id)).forEach((job) => s.finish(job.id));
