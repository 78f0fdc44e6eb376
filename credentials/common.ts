import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Hidden fields n8n fills from a credential's preAuthentication and stores with it: the exchanged
 * token (expirable: n8n runs preAuthentication while it is empty) and when it stops working, which
 * the nodes' request helper reads to renew it in time.
 */
export const sessionTokenFields: INodeProperties[] = [
	{
		displayName: 'Session Token',
		name: 'sessionToken',
		type: 'hidden',
		typeOptions: { expirable: true, password: true },
		default: '',
	},
	{
		displayName: 'Session Expires At',
		name: 'sessionExpiresAt',
		type: 'hidden',
		default: '',
	},
];

/** Base URL: the only address the credential's secrets are sent to. */
export function baseUrlField(defaultUrl: string): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		required: true,
		default: defaultUrl,
		description:
			"Change only for a proxy, a regional host or a test server. The credential's secrets are sent to this address only.",
	};
}

/**
 * An `authenticate` that puts the API key in one header. A function rather than a generic
 * `{{$credentials.apiKey}}`: n8n would evaluate that expression on every request.
 */
export function apiKeyHeader(header: string) {
	return async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, [header]: String(credentials.apiKey ?? '') },
	});
}

/** What the user is told when a token exchange (login) fails. */
export interface ExchangeFailure {
	/** no HTTP answer at all */
	unreachable: string;
	/** an HTTP error answer: its status and body */
	refused(status: number, body: unknown): string;
}

/**
 * A credential's token exchange (login) request, as JSON, redirects not followed. A failure is
 * thrown without the HTTP response on purpose: n8n repeats a request whose error carries a 401 by
 * running the exchange again, which would only be refused a second time (and CDNvideo counts every
 * refused login towards locking the account). A refused token is renewed once per execution by the
 * nodes' request helper, not here. A plain Error: preAuthentication runs without a node, and n8n
 * shows its message with the credential.
 */
export async function exchangeRequest<T>(
	helper: IHttpRequestHelper,
	request: IHttpRequestOptions,
	failure: ExchangeFailure,
): Promise<T> {
	const sent = await helper.helpers
		.httpRequest({ ...request, json: true, disableFollowRedirect: true })
		.then(
			(answer: unknown) => ({ answer: answer as T }),
			(error: unknown) => ({ error }),
		);
	if ('answer' in sent) return sent.answer;
	const response = (sent.error as { response?: { status?: number; data?: unknown } }).response;
	throw new Error(
		response?.status === undefined
			? failure.unreachable
			: failure.refused(response.status, response.data),
	);
}
