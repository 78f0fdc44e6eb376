import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { apiKeyHeader, baseUrlField } from './common';

/** Used when the Base URL is left empty; the node's requests read it too. */
export const KVID_BASE_URL = 'https://api.kvid.ai';

/** How a credit pool is named; the node's per-item override offers the same kinds. */
export const CREDIT_POOL_KINDS = [
	{ name: 'Product ID', value: 'productId' },
	{ name: 'Product Code', value: 'productCode' },
	{ name: 'Email', value: 'email' },
];

export class KvidApi implements ICredentialType {
	name = 'kvidApi';

	displayName = 'kvid.ai API';

	documentationUrl = 'https://docs.kvid.ai/docs/getting-started/api-keys';

	icon: Icon = { light: 'file:../icons/kvid.svg', dark: 'file:../icons/kvid.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The primary or secondary key of a subscription at kvid.ai → Settings → API Keys',
		},
		{
			displayName: 'Credit Pool',
			name: 'creditPool',
			type: 'options',
			options: CREDIT_POOL_KINDS,
			default: 'productId',
			description:
				'How Credit Pool Value names the credit pool renders are billed to. The generation API sends exactly one of product_id, product_code or email with every render; the legacy API does not use it.',
		},
		{
			displayName: 'Credit Pool Value',
			name: 'creditPoolValue',
			type: 'string',
			default: '',
			placeholder: 'pdt_XXXXXXXXXXXX',
			description:
				"The pool's product ID, product code or email (as chosen above). Required by the generation API; a node option may name another pool per item.",
		},
		baseUrlField(KVID_BASE_URL),
	];

	authenticate = apiKeyHeader('api-key');

	/**
	 * kvid has no free read-only endpoint that answers 2xx. Asking the status of a job that does not
	 * exist costs nothing: a good key gets 404 JOB_NOT_FOUND (kvid looked for the job), a refused key
	 * 403. n8n fails every non-2xx test answer, so statuses are let through and the refusal is told
	 * by its body. kvid's docs give the 403 no body; these rules catch its plausible shapes (a kvid
	 * error code, or an API gateway's {statusCode, message}). A key refused in some other shape
	 * passes this test and fails at its first use with HTTP 403 and a hint.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/ai/video/text-to-video/status',
			qs: { request_id: 'n8n-credential-test' },
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			...['INVALID_API_KEY', 'UNAUTHORIZED', 'FORBIDDEN'].map((code) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'error',
					value: code,
					message: `kvid refused the API key (${code}): check the key and the Base URL`,
				},
			})),
			...[401, 403].map((status) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'statusCode',
					value: status,
					message: `kvid refused the API key (HTTP ${status}): check the key and the Base URL`,
				},
			})),
		],
	};
}
