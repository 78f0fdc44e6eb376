/**
 * Harness for end-to-end tests that run this package's nodes inside a real n8n (2.41.1).
 *
 * Jest runs on Node 20; every n8n command runs as a child process (own process group, bounded in
 * time) under the Node 24 that scripts/install-n8n.sh caches outside the repo, with the environment
 * of scripts/n8n-env.sh. Run with: npx jest -c jest.e2e.config.js
 *
 *   beforeAll(() => { ensureN8n(); home = createN8nHome({ env: { ... } }); }, 45 * 60_000);
 *   afterAll(() => home.cleanup());
 *
 *   const [cred] = await importCredentials(home, [{ name: 'x', type: 'aiStudiosApi', data: { apiKey: 'k' } }]);
 *   const { id } = await importWorkflow(home, workflowJson);   // n8n-nodes-ai-video.<x> -> CUSTOM.<x>
 *   const run = await executeWorkflow(home, id);                // { exitCode, result, stdout, stderr, ms }
 *   assertSuccess(run);                                         // throws with log tails otherwise
 *   nodeItems(run.result, 'My Node')[0].json
 *   readBinaryData(home, nodeItems(run.result, 'My Node')[0].binary!.data)   // Buffer
 *
 *   const server = await startN8nServer(home);                  // 127.0.0.1:<free port>, owner + API key
 *   try { await server.activateWorkflow(id); await fetch(`${server.webhookBase}webhook/<path>`) ... }
 *   finally { await server.stop(); }
 *   await server.downloadBinary(item.binary.data)              // via GET /rest/binary-data (any binary mode)
 *
 *   // queue mode (redis from ./redis.ts): same env for both, main's URL for the worker's resume URLs
 *   const env = queueModeEnv(redis, port); // EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_*, N8N_WEBHOOK_URL
 *   const [main, worker] = await Promise.all([startN8nServer(home, { port, env }), startN8nWorker(home, { env })]);
 *
 *   createN8nHome({ dir }) keeps a persistent folder (npm start's .n8n-sandbox); startN8nServer then
 *   logs in as the owner when the home already has one.
 *
 * Gotchas: n8n 2.41.1 sometimes SIGSEGVs on exit after printing its result (see crashedOnExit);
 * NODE_ENV=test (jest's) is stripped because n8n then runs nothing; each execute costs 4-10 s.
 * n8n children run under `setpriv --pdeathsig TERM` where util-linux has it, so they die with us.
 */
import { spawn, execFileSync, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SCRIPTS = path.join(REPO_ROOT, 'scripts');

/** Type prefix users get when they install the package, and the one n8n gives N8N_CUSTOM_EXTENSIONS. */
export const PACKAGE_NODE_PREFIX = 'n8n-nodes-ai-video.';
export const CUSTOM_NODE_PREFIX = 'CUSTOM.';

export interface N8nInstall {
	root: string;
	n8nBin: string;
	nodeBinDir: string;
	nodeVersion: string;
	n8nVersion: string;
}

let cachedInstall: N8nInstall | undefined;

function parseLocations(out: string): N8nInstall {
	const kv: Record<string, string> = {};
	for (const line of out.split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (m) kv[m[1]] = m[2];
	}
	for (const k of ['N8N_ROOT', 'N8N_BIN', 'NODE24_BIN_DIR', 'NODE24_VERSION', 'N8N_VERSION']) {
		if (!kv[k]) throw new Error(`install-n8n.sh printed no ${k}:\n${out}`);
	}
	return {
		root: kv.N8N_ROOT,
		n8nBin: kv.N8N_BIN,
		nodeBinDir: kv.NODE24_BIN_DIR,
		nodeVersion: kv.NODE24_VERSION,
		n8nVersion: kv.N8N_VERSION,
	};
}

/**
 * Runs scripts/install-n8n.sh (idempotent: ~0.1 s when cached, ~6 min cold) and returns where
 * n8n and Node 24 are. Synchronous so it can run in beforeAll without a timeout fight; give that
 * beforeAll a long timeout (e.g. 20 min) for the cold case.
 */
export function ensureN8n(opts: { timeoutMs?: number } = {}): N8nInstall {
	if (cachedInstall) return cachedInstall;
	const out = execFileSync('bash', [path.join(SCRIPTS, 'install-n8n.sh')], {
		encoding: 'utf8',
		timeout: opts.timeoutMs ?? 45 * 60_000,
		killSignal: 'SIGTERM', // the script then kills its npm/node-gyp process group
		stdio: ['ignore', 'pipe', 'inherit'], // progress lines go straight to the test log
		maxBuffer: 16 * 1024 * 1024,
	});
	cachedInstall = parseLocations(out);
	return cachedInstall;
}

export interface N8nHome {
	/** Temp dir owned by this home (workflow/credential files, logs, the user folder). */
	dir: string;
	/** N8N_USER_FOLDER; n8n keeps its data (sqlite db, binary storage) in <userFolder>/.n8n */
	userFolder: string;
	/** Full environment for n8n child processes (scripts/n8n-env.sh applied to process.env). */
	env: NodeJS.ProcessEnv;
	install: N8nInstall;
	/** Deletes the temp dir (keeps it when E2E_KEEP_N8N_HOME=1). */
	cleanup(): void;
}

export interface CreateHomeOptions {
	/** N8N_CUSTOM_EXTENSIONS: default <repo>/dist; false = load no custom nodes. */
	customExtensions?: string | false;
	/** Extra environment for every n8n command in this home (e.g. provider base URLs). */
	env?: Record<string, string>;
	/**
	 * A persistent folder to use instead of a new temp dir (created if missing; the user folder is
	 * <dir>/user). cleanup() never deletes it. Used by `npm start` (scripts/sandbox.ts).
	 */
	dir?: string;
}

/** Creates a fresh, empty n8n user folder in a temp dir, with the env of scripts/n8n-env.sh. */
export function createN8nHome(opts: CreateHomeOptions = {}): N8nHome {
	const install = ensureN8n();
	const persistent = opts.dir !== undefined;
	const dir = persistent ? path.resolve(opts.dir!) : fs.mkdtempSync(path.join(os.tmpdir(), 'ai-video-e2e-'));
	const userFolder = path.join(dir, 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	const baseEnv: NodeJS.ProcessEnv = { ...process.env, N8N_USER_FOLDER: userFolder };
	for (const k of Object.keys(baseEnv)) {
		// npm-run leaks (ignore-scripts, nodedir=Node 20 headers, ...) and jest's own settings
		if (k.startsWith('npm_') || k === 'NODE_OPTIONS' || k === 'JEST_WORKER_ID') delete baseEnv[k];
		// jest sets NODE_ENV=test, with which `n8n execute` silently runs nothing and `n8n start` exits 1
		if (k === 'NODE_ENV') delete baseEnv[k];
	}
	if (opts.customExtensions === false) delete baseEnv.N8N_CUSTOM_EXTENSIONS;
	else if (opts.customExtensions) baseEnv.N8N_CUSTOM_EXTENSIONS = opts.customExtensions;
	// Source the shell env file and dump the result, so there is one source of truth for the env.
	const dumped = execFileSync(
		'bash',
		['-c', `. "$1" >&2 && env -0`, 'n8n-env', path.join(SCRIPTS, 'n8n-env.sh')],
		{ env: baseEnv, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const env: NodeJS.ProcessEnv = {};
	for (const entry of dumped.split('\0')) {
		const i = entry.indexOf('=');
		if (i > 0) env[entry.slice(0, i)] = entry.slice(i + 1);
	}
	if (opts.customExtensions === false) delete env.N8N_CUSTOM_EXTENSIONS;
	Object.assign(env, opts.env ?? {});
	return {
		dir,
		userFolder,
		env,
		install,
		cleanup() {
			if (persistent || process.env.E2E_KEEP_N8N_HOME === '1') return;
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface CommandResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

/**
 * Process groups of n8n children still alive. If the test process exits without stopping them
 * (a crashed test, jest --bail, ...), they are SIGKILLed on the way out, so no n8n outlives a run.
 */
const liveGroups = new Set<number>();
process.once('exit', () => {
	for (const pgid of liveGroups) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
});
function track(child: ChildProcess): void {
	if (child.pid === undefined) return;
	const pgid = child.pid;
	liveGroups.add(pgid);
	child.once('exit', () => {
		// the group may still hold n8n's task runner: take it down with its leader
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			/* nothing left */
		}
		liveGroups.delete(pgid);
	});
}

/** bash args that exec the command with core dumps off (n8n 2.41.1 may SIGSEGV on exit: see crashedOnExit). */
function noCoreDumps(cmd: string, args: string[]): string[] {
	return ['-c', 'ulimit -c 0 2>/dev/null; exec "$0" "$@"', cmd, ...args];
}

/**
 * util-linux's setpriv, when present: `setpriv --pdeathsig TERM` makes the kernel send n8n SIGTERM
 * when this (Node) process dies without cleaning up (SIGKILL, OOM, a killed jest worker), so an
 * n8n never outlives its test run or `npm start`. The signal survives the exec of bash and n8n.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

/** spawn() file + args for an n8n command: no core dumps, killed when its parent dies (see SETPRIV) */
function n8nCommand(cmd: string, args: string[]): [string, string[]] {
	const viaBash = noCoreDumps(cmd, args);
	return SETPRIV ? [SETPRIV, ['--pdeathsig', 'TERM', 'bash', ...viaBash]] : ['bash', viaBash];
}

/** Kills a detached child's whole process group: SIGTERM, then SIGKILL after graceMs. */
async function killGroup(child: ChildProcess, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const signal = (sig: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, sig);
		} catch {
			/* already gone */
		}
	};
	signal('SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const timedOut = await Promise.race([
		exited.then(() => false),
		new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
	]);
	clearTimeout(timer);
	if (timedOut) {
		signal('SIGKILL');
		await exited;
	}
}

/** Runs `n8n <args>` in the home's env (Node 24), in its own process group, bounded in time. */
export function runN8n(
	home: N8nHome,
	args: string[],
	opts: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CommandResult> {
	const started = Date.now();
	const timeoutMs = opts.timeoutMs ?? 180_000;
	return new Promise((resolve, reject) => {
		const child = spawn(...n8nCommand(home.install.n8nBin, args), {
			cwd: home.dir,
			env: { ...home.env, ...(opts.env ?? {}) },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group, so a timeout kills n8n's task runner too
		});
		track(child);
		let stdout = '';
		let stderr = '';
		child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			void killGroup(child, 5_000);
		}, timeoutMs);
		child.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			resolve({ exitCode, signal, stdout, stderr, ms: Date.now() - started, timedOut });
		});
	});
}

/** One-paragraph summary of a command run (exit, timings, last 40 lines of stdout/stderr) for error messages. */
export function formatRun(res: CommandResult): string {
	const tail = (s: string) => s.split('\n').slice(-40).join('\n');
	return `exit=${res.exitCode} signal=${res.signal} timedOut=${res.timedOut} ms=${res.ms}\n--- stdout ---\n${tail(res.stdout)}\n--- stderr ---\n${tail(res.stderr)}`;
}

/** 16-character alphanumeric id, as n8n wants for workflows and credentials. */
export function n8nId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	let id = '';
	for (const b of bytes) id += alphabet[b % alphabet.length];
	return id;
}

let fileCounter = 0;
function writeJson(home: N8nHome, stem: string, data: unknown): string {
	const file = path.join(home.dir, `${stem}-${process.pid}-${++fileCounter}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

export interface CredentialInput {
	id?: string;
	name: string;
	/** credential type name, e.g. 'aiStudiosApi' (credential types keep their names under CUSTOM) */
	type: string;
	/** plain values; n8n encrypts them with N8N_ENCRYPTION_KEY on import */
	data: Record<string, unknown>;
}

/** Imports credentials (plain data) and returns them with their ids (16 chars, generated if absent). */
export async function importCredentials(
	home: N8nHome,
	creds: CredentialInput[],
): Promise<Array<Required<CredentialInput>>> {
	const withIds = creds.map((c) => ({ ...c, id: c.id ?? n8nId() }));
	const file = writeJson(home, 'credentials', withIds);
	// the file holds the secrets in plain text: gone once n8n has them (encrypted) in its database
	const res = await runN8n(home, ['import:credentials', `--input=${file}`]).finally(() => fs.rmSync(file, { force: true }));
	if (res.exitCode !== 0) throw new Error(`n8n import:credentials failed: ${formatRun(res)}`);
	return withIds;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Returns a copy of the workflow with n8n-nodes-ai-video.<x> node types turned into CUSTOM.<x>. */
export function rewriteNodeTypes(workflow: Json): Json {
	const copy = JSON.parse(JSON.stringify(workflow)) as Json;
	for (const node of copy.nodes ?? []) {
		if (typeof node.type === 'string' && node.type.startsWith(PACKAGE_NODE_PREFIX)) {
			node.type = CUSTOM_NODE_PREFIX + node.type.slice(PACKAGE_NODE_PREFIX.length);
		}
	}
	return copy;
}

export interface ImportWorkflowOptions {
	/** default true: n8n-nodes-ai-video.<x> -> CUSTOM.<x> */
	rewriteNodeTypes?: boolean;
	/** default: the workflow's own id if it is 16 chars, else a new one */
	id?: string;
}

/** Imports one workflow (object as exported from the n8n editor) and returns its id and the JSON imported. */
export async function importWorkflow(
	home: N8nHome,
	workflow: Json,
	opts: ImportWorkflowOptions = {},
): Promise<{ id: string; workflow: Json }> {
	let wf = opts.rewriteNodeTypes === false ? JSON.parse(JSON.stringify(workflow)) : rewriteNodeTypes(workflow);
	const id =
		opts.id ?? (typeof wf.id === 'string' && /^[A-Za-z0-9]{16}$/.test(wf.id) ? wf.id : n8nId());
	wf = {
		name: `e2e ${id}`,
		active: false,
		settings: {},
		connections: {},
		...wf,
		id,
	};
	for (const node of wf.nodes ?? []) {
		if (!node.id) node.id = `${n8nId()}-node`;
		if (!node.position) node.position = [0, 0];
		if (node.typeVersion === undefined) node.typeVersion = 1;
		if (!node.parameters) node.parameters = {};
	}
	const file = writeJson(home, 'workflow', wf);
	const res = await runN8n(home, ['import:workflow', `--input=${file}`]);
	if (res.exitCode !== 0) throw new Error(`n8n import:workflow failed: ${formatRun(res)}`);
	return { id, workflow: wf };
}

/** The IRun JSON `n8n execute --rawOutput` prints (only the fields tests usually read are typed). */
export interface ExecutionResult {
	data: {
		resultData: {
			runData: Record<string, Array<NodeRun>>;
			lastNodeExecuted?: string;
			error?: Json;
		};
	};
	status?: string;
	finished?: boolean;
	mode?: string;
	[k: string]: unknown;
}
export interface NodeRun {
	data?: { main?: Array<Array<ItemOut> | null> };
	error?: Json;
	executionStatus?: string;
	[k: string]: unknown;
}
export interface BinaryRef {
	id?: string;
	data?: string;
	mimeType?: string;
	fileName?: string;
	fileSize?: string;
	[k: string]: unknown;
}
export interface ItemOut {
	json: Json;
	binary?: Record<string, BinaryRef>;
	[k: string]: unknown;
}

/**
 * Parses `n8n execute --rawOutput` stdout: log lines first, the JSON starts at the first line that is
 * exactly "{". Returns undefined if there is none (e.g. n8n failed before running anything).
 */
export function parseExecuteOutput(stdout: string): ExecutionResult | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.replace(/\r$/, '') === '{');
	if (start < 0) return undefined;
	const text = lines.slice(start).join('\n');
	try {
		return JSON.parse(text) as ExecutionResult;
	} catch {
		// trailing log lines after the JSON: cut at the last line that is exactly "}"
		const rest = lines.slice(start);
		const end = rest.map((l) => l.replace(/\r$/, '')).lastIndexOf('}');
		if (end < 0) return undefined;
		return JSON.parse(rest.slice(0, end + 1).join('\n')) as ExecutionResult;
	}
}

export interface ExecuteResult extends CommandResult {
	/** parsed IRun; undefined when stdout held no JSON */
	result: ExecutionResult | undefined;
	/**
	 * true when n8n died of SIGSEGV *after* printing the complete result. n8n 2.41.1's isolated-vm
	 * expression pool races process.exit() (a pool refill isolate is still being built on an
	 * isolated-vm thread while exit handlers tear the thread pool down). exitCode/signal are then
	 * derived from the result (0 = status success without error, else 1); rawExitCode/rawSignal keep
	 * what the process really returned.
	 */
	crashedOnExit: boolean;
	rawExitCode: number | null;
	rawSignal: NodeJS.Signals | null;
}

/**
 * `n8n execute --id=<id> --rawOutput`. exitCode 0 = success, 1 = the workflow failed.
 * Each call costs ~3.5 s of n8n startup (+~7 s of migrations on a fresh home).
 * Sets N8N_RUNNERS_BROKER_PORT to a free port, so it also works beside a running `n8n start`.
 */
export async function executeWorkflow(
	home: N8nHome,
	id: string,
	opts: {
		timeoutMs?: number;
		env?: Record<string, string>;
		/** default true: see ExecuteResult.crashedOnExit */
		tolerateExitCrash?: boolean;
	} = {},
): Promise<ExecuteResult> {
	const brokerPort = await getFreePort();
	const res = await runN8n(home, ['execute', `--id=${id}`, '--rawOutput'], {
		timeoutMs: opts.timeoutMs ?? 240_000,
		env: { N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...(opts.env ?? {}) },
	});
	let result: ExecutionResult | undefined;
	try {
		result = parseExecuteOutput(res.stdout);
	} catch (err) {
		throw new Error(`could not parse n8n execute output (${String(err)}): ${formatRun(res)}`);
	}
	const crashedOnExit =
		opts.tolerateExitCrash !== false &&
		!res.timedOut &&
		(res.signal === 'SIGSEGV' || res.exitCode === 139) &&
		result !== undefined &&
		// a complete result: a failed execution's has no `finished`, only status and data
		typeof result.status === 'string' &&
		typeof result.data === 'object' &&
		result.data !== null;
	if (crashedOnExit) {
		const ok = result!.status === 'success' && !result!.data?.resultData?.error;
		return { ...res, exitCode: ok ? 0 : 1, signal: null, result, crashedOnExit, rawExitCode: res.exitCode, rawSignal: res.signal };
	}
	return { ...res, result, crashedOnExit: false, rawExitCode: res.exitCode, rawSignal: res.signal };
}

/** Throws (with the run's output tails) unless the execution exited 0 with a parsed successful result. */
export function assertSuccess(run: ExecuteResult): ExecutionResult {
	if (run.exitCode !== 0 || !run.result || run.result.status !== 'success') {
		throw new Error(`n8n execute did not succeed: ${formatRun(run)}`);
	}
	return run.result;
}

/** Output items of a node's run (default: first run, first output). */
export function nodeItems(
	result: ExecutionResult | undefined,
	nodeName: string,
	opts: { run?: number; output?: number } = {},
): ItemOut[] {
	const runs = result?.data?.resultData?.runData?.[nodeName];
	if (!runs) {
		const known = Object.keys(result?.data?.resultData?.runData ?? {}).join(', ');
		throw new Error(`node "${nodeName}" did not run (ran: ${known})`);
	}
	const run = runs[opts.run ?? 0];
	if (!run) throw new Error(`node "${nodeName}" has no run #${opts.run ?? 0} (has ${runs.length})`);
	return run.data?.main?.[opts.output ?? 0] ?? [];
}

/** The folder n8n's filesystem binary-data mode writes to. */
export function binaryStorageDir(home: N8nHome): string {
	return path.join(home.userFolder, '.n8n', 'storage');
}

/**
 * Bytes of a binary property as n8n stored them. Accepts the binary object from an item
 * (`item.binary.data`) or its id. `filesystem-v2:<path>` ids are files under
 * $N8N_USER_FOLDER/.n8n/storage/; inline (default-mode) data is base64 in `.data`.
 */
export function readBinaryData(home: N8nHome, ref: BinaryRef | string): Buffer {
	const id = typeof ref === 'string' ? ref : ref.id;
	if (!id) {
		if (typeof ref !== 'string' && typeof ref.data === 'string') return Buffer.from(ref.data, 'base64');
		throw new Error(`binary reference has neither id nor data: ${JSON.stringify(ref)}`);
	}
	const m = /^([a-z0-9-]+):(.*)$/.exec(id);
	if (!m) throw new Error(`unrecognised binary data id: ${id}`);
	const [, mode, rel] = m;
	const candidates =
		mode === 'filesystem-v2'
			? [path.join(binaryStorageDir(home), rel)]
			: mode === 'filesystem'
				? [path.join(home.userFolder, '.n8n', 'binaryData', rel), path.join(binaryStorageDir(home), rel)]
				: [];
	for (const file of candidates) {
		const resolved = path.resolve(file);
		if (!resolved.startsWith(path.resolve(home.userFolder) + path.sep)) {
			throw new Error(`binary id escapes the user folder: ${id}`);
		}
		if (fs.existsSync(resolved)) return fs.readFileSync(resolved);
	}
	throw new Error(`no file for binary id ${id} (looked at ${candidates.join(', ') || 'nothing: unknown mode'})`);
}

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export function getFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface N8nServer {
	port: number;
	/** http://127.0.0.1:<port> (no trailing slash) */
	baseUrl: string;
	/** N8N_WEBHOOK_URL, with trailing slash: `${webhookBase}webhook/<path>` */
	webhookBase: string;
	apiKey: string;
	owner: { email: string; password: string };
	process: ChildProcess;
	logFile: string;
	/** Public API call (X-N8N-API-KEY), path relative to /api/v1, e.g. '/workflows'. Throws on non-2xx. */
	api<T = Json>(method: string, apiPath: string, body?: unknown): Promise<T>;
	/** The editor's REST API as the logged-in owner (cookie), path relative to /rest. Does not throw on non-2xx. */
	rest(method: string, restPath: string, body?: unknown): Promise<{ status: number; json: Json | undefined; text: string }>;
	/**
	 * Bytes of a binary property through n8n's own download endpoint (GET /rest/binary-data), so it
	 * works in every binary-data mode (filesystem, and database, queue mode's default).
	 */
	downloadBinary(ref: BinaryRef | string): Promise<Buffer>;
	/**
	 * Creates a workflow through the public API (safe while the server runs; the CLI import is for
	 * before start). Node types are rewritten like importWorkflow(); returns the new workflow's id.
	 */
	createWorkflow(workflow: Json, opts?: { rewriteNodeTypes?: boolean }): Promise<string>;
	/** Activates (publishes) a workflow through the public API. */
	activateWorkflow(id: string): Promise<Json>;
	deactivateWorkflow(id: string): Promise<Json>;
	/** Polls the public API for an execution until it is no longer running/waiting/new. */
	waitForExecution(executionId: string, opts?: { timeoutMs?: number; includeData?: boolean }): Promise<Json>;
	/** Stops the server and its process group (SIGTERM, SIGKILL after 15 s). Idempotent. */
	stop(): Promise<void>;
}

export interface StartServerOptions {
	/** default: a free port */
	port?: number;
	/** default 120 s */
	readyTimeoutMs?: number;
	env?: Record<string, string>;
	/** owner account: set up on a fresh home, logged in to when the home already has one */
	owner?: { email: string; password: string; firstName?: string; lastName?: string };
	/** label of the public-API key created at start; default 'e2e' */
	apiKeyLabel?: string;
}

async function httpJson(
	url: string,
	init: { method: string; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; headers: Headers; json: Json | undefined; text: string }> {
	const res = await fetch(url, {
		method: init.method,
		headers: { 'content-type': 'application/json', accept: 'application/json', ...(init.headers ?? {}) },
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
		signal: AbortSignal.timeout(30_000),
	});
	const text = await res.text();
	let json: Json | undefined;
	try {
		json = text ? (JSON.parse(text) as Json) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, json, text };
}

/**
 * `n8n start` on 127.0.0.1:<port> for this home; waits for /healthz/readiness, sets up the owner
 * (POST /rest/owner/setup), creates an API key (POST /rest/api-keys) for the public API.
 * Always call stop() (e.g. in afterAll), also when the test fails.
 */
export async function startN8nServer(
	home: N8nHome,
	portOrOpts: number | StartServerOptions = {},
): Promise<N8nServer> {
	const opts: StartServerOptions = typeof portOrOpts === 'number' ? { port: portOrOpts } : portOrOpts;
	const port = opts.port ?? (await getFreePort());
	const brokerPort = await getFreePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const webhookBase = `${baseUrl}/`;
	const logFile = path.join(home.dir, `server-${port}.log`);
	const logFd = fs.openSync(logFile, 'a');
	const child = spawn(...n8nCommand(home.install.n8nBin, ['start']), {
		cwd: home.dir,
		env: {
			...home.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_WEBHOOK_URL: webhookBase,
			N8N_EDITOR_BASE_URL: webhookBase,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...(opts.env ?? {}),
		},
		stdio: ['ignore', logFd, logFd],
		detached: true,
	});
	fs.closeSync(logFd);
	track(child);
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const exitPromise = new Promise<void>((resolve) => {
		child.once('exit', (code, signal) => {
			exited = { code, signal };
			resolve();
		});
	});
	let stopped = false;
	const stop = async () => {
		if (stopped) return exitPromise;
		stopped = true;
		await killGroup(child, 15_000);
		await exitPromise;
	};
	const logTail = () => {
		try {
			return fs.readFileSync(logFile, 'utf8').split('\n').slice(-60).join('\n');
		} catch {
			return '(no log)';
		}
	};

	try {
		// 1. readiness
		const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
		for (;;) {
			if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)})`);
			if (Date.now() > deadline) throw new Error('n8n start: /healthz/readiness timed out');
			try {
				const r = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
				if (r.status === 200) break;
			} catch {
				/* not listening yet */
			}
			await sleep(250);
		}

		// 2. owner setup (cookie auth is bound to a browser-id header)
		const owner = { email: opts.owner?.email ?? 'owner@example.com', password: opts.owner?.password ?? 'E2e-Password-123' };
		const browserId = `e2e-${n8nId()}`;
		let setup = await httpJson(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'browser-id': browserId },
			body: { ...owner, firstName: opts.owner?.firstName ?? 'E2E', lastName: opts.owner?.lastName ?? 'Owner' },
		});
		if (setup.status === 400 && /already/i.test(setup.text)) {
			// a home that was started before (npm start again, a second server on one home): log in
			setup = await httpJson(`${baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'browser-id': browserId },
				body: { emailOrLdapLoginId: owner.email, password: owner.password },
			});
			if (setup.status !== 200) throw new Error(`login as ${owner.email}: HTTP ${setup.status} ${setup.text}`);
		} else if (setup.status !== 200) throw new Error(`owner setup: HTTP ${setup.status} ${setup.text}`);
		const cookie = (setup.headers.getSetCookie?.() ?? [setup.headers.get('set-cookie') ?? ''])
			.map((c) => c.split(';')[0])
			.filter((c) => c.startsWith('n8n-auth='))
			.join('; ');
		if (!cookie) throw new Error('owner setup returned no n8n-auth cookie');
		const rest = (method: string, p: string, body?: unknown) =>
			httpJson(`${baseUrl}/rest${p}`, { method, headers: { cookie, 'browser-id': browserId }, body });

		// 3. API key with every scope the owner may grant
		const scopesRes = await rest('GET', '/api-keys/scopes');
		const scopes: string[] = Array.isArray(scopesRes.json?.data) ? scopesRes.json!.data : [];
		const label = `${opts.apiKeyLabel ?? 'e2e'} ${new Date().toISOString()}`; // labels must be unique
		const keyRes = await rest('POST', '/api-keys', { label, expiresAt: null, scopes });
		const apiKey: string | undefined = keyRes.json?.data?.rawApiKey ?? keyRes.json?.data?.apiKey;
		if (keyRes.status !== 200 || !apiKey) throw new Error(`create API key: HTTP ${keyRes.status} ${keyRes.text}`);

		const api = async <T = Json>(method: string, apiPath: string, body?: unknown): Promise<T> => {
			const r = await httpJson(`${baseUrl}/api/v1${apiPath}`, {
				method,
				headers: { 'X-N8N-API-KEY': apiKey },
				body,
			});
			if (r.status < 200 || r.status >= 300) {
				throw new Error(`${method} /api/v1${apiPath}: HTTP ${r.status} ${r.text}`);
			}
			return r.json as T;
		};

		return {
			port,
			baseUrl,
			webhookBase,
			apiKey,
			owner,
			process: child,
			logFile,
			api,
			async rest(method, restPath, body) {
				const r = await rest(method, restPath, body);
				return { status: r.status, json: r.json, text: r.text };
			},
			async downloadBinary(ref) {
				const binaryId = typeof ref === 'string' ? ref : ref.id;
				if (!binaryId) {
					if (typeof ref !== 'string' && typeof ref.data === 'string') return Buffer.from(ref.data, 'base64');
					throw new Error(`binary reference has neither id nor data: ${JSON.stringify(ref)}`);
				}
				const r = await fetch(`${baseUrl}/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`, {
					headers: { cookie, 'browser-id': browserId },
					signal: AbortSignal.timeout(60_000),
				});
				if (r.status !== 200) throw new Error(`GET /rest/binary-data ${binaryId}: HTTP ${r.status} ${await r.text()}`);
				return Buffer.from(await r.arrayBuffer());
			},
			async createWorkflow(workflow, o = {}) {
				const wf = o.rewriteNodeTypes === false ? workflow : rewriteNodeTypes(workflow);
				// the public API accepts only these fields
				const created = await api<Json>('POST', '/workflows', {
					name: wf.name ?? `e2e ${n8nId()}`,
					nodes: wf.nodes ?? [],
					connections: wf.connections ?? {},
					settings: wf.settings ?? {},
				});
				return created.id as string;
			},
			activateWorkflow: (id) => api('POST', `/workflows/${id}/activate`),
			deactivateWorkflow: (id) => api('POST', `/workflows/${id}/deactivate`),
			async waitForExecution(executionId, o = {}) {
				const until = Date.now() + (o.timeoutMs ?? 120_000);
				for (;;) {
					const ex = await api<Json>(
						'GET',
						`/executions/${executionId}?includeData=${o.includeData === false ? 'false' : 'true'}`,
					);
					if (!['new', 'running', 'waiting'].includes(ex.status)) return ex;
					if (Date.now() > until) throw new Error(`execution ${executionId} still ${ex.status}`);
					await sleep(500);
				}
			},
			stop,
		};
	} catch (err) {
		await stop();
		throw new Error(`${(err as Error).message}\n--- ${logFile} ---\n${logTail()}`);
	}
}

export interface N8nWorker {
	process: ChildProcess;
	logFile: string;
	/** port of the worker's health server (QUEUE_HEALTH_CHECK_PORT) */
	healthPort: number;
	/** the worker's log so far */
	log(): string;
	/** Stops the worker and its process group (SIGTERM, SIGKILL after 15 s). Idempotent. */
	stop(): Promise<void>;
}

/**
 * `n8n worker` for queue mode (pass the same EXECUTIONS_MODE=queue / QUEUE_BULL_REDIS_* env as the
 * main's): own process group, own N8N_RUNNERS_BROKER_PORT, health server on a free loopback port;
 * resolves once /healthz/readiness answers 200 (database and redis connected).
 */
export async function startN8nWorker(
	home: N8nHome,
	opts: { env?: Record<string, string>; readyTimeoutMs?: number; concurrency?: number } = {},
): Promise<N8nWorker> {
	const healthPort = await getFreePort();
	const brokerPort = await getFreePort();
	const logFile = path.join(home.dir, `worker-${healthPort}.log`);
	const logFd = fs.openSync(logFile, 'a');
	const child = spawn(...n8nCommand(home.install.n8nBin, ['worker', `--concurrency=${opts.concurrency ?? 5}`]), {
		cwd: home.dir,
		env: {
			...home.env,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...(opts.env ?? {}),
		},
		stdio: ['ignore', logFd, logFd],
		detached: true,
	});
	fs.closeSync(logFd);
	track(child);
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const exitPromise = new Promise<void>((resolve) =>
		child.once('exit', (code, signal) => {
			exited = { code, signal };
			resolve();
		}),
	);
	let stopped = false;
	const stop = async () => {
		if (!stopped) {
			stopped = true;
			await killGroup(child, 15_000);
		}
		await exitPromise;
	};
	const log = () => {
		try {
			return fs.readFileSync(logFile, 'utf8');
		} catch {
			return '';
		}
	};
	const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
	for (;;) {
		if (exited || Date.now() > deadline) {
			await stop();
			const why = exited ? `exited early (${JSON.stringify(exited)})` : '/healthz/readiness timed out';
			throw new Error(`n8n worker ${why}\n--- ${logFile} ---\n${log().split('\n').slice(-60).join('\n')}`);
		}
		try {
			const r = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
			if (r.status === 200) break;
		} catch {
			/* not listening yet */
		}
		await sleep(250);
	}
	return { process: child, logFile, healthPort, log, stop };
}
