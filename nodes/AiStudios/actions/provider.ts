import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { downloadFields, jobIdField } from '../../shared/descriptions';
import { routeOperation } from '../../shared/jobs';
import { routeByStatusField } from '../../shared/routeByStatus';
import type { VideoProvider } from '../../shared/videoProvider';
import { apiVersionFields, apiVersionOf, assertCredentialServes } from '../apiVersion';
import * as job from '../job';
import { aiStudiosApi, aiStudiosV3Api } from '../transport';
import * as deleteProject from './delete.operation';
import { waiting } from './fields';
import * as getAll from './getAll.operation';
import * as submit from './submit.operation';
import * as submitV3 from './submitV3.operation';

/** AI Studios' v2 API has export and progress only: no cancel, no job list. */
export const aiStudiosProvider: VideoProvider = {
	api: aiStudiosApi,
	submit: submit.submit,
	wait: waiting,
	getStatus: job.getStatus,
	getResult: job.getResult,
	callback: { option: 'webhook' },
};

/** v3 adds the project list and delete; it has no cancel either. */
export const aiStudiosV3Provider: VideoProvider = {
	api: aiStudiosV3Api,
	submit: submitV3.submit,
	wait: waiting,
	getStatus: job.getStatusV3,
	// The progress answer carries the download URL once done: it is the result too.
	getResult: job.getStatusV3,
	callback: { option: 'webhookUrl' },
};

const V3_ONLY_OPERATIONS = ['delete', 'getAll'];

export const operationFields: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a project',
				description: 'Delete a video project from the account',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many projects',
				description: "List the account's exported video projects",
			},
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the result of a render',
				description: 'Video link, and the video as a binary file',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the status of a render',
				description: 'One progress check of a render',
			},
			{
				name: 'Submit',
				value: 'submit',
				action: 'Submit a render',
				description: 'Start rendering a video of a chroma-key or custom avatar',
			},
		],
		default: 'submit',
		displayOptions: { show: { apiVersion: ['v3'] } },
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the result of a render',
				description: 'Video link, and the video as a binary file',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the status of a render',
				description: 'One progress check of a render',
			},
			{
				name: 'Submit',
				value: 'submit',
				action: 'Submit a chroma key render',
				description: 'Start rendering a chroma-key video of an AI model',
			},
		],
		default: 'submit',
		displayOptions: { show: { apiVersion: ['v2'] } },
	},
];

export const properties: INodeProperties[] = [
	...apiVersionFields,
	...operationFields,
	jobIdField(['getStatus', 'getResult', 'delete']),
	routeByStatusField,
	...submit.description,
	...submitV3.description,
	...waiting.fields,
	...getAll.description,
	...downloadFields(['getResult']),
];

/** The provider of the node's API version: the webhook resumes with the one that submitted. */
export function providerOf(ctx: IExecuteFunctions): VideoProvider {
	return apiVersionOf(ctx) === 'v3' ? aiStudiosV3Provider : aiStudiosProvider;
}

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const version = apiVersionOf(ctx);
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (version === 'v2' && V3_ONLY_OPERATIONS.includes(operation)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Parameter "operation" "${operation}" is an operation of AI Studios API v3; the node is ` +
				`set to API Version v2`,
			{
				description: 'Set "API Version" to v3 (with a credential holding an App ID and User Key).',
			},
		);
	}
	await assertCredentialServes(ctx, version);
	if (version === 'v2') return await routeOperation(ctx, aiStudiosProvider);
	return await routeOperation(ctx, aiStudiosV3Provider, {
		getAll: getAll.execute,
		delete: deleteProject.execute,
	});
}
