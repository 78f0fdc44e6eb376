/**
 * The credentials of an execution and the exchanged-token session.
 *
 * Relies on n8n's CredentialsHelper.preAuthentication (n8n 2.41: `Object.assign(credentials,
 * output)`)
 * writing the renewed token into the very credentials object handed to
 * httpRequestWithAuthentication
 * as `credentialsDecrypted.data`: that is how the token renewed for one request reaches the others.
 * Pinned in a real n8n by test/e2e/aiStudios.e2e.test.ts ("…one token for the batch…": one token
 * request for three submits) and with the fake context by test/reliability/tokens.test.ts. Should
 * n8n
 * stop writing it back, the renewal's error says so (RENEWED_NOT_WRITTEN_BACK).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { readFailure, settle } from './failure';
import type { ApiContext, ProviderApi, TokenSession } from './providerApi';

/**
 * Exchanged tokens live hours (CDNvideo 6 h, HiDream 1 day): one refused sooner after its renewal
 * is not expired.
 */
const FRESH_TOKEN_MS = 5 * 60_000;

export const RENEWED_NOT_WRITTEN_BACK =
	'the token was renewed, but n8n did not write it into the credentials it was handed (their ' +
	"sessionToken is still empty): this n8n version's preAuthentication behaves otherwise than n8n " +
	"2.41's";

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
	/** Why the last renewal left no token: said to the requests that waited for it. */
	renewalFailure?: string;
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
export async function credentialsOf(
	ctx: ApiContext,
	credentialType: string,
): Promise<ICredentialDataDecryptedObject> {
	return await stateFor(ctx, credentialType).credentials;
}

/**
 * Sends through `sender` (the execution's context, or a view of it) with the execution's
 * credentials
 * (`stored`: as this API sees them), renewing an exchanged token once when it expired or is
 * refused.
 */
export async function sendAuthenticated(
	ctx: ApiContext,
	sender: ApiContext,
	api: ProviderApi,
	stored: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<unknown> {
	const state = stateFor(ctx, api.credentialType);
	const session = api.session;
	// n8n's own refresh-and-resend (on 401 by default) is turned off: it would resend a refused
	// submit, and renew a token once per request instead of once per execution, as done below.
	const send = async (credentials: ICredentialDataDecryptedObject) =>
		await sender.helpers.httpRequestWithAuthentication.call(
			sender,
			api.credentialType,
			{ ...request },
			{
				preAuthenticationRetryStatusCode: [],
				credentialsDecrypted: decrypted(sender, api, credentials),
			},
		);
	const live = (state.live ??= { ...stored });
	if (!session || !session.exchanges(stored)) return await send(live);
	// Every item would try a refused login again, and CDNvideo locks an account after 7 refused
	// logins: one failed exchange fails the rest of the execution's requests without sending them.
	if (state.exchangeFailure !== undefined) throw state.exchangeFailure;
	const sent = await settle(sendInSession(session, state, stored, live, send));
	if ('value' in sent) return sent.value;
	const failure = readFailure(sent.error);
	// No HTTP status and no network code: n8n stopped before sending, because the exchange failed.
	if (failure.status === undefined && failure.code === undefined)
		state.exchangeFailure = sent.error;
	throw sent.error;
}

type Send = (credentials: ICredentialDataDecryptedObject) => Promise<unknown>;

/** Sends with the stored or the renewed token, renewing it once when it expired or is refused. */
async function sendInSession(
	session: TokenSession,
	state: CallState,
	stored: ICredentialDataDecryptedObject,
	live: ICredentialDataDecryptedObject,
	send: Send,
): Promise<unknown> {
	const generation = state.generation;
	const sentWith = state.renewed ?? live;
	if (isExpired(sentWith)) return await renewAndSend(state, generation, stored, send);
	const first = await settle(send(sentWith));
	if ('value' in first) return first.value;
	const status = readFailure(first.error).status;
	if (status === undefined || !session.refusedStatuses.includes(status)) throw first.error;
	// A token renewed minutes ago and refused already is not refused for its age (a wrong account
	// name, say): renewing it again would log in once per item.
	if (sentWith === state.renewed && Date.now() - (state.renewedAt ?? 0) < FRESH_TOKEN_MS)
		throw first.error;
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
	send: Send,
): Promise<unknown> {
	if (state.generation === seenGeneration && !state.renewal) {
		const fresh: ICredentialDataDecryptedObject = {
			...stored,
			sessionToken: '',
			sessionExpiresAt: '',
		};
		let sent: { value: unknown } | { error: unknown } = { error: undefined };
		state.renewal = (async () => {
			sent = await settle(send(fresh));
			// n8n's preAuthentication writes the new token into the object it was handed (see the
			// header).
			if (fresh.sessionToken) {
				state.renewed = fresh;
				state.renewedAt = Date.now();
				state.renewalFailure = undefined;
			} else {
				state.renewalFailure =
					'value' in sent ? RENEWED_NOT_WRITTEN_BACK : 'the token could not be renewed';
			}
			state.generation++;
			state.renewal = undefined;
		})();
		await state.renewal;
		if ('value' in sent) return sent.value;
		throw sent.error;
	}
	if (state.renewal) await state.renewal;
	if (!state.renewed) throw new Error(state.renewalFailure ?? 'the token could not be renewed');
	return await send(state.renewed);
}

function isExpired(credentials: ICredentialDataDecryptedObject): boolean {
	const expiresAt = Number(credentials.sessionExpiresAt);
	// A minute's margin: a token that dies in flight costs a refused request and a retry.
	return (
		Boolean(credentials.sessionToken) &&
		Number.isFinite(expiresAt) &&
		expiresAt > 0 &&
		Date.now() > expiresAt - 60_000
	);
}

function decrypted(
	ctx: ApiContext,
	api: ProviderApi,
	data: ICredentialDataDecryptedObject,
): ICredentialsDecrypted {
	const ref = ctx.getNode().credentials?.[api.credentialType];
	return {
		id: ref?.id ?? '',
		name: ref?.name ?? api.credentialType,
		type: api.credentialType,
		data,
	};
}
