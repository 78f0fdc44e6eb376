/**
 * The credential modes and scenarios of the secrets suite (data, so `table.ts` can list them).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { AiStudiosFake, CdnVideoFake, HiDreamFake, KvidFake, KvidGenerationFake, type FakeServer } from '../fakes';
import { ADAPTERS, type Adapter } from './nodes';

const adapter = (column: string) => ADAPTERS.find((a) => (a.column ?? a.provider) === column)!;

/** Header names that carry a credential, per provider (lower case, as node parses them). */
export const CREDENTIAL_HEADERS = ['authorization', 'cdn-auth-token', 'api-key'];

export interface Mode {
	id: string;
	adapter: Adapter;
	/** sets the fake's secrets and returns the credential data that matches them */
	arrange(server: FakeServer): ICredentialDataDecryptedObject;
	/** the same credential with its secret refused by the provider */
	refused(data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
}

// Distinct, long secrets: a leak of any of them is unmistakable.
export const S = {
	aiKey: 'aiStudios-SECRET-key-9b1f2c7d',
	aiUserKey: 'aiStudios-SECRET-user-key-6d2a8e',
	cdnToken: 'cdn2_SECRET_static_token_4e8a',
	cdnPassword: 'cdn-SECRET-password-7c2d',
	hdKey: 'hiDream-SECRET-api-key-1a9e',
	hdToken: 'hiDream-SECRET-static-token-5f3b',
	kvidKey: 'kvid-SECRET-key-8d6c',
	wrong: 'WRONG-SECRET-never-valid-3e7f',
};

export const MODES: Mode[] = [
	{
		id: 'aiStudiosApi (API key)',
		adapter: adapter('aiStudios'),
		arrange: (s) => {
			s.provider(AiStudiosFake).apiKey = S.aiKey;
			return { apiKey: S.aiKey, baseUrl: s.baseUrl };
		},
		refused: (d) => ({ ...d, apiKey: S.wrong }),
	},
	{
		id: 'aiStudiosApi (App ID + User Key, v3)',
		adapter: adapter('aiStudios v3'),
		arrange: (s) => {
			const fake = s.provider(AiStudiosFake);
			fake.apiKey = S.aiKey;
			fake.v3.userKey = S.aiUserKey;
			// the token is exchanged by the run itself; the unused v2 key is a secret too
			return { appId: fake.v3.appId, userKey: S.aiUserKey, apiKey: S.aiKey, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' };
		},
		refused: (d) => ({ ...d, userKey: S.wrong }),
	},
	{
		id: 'cdnVideoApi (token)',
		adapter: adapter('cdnVideo'),
		arrange: (s) => {
			const fake = s.provider(CdnVideoFake);
			fake.staticToken = S.cdnToken;
			// the unused password is a secret too
			return { account: fake.account, authentication: 'token', token: S.cdnToken, username: fake.username, password: S.cdnPassword, baseUrl: s.baseUrl };
		},
		refused: (d) => ({ ...d, token: S.wrong }),
	},
	{
		id: 'cdnVideoApi (username and password)',
		adapter: adapter('cdnVideo'),
		arrange: (s) => {
			const fake = s.provider(CdnVideoFake);
			fake.password = S.cdnPassword;
			fake.staticToken = S.cdnToken;
			return { account: fake.account, authentication: 'password', username: fake.username, password: S.cdnPassword, token: S.cdnToken, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' };
		},
		refused: (d) => ({ ...d, password: S.wrong }),
	},
	{
		id: 'hiDreamApi (API key)',
		adapter: adapter('hiDream'),
		arrange: (s) => {
			const fake = s.provider(HiDreamFake);
			fake.apiKey = S.hdKey;
			fake.staticToken = S.hdToken;
			return { authentication: 'apiKey', apiKey: S.hdKey, token: S.hdToken, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' };
		},
		refused: (d) => ({ ...d, apiKey: S.wrong }),
	},
	{
		id: 'hiDreamApi (token)',
		adapter: adapter('hiDream'),
		arrange: (s) => {
			const fake = s.provider(HiDreamFake);
			fake.apiKey = S.hdKey;
			fake.staticToken = S.hdToken;
			return { authentication: 'token', token: S.hdToken, apiKey: S.hdKey, baseUrl: s.baseUrl, sessionToken: '', sessionExpiresAt: '' };
		},
		refused: (d) => ({ ...d, token: S.wrong }),
	},
	{
		id: 'kvidApi (API key)',
		adapter: adapter('kvid'),
		arrange: (s) => {
			s.provider(KvidFake).apiKey = S.kvidKey;
			return { apiKey: S.kvidKey, baseUrl: s.baseUrl };
		},
		refused: (d) => ({ ...d, apiKey: S.wrong }),
	},
	{
		id: 'kvidApi (API key, generation API)',
		adapter: adapter('kvidGeneration'),
		arrange: (s) => {
			s.provider(KvidGenerationFake).apiKey = S.kvidKey;
			return { apiKey: S.kvidKey, creditPool: 'productCode', creditPoolValue: 'SANDBOX', baseUrl: s.baseUrl };
		},
		refused: (d) => ({ ...d, apiKey: S.wrong }),
	},
];

/** What each scenario runs; `ok`: whether the run itself succeeds (a Continue On Fail error item counts as success). */
export const SECRET_SCENARIOS = [
	{ id: 'succeeds: submit + wait + download', ok: true },
	{ id: 'succeeds: getStatus, then getResult with download', ok: true },
	{ id: 'fails: the provider refuses the credential', ok: false },
	{ id: 'fails: a 4xx error body echoes every secret', ok: false },
	{ id: 'fails: a 2xx refusal (the provider’s own form) echoes every secret', ok: false },
	{ id: 'fails: a 5xx text body echoes every secret (Continue On Fail item)', ok: true },
	{ id: 'fails: the connection is reset on submit', ok: false },
	{ id: 'fails: a 302 redirect to another host is not followed', ok: false },
	{ id: 'fails: a 307 redirect of the submit is not followed', ok: false },
	{ id: 'fails: the download link expired', ok: false },
	{ id: 'fails: the download is redirected to the API host', ok: false },
] as const;

export type SecretScenarioId = (typeof SECRET_SCENARIOS)[number]['id'];
