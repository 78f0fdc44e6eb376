/**
 * npm run bench [-- --only cdnvideo,peer --rounds 3 --render-ms 20000 --jobs 20 --file-mib 1024 --big-mib 4096 --items 500 --seed-check-jobs 1 --skip-n8n]
 * (or BENCH_ONLY, BENCH_ROUNDS, BENCH_RENDER_MS, BENCH_JOBS, BENCH_FILE_MIB, BENCH_BIG_MIB, BENCH_ITEMS, BENCH_SEED_CHECK_JOBS, BENCH_SKIP_N8N=1)
 *
 * Measures, in one run, against the fake providers (127.0.0.1) with the given render time; every
 * ratio is the median of --rounds runs (3), printed with its min and max:
 *  aistudios, cdnvideo (parts 1, 2): makespan of N jobs through Submit + Wait for Completion
 *     against the physical limit, and status checks per job against the seed's sequential script
 *     with its fixed 3 s polling (its sleeps run in warped time; --seed-check-jobs jobs of it on the
 *     wall clock show the warp changes nothing else);
 *  memory (part 3): RSS growth of a real n8n (filesystem binary mode) and of its task runner while
 *     Get Result downloads a 1 GiB and a 4 GiB file, against a plain stream of the same file;
 *  peer (part 4): 500 Get Status items through this node and through n8n's HTTP Request node in
 *     the same execution, and a plain client sending the same requests (information);
 *  hidream (part 5): status requests per job for 50 followed text-to-video jobs, batch results
 *     against one request per job, and 20 text-to-video jobs at 10 a minute against the physical limit;
 *  callback (part 6): 20 HiDream jobs (5 webhook-started executions × 4 items) in a real n8n in queue
 *     mode (redis, n8n start + n8n worker), Submit waiting by callback against Wait for Completion:
 *     makespan, status requests, and the worker-slot seconds held (Bull's active jobs in redis).
 * Parts 3, 4 and 6 need the n8n that scripts/install-n8n.sh caches (installed on first use, ~6 min).
 * Ends with a table: metric, measured, target, PASS/MISS. About 21 min on 2 cores (callback: 3).
 */
import * as os from 'node:os';

import { startFakeProviders } from '../test/fakes';
import { callbackRows } from './bench/callbackRows';
import { harnessOverhead } from './bench/harnessOverhead';
import { hiDreamRows } from './bench/hiDreamRows';
import { jobBenches, jobRows } from './bench/jobRows';
import { memoryRows, peerRows } from './bench/n8nRows';
import { buildPackage, prepareN8n } from './bench/n8nRuns';
import { log, printTable, s, x, type Row } from './bench/table';

const GROUPS = ['aistudios', 'cdnvideo', 'memory', 'peer', 'hidream', 'callback'] as const;
type Group = (typeof GROUPS)[number];

function readOptions() {
	const argv = process.argv.slice(2);
	const raw = (flag: string, env: string) => {
		const i = argv.indexOf(`--${flag}`);
		return i >= 0 ? argv[i + 1] : process.env[env];
	};
	const value = (flag: string, env: string, fallback: number) => {
		const text = raw(flag, env);
		if (text === undefined || text === '') return fallback;
		const n = Number(text);
		if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} needs a non-negative number, got ${text}`);
		return n;
	};
	const only = (raw('only', 'BENCH_ONLY') ?? '').toLowerCase().split(',').filter(Boolean);
	const unknown = only.filter((g) => !(GROUPS as readonly string[]).includes(g));
	if (unknown.length) throw new Error(`--only knows ${GROUPS.join(', ')} (comma-separated), got "${unknown.join(',')}"`);
	return {
		groups: new Set<Group>(only.length ? (only as Group[]) : GROUPS),
		rounds: Math.max(1, value('rounds', 'BENCH_ROUNDS', 3)),
		renderMs: value('render-ms', 'BENCH_RENDER_MS', 20_000),
		jobs: value('jobs', 'BENCH_JOBS', 20),
		fileMiB: value('file-mib', 'BENCH_FILE_MIB', 1024),
		bigMiB: value('big-mib', 'BENCH_BIG_MIB', 4096),
		items: value('items', 'BENCH_ITEMS', 500),
		seedCheckJobs: value('seed-check-jobs', 'BENCH_SEED_CHECK_JOBS', 1),
		skipN8n: argv.includes('--skip-n8n') || process.env.BENCH_SKIP_N8N === '1',
	};
}

/** Parts 3 and 4 in one n8n home, built from this source. */
async function n8nRows(o: ReturnType<typeof readOptions>): Promise<Row[]> {
	const wanted = (['memory', 'peer'] as const).filter((g) => o.groups.has(g));
	if (!wanted.length) return [];
	if (o.skipN8n) return wanted.map((g) => ({ metric: `${g} (n8n)`, measured: '--skip-n8n', target: '', verdict: 'skipped' }));
	const build = buildPackage();
	log(`[3,4] package built into ${build.dir} (${s(build.ms)}); n8n 2.41.1 under Node 24, N8N_DEFAULT_BINARY_DATA_MODE=filesystem`);
	const server = await startFakeProviders();
	let bench: Awaited<ReturnType<typeof prepareN8n>> | undefined;
	try {
		bench = await prepareN8n(server, build.dir);
		const rows: Row[] = [];
		if (o.groups.has('memory')) rows.push(...(await memoryRows(bench, o.fileMiB, o.bigMiB, o.rounds)));
		if (o.groups.has('peer')) {
			rows.push(...(await peerRows(bench, o.items, o.rounds)));
			const harness = await harnessOverhead(o.items, o.rounds);
			log(`[4]   node code alone (unit harness, ${o.items} Get Status items, in this process) ${s(harness.nodeMs)} vs plain axios loop ${s(harness.plainMs)} (best of ${o.rounds} each)`);
			log();
			rows.push({ metric: `${o.items} Get Status items, node code alone (harness) / plain`, measured: `${x(harness.nodeMs / harness.plainMs)} (${s(harness.nodeMs)} / ${s(harness.plainMs)})`, target: 'report', verdict: 'info' });
		}
		return rows;
	} catch (error) {
		const why = `failed: ${(error as Error).message.split('\n')[0]}`;
		log(`[3,4] ${why}`);
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		return wanted.map((g) => ({ metric: `${g} (n8n)`, measured: why, target: '', verdict: 'MISS' }));
	} finally {
		bench?.cleanup();
		await server.stop();
		build.cleanup();
	}
}

async function main(): Promise<void> {
	const o = readOptions();
	const started = Date.now();
	log(`n8n-nodes-ai-video benchmark, ${new Date().toISOString()}: Node ${process.version}, ${os.cpus().length} CPUs, fake providers on 127.0.0.1`);
	log(`${[...o.groups].join(', ')}; ${o.rounds} runs of each; render ${s(o.renderMs)}, ${o.jobs} jobs, ${o.fileMiB} and ${o.bigMiB} MiB results, ${o.items} status items`);
	log();
	const rows: Row[] = [];
	const jobOptions = { jobs: o.jobs, renderMs: o.renderMs, seedCheckJobs: o.seedCheckJobs, rounds: o.rounds };
	if (o.groups.has('aistudios')) rows.push(...(await jobRows(jobBenches.aistudios, jobOptions)));
	if (o.groups.has('cdnvideo')) rows.push(...(await jobRows(jobBenches.cdnvideo, jobOptions)));
	rows.push(...(await n8nRows(o)));
	if (o.groups.has('hidream')) rows.push(...(await hiDreamRows(o.renderMs, o.rounds)));
	if (o.groups.has('callback')) rows.push(...(await callbackRows(o.renderMs, o.rounds, o.skipN8n)));
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
