import {
	NodeOperationError,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { apiError, ProviderError, refusalError, type FailedCall } from './errors';
import { readFailure, unreadableAnswer } from './failure';
import { baseUrlOf, type ApiContext, type ProviderApi } from './providerApi';
import { FIRST_TRY, nextTry, type RetryRules } from './retryPolicy';
import { credentialsOf, sendAuthenticated } from './tokenSession';
import { ExecutionStopped, pause, submitPacer } from './timing';

/** One request: what is sent, and the item and job it is about. */
export interface ApiCall {
	method: IHttpRequestMethods;
	/** Relative path built with `apiPath`, so ids are encoded and stay inside the base URL. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Sent as application/x-www-form-urlencoded instead of JSON. */
	form?: Record<string, string>;
	itemIndex?: number;
	/** Job this call is about, named in errors so a created job is never lost. */
	jobId?: string;
}

/** How a job-creating submit is held back: by a pacer, and how long 429s are waited out. */
export interface SubmitLimits {
	/**
	 * At most `max` submits per `windowMs` for this credential, counted apart per `family` where the
	 * provider limits kinds of jobs separately (HiDream: stylization, generation).
	 */
	pacing?: { max: number; windowMs: number; family?: string };
	/** See RetryRules.rateLimitPatienceMs. */
	rateLimitPatienceMs?: number;
}

const TIMEOUT_MS = 60_000;

/**
 * A read (status, result, list, anything that creates no job): retried on 429, 5xx and network
 * errors.
 */
export async function readRequest<T = unknown>(
	ctx: ApiContext,
	api: ProviderApi,
	call: ApiCall,
): Promise<T> {
	return await send<T>(ctx, api, call, {
		rules: { repeats: 'read', rateWindowMs: api.rateWindowMs },
	});
}

/**
 * A request that may create a paid job: paced, 429s waited out, and repeated only when the provider
 * certainly did not get it (a connection never made), never after an answer that may hide a new
 * job.
 */
export async function submitRequest<T = unknown>(
	ctx: ApiContext,
	api: ProviderApi,
	call: ApiCall,
	limits: SubmitLimits = {},
): Promise<T> {
	const rules: RetryRules = {
		repeats: 'submit',
		rateWindowMs: api.rateWindowMs,
		rateLimitPatienceMs: limits.rateLimitPatienceMs,
	};
	return await send<T>(ctx, api, call, { rules, pacing: limits.pacing });
}

/**
 * A cancel sent after the execution was stopped (to end its renders at the provider): n8n aborts
 * every request of a stopped execution with its signal, so this one goes through a view of the
 * context that has none. Retried like a read.
 */
export async function cancelAfterStopRequest(
	ctx: ApiContext,
	api: ProviderApi,
	call: ApiCall,
): Promise<unknown> {
	return await send(ctx, api, call, {
		rules: { repeats: 'read', rateWindowMs: api.rateWindowMs },
		afterStop: true,
	});
}

/**
 * One request to a provider through n8n's authenticated client: the credential's base URL, its
 * auth header, token renewal where the provider exchanges one, repeats as `rules` allow
 * (Retry-After honoured), and provider errors turned into NodeApiError with the provider's
 * message — secrets removed.
 */
async function send<T>(
	ctx: ApiContext,
	api: ProviderApi,
	call: ApiCall,
	{
		rules,
		pacing,
		afterStop,
	}: { rules: RetryRules; pacing?: SubmitLimits['pacing']; afterStop?: true },
): Promise<T> {
	const stored = await credentialsOf(ctx, api.credentialType);
	const credentials = api.credentialsFor?.(stored) ?? stored;
	const baseUrl = baseUrlOf(credentials, api.defaultBaseUrl ?? '');
	if (!/^https?:\/\//i.test(baseUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${api.displayName} credential's Base URL must start with http:// or https://`,
			{ itemIndex: call.itemIndex },
		);
	}
	const signal =
		afterStop || !('getExecutionCancelSignal' in ctx) ? undefined : ctx.getExecutionCancelSignal();
	const sender: ApiContext = afterStop
		? Object.create(ctx, { getExecutionCancelSignal: { value: () => undefined } })
		: ctx;
	const request = requestOf(call, baseUrl);
	const failed: FailedCall = {
		displayName: api.displayName,
		itemIndex: call.itemIndex,
		jobId: call.jobId,
		submit: rules.repeats === 'submit',
		hints: api.hints,
	};
	const credentialId = ctx.getNode().credentials?.[api.credentialType]?.id ?? '';
	const pacerKey = `${api.credentialType}:${credentialId}${pacing?.family ? `:${pacing.family}` : ''}`;
	const pacer = pacing && submitPacer(pacerKey, pacing.max, pacing.windowMs);
	let tries = FIRST_TRY;
	for (;;) {
		let thrown: unknown;
		try {
			const answered = await pacer?.acquire(signal);
			const response = (await sendAuthenticated(ctx, sender, api, credentials, request).finally(
				() => answered?.(),
			)) as { body: unknown; statusCode?: number };
			// Every endpoint answers a JSON object (or nothing): text is JSON that did not parse.
			if (typeof response.body === 'string' && response.body.trim() !== '')
				throw unreadableAnswer('the answer is not valid JSON');
			const refusal = api.bodyError?.(response.body);
			if (refusal === undefined) return response.body as T;
			thrown = refusalError(ctx.getNode(), failed, stored, {
				status: response.statusCode ?? 200,
				said: refusal,
				answer: response.body,
			});
		} catch (error) {
			thrown = error;
		}
		// Decided outside the catch: everything that leaves here is a NodeApiError or a stop.
		if (thrown instanceof ExecutionStopped || thrown instanceof ProviderError) throw thrown;
		let failure = readFailure(thrown);
		// A success status with an error: the answer broke off in transit.
		if (failure.status !== undefined && failure.status >= 200 && failure.status < 300)
			failure = readFailure(unreadableAnswer(failure.message));
		if (signal?.aborted || failure.code === 'ERR_CANCELED') throw new ExecutionStopped();
		const next = nextTry(failure, tries, rules);
		if (!next) throw apiError(ctx.getNode(), failed, stored, failure);
		tries = next.tries;
		await pause(next.delayMs, signal);
	}
}

function requestOf(call: ApiCall, baseUrl: string): IHttpRequestOptions {
	const request: IHttpRequestOptions = {
		method: call.method,
		url: `${baseUrl}${call.path}`,
		qs: call.qs,
		json: true,
		timeout: TIMEOUT_MS,
		// Credentials go to the base URL only: a redirect is reported, never followed with them.
		disableFollowRedirect: true,
		returnFullResponse: true,
	};
	if (call.form) {
		request.body = new URLSearchParams(call.form).toString();
		request.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	} else if (call.body !== undefined) {
		request.body = call.body;
	}
	return request;
}
