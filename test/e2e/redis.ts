/**
 * A throw-away redis for the queue-mode end-to-end test: Debian's redis-server (installed by
 * scripts/ensure-redis.sh when missing), on a free 127.0.0.1 port, no persistence, own process group.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { REPO_ROOT, getFreePort } from './n8n';

export interface Redis {
	host: string;
	port: number;
	process: ChildProcess;
	stop(): Promise<void>;
}

/** scripts/ensure-redis.sh: path of redis-server, installing it with apt-get first if it is missing */
export function ensureRedis(): string {
	const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'ensure-redis.sh')], {
		encoding: 'utf8',
		timeout: 20 * 60_000,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const m = /^REDIS_SERVER=(.+)$/m.exec(out);
	if (!m) throw new Error(`ensure-redis.sh printed no REDIS_SERVER:\n${out}`);
	return m[1].trim();
}

/** answers PING with PONG? */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let data = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			data += d.toString();
			if (data.includes('\r\n')) done(data.startsWith('+PONG'));
		});
	});
}

export async function startRedis(): Promise<Redis> {
	const bin = ensureRedis();
	const port = await getFreePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-video-redis-'));
	const child = spawn(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'],
		{ stdio: ['ignore', 'ignore', 'pipe'], detached: true },
	);
	let stderr = '';
	child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
	let exited = false;
	const exitPromise = new Promise<void>((resolve) =>
		child.once('exit', () => {
			exited = true;
			resolve();
		}),
	);
	const onExit = () => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	};
	process.once('exit', onExit);
	const stop = async () => {
		process.off('exit', onExit);
		if (!exited) {
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				/* gone */
			}
			const timer = setTimeout(onExit, 5_000);
			await exitPromise;
			clearTimeout(timer);
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 20_000;
	while (!(await ping(port))) {
		if (exited || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not come up on 127.0.0.1:${port}: ${stderr}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { host: '127.0.0.1', port, process: child, stop };
}

/**
 * The environment of every n8n process in queue mode: the queue on `redis`, and the main's address
 * (`mainPort` on 127.0.0.1), from which the workers build `$execution.resumeUrl`: the main takes
 * the webhooks.
 */
export function queueModeEnv(redis: Redis, mainPort: number): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_WEBHOOK_URL: `http://127.0.0.1:${mainPort}/`,
	};
}
