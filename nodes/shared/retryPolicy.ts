import type { Failure } from './failure';
import { UNREADABLE } from './failure';
import { backoffDelay } from './timing';

const RETRYABLE_STATUSES = [500, 502, 503, 504];
const NETWORK_RETRY_CODES = [
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
	UNREADABLE,
];
export const MAX_ATTEMPTS = 4;
export const MAX_RATE_LIMIT_WAITS = 8;

/** How a request may be repeated: what it is, and what its provider allows. */
export interface RetryRules {
	/**
	 * A read is repeated after any passing failure; a job-creating submit only when the provider
	 * certainly did not get it (a connection never made), never after an answer that may hide a new
	 * job.
	 */
	repeats: 'read' | 'submit';
	/** How long a 429 without Retry-After is waited out: the provider's rate window. */
	rateWindowMs?: number;
	/**
	 * How long 429s are waited out in all, where that is longer than MAX_RATE_LIMIT_WAITS tries
	 * (kvid: a concurrency slot frees only when a render ends). Beyond those tries each wait is at
	 * least the provider's rate window (else 1 s), so a Retry-After of 0 is no busy loop.
	 */
	rateLimitPatienceMs?: number;
}

/** The tries a request has had so far. */
export interface Tries {
	attempt: number;
	rateLimitWaits: number;
	rateLimitWaitedMs: number;
}

export const FIRST_TRY: Tries = { attempt: 0, rateLimitWaits: 0, rateLimitWaitedMs: 0 };

export function isTransient(failure: Failure): boolean {
	if (failure.status !== undefined) return RETRYABLE_STATUSES.includes(failure.status);
	return failure.code !== undefined
		? NETWORK_RETRY_CODES.includes(failure.code)
		: /timeout|socket hang up|aborted/i.test(failure.message);
}

/**
 * Whether and when a failed request is sent again: the wait and the tries after it, or undefined
 * when the failure is final. Pure (`random` is the jitter of the backoff).
 */
export function nextTry(
	failure: Failure,
	tries: Tries,
	rules: RetryRules,
	random: () => number = Math.random,
): { delayMs: number; tries: Tries } | undefined {
	const { attempt, rateLimitWaits, rateLimitWaitedMs } = tries;
	if (
		failure.status === 429 &&
		(rateLimitWaits < MAX_RATE_LIMIT_WAITS || rateLimitWaitedMs < (rules.rateLimitPatienceMs ?? 0))
	) {
		const waits = rateLimitWaits + 1;
		let delayMs =
			failure.retryAfterMs ??
			Math.max(rules.rateWindowMs ?? 0, backoffDelay(waits, 2_000, 60_000, random));
		if (waits > MAX_RATE_LIMIT_WAITS) delayMs = Math.max(delayMs, rules.rateWindowMs ?? 1_000);
		return {
			delayMs,
			tries: { attempt, rateLimitWaits: waits, rateLimitWaitedMs: rateLimitWaitedMs + delayMs },
		};
	}
	const neverSent = failure.status === undefined && failure.code === 'ECONNREFUSED';
	if (
		attempt + 1 < MAX_ATTEMPTS &&
		(rules.repeats === 'submit' ? neverSent : isTransient(failure))
	) {
		const delayMs = failure.retryAfterMs ?? backoffDelay(attempt, 500, 30_000, random);
		return { delayMs, tries: { attempt: attempt + 1, rateLimitWaits, rateLimitWaitedMs } };
	}
	return undefined;
}
