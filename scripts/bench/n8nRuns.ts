/**
 * Parts 3 and 4, inside a real n8n (2.41.1 under Node 24, as the e2e tests run it): the package is
 * built into a temp folder and loaded as custom extensions; `n8n execute` runs the workflows
 * against the fake providers, with filesystem binary mode.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { AiStudiosFake, FILES, type FakeServer } from '../../test/fakes';
import {
	createN8nHome,
	getFreePort,
	importCredentials,
	importWorkflow,
	parseExecuteOutput,
	REPO_ROOT,
	type ExecutionResult,
	type N8nHome,
} from '../../test/e2e/n8n';
import { memoryOf, type Memory } from './procMemory';

const MiB = 1024 * 1024;
const SETTLE_SECONDS = 5;
const CREDENTIAL = { id: 'benchAiStudios01', name: 'AI Studios (bench fake)' };
/** the same key as a Header Auth credential, for n8n's HTTP Request node (the peer of part 4) */
export const HEADER_CREDENTIAL = { id: 'benchHeaderAuth01', name: 'AI Studios key as header (bench fake)' };

/** Builds the package (tsc, icons, codex files) into a temp folder, leaving the repo's dist alone. */
export function buildPackage(): { dir: string; ms: number; cleanup(): void } {
	const started = Date.now();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dist-'));
	const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO_ROOT] });
	execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', dir, '--declaration', 'false', '--sourceMap', 'false'], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	fs.cpSync(path.join(REPO_ROOT, 'icons'), path.join(dir, 'icons'), { recursive: true });
	const copyCodex = (from: string) => {
		for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
			const source = path.join(from, entry.name);
			if (entry.isDirectory()) copyCodex(source);
			else if (entry.name.endsWith('.node.json')) fs.copyFileSync(source, path.join(dir, path.relative(REPO_ROOT, source)));
		}
	};
	copyCodex(path.join(REPO_ROOT, 'nodes'));
	return { dir, ms: Date.now() - started, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface N8nBench {
	home: N8nHome;
	server: FakeServer;
	cleanup(): void;
}

/** A fresh n8n home loading the built package, with filesystem binary mode and the fake's credential. */
export async function prepareN8n(server: FakeServer, distDir: string): Promise<N8nBench> {
	const home = createN8nHome({ customExtensions: distDir, env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } });
	await importCredentials(home, [
		{ ...CREDENTIAL, type: 'aiStudiosApi', data: { apiKey: server.provider(AiStudiosFake).apiKey, baseUrl: server.baseUrl } },
		{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: server.provider(AiStudiosFake).apiKey } },
	]);
	return { home, server, cleanup: () => home.cleanup() };
}

export const credentialRef = { aiStudiosApi: CREDENTIAL };
export const trigger = { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };

/** A finished job in the fake AI Studios (no submit request), with a file of `size` bytes. */
export function finishedJob(server: FakeServer, id: string, size?: number): string {
	const fake = server.provider(AiStudiosFake);
	fake.clock.create(server, { body: {} }, id);
	fake.clock.complete(id, server.now());
	if (size !== undefined) server.fileSizes.set(id, size);
	return id;
}

const imported = new WeakMap<N8nHome, Map<string, string>>();

/** Imports a workflow into the home once (by name) and gives its id; later rounds reuse it. */
export async function importWorkflowOnce(home: N8nHome, workflow: { name: string } & Record<string, unknown>): Promise<string> {
	const known = imported.get(home) ?? new Map<string, string>();
	imported.set(home, known);
	let id = known.get(workflow.name);
	if (!id) {
		id = (await importWorkflow(home, workflow)).id;
		known.set(workflow.name, id);
	}
	return id;
}

// ---------------------------------------------------------------- memory of the n8n process

/** Processes of a process group (n8n and what it starts, e.g. its task runner). */
function groupMembers(pgid: number): number[] {
	const members: number[] = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			// fields after the command name (which may hold spaces): state ppid pgrp …
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) members.push(Number(name));
		} catch {
			// the process ended meanwhile
		}
	}
	return members;
}

export interface MeasuredRun {
	result: ExecutionResult | undefined;
	exitCode: number | null;
	ms: number;
	/** n8n's own process: RSS when the file request reached the fake, and the highest RSS after it */
	rssAtDownloadStart: number;
	peakAfterStart: number;
	/** the other processes of n8n's process group (its task runner): RSS at download start, peak after */
	othersAtDownloadStart: number;
	othersPeakAfterStart: number;
	/** the whole group: RSS at download start, peak after */
	groupAtDownloadStart: number;
	groupPeakAfterStart: number;
	/** RSS every 250 ms from the download start: ms after it, n8n's process, the others of its group */
	timeline: Array<{ at: number; main: number; others: number }>;
	stderr: string;
}

/**
 * `n8n execute --id --rawOutput`, sampling n8n's memory every 20 ms from /proc. The moment the fake's
 * file server sees the download request, RSS is read once more: the base the growth is measured from.
 * Peaks after it are the larger of the sampled VmRSS and a VmHWM that rose after that moment.
 */
export async function executeMeasured(bench: N8nBench, workflowId: string): Promise<MeasuredRun> {
	const { home, server } = bench;
	const brokerPort = await getFreePort();
	const started = Date.now();
	const child = spawn('bash', ['-c', 'ulimit -c 0 2>/dev/null; exec "$0" "$@"', home.install.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		cwd: home.dir,
		env: { ...home.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const pid = child.pid as number;
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
	child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));

	let members: number[] = [pid];
	let start: { main: Memory; others: number } | undefined;
	let peak = 0;
	let othersPeak = 0;
	let groupPeak = 0;
	const timeline: MeasuredRun['timeline'] = [];
	let startedAt = 0;
	const sample = () => {
		const main = memoryOf(pid);
		if (!main) return undefined;
		const others = members.reduce((sum, m) => sum + (m === pid ? 0 : (memoryOf(m)?.rss ?? 0)), 0);
		if (start) {
			peak = Math.max(peak, main.rss, main.hwm > start.main.hwm ? main.hwm : 0);
			othersPeak = Math.max(othersPeak, others);
			groupPeak = Math.max(groupPeak, main.rss + others);
			const at = Date.now() - startedAt;
			if (at >= timeline.length * 250) timeline.push({ at, main: main.rss, others });
		}
		return { main, others };
	};
	server.onRequest = (request) => {
		if (request.provider !== FILES || start) return;
		members = groupMembers(pid);
		const now = sample();
		if (now) {
			start = now;
			startedAt = Date.now();
			timeline.push({ at: 0, main: now.main.rss, others: now.others });
		}
	};
	const sampler = setInterval(sample, 20);
	const membersRefresh = setInterval(() => (members = groupMembers(pid)), 500);
	const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('close', (code, signal) => resolve({ code, signal })),
	);
	clearInterval(sampler);
	clearInterval(membersRefresh);
	server.onRequest = undefined;
	try {
		process.kill(-pid, 'SIGKILL'); // what may be left of the group (n8n's task runner)
	} catch {
		// nothing left
	}
	const result = parseExecuteOutput(stdout);
	// n8n 2.41.1 may SIGSEGV on exit after printing its result (see test/e2e/n8n.ts)
	const exitCode = exit.signal === 'SIGSEGV' && result?.status ? (result.status === 'success' ? 0 : 1) : exit.code;
	return {
		result,
		exitCode,
		ms: Date.now() - started,
		rssAtDownloadStart: start?.main.rss ?? NaN,
		peakAfterStart: peak,
		othersAtDownloadStart: start?.others ?? NaN,
		othersPeakAfterStart: othersPeak,
		groupAtDownloadStart: start ? start.main.rss + start.others : NaN,
		groupPeakAfterStart: groupPeak,
		timeline,
		stderr,
	};
}

/**
 * Runs one of the plain-client helpers beside this file under the Node that runs n8n, and resolves
 * with the JSON line it prints last. Not execFileSync: the fake it talks to lives in this process.
 */
export function runHelper<T>(home: N8nHome, script: string, args: string[]): Promise<T> {
	return new Promise((resolve, reject) => {
		const node = path.join(home.install.nodeBinDir, 'node');
		const child = spawn(node, ['--import', 'tsx', path.join(__dirname, script), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`${script}: exit ${code}\n${stderr}`));
			resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as T);
		});
	});
}

export function nodeRun(result: ExecutionResult | undefined, name: string) {
	return result?.data?.resultData?.runData?.[name]?.[0] as
		| { executionTime?: number; data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, { id?: string }> }>> } }
		| undefined;
}

export function failure(run: MeasuredRun, what: string): Error {
	const error = run.result?.data?.resultData?.error;
	return new Error(`${what}: n8n execute exit ${run.exitCode}${error ? `: ${JSON.stringify(error).slice(0, 400)}` : ''}\n${run.stderr.split('\n').slice(-15).join('\n')}`);
}

export const mib = (bytes: number) => bytes / MiB;
