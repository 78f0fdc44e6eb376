/**
 * What n8n's worker slots hold, read from redis: the length of Bull's active list (`bull:jobs:active`,
 * n8n's default prefix and queue name), asked every `everyMs` over one connection. A Bull job is in
 * that list from the moment a worker takes it until the worker is done with it, so the integral of
 * the length over time is the worker-slot seconds held.
 */
import * as net from 'node:net';

export const BULL_ACTIVE_KEY = 'bull:jobs:active';

export interface Sample {
	at: number;
	active: number;
}

/** One RESP command, its integer answer: `*2 $4 LLEN $n key` → `:<n>`. */
const llen = (key: string) => `*2\r\n$4\r\nLLEN\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n`;

export class BullActiveSampler {
	readonly samples: Sample[] = [];
	private socket?: net.Socket;
	private timer?: NodeJS.Timeout;
	private stopped = false;

	constructor(
		private readonly port: number,
		private readonly everyMs = 100,
		private readonly key = BULL_ACTIVE_KEY,
	) {}

	async start(): Promise<void> {
		const socket = net.connect({ host: '127.0.0.1', port: this.port });
		await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
		this.socket = socket;
		let pending = '';
		socket.setEncoding('utf8').on('data', (chunk: string) => {
			pending += chunk;
			for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
				const line = pending.slice(0, end);
				pending = pending.slice(end + 2);
				// an answer other than a count is no sample (a poll run without samples is reported as unmeasured)
				if (line.startsWith(':')) this.samples.push({ at: Date.now(), active: Number(line.slice(1)) });
				this.schedule();
			}
		});
		socket.on('error', () => undefined); // redis stopped before us: the samples so far stand
		socket.write(llen(this.key));
	}

	private schedule(): void {
		if (this.stopped) return;
		this.timer = setTimeout(() => this.socket?.write(llen(this.key)), this.everyMs);
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
		this.socket?.destroy();
	}

	/** Slot-seconds held within [from, to]: each sample's count holds until the next sample. */
	busySeconds(from: number, to: number): number {
		let ms = 0;
		for (let i = 0; i < this.samples.length; i++) {
			const start = Math.max(from, this.samples[i].at);
			const end = Math.min(to, this.samples[i + 1]?.at ?? to);
			if (end > start) ms += this.samples[i].active * (end - start);
		}
		return ms / 1000;
	}

	/** The largest count seen within [from, to]. */
	peak(from: number, to: number): number {
		return Math.max(0, ...this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.active));
	}
}
