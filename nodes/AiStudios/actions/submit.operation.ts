import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { noJobIdError } from '../../shared/errors';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck } from '../../shared/validation';
import { submitV2Video } from '../transport';
import { speechFields, speechOf } from './fields';

export { TEXT_MAX, POLL_SECONDS } from './fields';

/** v2 (legacy) chroma-key export: `POST /api/odin/simple/video`. */
const show = { show: { operation: ['submit'], apiVersion: ['v2'] } };

export const description: INodeProperties[] = [
	...speechFields(show),
	{
		displayName: 'Model ID',
		name: 'model',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'M000004017',
		description:
			"ID of the AI model (the presenter), from AI Studios' model list. Sent as given: AI Studios checks it.",
		displayOptions: show,
	},
	{
		displayName: 'Clothes ID',
		name: 'clothes',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'BG00006160',
		description:
			'ID of the clothes the model wears; each model has its own. Sent as given: AI Studios checks it.',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Webhook URL',
				name: 'webhook',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/aistudios-done',
				description:
					'URL AI Studios calls when the video is ready, with the query parameters videoUrl and duration. With a Wait node set to "Resume: On Webhook Call", use {{ $execution.resumeUrl }}.',
			},
		],
	},
];

/**
 * Options that exist only on v3: given to a v2 node (an imported workflow, an AI agent), they are
 * refused, not dropped.
 */
const V3_ONLY_OPTIONS = ['resolution', 'workspaceId', 'webhookUrl'];

/** The chroma-key export body for item `i`, checked before anything is sent. */
export function exportBody(ctx: IExecuteFunctions, i: number): IDataObject {
	const check = inputCheck(ctx.getNode(), i);
	const param = (name: string) => ctx.getNodeParameter(name, i, '');
	const body: IDataObject = {
		...speechOf(check, param('language'), param('text')),
		// Model and clothes IDs belong to AI Studios: only their presence is checked here.
		model: check.text('model', param('model')),
		clothes: check.text('clothes', param('clothes')),
	};
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	for (const name of V3_ONLY_OPTIONS) {
		if (options[name] !== undefined) {
			check.fail(
				`options.${name}`,
				'is an option of AI Studios API v3, not of v2',
				'Set "API Version" to v3 (with a credential holding an App ID and User Key), or remove ' +
					'the option.',
			);
		}
	}
	if (options.webhook !== undefined && options.webhook !== '')
		body.webhook = check.url('options.webhook', options.webhook);
	return body;
}

export async function submit(
	ctx: IExecuteFunctions,
	i: number,
	callbackUrl?: string,
): Promise<JobOutput> {
	const body = exportBody(ctx, i);
	if (callbackUrl) body.webhook = callbackUrl;
	const answer = await submitV2Video<IDataObject>(ctx, body, i);
	// The tutorial answers {success, data: {key}}, the reference table {success, key}: both are read.
	const data = (answer?.data ?? answer ?? {}) as IDataObject;
	const key = typeof data.key === 'string' || typeof data.key === 'number' ? String(data.key) : '';
	if (!key) {
		throw noJobIdError(
			ctx.getNode(),
			i,
			'AI Studios accepted the export but returned no project key',
			answer,
			'Check your AI Studios projects for the new video before submitting again.',
		);
	}
	return jobOutput('aiStudios', { jobId: key, status: 'queued', progress: 0, raw: answer });
}
