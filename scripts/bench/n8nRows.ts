/** Parts 3 and 4 as table rows, in one real n8n home: memory of Get Result, and the HTTP Request node as the peer. */
import * as os from 'node:os';

import { mib, type N8nBench } from './n8nRuns';
import { memoryRound, roomFor, showTimeline, type SizeRound } from './memory';
import { peerRound } from './peer';
import { repeat, showSpread, spread } from './stats';
import { log, s, verdict, x, type Row } from './table';

const MiB = 1024 * 1024;
const m = (bytes: number) => `${mib(bytes).toFixed(1)} MiB`;

export async function memoryRows(bench: N8nBench, fileMiB: number, bigMiB: number, rounds: number): Promise<Row[]> {
	const sizes = [fileMiB, bigMiB].map((n) => n * MiB);
	const room = roomFor(bench.home.dir, sizes[1]) && roomFor(os.tmpdir(), 0);
	if (!room) log(`[3]   not enough free disk for ${bigMiB} MiB twice: the ${bigMiB} MiB rounds are skipped`);
	const results = await repeat(rounds, async (round) => {
		const byRound: SizeRound[] = [];
		for (const bytes of room ? sizes : sizes.slice(0, 1)) {
			const r = await memoryRound(bench, bytes);
			byRound.push(r);
			log(`[3]   Get Result, ${mib(bytes)} MiB, run ${round + 1}: ${s(r.n8n.ms)}, stored ${mib(r.storedBytes).toFixed(0)} MiB; n8n RSS ${m(r.n8n.rssAtDownloadStart)} at the download start, growth ${m(r.growth)}; task runner growth ${m(r.runnerGrowth)}`);
			log(`      plain axios → pipeline → fs stream: growth ${m(r.plainPipeline)}; plain axios → fs.promises.writeFile (n8n's store): growth ${m(r.plainWriteFile)}`);
			if (round === rounds - 1) log(`      RSS timeline, n8n/task runner MiB: ${showTimeline(r.n8n, bytes > sizes[0] ? 4000 : 2000)}`);
		}
		return byRound;
	});
	log();
	const okStored = results.every((byRound) => byRound.every((r) => r.storedBytes === r.bytes));
	const small = results.map((byRound) => byRound[0]);
	const toPlain = (rs: SizeRound[]) => spread(rs.map((r) => r.growth / r.plainPipeline));
	const rows: Row[] = [
		{ metric: `n8n RSS growth / plain stream's, ${fileMiB} MiB Get Result`, measured: showSpread(toPlain(small), x), target: '≤ 1.50×', verdict: verdict(okStored && toPlain(small).median <= 1.5) },
	];
	const info = (label: string, rs: SizeRound[], pick: (r: SizeRound) => number) => ({
		metric: label,
		measured: showSpread(spread(rs.map((r) => pick(r) / MiB)), (n) => `${n.toFixed(1)} MiB`),
		target: 'report',
		verdict: 'info' as const,
	});
	if (room) {
		const big = results.map((byRound) => byRound[1]);
		const flat = spread(results.map(([a, b]) => b.growth / a.growth));
		const plainFlat = spread(results.map(([a, b]) => b.plainPipeline / a.plainPipeline));
		// Past the target, the same ratio for a plain Node stream (no n8n, no node) says whose growth it is.
		const flatVerdict = flat.median <= 1.1 ? 'PASS' : flat.median <= plainFlat.median * 1.1 ? 'Node' : 'MISS';
		rows.push(
			{ metric: `n8n RSS growth / plain stream's, ${bigMiB} MiB Get Result`, measured: showSpread(toPlain(big), x), target: '≤ 1.50×', verdict: verdict(okStored && toPlain(big).median <= 1.5) },
			{ metric: `n8n RSS growth, ${bigMiB} MiB / ${fileMiB} MiB Get Result (flat, not proportional)`, measured: showSpread(flat, x), target: '≤ 1.10×', verdict: okStored ? flatVerdict : 'MISS' },
			{ metric: `  the same for the plain stream (evidence: Node's own)`, measured: showSpread(plainFlat, x), target: 'report', verdict: 'info' },
		);
		rows.push(info(`n8n RSS growth, ${bigMiB} MiB`, big, (r) => r.growth), info(`plain stream growth, ${bigMiB} MiB`, big, (r) => r.plainPipeline));
	}
	rows.push(
		info(`n8n RSS growth, ${fileMiB} MiB`, small, (r) => r.growth),
		info(`plain stream growth, ${fileMiB} MiB`, small, (r) => r.plainPipeline),
		info(`plain fs.promises.writeFile growth (n8n's store), ${fileMiB} MiB`, small, (r) => r.plainWriteFile),
		info(`task runner RSS growth during the download, ${fileMiB} MiB`, small, (r) => r.runnerGrowth),
	);
	return rows;
}

export async function peerRows(bench: N8nBench, items: number, rounds: number): Promise<Row[]> {
	const runs = await repeat(rounds, async (round) => {
		const r = await peerRound(bench, items);
		log(`[4]   ${items} Get Status items in one n8n execution, run ${round + 1}: this node ${s(r.nodeMs)}, n8n's HTTP Request node ${s(r.httpRequestMs)} (n8n's executionTime); ${r.requests} requests; plain axios loop ${s(r.plainMs)}`);
		return r;
	});
	log();
	const toPeer = spread(runs.map((r) => r.nodeMs / r.httpRequestMs));
	const toPlain = spread(runs.map((r) => r.nodeMs / r.plainMs));
	return [
		{ metric: `${items} Get Status items: this node / n8n's HTTP Request node`, measured: showSpread(toPeer, x), target: '≤ 1.00×', verdict: verdict(toPeer.median <= 1) },
		{ metric: `${items} Get Status items: this node in n8n / plain client`, measured: showSpread(toPlain, x), target: 'report', verdict: 'info' },
	];
}
