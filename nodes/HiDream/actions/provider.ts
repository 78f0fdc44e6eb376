import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadFields, jobAttributeField, jobIdField } from '../../shared/descriptions';
import { routeOperation } from '../../shared/jobs';
import { routeByStatusField } from '../../shared/routeByStatus';
import type { VideoProvider } from '../../shared/videoProvider';
import { getStatuses } from '../batch';
import * as job from '../job';
import { hiDreamApi } from '../transport';
import * as submit from './submit.operation';

/**
 * HiDream has no cancel endpoint; Get Result reads the same results endpoint as Get Status, and
 * many jobs are checked together through the batch results endpoint.
 */
export const hiDreamProvider: VideoProvider = {
	api: hiDreamApi,
	jobFromParameters: job.jobFromParameters,
	submit: submit.submit,
	wait: submit.waiting,
	getStatus: job.getStatus,
	getStatuses,
	getResult: job.getStatus,
	jobFromOutput: job.jobFromOutput,
	callback: { option: 'notifyUrl' },
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Get Result',
			value: 'getResult',
			action: 'Get the result of a video task',
			description: 'Video link, and the video as a binary file',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a video task',
			description: 'One status check of a task (many items: checked together)',
		},
		{
			name: 'Submit',
			value: 'submit',
			action: 'Submit a video task',
			description: 'Start a video stylization, text-to-video or image-to-video task',
		},
	],
	default: 'submit',
};

/**
 * getStatus / getResult: the task travels with the job, because HiDream looks each task's jobs up
 * separately.
 */
const jobTaskField = jobAttributeField({
	displayName: 'Task',
	name: 'task',
	options: [
		{ name: 'Image to Video', value: 'imageToVideo' },
		{ name: 'Text to Video', value: 'textToVideo' },
		{ name: 'Video Stylization', value: 'videoStylization' },
	],
	description:
		'The task the job was submitted as. The default reads it from the incoming item (Submit, Get Status and Get Result all output it); empty means Video Stylization.',
});

export const properties: INodeProperties[] = [
	operationField,
	jobIdField(['getStatus', 'getResult']),
	jobTaskField,
	routeByStatusField,
	...submit.description,
	...downloadFields(['getResult']),
];

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(ctx, hiDreamProvider);
}
