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

/** CDNvideo's login answer: lifetime in milliseconds (about 6 hours). */
interface CdnVideoLogin {
	token?: string;
	lifetime?: number;
}

const DEFAULT_LIFETIME_MS = 6 * 60 * 60 * 1000;

/** Used when the Base URL is left empty; the node's requests read it too. */
export const CDN_VIDEO_BASE_URL = 'https://api.cdnvideo.ru';

export class CdnVideoApi implements ICredentialType {
	name = 'cdnVideoApi';

	displayName = 'CDNvideo Virtual Presenter API';

	documentationUrl = 'https://doc.cdnvideo.com/';

	icon: Icon = { light: 'file:../icons/cdnvideo.svg', dark: 'file:../icons/cdnvideo.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Account',
			name: 'account',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'testaccount',
			description: 'Your CDNvideo account name, as in /accounts/&lt;account&gt;/ of the API',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Username and Password',
					value: 'password',
					description:
						'Log in for a token, kept for its 6-hour lifetime and renewed when it expires',
				},
				{ name: 'Token', value: 'token', description: 'Paste a CDN-AUTH-TOKEN you already have' },
			],
			default: 'password',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
			description:
				'A refused login is never retried: CDNvideo locks an account for 3 hours after 7 refused logins',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['token'] } },
		},
		baseUrlField(CDN_VIDEO_BASE_URL),
		...sessionTokenFields,
	];

	/**
	 * Logs in with username and password; n8n stores the token and calls this again when it is empty
	 * or refused.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		if (credentials.authentication !== 'password') return {};
		const baseUrl = String(credentials.baseUrl || CDN_VIDEO_BASE_URL).replace(/\/+$/, '');
		const answer = await exchangeRequest<CdnVideoLogin>(
			this,
			{
				method: 'POST',
				url: `${baseUrl}/app/oauth/v1/token/`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					username: String(credentials.username ?? ''),
					password: String(credentials.password ?? ''),
				}).toString(),
			},
			{
				unreachable: 'Could not reach the CDNvideo login: check the Base URL',
				refused: (status) =>
					`CDNvideo refused the login of user "${String(credentials.username)}" (HTTP ` +
					`${status}). Check the username and password; the login is not retried, because 7 ` +
					`refused logins lock the account for 3 hours.`,
			},
		);
		if (!answer?.token) throw new Error('The CDNvideo login answered without a token');
		const lifetime = Number(answer.lifetime) > 0 ? Number(answer.lifetime) : DEFAULT_LIFETIME_MS;
		return { sessionToken: answer.token, sessionExpiresAt: Date.now() + lifetime };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token =
			credentials.authentication === 'password' ? credentials.sessionToken : credentials.token;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, 'CDN-AUTH-TOKEN': String(token ?? '') },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/app/th-api/v1/accounts/{{encodeURIComponent($credentials.account)}}/configurations',
			method: 'GET',
		},
	};
}
