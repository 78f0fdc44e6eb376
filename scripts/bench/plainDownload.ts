/**
 * Reference for part 3, run as its own process under the Node that runs n8n: the same file
 * streamed to disk by plain axios, no n8n, either through `pipeline` into fs.createWriteStream or
 * through `fs.promises.writeFile(path, stream)` (how n8n's filesystem store writes a stream).
 * Measures this process's RSS growth from the start of the response to its peak, the way the n8n
 * process is measured.
 * An optional ballast keeps that many MiB of small JS objects alive first, as a process with n8n's
 * heap would: it shows how V8's garbage collection paces itself by the live heap.
 *   node --import tsx scripts/bench/plainDownload.ts <fileUrl> <targetFile> [pipeline|writeFile] [ballastMiB]
 * Prints one JSON line: { bytes, growth, ms }.
 */
import axios from 'axios';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

import { memoryOf, type Memory } from './procMemory';

const memory = (): Memory => memoryOf('self') as Memory;

async function main(): Promise<void> {
	const [fileUrl, target, mode = 'pipeline', ballastMiB = '0'] = process.argv.slice(2);
	// about 100 bytes per object on the V8 heap
	const ballast = Array.from({ length: Number(ballastMiB) * 10_486 }, (_, i) => ({ i, s: `ballast ${i}` }));
	const started = performance.now();
	const response = await axios.get<Readable>(fileUrl, { responseType: 'stream' });
	const start = memory();
	let peak = start.rss;
	const sampler = setInterval(() => {
		const now = memory();
		peak = Math.max(peak, now.rss, now.hwm > start.hwm ? now.hwm : 0);
	}, 20);
	if (mode === 'writeFile') await fs.promises.writeFile(target, response.data);
	else await pipeline(response.data, fs.createWriteStream(target));
	clearInterval(sampler);
	const end = memory();
	peak = Math.max(peak, end.rss, end.hwm > start.hwm ? end.hwm : 0);
	process.stdout.write(`${JSON.stringify({ bytes: fs.statSync(target).size, growth: peak - start.rss, ms: performance.now() - started, ballast: ballast.length })}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
