import { FIRST_TRY, MAX_ATTEMPTS, MAX_RATE_LIMIT_WAITS, nextTry, type Tries } from '../../nodes/shared/retryPolicy';

const noJitter = () => 1;

describe('nextTry: whether and when a failed request is sent again', () => {
	test('a read is repeated after a 5xx, a network error or an unreadable answer, with backoff, MAX_ATTEMPTS in all', () => {
		let tries: Tries = FIRST_TRY;
		const delays: number[] = [];
		for (;;) {
			const next = nextTry({ status: 503, message: '' }, tries, { repeats: 'read' }, noJitter);
			if (!next) break;
			delays.push(next.delayMs);
			tries = next.tries;
		}
		expect(delays).toEqual([500, 1000, 2000]);
		expect(delays).toHaveLength(MAX_ATTEMPTS - 1);
		expect(nextTry({ code: 'ECONNRESET', message: '' }, FIRST_TRY, { repeats: 'read' }, noJitter)?.delayMs).toBe(500);
		expect(nextTry({ code: 'ERR_BAD_RESPONSE', message: '' }, FIRST_TRY, { repeats: 'read' }, noJitter)).toBeDefined();
		expect(nextTry({ message: 'socket hang up' }, FIRST_TRY, { repeats: 'read' }, noJitter)).toBeDefined();
	});

	test('a 4xx other than 429 is final, for reads and submits', () => {
		for (const status of [400, 401, 403, 404, 422]) {
			expect(nextTry({ status, message: '' }, FIRST_TRY, { repeats: 'read' })).toBeUndefined();
			expect(nextTry({ status, message: '' }, FIRST_TRY, { repeats: 'submit' })).toBeUndefined();
		}
	});

	test('a submit is repeated only after a connection never made, never after an answer that may hide a job', () => {
		expect(nextTry({ code: 'ECONNREFUSED', message: '' }, FIRST_TRY, { repeats: 'submit' }, noJitter)).toEqual({ delayMs: 500, tries: { ...FIRST_TRY, attempt: 1 } });
		for (const failure of [{ status: 500 }, { status: 502 }, { code: 'ECONNRESET' }, { code: 'ETIMEDOUT' }, { code: 'ERR_BAD_RESPONSE' }]) {
			expect(nextTry({ ...failure, message: '' }, FIRST_TRY, { repeats: 'submit' })).toBeUndefined();
		}
	});

	test('Retry-After wins over the backoff', () => {
		expect(nextTry({ status: 503, retryAfterMs: 7_000, message: '' }, FIRST_TRY, { repeats: 'read' })?.delayMs).toBe(7_000);
		expect(nextTry({ status: 429, retryAfterMs: 0, message: '' }, FIRST_TRY, { repeats: 'submit', rateWindowMs: 60_000 })?.delayMs).toBe(0);
	});

	test('429 is waited out MAX_RATE_LIMIT_WAITS times (a submit too), at least the rate window when no Retry-After, and does not use up attempts', () => {
		let tries: Tries = FIRST_TRY;
		for (let n = 0; n < MAX_RATE_LIMIT_WAITS; n++) {
			const next = nextTry({ status: 429, message: '' }, tries, { repeats: 'submit', rateWindowMs: 60_000 }, noJitter);
			expect(next?.delayMs).toBe(60_000);
			tries = next!.tries;
		}
		expect(tries).toEqual({ attempt: 0, rateLimitWaits: MAX_RATE_LIMIT_WAITS, rateLimitWaitedMs: MAX_RATE_LIMIT_WAITS * 60_000 });
		expect(nextTry({ status: 429, message: '' }, tries, { repeats: 'submit', rateWindowMs: 60_000 })).toBeUndefined();
	});

	test('with rate-limit patience, 429s go on until that much time was waited, each wait at least the rate window (else 1 s)', () => {
		const tries: Tries = { attempt: 0, rateLimitWaits: MAX_RATE_LIMIT_WAITS, rateLimitWaitedMs: 50_000 };
		expect(nextTry({ status: 429, retryAfterMs: 0, message: '' }, tries, { repeats: 'submit', rateLimitPatienceMs: 60_000 })?.delayMs).toBe(1_000);
		expect(nextTry({ status: 429, retryAfterMs: 0, message: '' }, tries, { repeats: 'submit', rateWindowMs: 15_000, rateLimitPatienceMs: 60_000 })?.delayMs).toBe(15_000);
		expect(nextTry({ status: 429, message: '' }, { ...tries, rateLimitWaitedMs: 60_000 }, { repeats: 'submit', rateLimitPatienceMs: 60_000 })).toBeUndefined();
	});
});
