import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadFields, jobIdField } from '../../shared/descriptions';
import { routeOperation } from '../../shared/jobs';
import { routeByStatusField } from '../../shared/routeByStatus';
import type { VideoProvider } from '../../shared/videoProvider';
import { cdnVideoApi } from '../transport';
import * as job from '../job';
import * as deleteVideo from './delete.operation';
import * as getAll from './getAll.operation';
import * as getConfigurations from './getConfigurations.operation';
import * as rename from './rename.operation';
import * as submit from './submit.operation';

export const cdnVideoProvider: VideoProvider = {
	api: cdnVideoApi,
	submit: submit.submit,
	wait: submit.waiting,
	getStatus: job.getStatus,
	getResult: job.getResult,
	cancel: job.cancel,
	cancelAfterStop: job.cancelAfterStop,
};

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			action: 'Cancel a render',
			description:
				'Stop a queued or running render, by job ID. A finished render cannot be cancelled.',
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a video',
			description: 'Delete a rendered video from the account, by job ID',
		},
		{
			name: 'Get Configurations',
			value: 'getConfigurations',
			action: 'Get configurations',
			description:
				'List the actors, voices, emotions and backgrounds the account can use, and its quota',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many renders',
			description: "List the account's renders, with filters by creation time and job ID",
		},
		{
			name: 'Get Result',
			value: 'getResult',
			action: 'Get the result of a render',
			description: "Get a finished render's video: its link (works for 6 hours) and the file",
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a render',
			description:
				'Check a render once, by job ID: queued, processing, completed, failed or canceled',
		},
		{
			name: 'Rename',
			value: 'rename',
			action: 'Rename a video',
			description: 'Change the name of a video (at most 35 characters)',
		},
		{
			name: 'Submit',
			value: 'submit',
			action: 'Submit a presenter video render',
			description:
				'Start rendering a video of a virtual presenter speaking a script (at most 3000 characters). Returns the job ID at once.',
		},
	],
	default: 'submit',
};

export const properties: INodeProperties[] = [
	operationField,
	jobIdField(['getStatus', 'getResult', 'cancel', 'rename', 'delete']),
	routeByStatusField,
	...submit.description,
	...downloadFields(['getResult']),
	...getAll.description,
	...rename.description,
];

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(ctx, cdnVideoProvider, {
		getAll: getAll.execute,
		rename: rename.execute,
		delete: deleteVideo.execute,
		getConfigurations: getConfigurations.execute,
	});
}
