import type {
	ICredentialDataDecryptedObject,
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
