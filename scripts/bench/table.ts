/** The bench's printed lines and its closing table. */
export interface Row {
	metric: string;
	measured: string;
	target: string;
	/** Node: past the target, and a plain Node stream without n8n shows the same (outside the node's reach) */
	verdict: 'PASS' | 'MISS' | 'info' | 'skipped' | 'Node';
}

export const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
export const x = (ratio: number) => `${ratio.toFixed(2)}×`;
export const log = (line = '') => process.stdout.write(`${line}\n`);

export function verdict(ok: boolean): Row['verdict'] {
	return ok ? 'PASS' : 'MISS';
}

export function printTable(rows: Row[]): void {
	const head: Row = { metric: 'metric', measured: 'measured', target: 'target', verdict: 'PASS' };
	const widths = (['metric', 'measured', 'target'] as const).map((k) => Math.max(...[head, ...rows].map((r) => r[k].length)));
	const line = (r: Row, last: string) => `| ${r.metric.padEnd(widths[0])} | ${r.measured.padEnd(widths[1])} | ${r.target.padEnd(widths[2])} | ${last.padEnd(9)} |`;
	log(line(head, 'result'));
	log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|-----------|`);
	for (const r of rows) log(line(r, r.verdict));
}
