/**
 * The plain HTTP client of part 4, run as its own process under the Node that runs n8n:
 * the same progress requests as n8n's Get Status items, one after the other, with axios (the
 * client n8n's request helpers use), no n8n around them.
 *   node --import tsx scripts/bench/plainClient.ts <baseUrl> <apiKey> <jobIdsFile> <rounds>
 * Prints one JSON line: { roundsMs: number[] }.
 */
import axios from 'axios';
import * as fs from 'node:fs';

async function main(): Promise<void> {
	const [baseUrl, apiKey, idsFile, rounds] = process.argv.slice(2);
	const jobIds = JSON.parse(fs.readFileSync(idsFile, 'utf8')) as string[];
	const roundsMs: number[] = [];
	for (let round = 0; round < Number(rounds); round++) {
		const started = performance.now();
		for (const id of jobIds) {
			const response = await axios.get<{ success?: boolean }>(`${baseUrl}/api/odin/editor/progress/${encodeURIComponent(id)}`, {
				headers: { Authorization: apiKey, Accept: 'application/json' },
			});
			if (response.data.success !== true) throw new Error(`progress of ${id}: ${JSON.stringify(response.data)}`);
		}
		roundsMs.push(performance.now() - started);
	}
	process.stdout.write(`${JSON.stringify({ roundsMs })}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
