import { sleep } from 'n8n-workflow';

/** Thrown when the execution is stopped while the node waits. */
export class ExecutionStopped extends Error {
	constructor() {
		super('The execution was stopped');
	}
}

/**
 * Waits `ms`, or stops early with ExecutionStopped when the execution is cancelled. n8n's `sleep`
 * cannot be cancelled, so long waits go in slices of at most a second: a stopped execution leaves
 * no timer behind for longer than that.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new ExecutionStopped();
	if (ms <= 0) return;
	if (!signal) return await sleep(ms);
	let onAbort: (() => void) | undefined;
	const stopped = new Promise<never>((_, reject) => {
		onAbort = () => reject(new ExecutionStopped());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	stopped.catch(() => undefined);
	try {
		const end = Date.now() + ms;
		for (let left = ms; left > 0; left = end - Date.now()) {
			await Promise.race([sleep(Math.min(left, 1000)), stopped]);
		}
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

/** Exponential backoff with jitter: base, 2×base, 4×base … capped. */
export function backoffDelay(
	attempt: number,
	baseMs: number,
	capMs: number,
	random: () => number = Math.random,
): number {
	const exp = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Retry-After as milliseconds (seconds or an HTTP date), or undefined when absent or unreadable.
 */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	const entry = Object.entries(headers as Record<string, unknown>).find(
		([k]) => k.toLowerCase() === 'retry-after',
	);
	const value = entry ? String(entry[1]).trim() : '';
	if (value === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A sliding-window limit on submits, shared by every execution in this n8n process that uses the
 * same credential: the provider counts requests per account, not per execution. A slot is dated
 * when its request is answered (the provider saw it no later), not when it was granted: a submit
 * held up by a token exchange must not squeeze the next one into the provider's window.
 */
export class SubmitPacer {
	private sent: Array<{ at: number }> = [];
	private queue: Promise<void> = Promise.resolve();

	constructor(
		readonly maxPerWindow: number,
		readonly windowMs: number,
	) {}

	/**
	 * Resolves when one more submit fits in the window; callers are served in order. Call the result
	 * once answered.
	 */
	async acquire(signal?: AbortSignal): Promise<() => void> {
		let slot = { at: 0 };
		const turn = this.queue.then(async () => {
			for (;;) {
				const now = Date.now();
				this.sent = this.sent.filter((s) => now - s.at < this.windowMs);
				if (this.sent.length < this.maxPerWindow) {
					slot = { at: now };
					this.sent.push(slot);
					return;
				}
				await pause(Math.min(...this.sent.map((s) => s.at)) + this.windowMs - now, signal);
			}
		});
		this.queue = turn.catch(() => undefined);
		await turn;
		return () => {
			slot.at = Math.max(slot.at, Date.now());
		};
	}
}

const pacers = new Map<string, SubmitPacer>();

export function submitPacer(key: string, maxPerWindow: number, windowMs: number): SubmitPacer {
	const id = `${key}:${maxPerWindow}/${windowMs}`;
	let pacer = pacers.get(id);
	if (!pacer) {
		pacer = new SubmitPacer(maxPerWindow, windowMs);
		pacers.set(id, pacer);
	}
	return pacer;
}

/** Runs at most `limit` tasks at a time. */
export class Semaphore {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		// A released slot passes straight to the next waiter, so the count never overshoots.
		if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.active++;
		try {
			return await task();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}
}
