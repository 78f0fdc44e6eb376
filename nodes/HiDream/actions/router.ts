import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadFields, jobIdField, routeByStatusField } from '../../shared/descriptions';
import { routeOperation, type VideoProvider } from '../../shared/jobs';
import * as job from '../job';
import { hiDreamApi } from '../transport';
import * as submit from './submit.operation';

/** HiDream has no cancel endpoint; Get Result reads the same results endpoint as Get Status. */
export const hiDreamProvider: VideoProvider = {
	api: hiDreamApi,
	submit: submit.submit,
	pollSeconds: submit.POLL_SECONDS,
	getStatus: job.getStatus,
	getResult: job.getStatus,
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Get Result', value: 'getResult', action: 'Get the result of a stylization', description: 'Video link, and the stylized video as a binary file' },
		{ name: 'Get Status', value: 'getStatus', action: 'Get the status of a stylization', description: 'One status check of a stylization task' },
		{ name: 'Submit', value: 'submit', action: 'Submit a video stylization', description: 'Start restyling a video' },
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
	return await routeOperation(ctx, hiDreamProvider);
}
