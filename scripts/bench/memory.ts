/**
 * Part 3: Get Result of a 1 GiB and a 4 GiB file in a real n8n with filesystem binary mode, each
 * round beside the same file streamed to disk by a plain client under the same Node, two ways:
 * axios → `pipeline` → fs.createWriteStream, and axios → `fs.promises.writeFile(path, stream)`,
 * which is how n8n's filesystem store (@n8n/blob-storage FsByteStore.write) writes a stream.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { finishedJob, executeMeasured, failure, importWorkflowOnce, mib, nodeRun, runHelper, type MeasuredRun, type N8nBench } from './n8nRuns';
import { credentialRef, trigger } from './n8nRuns';

const SETTLE_SECONDS = 5;
const GiB = 1024 * 1024 * 1024;

export interface SizeRound {
	bytes: number;
	n8n: MeasuredRun;
	/** n8n process: RSS growth from the download start to the peak */
	growth: number;
	/** its task runner (the rest of n8n's process group): growth from the download start */
	runnerGrowth: number;
	plainPipeline: number;
	plainWriteFile: number;
	storedBytes: number;
}

type Reference = { bytes: number; growth: number; ms: number };

/** Enough free space for the stored file and a plain copy at once, with 1 GiB to spare. */
export function roomFor(dir: string, bytes: number): boolean {
	const stats = fs.statfsSync(dir);
	return stats.bavail * stats.bsize > 2 * bytes + GiB;
}

function workflow(jobId: string) {
	return {
		name: `bench: get result ${jobId}`,
		nodes: [
			trigger,
			// n8n boots its task runner beside it at start: let that settle before the download begins
			{ name: 'Settle', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { amount: SETTLE_SECONDS, unit: 'seconds' }, webhookId: 'bench-settle' },
			{ name: 'Get Result', type: 'n8n-nodes-ai-video.aiStudios', typeVersion: 1, parameters: { operation: 'getResult', jobId }, credentials: credentialRef },
		],
		connections: {
			Start: { main: [[{ node: 'Settle', type: 'main', index: 0 }]] },
			Settle: { main: [[{ node: 'Get Result', type: 'main', index: 0 }]] },
		},
	};
}

/** One round for one size: n8n's Get Result, then the two plain references; every file is deleted after. */
export async function memoryRound(bench: N8nBench, bytes: number): Promise<SizeRound> {
	const { server, home } = bench;
	const jobId = finishedJob(server, `bench-result-${Math.round(bytes / GiB)}gib`, bytes);
	const id = await importWorkflowOnce(home, workflow(jobId));
	const run = await executeMeasured(bench, id);
	if (run.exitCode !== 0) throw failure(run, `Get Result (${mib(bytes)} MiB file)`);
	const stored = nodeRun(run.result, 'Get Result')?.data?.main?.[0]?.[0]?.binary?.data?.id ?? '';
	const file = path.join(home.userFolder, '.n8n', 'storage', stored.replace(/^filesystem-v2:/, ''));
	const storedBytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
	if (storedBytes) fs.rmSync(file);

	const target = path.join(home.dir, 'bench-plain-download.mp4');
	const reference = async (mode: 'pipeline' | 'writeFile') => {
		try {
			const r = await runHelper<Reference>(home, 'plainDownload.ts', [server.fileUrl('aiStudios', jobId), target, mode]);
			if (r.bytes !== bytes) throw new Error(`the plain download (${mode}) stored ${r.bytes} of ${bytes} bytes`);
			return r.growth;
		} finally {
			fs.rmSync(target, { force: true });
		}
	};
	const runnerPeak = run.othersPeakAfterStart;
	return {
		bytes,
		n8n: run,
		growth: run.peakAfterStart - run.rssAtDownloadStart,
		runnerGrowth: runnerPeak - run.othersAtDownloadStart,
		plainPipeline: await reference('pipeline'),
		plainWriteFile: await reference('writeFile'),
		storedBytes,
	};
}

/** RSS of n8n and of its task runner, every `stepMs` from the download start: "0 s 180/61, 2 s 190/61, …" (MiB). */
export function showTimeline(run: MeasuredRun, stepMs: number): string {
	const points: string[] = [];
	for (const p of run.timeline) {
		if (p.at >= points.length * stepMs) points.push(`${Math.round(p.at / 1000)} s ${mib(p.main).toFixed(0)}/${mib(p.others).toFixed(0)}`);
	}
	return points.join(', ');
}
