/**
 * A real n8n 2.41.1 in queue mode for the callback bench, started the way test/e2e/server.e2e.test.ts
 * starts it: Debian's redis-server on a free loopback port, `n8n start` as main (it takes the
 * webhooks, so the resume URLs name it) and one `n8n worker` (concurrency 5), on one fresh home
 * that loads the package built into `distDir`. The worker logs JSON, so each of its "Worker
 * started/finished execution" lines carries a timestamp; redis is sampled for Bull's active jobs.
 */
import { HiDreamFake, type FakeServer } from '../../test/fakes';
import {
	createN8nHome,
	getFreePort,
	importCredentials,
	startN8nServer,
	startN8nWorker,
	type N8nHome,
	type N8nServer,
	type N8nWorker,
} from '../../test/e2e/n8n';
import { queueModeEnv, startRedis, type Redis } from '../../test/e2e/redis';
import { BullActiveSampler } from './bullActive';

export const WORKER_CONCURRENCY = 5;
/** the id and name scripts/bench/hidream-callback.workflow.json references */
export const HIDREAM_CREDENTIAL = { id: 'benchHiDream0001', name: 'HiDream (bench fake)' };

export interface QueueStack {
	home: N8nHome;
	main: N8nServer;
	worker: N8nWorker;
	redis: Redis;
	bull: BullActiveSampler;
	/** the highest execution id the bench has started (the home is fresh: 0) */
	lastExecutionId: number;
	stop(): Promise<void>;
}

/** Starts redis, main and worker, with the fake HiDream's static token as credential (no exchange). */
export async function startQueueStack(fakes: FakeServer, distDir: string, importWorkflows: (home: N8nHome) => Promise<void>): Promise<QueueStack> {
	const home = createN8nHome({ customExtensions: distDir });
	let redis: Redis | undefined;
	let main: N8nServer | undefined;
	let worker: N8nWorker | undefined;
	let bull: BullActiveSampler | undefined;
	const stop = async () => {
		bull?.stop();
		await Promise.all([main?.stop(), worker?.stop()]);
		await redis?.stop();
		home.cleanup();
	};
	try {
		const fake = fakes.provider(HiDreamFake);
		await importCredentials(home, [{ ...HIDREAM_CREDENTIAL, type: 'hiDreamApi', data: { authentication: 'token', token: fake.staticToken, baseUrl: fakes.baseUrl } }]);
		await importWorkflows(home);
		redis = await startRedis();
		const port = await getFreePort();
		const env = queueModeEnv(redis, port);
		[main, worker] = await Promise.all([
			startN8nServer(home, { port, env }),
			startN8nWorker(home, { env: { ...env, N8N_LOG_FORMAT: 'json' }, concurrency: WORKER_CONCURRENCY }),
		]);
		bull = new BullActiveSampler(redis.port);
		await bull.start();
		return { home, main, worker, redis, bull, lastExecutionId: 0, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

export interface WorkerJob {
	executionId: string;
	jobId: string;
	startedAt: number;
	finishedAt?: number;
}

/** The worker's jobs, from its JSON log lines "Worker started/finished execution <id> (job <n>)". */
export function workerJobs(log: string): WorkerJob[] {
	const jobs = new Map<string, WorkerJob>();
	for (const line of log.split('\n')) {
		if (!line.startsWith('{')) continue;
		let entry: { message?: string; timestamp?: string; metadata?: { timestamp?: string } };
		try {
			entry = JSON.parse(line) as typeof entry;
		} catch {
			continue; // a line that only looks like JSON
		}
		const m = /^Worker (started|finished) execution (\S+) \(job (\S+)\)/.exec(entry.message ?? '');
		const at = Date.parse(entry.metadata?.timestamp ?? entry.timestamp ?? '');
		if (!m || Number.isNaN(at)) continue;
		const [, what, executionId, jobId] = m;
		if (what === 'started') jobs.set(jobId, { executionId, jobId, startedAt: at });
		else {
			const job = jobs.get(jobId);
			if (job) job.finishedAt = at;
		}
	}
	return [...jobs.values()];
}
