import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadFields, jobIdField, routeByStatusField } from '../../shared/descriptions';
import { routeOperation, type VideoProvider } from '../../shared/jobs';
import * as job from '../job';
import { aiStudiosApi } from '../transport';
import * as submit from './submit.operation';

/** AI Studios' v2 API has export and progress only: no cancel, no job list. */
export const aiStudiosProvider: VideoProvider = {
	api: aiStudiosApi,
	submit: submit.submit,
	pollSeconds: submit.POLL_SECONDS,
	getStatus: job.getStatus,
	getResult: job.getResult,
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Get Result', value: 'getResult', action: 'Get the result of a render', description: 'Video link, and the video as a binary file' },
		{ name: 'Get Status', value: 'getStatus', action: 'Get the status of a render', description: 'One progress check of a render' },
		{ name: 'Submit', value: 'submit', action: 'Submit a chroma key render', description: 'Start rendering a chroma-key video of an AI model' },
	],
	default: 'submit',
};

export const properties: INodeProperties[] = [
	operationField,
	jobIdField(['getStatus', 'getResult']),
	routeByStatusField,
	...submit.description,
	...downloadFields(['getResult']),
];

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(ctx, aiStudiosProvider);
}
