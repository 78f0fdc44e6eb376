import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { apiKeyHeader, baseUrlField } from './common';

export class AiStudiosApi implements ICredentialType {
	name = 'aiStudiosApi';

	displayName = 'AI Studios API';

	documentationUrl = 'https://docs.deepbrain.io/';

	icon: Icon = { light: 'file:../icons/aistudios.svg', dark: 'file:../icons/aistudios.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key of an AI Studios account with an API plan (Profile → Issue API Key)',
		},
		baseUrlField('https://aistudios.com'),
	];

	// AI Studios takes the key itself as the Authorization header, without "Bearer".
	authenticate = apiKeyHeader('Authorization');

	// The v2 API has no free read-only endpoint besides the progress check; asking for a project
	// that does not exist costs nothing, and a refused key is answered with an HTTP error.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/odin/editor/progress/n8n-credential-test',
			method: 'GET',
		},
	};
}
