import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	AI_STUDIOS_LEGACY_BASE_URL,
	AI_STUDIOS_TOKEN_LIFETIME_MS,
	AI_STUDIOS_V2_BASE_URL,
	AI_STUDIOS_V3_BASE_URL,
	aiStudiosBaseUrl,
	hasV3Keys,
} from './aiStudiosAccess';
import { apiKeyHeader, exchangeRequest, sessionTokenFields } from './common';

/**
 * The v3 token exchange's answer: `{success, data: {token}}`, or `{success: false, error: {code,
 * msg}}`.
 */
interface TokenAnswer {
	success?: boolean;
	data?: { token?: unknown };
	token?: unknown;
	error?: { code?: unknown; msg?: unknown };
	msg?: unknown;
}

// The credential test's host and path, in n8n's expression language: the same choice as
// aiStudiosBaseUrl (v3 keys → v3 host, else the v2 host; a filled Base URL wins, except the old
// default for v3).
const GIVEN = 'String($credentials.baseUrl || "").trim().replace(/\\/+$/, "")';
const HAS_V3 = '$credentials.appId && $credentials.userKey';
const TEST_BASE_URL =
	`={{ ${HAS_V3} ? (${GIVEN} === "" || ${GIVEN}.toLowerCase() === ` +
	`"${AI_STUDIOS_LEGACY_BASE_URL}" ? "${AI_STUDIOS_V3_BASE_URL}" : ${GIVEN}) : (${GIVEN} || ` +
	`"${AI_STUDIOS_V2_BASE_URL}") }}`;
// v3: GET /auth answers whether the token is valid. v2 has no free read-only endpoint besides the
// progress check; asking for a project that does not exist costs nothing, and a refused key is an
// HTTP error.
const V2_TEST_PATH = '/api/odin/editor/progress/n8n-credential-test';
const TEST_PATH = `={{ ${HAS_V3} ? "/api/odin/v3/auth" : "${V2_TEST_PATH}" }}`;

/**
 * The v3 secret. Its name is fixed by saved credentials and is not in the linter's list of secret
 * names (it flags masked fields it does not recognise as secrets), so it is declared here, masked.
 */
const userKeyField: INodeProperties = {
	displayName: 'User Key',
	name: 'userKey',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'v3: the User Key issued with the App ID. AI Studios shows it once. It is exchanged for a token that lasts 24 hours, kept with this credential and renewed when it expires.',
};

export class AiStudiosApi implements ICredentialType {
	name = 'aiStudiosApi';

	displayName = 'AI Studios API';

	documentationUrl = 'https://docs.aistudios.com/aistudioV3/reference/auth';

	icon: Icon = { light: 'file:../icons/aistudios.svg', dark: 'file:../icons/aistudios.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName:
				'Fill App ID and User Key for AI Studios v3 (the current API), or API Key for the legacy ' +
				'v2 API, or both. The node\'s "API Version" setting chooses which the node uses.',
			name: 'versionNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			description:
				'v3: the App ID from AI Studios → your account name (top right) → API Key → Issue API Key',
		},
		userKeyField,
		{
			displayName: 'API Key (V2)',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Legacy v2 API: the API key of an AI Studios v2 account with an API plan (Profile → Issue API Key)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: AI_STUDIOS_V3_BASE_URL,
			description: `Leave empty for AI Studios' own hosts: ${AI_STUDIOS_V3_BASE_URL} for v3, ${AI_STUDIOS_V2_BASE_URL} for v2. Set only for a proxy, the China service (https://app.aistudios.cn) or a test server; the credential's secrets are sent to this address only.`,
		},
		...sessionTokenFields,
	];

	/**
	 * Exchanges App ID + User Key for a token; n8n stores it and calls this again when it is empty or
	 * refused.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		// A v2 credential (or a v2 request, which is handed the credential without its v3 keys)
		// exchanges nothing.
		if (!hasV3Keys(credentials)) return {};
		const userKey = String(credentials.userKey);
		const answer = await exchangeRequest<TokenAnswer>(
			this,
			{
				method: 'POST',
				url: `${aiStudiosBaseUrl(credentials, 'v3')}/api/odin/v3/auth/token`,
				body: { appId: String(credentials.appId).trim(), userKey },
			},
			{
				unreachable: 'Could not reach the AI Studios token exchange: check the Base URL',
				refused: (status, body) =>
					`AI Studios refused the App ID and User Key (HTTP ` +
					`${status}${refusalText(body, userKey)}). Check both in the credential.`,
			},
		);
		const token = answer?.data?.token ?? answer?.token;
		if (answer?.success === false || typeof token !== 'string' || token === '') {
			throw new Error(
				`AI Studios refused the App ID and User ` +
					`Key${refusalText(answer, userKey) || ' (no token in its answer)'}. Check both in the ` +
					`credential.`,
			);
		}
		return { sessionToken: token, sessionExpiresAt: Date.now() + AI_STUDIOS_TOKEN_LIFETIME_MS };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// Both versions take the secret itself as the Authorization header, without "Bearer".
		if (!hasV3Keys(credentials))
			return await apiKeyHeader('Authorization')(credentials, requestOptions);
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: String(credentials.sessionToken ?? '') },
		};
	}

	test: ICredentialTestRequest = {
		request: { baseURL: TEST_BASE_URL, url: TEST_PATH, method: 'GET' },
	};
}

/** AI Studios' own words from a refused exchange (`error.msg` or `msg`), without the User Key. */
function refusalText(body: unknown, userKey: string): string {
	const answer = (body ?? {}) as TokenAnswer;
	const msg = answer.error?.msg ?? answer.msg;
	return typeof msg === 'string' && msg ? `: ${msg.slice(0, 200).split(userKey).join('***')}` : '';
}
