/**
 * Part 6 as table rows: 20 HiDream text-to-video jobs (5 webhook-started executions × 4 items)
 * waited for by the node in callback mode against Wait for Completion (polling), in a real n8n in
 * queue mode (./queueMode.ts), `rounds` times each, the order of the two alternating by round.
 * The fake's rate limit and the node's Rate Limit are raised so all 20 render at once: the
 * physical limit is one render plus one submit, check and download.
 */
import { HiDreamFake, startFakeProviders } from '../../test/fakes';
import { EXECUTIONS, ITEMS, importBenchWorkflows, runMode, runProblems, type ModeRun, type WaitMethod } from './callback';
import { roundTrip } from './hiDream';
import { buildPackage } from './n8nRuns';
import { startQueueStack, WORKER_CONCURRENCY } from './queueMode';
import { repeat, showSpread, spread } from './stats';
import { log, s, verdict, x, type Row } from './table';

const JOBS = EXECUTIONS * ITEMS;
const secs = (n: number) => `${n.toFixed(1)} s`;

function logRun(run: ModeRun, round: number, physicalMs: number): void {
	const label = run.method === 'callback' ? 'callback' : 'Wait for Completion (poll)';
	const statuses = Object.entries(run.callbackStatuses).map(([status, n]) => `${n}× ${status}`).join(', ');
	log(`[6]   ${label}, run ${round + 1}: ${run.executions.filter((e) => e.status === 'success').length}/${EXECUTIONS} executions successful, ${run.completedWithVideo}/${JOBS} items completed with a video`);
	log(`      makespan ${s(run.makespanMs)} (${x(run.makespanMs / physicalMs)} the physical limit; first execution started after ${s(run.firstStartMs)})`);
	log(`      HiDream saw ${run.submits} submits, ${run.statusRequests} status requests (${run.batchStatusRequests} batch) = ${(run.statusRequests / JOBS).toFixed(2)} per job, ${run.downloads} downloads; ${run.callbacks} callbacks${statuses ? ` answered ${statuses}` : ''}`);
	log(`      worker-busy ${secs(run.bullBusySeconds)} (Bull active jobs integrated; at most ${run.bullPeak} at once), ${secs(run.logBusySeconds)} by the worker's log; Bull jobs per execution: ${run.jobsPerExecution.join(' ')}`);
	const timeline = run.timeline.filter(([, ms]) => ms !== undefined).map(([what, ms]) => `${what} ${((ms as number) / 1000).toFixed(1)}`);
	log(`      the last of each, s after the first webhook call: ${timeline.join(', ')}`);
	if (run.unlisted.length) log(`      n8n's public API lists leave out execution ${run.unlisted.join(', ')} (its own record: ${run.unlisted.map((id) => run.executions.find((e) => String(e.id) === id)?.status ?? 'none').join(', ')})`);
	const problems = runProblems(run);
	if (problems.length) log(`      PROBLEM: ${problems.join('; ')}`);
	for (const what of run.unfinished) log(what.replace(/^/gm, '      '));
}

export async function callbackRows(renderMs: number, rounds: number, skipN8n: boolean): Promise<Row[]> {
	if (skipN8n) return [{ metric: 'callback (n8n queue mode)', measured: '--skip-n8n', target: '', verdict: 'skipped' }];
	const build = buildPackage();
	const fakes = await startFakeProviders({ renderMs });
	const fake = fakes.provider(HiDreamFake);
	fake.generationsPerWindow = 10_000;
	let stack: Awaited<ReturnType<typeof startQueueStack>> | undefined;
	try {
		const physicalMs = renderMs + (await roundTrip(fakes));
		let ids: Record<WaitMethod, string> | undefined;
		stack = await startQueueStack(fakes, build.dir, async (home) => void (ids = await importBenchWorkflows(home)));
		const workflows = ids as Record<WaitMethod, string>;
		await Promise.all(Object.values(workflows).map((id) => stack?.main.activateWorkflow(id)));
		log(`[6] HiDream, ${JOBS} text-to-video jobs (${EXECUTIONS} executions started by a webhook × ${ITEMS} items), render ${s(renderMs)}: n8n 2.41.1 in queue mode`);
		log(`    (redis on loopback, n8n start + one n8n worker, concurrency ${WORKER_CONCURRENCY}); physical limit ${s(physicalMs)} = render + one submit, check and download by a plain client.`);
		log('    makespan: first webhook call → the last execution\'s stoppedAt (n8n\'s). Worker-busy: the worker-slot seconds held, i.e. redis');
		log('    LLEN bull:jobs:active every 100 ms integrated over the run (a Bull job is active from the moment a worker takes it until');
		log('    it is done); checked against the worker\'s JSON log, "Worker started execution" → "Worker finished execution" per Bull job.');
		log('    Status requests: the fake HiDream\'s log (single results and batch results).');
		// a run that has not ended by then is reported as it stands (the poll runs end within render + ~2 s)
		const timeoutMs = 2 * renderMs + 60_000;
		const results = await repeat(rounds, async (round) => {
			const order: WaitMethod[] = round % 2 ? ['callback', 'poll'] : ['poll', 'callback'];
			const byMethod = {} as Record<WaitMethod, ModeRun>;
			for (const method of order) {
				byMethod[method] = await runMode(stack!, fakes, workflows[method], method, round, timeoutMs);
				logRun(byMethod[method], round, physicalMs);
			}
			return byMethod;
		});
		log();
		return rows(results, physicalMs);
	} catch (error) {
		const why = `failed: ${(error as Error).message.split('\n')[0]}`;
		log(`[6]   ${why}`);
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		return [{ metric: 'callback (n8n queue mode)', measured: why, target: '', verdict: 'MISS' }];
	} finally {
		await stack?.stop();
		await fakes.stop();
		build.cleanup();
	}
}

function rows(results: Array<Record<WaitMethod, ModeRun>>, physicalMs: number): Row[] {
	const ok = results.every((r) => runProblems(r.callback).length === 0 && runProblems(r.poll).length === 0);
	// a poll run that held no worker slot means the sampler saw nothing: the measurement is broken
	const measured = results.every((r) => r.poll.bullBusySeconds > 0);
	const makespan = spread(results.map((r) => r.callback.makespanMs / r.poll.makespanMs));
	const busy = spread(results.map((r) => r.callback.bullBusySeconds / r.poll.bullBusySeconds));
	const last = results[results.length - 1];
	const of = (method: WaitMethod, pick: (run: ModeRun) => number, format: (n: number) => string) => showSpread(spread(results.map((r) => pick(r[method]))), format);
	const perJob = (n: number) => (n / JOBS).toFixed(2);
	return [
		{
			metric: `makespan, HiDream ${JOBS} jobs in queue mode: callback / Wait for Completion`,
			measured: `${showSpread(makespan, x)}; last: ${s(last.callback.makespanMs)} / ${s(last.poll.makespanMs)}`,
			target: '≤ 1.10×',
			verdict: verdict(ok && makespan.median <= 1.1),
		},
		{
			metric: `worker-busy seconds, callback / Wait for Completion`,
			measured: `${showSpread(busy, x)}; last: ${secs(last.callback.bullBusySeconds)} / ${secs(last.poll.bullBusySeconds)}`,
			target: '≤ 0.10×',
			verdict: verdict(ok && measured && busy.median <= 0.1),
		},
		{ metric: '  worker-busy seconds, callback (worker log)', measured: of('callback', (r) => r.logBusySeconds, secs), target: 'report', verdict: 'info' },
		{ metric: '  worker-busy seconds, Wait for Completion (worker log)', measured: of('poll', (r) => r.logBusySeconds, secs), target: 'report', verdict: 'info' },
		{ metric: '  makespan / physical limit, callback', measured: of('callback', (r) => r.makespanMs / physicalMs, x), target: 'report', verdict: 'info' },
		{ metric: '  makespan / physical limit, Wait for Completion', measured: of('poll', (r) => r.makespanMs / physicalMs, x), target: 'report', verdict: 'info' },
		{ metric: '  status requests per job, callback', measured: of('callback', (r) => r.statusRequests, perJob), target: 'report', verdict: 'info' },
		{ metric: '  status requests per job, Wait for Completion', measured: of('poll', (r) => r.statusRequests, perJob), target: 'report', verdict: 'info' },
	];
}
