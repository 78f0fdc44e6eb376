import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * How one `aiStudiosApi` credential serves AI Studios' two APIs. The credential has no version
 * selector: it is read by the fields it holds (App ID + User Key serve v3, API Key serves v2, a
 * credential holding both serves both), and the node's API Version decides which set a request
 * uses.
 */
export type AiStudiosApiVersion = 'v2' | 'v3';

export const AI_STUDIOS_V3_BASE_URL = 'https://app.aistudios.com';
export const AI_STUDIOS_V2_BASE_URL = 'https://v2.aistudios.com';
/**
 * The Base URL every credential saved before v3 holds: it was the field's default, and is v2's
 * former host. Such a credential keeps sending its v2 requests there, exactly as before; for v3 it
 * reads as "AI Studios' own host" (the same company's v3 address), so adding an App ID and a User
 * Key to an old credential works without clearing the field.
 */
export const AI_STUDIOS_LEGACY_BASE_URL = 'https://aistudios.com';

/** Exchanged tokens live 24 hours from issue (reference/auth.md). */
export const AI_STUDIOS_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

export function hasV3Keys(credentials: ICredentialDataDecryptedObject): boolean {
	return filled(credentials.appId) && filled(credentials.userKey);
}

export function hasV2Key(credentials: ICredentialDataDecryptedObject): boolean {
	return filled(credentials.apiKey);
}

const trimmed = (url: string) => url.trim().replace(/\/+$/, '');

/**
 * The host a version's requests go to. The Base URL's default is empty, so that each version
 * falls back to its own documented host; a filled Base URL (proxy, sandbox) serves both.
 */
export function aiStudiosBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	version: AiStudiosApiVersion,
): string {
	const given = typeof credentials.baseUrl === 'string' ? trimmed(credentials.baseUrl) : '';
	if (version === 'v2') return given || AI_STUDIOS_V2_BASE_URL;
	return given === '' || given.toLowerCase() === AI_STUDIOS_LEGACY_BASE_URL
		? AI_STUDIOS_V3_BASE_URL
		: given;
}

/**
 * The credential as one version's requests see it: its own host and only its own keys, so that v2
 * requests never start a token exchange (preAuthentication reads the keys it is given) and a v2
 * key is never sent to the v3 API.
 */
export function credentialsForVersion(
	credentials: ICredentialDataDecryptedObject,
	version: AiStudiosApiVersion,
): ICredentialDataDecryptedObject {
	const view = { ...credentials, baseUrl: aiStudiosBaseUrl(credentials, version) };
	return version === 'v2' ? { ...view, appId: '', userKey: '' } : { ...view, apiKey: '' };
}

/** Whether the credential holds the keys of `version`. */
export function servesVersion(
	credentials: ICredentialDataDecryptedObject,
	version: AiStudiosApiVersion,
): boolean {
	return version === 'v3' ? hasV3Keys(credentials) : hasV2Key(credentials);
}
