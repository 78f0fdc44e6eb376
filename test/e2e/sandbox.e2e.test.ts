/**
 * `npm start` (scripts/sandbox.ts) the way a newcomer uses it: start it, log in with the login it
 * prints, run an example the way the editor's "Execute workflow" button does, call the active HiDream
 * callback example's webhook as the printed curl does, then Ctrl-C (SIGINT) and check that nothing is
 * left running. Runs on free ports and in a temp folder, so it never touches a developer's
 * .n8n-sandbox/ or a sandbox already running on 5678.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { videoBytes } from '../fakes';
import { REPO_ROOT, ensureN8n, getFreePort } from './n8n';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let ports: { n8n: number; fakes: number; files: number };
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) throw new Error('run `npm run build` before the end-to-end tests');
	ensureN8n();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-video-sandbox-e2e-'));
	ports = { n8n: await getFreePort(), fakes: await getFreePort(), files: await getFreePort() };
	const env = { ...process.env };
	delete env.NODE_ENV; // jest's
	child = spawn(
		path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
		[
			path.join(REPO_ROOT, 'scripts', 'sandbox.ts'),
			'--port', String(ports.n8n),
			'--fakes-port', String(ports.fakes),
			'--files-port', String(ports.files),
			'--render-ms', '5000',
			'--dir', dir,
		],
		{ cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
	);
	child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
	child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
	exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const until = Date.now() + 4 * 60_000;
	while (!stdout.includes('Ctrl-C stops everything')) {
		if (child.exitCode !== null || Date.now() > until) {
			throw new Error(`npm start did not come up (exit ${child.exitCode})\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
		}
		await sleep(250);
	}
}, 45 * 60_000);

afterAll(async () => {
	if (child && child.exitCode === null && child.signalCode === null) {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** processes whose environment names the sandbox folder (n8n, its task runner) */
function processesUsing(folder: string): number[] {
	const pids: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(`N8N_USER_FOLDER=${folder}`)) pids.push(Number(entry));
		} catch {
			/* gone or not ours to read */
		}
	}
	return pids;
}

test('npm start: log in, run examples from the editor and by webhook, Ctrl-C leaves nothing running', async () => {
	const base = `http://127.0.0.1:${ports.n8n}`;
	expect(stdout).toContain(`is running: ${base}`);
	const login = /log in:\s+(\S+)\s+\/\s+(\S+)/.exec(stdout);
	expect(login).not.toBeNull();
	expect((await fetch(`${base}/healthz/readiness`)).status).toBe(200);

	// log in like the editor does
	const browserId = 'sandbox-e2e';
	const loginRes = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify({ emailOrLdapLoginId: login![1], password: login![2] }),
	});
	expect(loginRes.status).toBe(200);
	const cookie = loginRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	const rest = async (method: string, p: string, body?: unknown): Promise<Json> => {
		const r = await fetch(`${base}/rest${p}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': browserId, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await r.text();
		if (r.status !== 200) throw new Error(`${method} /rest${p}: HTTP ${r.status} ${text}`);
		return JSON.parse(text) as Json;
	};

	// the sandbox credentials (four providers and the fake OpenAI) and every example are there
	const creds = (await rest('GET', '/credentials')).data as Json[];
	expect(creds.map((c) => c.id).sort()).toEqual(['aistudios-sandbox', 'cdnvideo-sandbox', 'hidream-sandbox', 'kvid-sandbox', 'openai-sandbox']);
	const workflows = (await rest('GET', '/workflows')).data as Json[];
	const examples = fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.json'));
	expect(workflows).toHaveLength(examples.length);

	// a public-API key to read executions as plain JSON
	const scopes = (await rest('GET', '/api-keys/scopes')).data as string[];
	const key = (await rest('POST', '/api-keys', { label: 'sandbox e2e', expiresAt: null, scopes })).data as Json;
	const api = async (p: string): Promise<Json> => {
		const r = await fetch(`${base}/api/v1${p}`, { headers: { 'X-N8N-API-KEY': key.rawApiKey ?? key.apiKey } });
		if (r.status !== 200) throw new Error(`GET /api/v1${p}: HTTP ${r.status} ${await r.text()}`);
		return (await r.json()) as Json;
	};
	const finished = async (id: string): Promise<Json> => {
		const until = Date.now() + 120_000;
		for (;;) {
			const ex = await api(`/executions/${id}?includeData=true`);
			if (!['new', 'running', 'waiting'].includes(ex.status)) return ex;
			if (Date.now() > until) throw new Error(`execution ${id} still ${ex.status}`);
			await sleep(500);
		}
	};
	const download = async (binaryId: string): Promise<Buffer> => {
		const r = await fetch(`${base}/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`, {
			headers: { cookie, 'browser-id': browserId },
		});
		expect(r.status).toBe(200);
		return Buffer.from(await r.arrayBuffer());
	};

	// "Execute workflow" in the editor on the CDNvideo example
	const wfSummary = workflows.find((w) => String(w.name).startsWith('CDNvideo'))!;
	const wf = (await rest('GET', `/workflows/${wfSummary.id}`)).data as Json;
	const trigger = (wf.nodes as Json[]).find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
	const started = Date.now();
	const run = (await rest('POST', `/workflows/${wf.id}/run`, { workflowData: wf, triggerToStartFrom: { name: trigger.name } })).data as Json;
	const manual = await finished(String(run.executionId));
	console.log(`npm start: cdnvideo-polling-loop.json from the editor: ${manual.status} in ${Date.now() - started} ms`);
	expect(manual.status).toBe('success');
	const runData = manual.data.resultData.runData as Json;
	expect(runData['Get Status'].length).toBeGreaterThanOrEqual(2);
	const result = runData['Get Result'][0].data.main[0][0];
	expect(result.json).toMatchObject({ provider: 'cdnVideo', status: 'completed' });
	expect(result.json.videoUrl.startsWith(`http://127.0.0.1:${ports.files}/`)).toBe(true);
	expect((await download(result.binary.data.id)).equals(videoBytes(result.json.jobId, 150_000))).toBe(true);

	// the printed curl on the active HiDream callback example
	const curl = /curl -X POST (\S+)/.exec(stdout);
	expect(curl).not.toBeNull();
	const hook = await fetch(curl![1], {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ videoUrl: 'https://example.com/my-clip.mp4' }),
	});
	expect(hook.status).toBe(200);
	const callbackWf = workflows.find((w) => String(w.name).startsWith('HiDream: stylize a video and continue'))!;
	let callbackRun: Json | undefined;
	const until = Date.now() + 60_000;
	while (!callbackRun && Date.now() < until) {
		callbackRun = ((await api(`/executions?workflowId=${callbackWf.id}`)).data as Json[])[0];
		if (!callbackRun) await sleep(250);
	}
	const resumed = await finished(String(callbackRun!.id));
	expect(resumed.status).toBe('success');
	expect(resumed.data.resultData.runData['Get Result'][0].data.main[0][0].json).toMatchObject({ provider: 'hiDream', status: 'completed' });

	// the printed curls of the one-node callback examples, as printed: each execution waits, then resumes
	// with one finished video per item of the body
	const oneNode = [...stdout.matchAll(/curl -X POST (\S+\/webhook\/(\S+)) -H 'content-type: application\/json' -d '(.+)'$/gm)];
	expect(oneNode.map((m) => m[2]).sort()).toEqual(['aistudios-render-videos', 'hidream-stylize-videos']);
	for (const [, hookUrl, hookPath, body] of oneNode) {
		const name = hookPath.startsWith('hidream') ? 'HiDream: stylize videos in one node' : 'AI Studios v3: chroma-key videos in one node';
		const wfOf = workflows.find((w) => String(w.name).startsWith(name))!;
		const before = new Set(((await api(`/executions?workflowId=${wfOf.id}`)).data as Json[]).map((e) => String(e.id)));
		const answer = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(answer.status).toBe(200);
		let execution: Json | undefined;
		const by = Date.now() + 60_000;
		while (!execution && Date.now() < by) {
			execution = ((await api(`/executions?workflowId=${wfOf.id}`)).data as Json[]).find((e) => !before.has(String(e.id)));
			if (!execution) await sleep(250);
		}
		const done = await finished(String(execution!.id));
		expect(done.status).toBe('success');
		const submit = Object.entries(done.data.resultData.runData as Json).find(([, runs]) => (runs as Json[])[0]?.data?.main?.[0]?.[0]?.json?.jobId)!;
		const items = (submit[1] as Json[])[0].data.main[0] as Json[];
		expect(items).toHaveLength((JSON.parse(body).videos as unknown[]).length);
		for (const item of items) {
			expect(item.json.status).toBe('completed');
			expect(item.binary.data.mimeType).toBe('video/mp4');
		}
	}

	// Ctrl-C
	expect(processesUsing(path.join(dir, 'user')).length).toBeGreaterThan(0);
	process.kill(child.pid!, 'SIGINT');
	const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 40_000);
	const how = await exit;
	clearTimeout(timer);
	expect(how.signal).toBeNull(); // it exited by itself, not by the SIGKILL above
	expect(stderr).toContain('stopped; nothing left running');
	expect(processesUsing(path.join(dir, 'user'))).toEqual([]);
	for (const port of Object.values(ports)) {
		await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
	}
}, 5 * 60_000);
