/** Repeated measurements: each ratio is reported as the median of its runs, with min and max. */
export interface Spread {
	median: number;
	min: number;
	max: number;
	runs: number[];
}

export function spread(values: number[]): Spread {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values };
}

/** "1.02× (min 1.01×, max 1.04×, 3 runs)" */
export function showSpread(s: Spread, format: (n: number) => string): string {
	return `${format(s.median)} (min ${format(s.min)}, max ${format(s.max)}, ${s.runs.length} runs)`;
}

/** Runs `measure` `rounds` times, one after the other. */
export async function repeat<T>(rounds: number, measure: (round: number) => Promise<T>): Promise<T[]> {
	const results: T[] = [];
	for (let round = 0; round < rounds; round++) results.push(await measure(round));
	return results;
}
