/**
 * `npm start`: a local n8n with this package's nodes, fake providers instead of the real APIs, the
 * sandbox credentials and every example workflow, ready to click. No API key needed.
 *
 *   npm start                      build, then this script (tsx scripts/sandbox.ts)
 *   npm start -- --reset           start over with an empty sandbox (deletes .n8n-sandbox/)
 *   npm start -- --render-ms 3000  how long the fake renders take (default 8000)
 *   options: --port 5678 (n8n), --fakes-port 5679, --files-port 5680, --quiet (no request log),
 *            --dir .n8n-sandbox (where n8n keeps its data)
 *
 * What it does: installs the cached Node 24 + n8n 2.41.1 when missing (scripts/install-n8n.sh,
 * ~10 min once, in ~/.cache/n8n-nodes-ai-video), starts the fake providers (test/fakes, the ones the
 * tests use) on 127.0.0.1:5679 (files on :5680), keeps n8n's data in .n8n-sandbox/ (gitignored),
 * imports the sandbox credentials (ids the examples use, pointed at the fakes) and the examples
 * (node types n8n-nodes-ai-video.<x> -> CUSTOM.<x>, as n8n names nodes loaded from dist/), starts
 * `n8n start` on 127.0.0.1:5678, sets up the owner login, activates the HiDream callback example and
 * prints what to do. Ctrl-C (or SIGTERM/SIGHUP) stops n8n's whole process group and the fakes.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { HiDreamFake, startFakeProviders, type FakeServer } from '../test/fakes';
import {
	REPO_ROOT,
	createN8nHome,
	ensureN8n,
	formatRun,
	importCredentials,
	rewriteNodeTypes,
	runN8n,
	startN8nServer,
	type N8nHome,
	type N8nServer,
} from '../test/e2e/n8n';
import { sandboxCredentialList } from '../test/e2e/sandboxCredentials';

const OWNER = { email: 'sandbox@example.com', password: 'Sandbox-Video-1', firstName: 'Sandbox', lastName: 'User' };
let SANDBOX_DIR = path.join(REPO_ROOT, '.n8n-sandbox');
const stateFile = () => path.join(SANDBOX_DIR, 'sandbox-state.json');
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** the example that needs an active (production) webhook */
const CALLBACK_EXAMPLE = 'hidream-callback.json';
/** Examples that wait for the provider's callback inside one node (Wait Method Callback), and how to start them. */
const ONE_NODE_CALLBACK_EXAMPLES = [
	{ file: 'hidream-callback-node.json', path: 'hidream-stylize-videos', body: '{"videos":[{"url":"https://example.com/a.mp4"}]}' },
	{
		file: 'aistudios-callback-node.json',
		path: 'aistudios-render-videos',
		body: '{"videos":[{"language":"en","text":"Hello from n8n.","model":"M000004017","clothes":"BG00006160"}]}',
	},
];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Options {
	port: number;
	fakesPort: number;
	filesPort: number;
	renderMs: number;
	reset: boolean;
	quiet: boolean;
}

function parseArgs(argv: string[]): Options {
	const opts: Options = { port: 5678, fakesPort: 5679, filesPort: 5680, renderMs: 8_000, reset: false, quiet: false };
	const numeric: Record<string, keyof Options> = {
		'--port': 'port',
		'--fakes-port': 'fakesPort',
		'--files-port': 'filesPort',
		'--render-ms': 'renderMs',
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.split('=', 2);
		if (flag in numeric) {
			const value = Number(inline ?? argv[++i]);
			if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a non-negative integer`);
			(opts as unknown as Record<string, number>)[numeric[flag]] = value;
		} else if (flag === '--dir') {
			const value = inline ?? argv[++i];
			if (!value) throw new Error('--dir needs a folder');
			SANDBOX_DIR = path.resolve(value);
		} else if (arg === '--reset') opts.reset = true;
		else if (arg === '--quiet') opts.quiet = true;
		else if (arg === '-h' || arg === '--help') {
			process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n').slice(1, 9).map((l) => l.replace(/^ \* ?/, '')).join('\n') + '\n');
			process.exit(0);
		} else throw new Error(`unknown argument: ${arg} (try --help)`);
	}
	return opts;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`[sandbox ${new Date().toTimeString().slice(0, 8)}] ${line}\n`);

/** stable 16-character workflow id per example file, so re-imports replace instead of duplicating */
function exampleId(file: string): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const digest = createHash('sha256').update(`n8n-nodes-ai-video/examples/${file}`).digest();
	return Array.from(digest.subarray(0, 16), (b) => alphabet[b % alphabet.length]).join('');
}

interface State {
	/** example file -> sha256 of the content last imported */
	examples: Record<string, string>;
}

function readState(): State {
	try {
		return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as State;
	} catch {
		return { examples: {} };
	}
}

/**
 * Imports the examples that are new or changed in the repo since the last start (one n8n command).
 * Unchanged ones are left alone, so edits made in the editor survive a restart.
 */
async function importExamples(home: N8nHome): Promise<Array<{ file: string; id: string; name: string }>> {
	const state = readState();
	const all: Array<{ file: string; id: string; name: string }> = [];
	const todo: Json[] = [];
	for (const file of fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort()) {
		const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
		const hash = createHash('sha256').update(text).digest('hex');
		const wf = rewriteNodeTypes(JSON.parse(text) as Json);
		const id = exampleId(file);
		all.push({ file, id, name: wf.name });
		if (state.examples[file] === hash) continue;
		todo.push({ active: false, settings: {}, pinData: {}, ...wf, id });
		state.examples[file] = hash;
	}
	if (todo.length) {
		note(`importing ${todo.length} example workflow(s)`);
		const input = path.join(home.dir, 'examples-import.json');
		fs.writeFileSync(input, JSON.stringify(todo, null, 2));
		const res = await runN8n(home, ['import:workflow', `--input=${input}`]);
		fs.rmSync(input, { force: true });
		if (res.exitCode !== 0) throw new Error(`n8n import:workflow failed: ${formatRun(res)}`);
		fs.writeFileSync(stateFile(), JSON.stringify(state, null, 2));
	}
	return all;
}

/** deletes the public-API keys earlier starts created (each start makes a fresh one) */
async function pruneApiKeys(server: N8nServer): Promise<void> {
	const list = await server.rest('GET', '/api-keys');
	const keys: Json[] = Array.isArray(list.json?.data) ? list.json!.data : [];
	const mine = keys.filter((k) => typeof k.label === 'string' && k.label.startsWith('sandbox '));
	mine.sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
	for (const key of mine.slice(0, -1)) await server.rest('DELETE', `/api-keys/${key.id}`);
}

/** throws a readable error when a port the sandbox needs is taken (another sandbox, another n8n) */
async function assertPortFree(port: number, what: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', (e: NodeJS.ErrnoException) =>
			reject(new Error(`127.0.0.1:${port} (${what}) is in use${e.code === 'EADDRINUSE' ? '' : `: ${e.message}`}; stop what runs there or pick another port (--help)`)),
		);
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
	});
}

async function main(): Promise<void> {
	const opts = parseArgs(process.argv.slice(2));
	const t0 = Date.now();

	let fakes: FakeServer | undefined;
	let server: N8nServer | undefined;
	let stopping: Promise<void> | undefined;
	const stop = (code: number) => {
		if (!stopping) {
			stopping = (async () => {
				note('stopping n8n and the fake providers ...');
				await server?.stop().catch(() => undefined);
				await fakes?.stop().catch(() => undefined);
				note('stopped; nothing left running');
			})();
		}
		void stopping.then(() => process.exit(code));
	};
	// orphaned (whoever started us died without passing a signal on): stop too
	const parent = process.ppid;
	setInterval(() => {
		if (process.ppid !== parent) {
			note(`parent process ${parent} is gone`);
			stop(143);
		}
	}, 1_000).unref();
	let interrupts = 0;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (++interrupts > 1) {
				note('second interrupt: killing everything now');
				process.exit(130); // the harness SIGKILLs n8n's process group on exit
			}
			stop(signal === 'SIGINT' ? 130 : 143);
		});
	}

	try {
		if (opts.reset && fs.existsSync(SANDBOX_DIR)) {
			note(`--reset: deleting ${path.relative(process.cwd(), SANDBOX_DIR) || SANDBOX_DIR}`);
			fs.rmSync(SANDBOX_DIR, { recursive: true, force: true });
		}
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` (npm start does)');
		await assertPortFree(opts.port, 'n8n');
		await assertPortFree(opts.fakesPort, 'fake providers');
		await assertPortFree(opts.filesPort, 'fake file server');

		note('n8n 2.41.1 + Node 24: checking the cached install (the first time this downloads ~3 GB and takes ~10 min)');
		const install = ensureN8n();
		note(`n8n ${install.n8nVersion} on Node ${install.nodeVersion}: ${install.root}`);

		fakes = await startFakeProviders({ port: opts.fakesPort, filePort: opts.filesPort, renderMs: opts.renderMs });
		if (!opts.quiet) {
			fakes.onRequest = (r) =>
				note(`fake ${r.provider || '-'}: ${r.method} ${r.path}${r.query.task_id ? `?task_id=${r.query.task_id}` : ''}`);
			// HiDream's notify_url callbacks go out from the fake: log them too
			const hiDream = fakes.provider(HiDreamFake);
			let seen = 0;
			setInterval(() => {
				for (const c of hiDream.callbacks.slice(seen)) {
					if (c.status === undefined && !c.error) break; // still in flight
					note(`fake hiDream: callback POST ${c.url.replace(/\?.*$/, '?…')} -> ${c.status ?? c.error}`);
					seen++;
				}
				if (seen > hiDream.callbacks.length) seen = hiDream.callbacks.length;
			}, 500).unref();
		}
		note(`fake providers on ${fakes.baseUrl} (files on ${fakes.fileBaseUrl}), renders take ${opts.renderMs / 1000} s`);

		const home = createN8nHome({ dir: SANDBOX_DIR });
		const creds = sandboxCredentialList(fakes);
		await importCredentials(home, creds);
		const examples = await importExamples(home);

		note(`starting n8n on http://127.0.0.1:${opts.port} (log: ${path.relative(process.cwd(), path.join(home.dir, `server-${opts.port}.log`))})`);
		server = await startN8nServer(home, { port: opts.port, owner: OWNER, apiKeyLabel: 'sandbox', readyTimeoutMs: 180_000 });
		await pruneApiKeys(server).catch((e) => note(`could not prune old API keys: ${String(e)}`));
		const callback = examples.find((e) => e.file === CALLBACK_EXAMPLE);
		if (callback) await server.activateWorkflow(callback.id);
		const oneNode = ONE_NODE_CALLBACK_EXAMPLES.flatMap((e) => {
			const example = examples.find((x) => x.file === e.file);
			return example ? [{ ...e, id: example.id, name: example.name }] : [];
		});
		for (const e of oneNode) await server.activateWorkflow(e.id);
		server.process.once('exit', (code, signal) => {
			if (stopping) return;
			note(`n8n exited on its own (code ${code}, signal ${signal}); see ${server!.logFile}`);
			stop(1);
		});

		const url = server.baseUrl;
		say('');
		say(`n8n with n8n-nodes-ai-video is running: ${url}   (ready in ${Math.round((Date.now() - t0) / 1000)} s)`);
		say(`  log in:  ${OWNER.email}  /  ${OWNER.password}`);
		say(`  fakes:   ${fakes.baseUrl} stands in for AI Studios, CDNvideo, kvid.ai, HiDream and OpenAI (no API key needed)`);
		say(`  creds:   ${creds.map((c) => c.name).join(', ')}`);
		say('');
		say('Try it:');
		say('  1. Open Overview and pick an example, e.g. "' + (examples.find((e) => e.file.startsWith('cdnvideo'))?.name ?? examples[0]?.name) + '"');
		say(`  2. Click "Execute workflow": Submit → Wait → Get Status loops until the fake render is done (${opts.renderMs / 1000} s),`);
		say('     then Get Result downloads the video: open its output, Binary tab → view / download.');
		if (callback) {
			say(`  3. "${callback.name}" is active; start it with`);
			say(`       curl -X POST ${url}/webhook/hidream-stylize -H 'content-type: application/json' \\`);
			say(`            -d '{"videoUrl":"https://example.com/my-clip.mp4"}'`);
			say('     It waits until the fake HiDream calls back $execution.resumeUrl; see it under Executions.');
		}
		for (const e of oneNode) {
			say(`     "${e.name}" is active too (one Submit waits for the callback, holding no worker):`);
			say(`       curl -X POST ${url}/webhook/${e.path} -H 'content-type: application/json' -d '${e.body}'`);
		}
		const agent = examples.find((e) => e.file.startsWith('agent-'));
		if (agent) {
			say(`  ${callback ? 4 : 3}. "${agent.name}": click "Open chat" and ask for a video; the fake OpenAI model has the`);
			say('     AI Agent call the CDNvideo tool with your message as the script, and the reply names the job.');
		}
		say('');
		say(`Data stays in ${path.relative(process.cwd(), SANDBOX_DIR) || SANDBOX_DIR}/ (npm start -- --reset starts over). Ctrl-C stops everything.`);
		say('');
	} catch (err) {
		note(`failed: ${(err as Error).message}`);
		stop(1);
	}
}

void main();
