import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadFields, jobIdField, routeByStatusField } from '../../shared/descriptions';
import { routeOperation, type VideoProvider } from '../../shared/jobs';
import * as job from '../job';
import { kvidApi } from '../transport';
import * as submit from './submit.operation';

export const kvidProvider: VideoProvider = {
	api: kvidApi,
	jobRef: job.jobRef,
	submit: submit.submit,
	pollSeconds: submit.POLL_SECONDS,
	getStatus: job.getStatus,
	getResult: job.getResult,
	refOf: job.refOf,
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Get Result', value: 'getResult', action: 'Get the result of a video job', description: 'Video link, and the video as a binary file' },
		{ name: 'Get Status', value: 'getStatus', action: 'Get the status of a video job', description: 'One status check of a video job' },
		{ name: 'Submit', value: 'submit', action: 'Submit a video job', description: 'Start rendering a video from text or an image' },
	],
	default: 'submit',
};

/**
 * An expression: the mode of the incoming job. (Being an expression, it is not one of the options,
 * which the options-default lint rule can only see in a literal.)
 */
const MODE_OF_INCOMING_JOB = '={{ $json.mode }}';

/** getStatus / getResult: the mode travels with the job, because kvid looks each mode's jobs up separately. */
const jobModeField: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	options: [
		{ name: 'Text to Video', value: 'textToVideo' },
		{ name: 'Image to Video', value: 'imageToVideo' },
	],
	default: MODE_OF_INCOMING_JOB,
	description: 'The mode the job was submitted in. The default reads it from the incoming item (Submit, Get Status and Get Result all output it).',
	displayOptions: { show: { operation: ['getStatus', 'getResult'] } },
};

export const properties: INodeProperties[] = [
	operationField,
	jobIdField(['getStatus', 'getResult']),
	jobModeField,
	routeByStatusField,
	...submit.description,
	...downloadFields(['getResult']),
];

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(ctx, kvidProvider);
}
