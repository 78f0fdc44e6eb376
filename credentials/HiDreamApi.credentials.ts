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

import { baseUrlField, exchangeRequest, sessionTokenFields } from './common';

/** HiDream's answer to the key exchange: `{code: 0, result: {token, expire_time}}`. */
interface HiDreamTokenAnswer {
	code?: number | string;
	message?: string;
	result?: { token?: string; expire_time?: number | string };
}

/** Used when the Base URL is left empty; the node's requests read it too. */
export const HIDREAM_BASE_URL = 'https://www.hidreamai.com';
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/**
 * When the exchanged token stops working. The docs say "valid 1 day" without defining
 * `expire_time`'s form, so it is read as an epoch (seconds or milliseconds), a lifetime in seconds,
 * or a date; anything else, or a time not in the future, means one day from now.
 */
export function tokenExpiresAt(expireTime: unknown, now = Date.now()): number {
	const text = typeof expireTime === 'string' ? expireTime.trim() : '';
	const n =
		typeof expireTime === 'number'
			? expireTime
			: text !== '' && /^\d+(\.\d+)?$/.test(text)
				? Number(text)
				: NaN;
	let at = NaN;
	if (Number.isFinite(n) && n > 0) {
		if (n >= 1e12) at = n;
		else if (n >= 1e9) at = n * 1000;
		else at = now + n * 1000;
	} else if (text !== '') {
		at = Date.parse(text);
	}
	return Number.isFinite(at) && at > now ? at : now + TOKEN_LIFETIME_MS;
}

export class HiDreamApi implements ICredentialType {
	name = 'hiDreamApi';

	displayName = 'HiDream API';

	documentationUrl = 'https://www.hidreamai.com/docs/pixeling/user/token.html';

	icon: Icon = { light: 'file:../icons/hidream.svg', dark: 'file:../icons/hidream.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description:
						'Exchange the API key for a token, kept for its one-day lifetime and renewed when it expires',
				},
				{
					name: 'Token',
					value: 'token',
					description: 'Paste a token you already have (valid for one day)',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['token'] } },
			description:
				'Sent as "Authorization: Bearer &lt;token&gt;". It is not renewed: paste a new one when it expires.',
		},
		baseUrlField(HIDREAM_BASE_URL),
		...sessionTokenFields,
	];

	/**
	 * Exchanges the API key for a token; n8n stores it and calls this again when it is empty or
	 * refused.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		if (credentials.authentication === 'token') return {};
		const baseUrl = String(credentials.baseUrl || HIDREAM_BASE_URL).replace(/\/+$/, '');
		return await exchangeApiKey(this, baseUrl, String(credentials.apiKey ?? ''));
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token =
			credentials.authentication === 'token' ? credentials.token : credentials.sessionToken;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(token ?? '')}` },
		};
	}

	// Looking up a task that does not exist needs a valid token and starts nothing.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api-pub/gw/v2/video/video_edit/async/results',
			method: 'GET',
			qs: { task_id: 'n8n-credential-test' },
		},
	};
}

/** GET /prod-api/user/apikey2token with the key in header Api-Key -> `result.token`. */
async function exchangeApiKey(
	ctx: IHttpRequestHelper,
	baseUrl: string,
	apiKey: string,
): Promise<IDataObject> {
	const answer = await exchangeRequest<HiDreamTokenAnswer>(
		ctx,
		{ method: 'GET', url: `${baseUrl}/prod-api/user/apikey2token`, headers: { 'Api-Key': apiKey } },
		{
			unreachable: 'Could not reach the HiDream token exchange: check the Base URL',
			refused: (status, body) =>
				`HiDream refused the API key (HTTP ${status}${refusalText(body)}). ` +
				`Check the API key in the credential.`,
		},
	);
	if (answer?.code !== undefined && Number(answer.code) !== 0) {
		throw new Error(
			`HiDream refused the API key (code ` +
				`${String(answer.code)}${answer.message ? `: ${answer.message}` : ''}). Check the API ` +
				`key in the credential.`,
		);
	}
	const token = answer?.result?.token;
	if (typeof token !== 'string' || token === '')
		throw new Error('The HiDream token exchange answered without a token');
	return { sessionToken: token, sessionExpiresAt: tokenExpiresAt(answer.result?.expire_time) };
}

/** HiDream's own words from a refused exchange, without echoing anything else of the answer. */
function refusalText(body: unknown): string {
	const message = (body as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' && message ? `: ${message.slice(0, 200)}` : '';
}
