/**
 * Parts 1 and 2 as table rows: N jobs through Submit + Wait for Completion, `rounds` times, against
 * the physical limit and the seed's script (run once: its warped clock makes it deterministic).
 */
import { runNodeBatch, runSeedBatch, type NodeBatch, type ProviderKey } from './batch';
import { repeat, showSpread, spread } from './stats';
import { log, s, verdict, x, type Row } from './table';

interface JobBench {
	key: ProviderKey;
	label: string;
	cap?: number;
	seedCheckJobs: number;
	/** the targets: makespan / physical limit, and status checks per job / the seed's */
	toLimit: number;
	polls?: number;
}

export const jobBenches: Record<'aistudios' | 'cdnvideo', JobBench[]> = {
	aistudios: [
		{ key: 'aiStudios', label: 'AI Studios', seedCheckJobs: 1, toLimit: 1.15, polls: 0.33 },
		{ key: 'aiStudios', label: 'AI Studios, Max Poll Interval 10 s', cap: 10, seedCheckJobs: 0, toLimit: 1.15 },
	],
	cdnvideo: [{ key: 'cdnVideo', label: 'CDNvideo (10 submits/min)', seedCheckJobs: 0, toLimit: 1.03, polls: 0.25 }],
};

export async function jobRows(benches: JobBench[], o: { jobs: number; renderMs: number; seedCheckJobs: number; rounds: number }): Promise<Row[]> {
	const rows: Row[] = [];
	for (const b of benches) {
		const seed = await runSeedBatch(b.key, { jobs: o.jobs, renderMs: o.renderMs, checkJobs: b.seedCheckJobs && o.seedCheckJobs });
		log(`[1,2] seed script on ${b.label}: sequential, 3 s polling, ${o.jobs} jobs: ${s(seed.makespanMs)} (its 3 s sleeps in warped time), ${seed.waitingPerJob.toFixed(2)} status checks per job while waiting`);
		if (seed.check) log(`      warp check: ${seed.check.jobs} job(s) on the wall clock took ${s(seed.check.perJobMs)} per job; warped: ${s(seed.check.warpedPerJobMs)} per job`);
		const runs: NodeBatch[] = await repeat(o.rounds, async (round) => {
			const run = await runNodeBatch(b.key, { jobs: o.jobs, renderMs: o.renderMs, pollCapSeconds: b.cap });
			log(`[1,2] node, ${b.label}, run ${round + 1}: ${run.completed}/${o.jobs} completed and downloaded in ${s(run.makespanMs)} (physical limit ${s(run.physicalMs)} = rate-limit wait ${s(run.rateWaitMs)} + render ${s(o.renderMs)} + one submit, check and download ${s(run.roundTripMs)})`);
			log(`      status checks per job while waiting ${run.waitingPerJob.toFixed(2)} (max ${run.maxWaitingPerJob}), then ${run.afterPerJob.toFixed(2)} other calls; first check ${s(run.firstPollAfterMs)} after the start${run.refusedSubmits ? `; submits refused with 429: ${run.refusedSubmits}` : ''}`);
			return run;
		});
		const ok = runs.every((r) => r.completed === o.jobs && r.refusedSubmits === 0);
		const toLimit = spread(runs.map((r) => r.makespanMs / r.physicalMs));
		const polls = spread(runs.map((r) => r.waitingPerJob / seed.waitingPerJob));
		const makespan = spread(runs.map((r) => r.makespanMs));
		rows.push({ metric: `makespan / physical limit, ${b.label}`, measured: showSpread(toLimit, x), target: `≤ ${b.toLimit.toFixed(2)}×`, verdict: verdict(ok && toLimit.median <= b.toLimit) });
		if (b.cap === undefined) {
			rows.push({ metric: `speed-up over the seed script, ${b.label}`, measured: `${x(seed.makespanMs / makespan.median)} (${s(seed.makespanMs)} / ${s(makespan.median)})`, target: 'report', verdict: 'info' });
		}
		// The capped run shows what a user's shorter Max Poll Interval costs in requests (a 10 s cap on a 20 s render allows no fewer than 3).
		rows.push({
			metric: `status checks per job / seed's (${seed.waitingPerJob.toFixed(2)}), ${b.label}`,
			measured: showSpread(polls, (n) => n.toFixed(2)),
			target: b.polls === undefined ? 'report' : `≤ ${b.polls.toFixed(2)}`,
			verdict: b.polls === undefined ? 'info' : verdict(ok && polls.median <= b.polls),
		});
		log();
	}
	return rows;
}
