/**
 * What the reliability suite needs beyond the unit harness: one node execution observed from the
 * outside (every request the node hands to n8n's HTTP helpers, with the timeout it asked for), the
 * outcome collected whether the node returned or threw, a clock that lets minutes of waiting pass
 * at once, and a scan of everything a user could see for a secret.
 */
import { type IDataObject, type IHttpRequestOptions, type INodeExecutionData } from 'n8n-workflow';

import { CredentialStore, NodeHarness, type RunOptions } from '../helpers/n8nContext';

/** One request as the node handed it to n8n (before n8n added the credential). */
export interface SentRequest {
	method: string;
	url: string;
	/** the timeout the node asked for; undefined = n8n's default */
	timeout: number | undefined;
	/** sent through httpRequestWithAuthentication, i.e. with the credential */
	authenticated: boolean;
	credentialType?: string;
}

/** A request whose timeout the harness shortens (see `execute`). */
export interface ShortenedTimeout {
	method?: string;
	path: RegExp;
	ms: number;
	/** how many matching requests (the first ones) are shortened; default 1, the one the fault hangs */
	times?: number;
}

export interface ExecuteOptions extends RunOptions {
	store?: CredentialStore;
	/**
	 * Shortens the timeout of the matching requests to `ms` of real time, after recording what the
	 * node asked for: a "hang" then ends through the node's own timeout handling in a fraction of a
	 * second instead of 60 s (API) or 30 min (download). The suite asserts the asked-for value apart.
	 */
	shorten?: ShortenedTimeout;
	/** 'lapse' (default): minutes of waiting pass at once (see `inLapse`); 'real': wall-clock time. */
	clock?: 'lapse' | 'real';
	/** with the lapse clock: keep time moving after the run until this holds (e.g. a late answer arrived) */
	until?: () => boolean;
}

export interface NodeErrorLike extends Error {
	description?: string | null;
	context?: IDataObject;
	httpCode?: string | null;
	messages?: string[];
	errorResponse?: unknown;
	toJSON?: () => unknown;
}

export interface Outcome {
	output?: INodeExecutionData[][];
	error?: NodeErrorLike;
	logs: string[];
	customData: Record<string, string>;
	sent: SentRequest[];
	store: CredentialStore;
	/** mocked milliseconds the run took (real milliseconds with the real clock) */
	tookMs: number;
}

// Captured before any test fakes the timers: the lapse clock waits for I/O with them.
const realSetTimeout = global.setTimeout;
export const realSleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/**
 * Runs `work` with Date and timers mocked; whenever the node has no request in flight, time jumps
 * to the next timer it set (a backoff, a Retry-After, a rate window, a poll interval). While a
 * request is in flight time stands still, so no answer is ever "late" because of the jump. This is
 * a discrete-event clock: the order of events is the node's own, only idle waiting is skipped.
 */
export async function inLapse<T>(work: () => Promise<T>, busy: () => boolean, until?: () => boolean): Promise<T> {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	try {
		let settled = false;
		const running = work().finally(() => {
			settled = true;
		});
		running.catch(() => undefined);
		for (let ticks = 0; !settled || (until !== undefined && !until()); ticks++) {
			if (ticks > 100_000) throw new Error('the lapse clock ran 100 000 ticks without the run settling');
			await realSleep(1);
			if (!busy() && (!settled || (until !== undefined && !until()))) jest.advanceTimersToNextTimer();
		}
		return await running;
	} finally {
		jest.useRealTimers();
	}
}

/** One execution of the node over its items, as n8n runs it, observed from the outside. */
export async function execute(options: ExecuteOptions): Promise<Outcome> {
	const store = options.store ?? new CredentialStore(options.credentials);
	const harness = new NodeHarness(options, store);
	const ctx = harness.context() as { helpers: Record<string, unknown> };
	const helpers = ctx.helpers as {
		httpRequest: (o: IHttpRequestOptions) => Promise<unknown>;
		httpRequestWithAuthentication: (this: unknown, type: string, o: IHttpRequestOptions, extra?: unknown) => Promise<unknown>;
	};
	const sent: SentRequest[] = [];
	let inFlight = 0;
	let shortenedSoFar = 0;
	const observe = async (o: IHttpRequestOptions, credentialType: string | undefined, send: (o: IHttpRequestOptions) => Promise<unknown>) => {
		const method = (o.method ?? 'GET').toUpperCase();
		const url = String(o.url ?? '');
		sent.push({ method, url, timeout: o.timeout, authenticated: credentialType !== undefined, credentialType });
		const shorten = options.shorten;
		const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
		const matches = shorten && (shorten.method === undefined || shorten.method === method) && shorten.path.test(path);
		const shortened = matches && shortenedSoFar++ < (shorten.times ?? 1) ? { ...o, timeout: shorten.ms } : o;
		inFlight++;
		try {
			return await send(shortened);
		} finally {
			inFlight--;
		}
	};
	const { httpRequest, httpRequestWithAuthentication } = helpers;
	helpers.httpRequest = async (o) => await observe(o, undefined, async (opts) => await httpRequest(opts));
	helpers.httpRequestWithAuthentication = async function (this: unknown, type, o, extra) {
		return await observe(o, type, async (opts) => await httpRequestWithAuthentication.call(this, type, opts, extra));
	};

	const run = async () => {
		const started = Date.now();
		try {
			const output = (await options.node.execute!.call(ctx as never)) as INodeExecutionData[][];
			return { output, tookMs: Date.now() - started };
		} catch (error) {
			return { error: error as NodeErrorLike, tookMs: Date.now() - started };
		}
	};
	const result = options.clock === 'real' ? await run() : await inLapse(run, () => inFlight > 0, options.until);
	return { ...result, logs: harness.logs, customData: harness.customData, sent, store };
}

/** The thrown error, failing the test when the run did not throw. */
export function thrown(outcome: Outcome): NodeErrorLike {
	if (!outcome.error) throw new Error(`expected the node to fail; it returned ${JSON.stringify(outcome.output?.[0]?.map((i) => i.json)).slice(0, 400)}`);
	return outcome.error;
}

/** The first output's items' json, failing the test when the run threw. */
export function items(outcome: Outcome): INodeExecutionData[] {
	if (outcome.error) {
		throw new Error(`expected the node to succeed; it failed: ${outcome.error.message} / ${String(outcome.error.description ?? '')}`);
	}
	return outcome.output![0];
}

/** Everything a user can see of a run: output items (json and binary metadata), the error in every form n8n keeps, logs. */
export function visibleText(outcome: Outcome): string {
	const parts: string[] = [];
	for (const output of outcome.output ?? []) {
		for (const item of output) {
			parts.push(JSON.stringify(item.json));
			for (const binary of Object.values(item.binary ?? {})) parts.push(JSON.stringify({ ...binary, data: undefined }));
		}
	}
	const error = outcome.error;
	if (error) {
		parts.push(error.message, String(error.description ?? ''), String(error.stack ?? ''), JSON.stringify(error.context ?? {}));
		parts.push(JSON.stringify(error.messages ?? []), JSON.stringify(error.errorResponse ?? null), JSON.stringify(error));
		// the cause chain, as n8n's error details show it
		for (let cause = (error as { cause?: unknown }).cause, depth = 0; cause && depth < 5; depth++) {
			parts.push(cause instanceof Error ? `${cause.message} ${String(cause.stack)}` : JSON.stringify(cause));
			cause = (cause as { cause?: unknown }).cause;
		}
	}
	parts.push(...outcome.logs, JSON.stringify(outcome.customData));
	return parts.join('\n');
}
