import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rateLimitField, submitPacing } from '../../shared/descriptions';
import { noJobIdError } from '../../shared/errors';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { waitForCompletion } from '../../shared/waitForCompletion';
import { CDN_VIDEO_RATE_WINDOW_MS, generate } from '../transport';
import { compositionField } from './composition';
import { generateBody } from './generateBody';

const show = { show: { operation: ['submit'] } };

/** Longest pause between two status checks while waiting for completion. */
export const POLL_SECONDS = 30;

/** Submit's Wait for Completion, with this provider's poll default. */
export const waiting = waitForCompletion(POLL_SECONDS);

export const description: INodeProperties[] = [
	{
		displayName: 'Script',
		name: 'script',
		type: 'string',
		typeOptions: { rows: 5 },
		required: true,
		default: '',
		description:
			'Text the presenter speaks: 1–3000 characters (speech runs at about 150 words a minute). SSML markup of the voice provider is allowed.',
		displayOptions: show,
	},
	{
		displayName: 'Actor Name or ID',
		name: 'actorName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getActors' },
		required: true,
		default: '',
		description:
			'The presenter. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Actor Version Name or ID',
		name: 'actorVersion',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getActorVersions', loadOptionsDependsOn: ['actorName'] },
		default: 'latest',
		description:
			'Model version of the presenter; "latest" picks the newest that fits the other settings. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Actor Style Name or ID',
		name: 'actorStyle',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getActorStyles',
			loadOptionsDependsOn: ['actorName', 'actorVersion'],
		},
		default: '',
		description:
			'Clothing style of the presenter; empty lets CDNvideo choose. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Actor Shot Name or ID',
		name: 'actorShot',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getActorShots',
			loadOptionsDependsOn: ['actorName', 'actorVersion'],
		},
		default: 'waist',
		description:
			'Camera shot, e.g. waist. Its size must match the background\'s. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Actor Size',
		name: 'actorSize',
		type: 'options',
		options: [
			{ name: '4K', value: '4K' },
			{ name: 'Any (Match the Shot)', value: '' },
			{ name: 'Full HD', value: 'FullHD' },
			{ name: 'HD', value: 'HD' },
			{ name: 'SD', value: 'SD' },
		],
		default: '',
		description: 'Video resolution the chosen shot is made for',
		displayOptions: show,
	},
	{
		displayName: 'Voice Name or ID',
		name: 'voice',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getVoices',
			loadOptionsDependsOn: ['actorName', 'actorVersion'],
		},
		required: true,
		default: '',
		description:
			'Voice of the presenter (the list shows the voices the chosen actor version supports). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Emotion Name or ID',
		name: 'emotion',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEmotions', loadOptionsDependsOn: ['voice'] },
		default: '',
		description:
			'Emotional colouring of the voice; empty means neutral. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Background Name or ID',
		name: 'background',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getBackgrounds' },
		default: 'green_screen',
		description:
			'Background video; green_screen gives a chroma-key background. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Video Name',
		name: 'videoName',
		type: 'string',
		default: '',
		description: 'Optional name of the video in your CDNvideo account: at most 35 characters',
		displayOptions: show,
	},
	compositionField,
	rateLimitField(10, 60, 'CDNvideo accepts 10 generate requests a minute'),
	...waiting.fields,
];

export async function submit(ctx: IExecuteFunctions, i: number): Promise<JobOutput> {
	const body = generateBody(ctx, i);
	const answer = await generate<IDataObject>(
		ctx,
		body,
		i,
		submitPacing(ctx, i, 10, CDN_VIDEO_RATE_WINDOW_MS),
	);
	const jobId =
		typeof answer.id === 'string' || typeof answer.id === 'number' ? String(answer.id) : '';
	if (!jobId) {
		throw noJobIdError(
			ctx.getNode(),
			i,
			'CDNvideo accepted the submit but returned no task id',
			answer,
			'Check the task list (Get Many) for the new task before submitting again.',
		);
	}
	return jobOutput(
		'cdnVideo',
		{ jobId, status: 'queued', raw: answer },
		{ videoName: (body.video_name as string) ?? null },
	);
}
