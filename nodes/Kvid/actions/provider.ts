import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	apiVersionFields,
	downloadFields,
	jobAttributeField,
	jobIdField,
} from '../../shared/descriptions';
import { routeOperation } from '../../shared/jobs';
import { routeByStatusField } from '../../shared/routeByStatus';
import type { VideoProvider } from '../../shared/videoProvider';
import { inputCheck } from '../../shared/validation';
import * as generation from '../generationJob';
import type { GenerationJobRef } from '../generationJob';
import * as job from '../job';
import type { KvidJobRef } from '../job';
import { API_VERSIONS, type KvidApiVersion } from '../modes';
import { kvidApi } from '../transport';
import {
	generationModeFields,
	generationSubmit,
	referenceAndOptionFields,
} from './generation.operation';
import * as submit from './submit.operation';

/**
 * The API an item uses: typeVersion 1 defaults to the legacy one, so saved workflows run as before.
 */
function apiVersionOf(ctx: IExecuteFunctions, i: number): KvidApiVersion {
	return inputCheck(ctx.getNode(), i).oneOf(
		'apiVersion',
		ctx.getNodeParameter('apiVersion', i, 'legacy'),
		API_VERSIONS,
	);
}

const isGeneration = (ctx: IExecuteFunctions, i: number) => apiVersionOf(ctx, i) === 'generation';

export const kvidProvider: VideoProvider = {
	api: kvidApi,
	jobFromParameters: (ctx, i) =>
		isGeneration(ctx, i)
			? generation.generationJobFromParameters(ctx, i)
			: job.jobFromParameters(ctx, i),
	submit: async (ctx, i) =>
		isGeneration(ctx, i) ? await generationSubmit(ctx, i) : await submit.submit(ctx, i),
	wait: submit.waiting,
	getStatus: async (ctx, i, ref) =>
		isGeneration(ctx, i)
			? await generation.getGenerationStatus(ctx, i, ref as GenerationJobRef)
			: await job.getStatus(ctx, i, ref as KvidJobRef),
	getResult: async (ctx, i, ref) =>
		isGeneration(ctx, i)
			? await generation.getGenerationResult(ctx, i, ref as GenerationJobRef)
			: await job.getResult(ctx, i, ref as KvidJobRef),
	jobFromOutput: job.jobFromOutput,
	firstLookMs: (submitted) => generation.estimatedFirstLookMs(submitted.estimatedTime),
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
			action: 'Get the result of a video job',
			description: 'Video link, and the video as a binary file',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a video job',
			description: 'One status check of a video job',
		},
		{
			name: 'Submit',
			value: 'submit',
			action: 'Submit a video job',
			description: 'Start rendering a video from text, an image or references',
		},
	],
	default: 'submit',
};

/** One field per node version: its default is the API the version was made for. */
const apiVersions = apiVersionFields(
	{
		options: [
			{
				name: 'Generation (Current)',
				value: 'generation',
				description:
					'The current /ai/generation API of kvid: text, image and reference to video; wan, seedance, veo3.1; billed to a credit pool',
			},
			{
				name: 'Legacy Video API',
				value: 'legacy',
				description: 'The earlier /ai/video API of kvid: text and image to video; wan, seedance',
			},
		],
		description:
			'Which kvid API renders and looks up the job. A job is looked up with the API it was submitted with.',
	},
	[
		[1, 'legacy'],
		[2, 'generation'],
	],
);

/**
 * getStatus / getResult (legacy API): the mode travels with the job, because kvid looks each mode's
 * jobs up separately.
 */
const jobModeField = jobAttributeField({
	displayName: 'Mode',
	name: 'mode',
	options: [
		{ name: 'Text to Video', value: 'textToVideo' },
		{ name: 'Image to Video', value: 'imageToVideo' },
	],
	description:
		'The mode the job was submitted in. The default reads it from the incoming item (Submit, Get Status and Get Result all output it).',
	show: { apiVersion: ['legacy'] },
});

export const properties: INodeProperties[] = [
	...apiVersions,
	operationField,
	jobIdField(['getStatus', 'getResult']),
	jobModeField,
	routeByStatusField,
	...submit.legacyModeFields,
	...generationModeFields,
	...submit.inputFields,
	...referenceAndOptionFields,
	...submit.legacyOptionsFields,
	...submit.waiting.fields,
	...downloadFields(['getResult']),
];

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(ctx, kvidProvider);
}
