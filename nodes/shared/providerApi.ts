import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { ProviderName } from './jobContract';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

/** A provider whose token is exchanged (login or API key) by the credential's preAuthentication. */
export interface TokenSession {
	/** Whether these credentials exchange something for a token (else a pasted token is used). */
	exchanges(credentials: ICredentialDataDecryptedObject): boolean;
	/** Statuses with which the provider refuses an expired or unknown token. */
	refusedStatuses: number[];
}

/**
 * What the request layer knows of one provider's API; each provider's transport.ts defines its own.
 */
export interface ProviderApi {
	provider: ProviderName;
	displayName: string;
	credentialType: string;
	/**
	 * The provider's error message in a successful (2xx) body that reports a failure, else undefined.
	 */
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

/** Builds a path whose interpolated segments are URL-encoded: `apiPath\`/status/${id}\``. */
export function apiPath(
	strings: TemplateStringsArray,
	...segments: Array<string | number>
): string {
	return strings.reduce(
		(path, part, i) =>
			path + part + (i < segments.length ? encodeURIComponent(String(segments[i])) : ''),
		'',
	);
}

export function baseUrlOf(credentials: ICredentialDataDecryptedObject, fallback: string): string {
	const raw =
		typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim()
			? credentials.baseUrl.trim()
			: fallback;
	return raw.replace(/\/+$/, '');
}
