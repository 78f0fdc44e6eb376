/**
 * npm run bench [-- --render-ms 20000 --jobs 20 --file-mib 1024 --items 500 --seed-check-jobs 1 --skip-n8n --only hidream]
 * (or BENCH_RENDER_MS, BENCH_JOBS, BENCH_FILE_MIB, BENCH_ITEMS, BENCH_SEED_CHECK_JOBS, BENCH_SKIP_N8N=1, BENCH_ONLY=hidream)
 *
 * Measures, in one run, against the fake providers (127.0.0.1) with the given render time:
 *  1. makespan of N jobs through Submit + Wait for Completion (AI Studios, CDNvideo) against the
 *     physical limit, and against the seed's sequential script on the same fake (speed-up); the
 *     script's 3 s sleeps run in warped time (N × render would take minutes), and
 *     --seed-check-jobs jobs of it run on the wall clock to show the warp changes nothing else;
 *  2. status checks per job while waiting, against the seed's fixed 3 s polling;
 *  3. peak RSS growth of a real n8n (filesystem binary mode) downloading a 1 GiB result with Get Result;
 *  4. 500 Get Status items in one n8n execution against a plain client sending the same requests;
 *  5. HiDream: status requests per job for 50 followed text-to-video jobs, batch results against
 *     one request per job, and the makespan of 20 text-to-video jobs at 10 a minute against the
 *     physical limit (`--only hidream` runs just these, about 3 min).
 * Parts 3 and 4 need the n8n that scripts/install-n8n.sh caches (installed on first use, ~6 min).
 * Ends with a table: metric, measured, target, PASS/MISS. Takes about 5 min on 2 cores.
 */
import * as os from 'node:os';

import { startFakeProviders } from '../test/fakes';
import { runNodeBatch, runSeedBatch, type NodeBatch, type SeedBatch } from './bench/batch';
import { harnessOverhead, type HarnessOverhead } from './bench/harnessOverhead';
import { followHiDreamJobs, pacedHiDreamJobs } from './bench/hiDream';
import { buildPackage, mib, prepareN8n, runMemoryBench, runOverheadBench, type MemoryBench, type OverheadBench } from './bench/n8nRuns';

interface Options {
	renderMs: number;
	jobs: number;
	fileMiB: number;
	items: number;
	seedCheckJobs: number;
	skipN8n: boolean;
	/** run only one group of rows ('hidream'), or all when empty */
	only: string;
}

function readOptions(): Options {
	const argv = process.argv.slice(2);
	const value = (flag: string, env: string, fallback: number) => {
		const i = argv.indexOf(`--${flag}`);
		const raw = i >= 0 ? argv[i + 1] : process.env[env];
		if (raw === undefined || raw === '') return fallback;
		const n = Number(raw);
		if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} needs a non-negative number, got ${raw}`);
		return n;
	};
	return {
		renderMs: value('render-ms', 'BENCH_RENDER_MS', 20_000),
		jobs: value('jobs', 'BENCH_JOBS', 20),
		fileMiB: value('file-mib', 'BENCH_FILE_MIB', 1024),
		items: value('items', 'BENCH_ITEMS', 500),
		seedCheckJobs: value('seed-check-jobs', 'BENCH_SEED_CHECK_JOBS', 1),
		skipN8n: argv.includes('--skip-n8n') || process.env.BENCH_SKIP_N8N === '1',
		only: (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : (process.env.BENCH_ONLY ?? '')).toLowerCase(),
	};
}

const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const log = (line = '') => process.stdout.write(`${line}\n`);

interface Row {
	metric: string;
	measured: string;
	target: string;
	verdict: 'PASS' | 'MISS' | 'info' | 'skipped';
}

function verdict(ok: boolean): Row['verdict'] {
	return ok ? 'PASS' : 'MISS';
}

function printTable(rows: Row[]): void {
	const head: Row = { metric: 'metric', measured: 'measured', target: 'target', verdict: 'PASS' };
	const widths = (['metric', 'measured', 'target'] as const).map((k) => Math.max(...[head, ...rows].map((r) => r[k].length)));
	const line = (r: Row, last: string) => `| ${r.metric.padEnd(widths[0])} | ${r.measured.padEnd(widths[1])} | ${r.target.padEnd(widths[2])} | ${last.padEnd(9)} |`;
	log(line(head, 'result'));
	log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|-----------|`);
	for (const r of rows) log(line(r, r.verdict));
}

/** Part 5: HiDream's batch status checks and its 10 text-to-video tasks a minute. */
async function hiDreamRows(renderMs: number): Promise<Row[]> {
	const followed = 50;
	const batch = await followHiDreamJobs({ jobs: followed, renderMs, oneByOne: false });
	const single = await followHiDreamJobs({ jobs: followed, renderMs, oneByOne: true });
	const perJob = (n: number) => n / followed;
	const fewer = single.statusRequests / Math.max(1, batch.statusRequests);
	log(`[5]   HiDream, ${followed} text-to-video jobs followed together (submitted at once), render ${s(renderMs)}:`);
	log(`      batch results: ${batch.completed}/${followed} completed in ${s(batch.makespanMs)}, ${batch.statusRequests} status requests (${batch.batchRequests} batch), ${perJob(batch.statusRequests).toFixed(2)} per job`);
	log(`      one by one (the fake refuses the batch): ${single.completed}/${followed} completed in ${s(single.makespanMs)}, ${single.statusRequests} status requests (${single.batchRequests} refused batch), ${perJob(single.statusRequests).toFixed(2)} per job`);
	const paced = await pacedHiDreamJobs({ jobs: 20, renderMs });
	const toLimit = paced.makespanMs / paced.physicalMs;
	log(`[5]   HiDream, ${paced.jobs} text-to-video jobs at 10 a minute: ${paced.completed}/${paced.jobs} completed and downloaded in ${s(paced.makespanMs)}`);
	log(`      physical limit ${s(paced.physicalMs)} = rate-limit wait ${s(paced.rateWaitMs)} + render ${s(renderMs)} + one submit, check and download ${s(paced.roundTripMs)}; submits refused with 429: ${paced.refusedSubmits}`);
	log();
	const ok = batch.completed === followed && single.completed === followed;
	return [
		{
			metric: `HiDream status requests per job, ${followed} followed: batch / one by one`,
			measured: `${perJob(batch.statusRequests).toFixed(2)} / ${perJob(single.statusRequests).toFixed(2)} (${x(fewer)} fewer)`,
			target: '≥ 10× fewer',
			verdict: verdict(ok && fewer >= 10),
		},
		{
			metric: `makespan / physical limit, HiDream ${paced.jobs} text-to-video (10/min)`,
			measured: `${x(toLimit)} (${s(paced.makespanMs)} / ${s(paced.physicalMs)})`,
			target: '≤ 1.15×',
			verdict: verdict(paced.completed === paced.jobs && paced.refusedSubmits === 0 && toLimit <= 1.15),
		},
	];
}

async function main(): Promise<void> {
	const o = readOptions();
	const started = Date.now();
	const rows: Row[] = [];
	log(`n8n-nodes-ai-video benchmark, ${new Date().toISOString()}: Node ${process.version}, ${os.cpus().length} CPUs, fake providers on 127.0.0.1`);
	log(`render ${s(o.renderMs)}, ${o.jobs} jobs, ${o.fileMiB} MiB result, ${o.items} status items`);
	log();
	if (o.only === 'hidream') {
		printTable(await hiDreamRows(o.renderMs));
		log();
		log(`total ${s(Date.now() - started)}`);
		return;
	}
	if (o.only) throw new Error(`--only knows "hidream", got "${o.only}"`);

	// ---------------------------------------------------------------- parts 1 and 2
	const pollTarget = 1 / 3;
	const batches: Array<{ key: 'aiStudios' | 'cdnVideo'; label: string; cap?: number; seedCheckJobs: number }> = [
		{ key: 'aiStudios', label: 'AI Studios', seedCheckJobs: o.seedCheckJobs },
		{ key: 'aiStudios', label: 'AI Studios, Max Poll Interval 10 s', cap: 10, seedCheckJobs: 0 },
		{ key: 'cdnVideo', label: 'CDNvideo (10 submits/min)', seedCheckJobs: 0 },
	];
	const seeds = new Map<string, SeedBatch>();
	for (const b of batches) {
		let seed = seeds.get(b.key);
		if (!seed) {
			seed = await runSeedBatch(b.key, { jobs: o.jobs, renderMs: o.renderMs, checkJobs: b.seedCheckJobs });
			seeds.set(b.key, seed);
			log(`[1,2] seed script on ${b.key === 'aiStudios' ? 'AI Studios' : 'CDNvideo'}: sequential, 3 s polling, ${o.jobs} jobs: ${s(seed.makespanMs)} (its 3 s sleeps in warped time),`);
			log(`      ${seed.waitingPerJob.toFixed(2)} status checks per job while waiting${seed.afterPerJob ? `, then ${seed.afterPerJob.toFixed(2)} other calls` : ''}`);
			if (seed.check) {
				log(`      warp check: ${seed.check.jobs} job(s) on the wall clock took ${s(seed.check.perJobMs)} per job; warped: ${s(seed.check.warpedPerJobMs)} per job`);
			}
		}
		const run: NodeBatch = await runNodeBatch(b.key, { jobs: o.jobs, renderMs: o.renderMs, pollCapSeconds: b.cap });
		const toLimit = run.makespanMs / run.physicalMs;
		const polls = run.waitingPerJob / seed.waitingPerJob;
		log(`[1,2] node, ${b.label}: ${run.completed}/${o.jobs} completed and downloaded in ${s(run.makespanMs)}`);
		log(`      physical limit ${s(run.physicalMs)} = rate-limit wait ${s(run.rateWaitMs)} + render ${s(o.renderMs)} + one submit, check and download ${s(run.roundTripMs)}`);
		log(`      status checks per job while waiting ${run.waitingPerJob.toFixed(2)} (max ${run.maxWaitingPerJob}), then ${run.afterPerJob.toFixed(2)} other calls; first check ${s(run.firstPollAfterMs)} after the start`);
		if (run.refusedSubmits) log(`      submits the fake refused with 429: ${run.refusedSubmits}`);
		const ok = run.completed === o.jobs;
		rows.push({ metric: `makespan / physical limit, ${b.label}`, measured: `${x(toLimit)} (${s(run.makespanMs)} / ${s(run.physicalMs)})`, target: '≤ 1.15×', verdict: verdict(ok && toLimit <= 1.15) });
		if (b.cap === undefined) {
			rows.push({ metric: `speed-up over the seed script, ${b.label}`, measured: `${x(seed.makespanMs / run.makespanMs)} (${s(seed.makespanMs)} / ${s(run.makespanMs)})`, target: 'report', verdict: 'info' });
		}
		// The targets are for the node as it comes; the capped run shows what a user's shorter
		// Max Poll Interval costs in requests (a 10 s cap on a 20 s render allows no fewer than 3).
		rows.push({
			metric: `status checks per job / seed's, ${b.label}`,
			measured: `${polls.toFixed(2)} (${run.waitingPerJob.toFixed(2)} / ${seed.waitingPerJob.toFixed(2)})`,
			target: b.cap === undefined ? '≤ 0.33' : 'report',
			verdict: b.cap === undefined ? verdict(ok && polls <= pollTarget) : 'info',
		});
		log();
	}

	// ---------------------------------------------------------------- part 4, node code alone
	const harness: HarnessOverhead = await harnessOverhead(o.items, 3);
	log(`[4]   node code alone (unit harness, ${o.items} Get Status items, in this process) ${s(harness.nodeMs)} vs plain axios loop ${s(harness.plainMs)} (best of 3 each)`);
	log();

	// ---------------------------------------------------------------- parts 3 and 4 in n8n
	let memory: MemoryBench | undefined;
	let overhead: OverheadBench | undefined;
	let skipped = o.skipN8n ? '--skip-n8n' : '';
	if (!skipped) {
		const build = buildPackage();
		log(`[3,4] package built into ${build.dir} (${s(build.ms)}); n8n 2.41.1 under Node 24, N8N_DEFAULT_BINARY_DATA_MODE=filesystem`);
		const server = await startFakeProviders();
		let bench: Awaited<ReturnType<typeof prepareN8n>> | undefined;
		try {
			bench = await prepareN8n(server, build.dir);
			memory = await runMemoryBench(bench, o.fileMiB * 1024 * 1024);
			log(`[3]   Get Result, ${o.fileMiB} MiB file: ${s(memory.big.ms)}, stored ${mib(memory.storedBytes).toFixed(0)} MiB; n8n RSS at download start ${mib(memory.big.rssAtDownloadStart).toFixed(0)} MiB, peak after ${mib(memory.big.peakAfterStart).toFixed(0)} MiB`);
			log(`      growth ${mib(memory.bigGrowth).toFixed(1)} MiB; same workflow, 150 kB file: growth ${mib(memory.tinyGrowth).toFixed(1)} MiB`);
			log(`      reference: the same file through a plain axios → fs stream, own Node 24 process: growth ${mib(memory.plainGrowth).toFixed(1)} MiB`);
			log(`      n8n's task runner: ${mib(memory.big.othersAtDownloadStart).toFixed(0)} MiB at download start, peak ${mib(memory.big.othersPeakAfterStart).toFixed(0)} MiB; whole process group: growth ${mib(memory.groupBigGrowth).toFixed(1)} MiB (150 kB file: ${mib(memory.groupTinyGrowth).toFixed(1)} MiB)`);
			overhead = await runOverheadBench(bench, o.items, 3, 2);
			log(`[4]   ${o.items} Get Status items in one n8n execution: node ${overhead.nodeRunsMs.map(s).join(', ')} (n8n's executionTime); ${overhead.statusRequests} requests`);
			log(`      plain axios loop, own Node 24 process: ${overhead.plainRoundsMs.map(s).join(', ')}`);
		} catch (error) {
			skipped = `failed: ${(error as Error).message.split('\n')[0]}`;
			log(`[3,4] ${skipped}`);
			process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		} finally {
			bench?.cleanup();
			await server.stop();
			build.cleanup();
		}
	}
	log();
	if (memory) {
		const attributable = memory.bigGrowth - memory.tinyGrowth;
		rows.push({
			metric: `n8n peak RSS growth, ${o.fileMiB} MiB Get Result (− tiny-file run)`,
			measured: `${mib(attributable).toFixed(1)} MiB (${mib(memory.bigGrowth).toFixed(1)} − ${mib(memory.tinyGrowth).toFixed(1)})`,
			target: '≤ 100 MiB',
			verdict: verdict(attributable <= 100 * 1024 * 1024 && memory.storedBytes === o.fileMiB * 1024 * 1024),
		});
		rows.push({ metric: `RSS growth, same file, plain axios → fs stream (reference)`, measured: `${mib(memory.plainGrowth).toFixed(1)} MiB`, target: 'report', verdict: 'info' });
	} else {
		rows.push({ metric: `n8n peak RSS growth, ${o.fileMiB} MiB Get Result`, measured: skipped, target: '≤ 100 MiB', verdict: 'skipped' });
	}
	if (overhead) {
		rows.push({
			metric: `${o.items} Get Status items in n8n / plain client`,
			measured: `${x(overhead.nodeMs / overhead.plainMs)} (${s(overhead.nodeMs)} / ${s(overhead.plainMs)}, best of each)`,
			target: '≤ 1.5×',
			verdict: verdict(overhead.nodeMs / overhead.plainMs <= 1.5),
		});
	} else {
		rows.push({ metric: `${o.items} Get Status items in n8n / plain client`, measured: skipped, target: '≤ 1.5×', verdict: 'skipped' });
	}
	rows.push({ metric: `${o.items} Get Status items, node code alone (harness) / plain`, measured: `${x(harness.nodeMs / harness.plainMs)} (${s(harness.nodeMs)} / ${s(harness.plainMs)})`, target: 'report', verdict: 'info' });
	rows.push(...(await hiDreamRows(o.renderMs)));

	printTable(rows);
	log();
	log(`total ${s(Date.now() - started)}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
