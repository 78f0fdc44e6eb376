import {
	NodeOperationError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { servesVersion, type AiStudiosApiVersion } from '../../credentials/aiStudiosAccess';
import { apiVersionFields as sharedApiVersionFields } from '../shared/descriptions';
import { credentialsOf } from '../shared/tokenSession';

/**
 * `apiVersion`: typeVersion 1 keeps v2 as its default, so saved workflows run exactly as before;
 * typeVersion 2 (new nodes) defaults to v3, the API new accounts get.
 */
export const apiVersionFields: INodeProperties[] = sharedApiVersionFields(
	{
		noDataExpression: true,
		options: [
			{
				name: 'V3 (Current: App ID + User Key)',
				value: 'v3',
				description: 'The API of AI Studios accounts today, at app.aistudios.com',
			},
			{
				name: 'V2 (Legacy: API Key)',
				value: 'v2',
				description: "DeepBrain's former API, now at v2.aistudios.com",
			},
		],
		description:
			'Which AI Studios API to use. The credential must hold its keys: App ID and User Key for v3, API Key for v2.',
	},
	[
		[1, 'v2'],
		[2, 'v3'],
	],
);

/** The node's API version (one for all items: the field takes no expression). */
export function apiVersionOf(ctx: IExecuteFunctions): AiStudiosApiVersion {
	return ctx.getNodeParameter('apiVersion', 0, 'v2') === 'v3' ? 'v3' : 'v2';
}

/** Refuses, before any request, a credential that lacks the chosen version's keys, naming both. */
export async function assertCredentialServes(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	version: AiStudiosApiVersion,
): Promise<void> {
	const credentials = await credentialsOf(ctx, 'aiStudiosApi');
	if (servesVersion(credentials, version)) return;
	const name = ctx.getNode().credentials?.aiStudiosApi?.name ?? 'AI Studios API';
	const [keys, other, otherKeys] =
		version === 'v3'
			? ['App ID and User Key', 'v2', 'an API Key']
			: ['API Key', 'v3', 'an App ID and a User Key'];
	throw new NodeOperationError(
		ctx.getNode(),
		`The credential "${name}" cannot serve AI Studios API Version ${version}: it has no ${keys}`,
		{
			description: `Add the ${keys} to the credential, or set "API Version" to ${other} if the credential holds ${otherKeys}.`,
		},
	);
}
