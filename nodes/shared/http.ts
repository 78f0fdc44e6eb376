import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import type { ProviderName } from './jobContract';
import { backoffDelay, ExecutionStopped, pause, retryAfterMs, submitPacer } from './timing';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

/** A provider whose token is exchanged (login or API key) by the credential's preAuthentication. */
export interface TokenSession {
	/** Whether these credentials exchange something for a token (else a pasted token is used). */
	exchanges(credentials: ICredentialDataDecryptedObject): boolean;
	/** Statuses with which the provider refuses an expired or unknown token. */
	refusedStatuses: number[];
}

export interface ProviderApi {
	provider: ProviderName;
	displayName: string;
	credentialType: string;
	/** The provider's error message in a successful (2xx) body that reports a failure, else undefined. */
	bodyError?(body: unknown): string | undefined;
	session?: TokenSession;
	/** What to tell the user for an HTTP status, beyond the provider's own message. */
	hints?: Partial<Record<number, string>>;
	/** How long a 429 without Retry-After is waited out: the provider's rate window. */
	rateWindowMs?: number;
	/** Used when the credential's Base URL is left empty. */
	defaultBaseUrl?: string;
	/**
	 * The credential as this API's requests see it, where one credential serves several APIs
	 * (AI Studios v2 and v3): requests, token exchange and authentication get this view.
	 */
	credentialsFor?(stored: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
}

export interface ApiCall {
	method: IHttpRequestMethods;
	/** Relative path built with `apiPath`, so ids are encoded and stay inside the base URL. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Sent as application/x-www-form-urlencoded instead of JSON. */
	form?: Record<string, string>;
	itemIndex?: number;
	/**
	 * The request may create a paid job: it is repeated only when the provider certainly refused it
	 * (429, or a connection that was never made), never after an answer that may hide a new job.
	 */
	createsJob?: boolean;
	/** Set false where a 2xx body that reports failure is data, not an error (a failed render). */
	checkBody?: boolean;
	timeoutMs?: number;
	/** Job this call is about, named in errors so a created job is never lost. */
	jobId?: string;
	/** Sent even though the execution was stopped (to cancel its renders at the provider). */
	afterStop?: boolean;
	/**
	 * Paces job-creating calls: at most `max` per `windowMs` for this credential, counted apart per
	 * `family` where the provider limits kinds of jobs separately (HiDream: stylization, generation).
	 */
	pacing?: { max: number; windowMs: number; family?: string };
	/**
	 * How long 429s are waited out in all, where that is longer than MAX_RATE_LIMIT_WAITS tries
	 * (kvid: a concurrency slot frees only when a render ends). Beyond those tries each wait is at
	 * least the provider's rate window (else 1 s), so a Retry-After of 0 is no busy loop.
	 */
	rateLimitPatienceMs?: number;
}

const SECRET_FIELDS = ['apiKey', 'token', 'password', 'sessionToken', 'userKey'];
const RETRYABLE_STATUSES = [500, 502, 503, 504];
/** axios' code for an answer it could not read; also given to a 2xx answer that is not JSON. */
const UNREADABLE = 'ERR_BAD_RESPONSE';
const NETWORK_RETRY_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', UNREADABLE];
const MAX_ATTEMPTS = 4;
const MAX_RATE_LIMIT_WAITS = 8;
const DEFAULT_TIMEOUT_MS = 60_000;
/** Exchanged tokens live hours (CDNvideo 6 h, HiDream 1 day): one refused sooner after its renewal is not expired. */
const FRESH_TOKEN_MS = 5 * 60_000;

/** Builds a path whose interpolated segments are URL-encoded: `apiPath\`/status/${id}\``. */
export function apiPath(strings: TemplateStringsArray, ...segments: Array<string | number>): string {
	return strings.reduce((path, part, i) => path + part + (i < segments.length ? encodeURIComponent(String(segments[i])) : ''), '');
}

interface CallState {
	credentials: Promise<ICredentialDataDecryptedObject>;
	/**
	 * The credentials handed to n8n with every request of this execution, so n8n does not load and
	 * decrypt them again for each one; n8n's preAuthentication writes an exchanged token into it.
	 */
	live?: ICredentialDataDecryptedObject;
	/** Credentials holding a token renewed during this execution, sent instead of the stored ones. */
	renewed?: ICredentialDataDecryptedObject;
	renewal?: Promise<void>;
	generation: number;
	/** Why the token exchange (login) failed in this execution: it is not tried again. */
	exchangeFailure?: unknown;
	renewedAt?: number;
}

const states = new WeakMap<object, Map<string, CallState>>();

function stateFor(ctx: ApiContext, credentialType: string): CallState {
	let byType = states.get(ctx);
	if (!byType) states.set(ctx, (byType = new Map()));
	let state = byType.get(credentialType);
	if (!state) {
		state = { credentials: ctx.getCredentials(credentialType), generation: 0 };
		state.credentials.catch(() => undefined);
		byType.set(credentialType, state);
	}
	return state;
}

/** The credentials of this execution, read once (n8n decrypts them on every read). */
export async function credentialsOf(ctx: ApiContext, credentialType: string): Promise<ICredentialDataDecryptedObject> {
	return await stateFor(ctx, credentialType).credentials;
}

/** Replaces every secret of the credentials found in `text` by ***. */
export function redactSecrets(text: string, credentials: ICredentialDataDecryptedObject | undefined): string {
	if (!credentials) return text;
	let out = text;
	for (const field of SECRET_FIELDS) {
		const secret = credentials[field];
		if (typeof secret === 'string' && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out;
}

export function baseUrlOf(credentials: ICredentialDataDecryptedObject, fallback: string): string {
	const raw = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() ? credentials.baseUrl.trim() : fallback;
	return raw.replace(/\/+$/, '');
}

/**
 * One request to a provider through n8n's authenticated client: the credential's base URL, its
 * auth header, retries of reads on 429/5xx/network errors (Retry-After honoured), 429s waited out
 * for job-creating POSTs, token renewal where the provider exchanges one, and provider errors
 * turned into NodeApiError with the provider's message — secrets removed.
 */
export async function callApi<T = unknown>(ctx: ApiContext, api: ProviderApi, call: ApiCall): Promise<T> {
	const state = stateFor(ctx, api.credentialType);
	const stored = await state.credentials;
	const credentials = api.credentialsFor?.(stored) ?? stored;
	const baseUrl = baseUrlOf(credentials, api.defaultBaseUrl ?? '');
	if (!/^https?:\/\//i.test(baseUrl)) {
		throw new NodeOperationError(ctx.getNode(), `The ${api.displayName} credential's Base URL must start with http:// or https://`, { itemIndex: call.itemIndex });
	}
	const signal = call.afterStop || !('getExecutionCancelSignal' in ctx) ? undefined : ctx.getExecutionCancelSignal();
	// n8n aborts every request of a stopped execution with its signal; a cancel sent after the stop
	// goes through a view of the context that has no signal.
	const sender: ApiContext = call.afterStop ? Object.create(ctx, { getExecutionCancelSignal: { value: () => undefined } }) : ctx;
	const request: IHttpRequestOptions = {
		method: call.method,
		url: `${baseUrl}${call.path}`,
		qs: call.qs,
		json: true,
		timeout: call.timeoutMs ?? DEFAULT_TIMEOUT_MS,
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

	const pacerKey = `${api.credentialType}:${ctx.getNode().credentials?.[api.credentialType]?.id ?? ''}${call.pacing?.family ? `:${call.pacing.family}` : ''}`;
	const pacer = call.pacing && submitPacer(pacerKey, call.pacing.max, call.pacing.windowMs);
	let attempt = 0;
	let rateLimitWaits = 0;
	let rateLimitWaitedMs = 0;
	for (;;) {
		let thrown: unknown;
		try {
			const answered = await pacer?.acquire(signal);
			const response = (await sendAuthenticated(sender, api, state, credentials, request).finally(() => answered?.())) as { body: unknown };
			// Every endpoint answers a JSON object (or nothing): text is JSON that did not parse.
			if (typeof response.body === 'string' && response.body.trim() !== '') throw unreadableAnswer('the answer is not valid JSON');
			const refusal = call.checkBody === false ? undefined : api.bodyError?.(response.body);
			if (refusal === undefined) return response.body as T;
			thrown = apiError(ctx, api, call, stored, { status: 200, message: refusal, body: response.body });
		} catch (error) {
			thrown = error;
		}
		// Decided outside the catch: everything that leaves here is a NodeApiError or a stop.
		if (thrown instanceof ExecutionStopped || (thrown instanceof NodeApiError && (thrown as ProviderError).fromProvider)) throw thrown;
		let failure = readFailure(thrown);
		// A success status with an error: the answer broke off in transit.
		if (failure.status !== undefined && failure.status >= 200 && failure.status < 300) failure = readFailure(unreadableAnswer(failure.message));
		if (signal?.aborted || failure.code === 'ERR_CANCELED') throw new ExecutionStopped();
		const neverSent = failure.status === undefined && failure.code === 'ECONNREFUSED';
		let delay: number;
		if (failure.status === 429 && (rateLimitWaits < MAX_RATE_LIMIT_WAITS || rateLimitWaitedMs < (call.rateLimitPatienceMs ?? 0))) {
			rateLimitWaits++;
			delay = failure.retryAfterMs ?? Math.max(api.rateWindowMs ?? 0, backoffDelay(rateLimitWaits, 2_000, 60_000));
			if (rateLimitWaits > MAX_RATE_LIMIT_WAITS) delay = Math.max(delay, api.rateWindowMs ?? 1_000);
			rateLimitWaitedMs += delay;
		} else if (attempt + 1 < MAX_ATTEMPTS && (call.createsJob ? neverSent : isTransient(failure))) {
			delay = failure.retryAfterMs ?? backoffDelay(attempt, 500, 30_000);
			attempt++;
		} else {
			throw apiError(ctx, api, call, stored, failure);
		}
		await pause(delay, signal);
	}
}

/** A 2xx answer that cannot be read (garbled or cut short): retried like a network failure, never taken as data. */
function unreadableAnswer(why: string): Error {
	return Object.assign(new Error(why), { code: UNREADABLE });
}

interface ProviderError extends NodeApiError {
	fromProvider?: true;
}

/** Sends with the stored credentials, renewing an exchanged token once when it expired or is refused. */
async function sendAuthenticated(
	ctx: ApiContext,
	api: ProviderApi,
	state: CallState,
	stored: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<unknown> {
	const session = api.session;
	// n8n's own refresh-and-resend (on 401 by default) is turned off: it would resend a refused
	// submit, and renew a token once per request instead of once per execution, as done below.
	const send = async (credentials: ICredentialDataDecryptedObject) =>
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, api.credentialType, { ...request }, {
			preAuthenticationRetryStatusCode: [],
			credentialsDecrypted: decrypted(ctx, api, credentials),
		});
	const live = (state.live ??= { ...stored });
	if (!session || !session.exchanges(stored)) return await send(live);
	// Every item would try a refused login again, and CDNvideo locks an account after 7 refused
	// logins: one failed exchange fails the rest of the execution's requests without sending them.
	if (state.exchangeFailure !== undefined) throw state.exchangeFailure;
	const sent = await sendInSession(session, state, stored, live, send).then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if (!('error' in sent)) return sent.value;
	const failure = readFailure(sent.error);
	// No HTTP status and no network code: n8n stopped before sending, because the exchange failed.
	if (failure.status === undefined && failure.code === undefined) state.exchangeFailure = sent.error;
	throw sent.error;
}

/** Sends with the stored or the renewed token, renewing it once when it expired or is refused. */
async function sendInSession(
	session: TokenSession,
	state: CallState,
	stored: ICredentialDataDecryptedObject,
	live: ICredentialDataDecryptedObject,
	send: (credentials: ICredentialDataDecryptedObject) => Promise<unknown>,
): Promise<unknown> {
	const generation = state.generation;
	const sentWith = state.renewed ?? live;
	if (isExpired(sentWith)) return await renewAndSend(state, generation, stored, send);
	const first = await send(sentWith).then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if (!('error' in first)) return first.value;
	const status = readFailure(first.error).status;
	if (status === undefined || !session.refusedStatuses.includes(status)) throw first.error;
	// A token renewed minutes ago and refused already is not refused for its age (a wrong account
	// name, say): renewing it again would log in once per item.
	if (sentWith === state.renewed && Date.now() - (state.renewedAt ?? 0) < FRESH_TOKEN_MS) throw first.error;
	return await renewAndSend(state, generation, stored, send);
}

/**
 * Renews the token once per execution however many requests saw it refused: the first one sends
 * its request with an emptied token, which makes n8n run the credential's preAuthentication (and
 * save the new token); the others wait for that, then resend with the new token.
 */
async function renewAndSend(
	state: CallState,
	seenGeneration: number,
	stored: ICredentialDataDecryptedObject,
	send: (credentials: ICredentialDataDecryptedObject) => Promise<unknown>,
): Promise<unknown> {
	if (state.generation === seenGeneration && !state.renewal) {
		const fresh: ICredentialDataDecryptedObject = { ...stored, sessionToken: '', sessionExpiresAt: '' };
		let result: unknown;
		let failure: unknown;
		let sent = false;
		state.renewal = (async () => {
			try {
				result = await send(fresh);
				sent = true;
			} catch (error) {
				failure = error;
			}
			// n8n's preAuthentication writes the new token into the object it was handed.
			if (fresh.sessionToken) {
				state.renewed = fresh;
				state.renewedAt = Date.now();
			}
			state.generation++;
			state.renewal = undefined;
		})();
		await state.renewal;
		if (sent) return result;
		throw failure;
	}
	if (state.renewal) await state.renewal;
	if (!state.renewed) throw new Error('the token could not be renewed');
	return await send(state.renewed);
}

function isExpired(credentials: ICredentialDataDecryptedObject): boolean {
	const expiresAt = Number(credentials.sessionExpiresAt);
	// A minute's margin: a token that dies in flight costs a refused request and a retry.
	return Boolean(credentials.sessionToken) && Number.isFinite(expiresAt) && expiresAt > 0 && Date.now() > expiresAt - 60_000;
}

function decrypted(ctx: ApiContext, api: ProviderApi, data: ICredentialDataDecryptedObject): ICredentialsDecrypted {
	const ref = ctx.getNode().credentials?.[api.credentialType];
	return { id: ref?.id ?? '', name: ref?.name ?? api.credentialType, type: api.credentialType, data };
}

export interface Failure {
	status?: number;
	code?: string;
	message: string;
	body?: unknown;
	retryAfterMs?: number;
}

/** Reads status, body and Retry-After from whatever n8n's client threw (it wraps axios errors). */
export function readFailure(error: unknown): Failure {
	let e = error as IDataObject | undefined;
	for (let depth = 0; e && depth < 5; depth++) {
		const response = e.response as IDataObject | undefined;
		if (response && typeof response.status === 'number') {
			return {
				status: response.status,
				body: response.data ?? response.body,
				retryAfterMs: retryAfterMs(response.headers),
				message: String(e.message ?? ''),
			};
		}
		if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return { code: e.code, message: String(e.message ?? e.code) };
		e = e.cause as IDataObject | undefined;
	}
	const top = error as IDataObject | undefined;
	const httpCode = Number(top?.httpCode);
	if (Number.isInteger(httpCode) && httpCode >= 100) return { status: httpCode, message: String(top?.message ?? '') };
	return { message: String(top?.message ?? error) };
}

function isTransient(failure: Failure): boolean {
	if (failure.status !== undefined) return RETRYABLE_STATUSES.includes(failure.status);
	return failure.code !== undefined ? NETWORK_RETRY_CODES.includes(failure.code) : /timeout|socket hang up|aborted/i.test(failure.message);
}

/** The provider's own words from an error body: message/msg/error/detail, or the text itself. */
export function providerMessage(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return providerMessage(body.toString('utf8'));
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('{')) {
			try {
				return providerMessage(JSON.parse(text));
			} catch {
				// not JSON after all
			}
		}
		if (/^<(!doctype|html)/i.test(text)) return undefined;
		return text.slice(0, 300);
	}
	if (typeof body === 'object') {
		const o = body as IDataObject;
		for (const key of ['message', 'msg', 'error', 'detail', 'errors', 'code']) {
			const v = o[key];
			if (typeof v === 'string' && v) return v;
			if (v && typeof v === 'object') {
				const nested = providerMessage(v);
				if (nested) return nested;
			}
		}
		const text = JSON.stringify(body);
		return text === '{}' ? undefined : text.slice(0, 300);
	}
	return String(body);
}

function apiError(
	ctx: ApiContext,
	api: ProviderApi,
	call: ApiCall,
	credentials: ICredentialDataDecryptedObject,
	failure: Failure,
): NodeApiError {
	// A 2xx refusal carries the provider's words as read by its bodyError; others are read from the body.
	const said = failure.status === 200 ? failure.message : (providerMessage(failure.body) ?? failure.message);
	const job = call.jobId ? ` (job ${call.jobId})` : '';
	let message: string;
	let hint: string | undefined;
	if (failure.status === undefined && failure.code === undefined) {
		// Not an answer and not a network failure: n8n refused before sending (e.g. the credential's
		// token exchange failed), and its message says why.
		message = `${api.displayName}${job}: ${failure.message}`;
		hint = 'Check the credential.';
	} else if (failure.status === undefined) {
		message =
			failure.code === UNREADABLE
				? `${api.displayName} sent an answer that could not be read${job}: ${failure.message}`
				: `Could not reach ${api.displayName}${job}: ${failure.code ?? failure.message}`;
		hint = call.createsJob
			? 'The submit was not repeated: the provider may have received it. Check its job list before submitting again.'
			: "Check the credential's Base URL and that the provider is reachable.";
	} else if (failure.status >= 300 && failure.status < 400) {
		message = `${api.displayName} redirected the request (HTTP ${failure.status})${job}`;
		hint = "Credentials are only sent to the credential's Base URL: set it to the address the provider redirects to.";
	} else {
		message = `${api.displayName} ${failure.status === 200 ? 'refused the request' : `answered HTTP ${failure.status}`}${job}${said ? `: ${said}` : ''}`;
		hint = api.hints?.[failure.status] ?? defaultHint(failure.status, call);
	}
	const safeMessage = redactSecrets(message, credentials);
	const error = new NodeApiError(
		ctx.getNode(),
		// n8n keeps this object and lists its message in the error details: redacted too
		{ message: safeMessage, httpCode: failure.status === undefined ? null : String(failure.status) } as JsonObject,
		{
			message: safeMessage,
			description: hint && redactSecrets(hint, credentials),
			httpCode: failure.status === undefined ? undefined : String(failure.status),
			itemIndex: call.itemIndex,
		},
	) as ProviderError;
	// n8n swaps a message that mentions a network error code (ECONNRESET…) for a generic sentence,
	// which would drop the provider's name and the job's id.
	error.message = safeMessage;
	error.fromProvider = true;
	if (call.jobId) error.context.jobId = call.jobId;
	error.context.providerStatus = failure.status ?? null;
	return error;
}

function defaultHint(status: number, call: ApiCall): string | undefined {
	if (status === 401 || status === 403) return 'Check the credential: the provider did not accept it for this request.';
	if (status === 404) return call.jobId ? 'The provider does not know this job: check the jobId and the credential (jobs belong to one account).' : undefined;
	if (status === 429) return 'The provider kept answering "too many requests"; try again later or lower the submit rate.';
	if (status >= 500) {
		return call.createsJob
			? 'The submit was not repeated, because the provider may have created the job anyway. Check its job list before submitting again.'
			: 'The provider failed several times in a row; try again later.';
	}
	return undefined;
}
