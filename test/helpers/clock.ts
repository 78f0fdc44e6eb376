/** Time helpers for tests that mock Date and timers while real HTTP goes on. */

/** real timers, kept for waiting on HTTP while the node's clock is mocked */
const realSetTimeout = global.setTimeout;
export const realSleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	// counted, not timed: Date may be mocked
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > timeoutMs) throw new Error('condition not met in time');
		await realSleep(10);
	}
	// let the request that met the condition finish before time moves
	await realSleep(50);
}

/** Runs `test` with Date and timers mocked, so a minute-long wait of the node passes at once. */
export async function withMockedClock<T>(test: (advance: (ms: number) => Promise<void>) => Promise<T>): Promise<T> {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	try {
		return await test(async (ms) => {
			jest.advanceTimersByTime(ms);
			await realSleep(100);
		});
	} finally {
		jest.useRealTimers();
	}
}

export type NodeFailure = Error & { description?: string; httpCode?: string; context: Record<string, unknown> };

/** The error the run ends with; fails the test when it does not fail. */
export async function failure(promise: Promise<unknown>): Promise<NodeFailure> {
	try {
		await promise;
	} catch (error) {
		return error as NodeFailure;
	}
	throw new Error('expected the node to fail');
}
