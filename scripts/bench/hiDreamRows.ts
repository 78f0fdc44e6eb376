/** Part 5 as table rows: HiDream's batch status checks and its 10 text-to-video tasks a minute, `rounds` times. */
import { followHiDreamJobs, pacedHiDreamJobs } from './hiDream';
import { repeat, showSpread, spread } from './stats';
import { log, s, verdict, x, type Row } from './table';

export async function hiDreamRows(renderMs: number, rounds: number): Promise<Row[]> {
	const followed = 50;
	const perJob = (n: number) => (n / followed).toFixed(2);
	const follows = await repeat(rounds, async (round) => {
		const batch = await followHiDreamJobs({ jobs: followed, renderMs, oneByOne: false });
		const single = await followHiDreamJobs({ jobs: followed, renderMs, oneByOne: true });
		log(`[5]   HiDream, ${followed} text-to-video jobs followed together (submitted at once), render ${s(renderMs)}, run ${round + 1}:`);
		log(`      batch results: ${batch.completed}/${followed} completed in ${s(batch.makespanMs)}, ${batch.statusRequests} status requests (${batch.batchRequests} batch), ${perJob(batch.statusRequests)} per job`);
		log(`      one by one (the fake refuses the batch): ${single.completed}/${followed} completed in ${s(single.makespanMs)}, ${single.statusRequests} status requests (${single.batchRequests} refused batch), ${perJob(single.statusRequests)} per job`);
		return { batch, single, ok: batch.completed === followed && single.completed === followed };
	});
	const paced = await repeat(rounds, async (round) => {
		const run = await pacedHiDreamJobs({ jobs: 20, renderMs });
		log(`[5]   HiDream, ${run.jobs} text-to-video jobs at 10 a minute, run ${round + 1}: ${run.completed}/${run.jobs} completed and downloaded in ${s(run.makespanMs)}`);
		log(`      physical limit ${s(run.physicalMs)} = rate-limit wait ${s(run.rateWaitMs)} + render ${s(renderMs)} + one submit, check and download ${s(run.roundTripMs)}; submits refused with 429: ${run.refusedSubmits}`);
		return run;
	});
	log();
	const fewer = spread(follows.map((f) => f.single.statusRequests / Math.max(1, f.batch.statusRequests)));
	const toLimit = spread(paced.map((p) => p.makespanMs / p.physicalMs));
	const last = follows[follows.length - 1];
	return [
		{
			metric: `HiDream status requests per job, ${followed} followed: one by one / batch`,
			measured: `${showSpread(fewer, x)}; last: ${perJob(last.single.statusRequests)} / ${perJob(last.batch.statusRequests)}`,
			target: '≥ 10× fewer',
			verdict: verdict(follows.every((f) => f.ok) && fewer.median >= 10),
		},
		{
			metric: `makespan / physical limit, HiDream 20 text-to-video (10/min)`,
			measured: showSpread(toLimit, x),
			target: '≤ 1.15×',
			verdict: verdict(paced.every((p) => p.completed === p.jobs && p.refusedSubmits === 0) && toLimit.median <= 1.15),
		},
	];
}
