import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { noJobIdError } from '../../shared/errors';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck } from '../../shared/validation';
import { dataOf } from '../answers';
import { submitV3Video } from '../transport';
import { speechFields, speechOf } from './fields';

/** v3: `POST /simple/video` (chroma-key avatar) or `POST /simple/custom` (custom avatar). */
const show = { show: { operation: ['submit'], apiVersion: ['v3'] } };

export const AVATAR_TYPES = ['chromaKey', 'custom'] as const;
export const RESOLUTIONS = ['4k', '1080', '720', '480'] as const;
/**
 * Workspace ids are sent in a body, not a path, but may not hold what a path or query would break
 * on.
 */
const ID_PATTERN = /^[^\s/\\?#%]+$/;

export const description: INodeProperties[] = [
	...speechFields(show),
	{
		displayName: 'Avatar Type',
		name: 'avatarType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Chroma Key',
				value: 'chromaKey',
				description: 'A stock AI model in the clothes you choose, on a green screen',
			},
			{
				name: 'Custom Avatar',
				value: 'custom',
				description: 'An avatar made for your account (no clothes to choose)',
			},
		],
		default: 'chromaKey',
		description:
			'Which kind of avatar presents the text: a stock chroma-key model in chosen clothes, or a custom avatar made for your account',
		displayOptions: show,
	},
	{
		displayName: 'Model Name or ID',
		name: 'model',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getModels', loadOptionsDependsOn: ['avatarType'] },
		required: true,
		default: '',
		description:
			'The AI model (the presenter). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Clothes Name or ID',
		name: 'clothes',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getClothes', loadOptionsDependsOn: ['model'] },
		required: true,
		default: '',
		description:
			'The clothes the model wears; each model has its own. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...show.show, avatarType: ['chromaKey'] } },
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
				displayName: 'Resolution',
				name: 'resolution',
				type: 'options',
				options: [
					{ name: '4K', value: '4k' },
					{ name: '1080p', value: '1080' },
					{ name: '720p', value: '720' },
					{ name: '480p', value: '480' },
				],
				default: '1080',
				description: 'Resolution of the rendered video (AI Studios renders 1080p when unset)',
			},
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/aistudios-done',
				description:
					'URL AI Studios sends the export progress to, as JSON (progress, and at 100 download_url). It reports; it does not replace Get Status.',
			},
			{
				displayName: 'Workspace Name or ID',
				name: 'workspaceId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getWorkspaces' },
				default: '',
				description:
					'Workspace the project is saved in (your default workspace when unset). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
];

/** The export body for item `i`, checked before anything is sent. `isExport` is always true. */
export function projectBody(
	ctx: IExecuteFunctions,
	i: number,
): { avatarType: (typeof AVATAR_TYPES)[number]; body: IDataObject } {
	const check = inputCheck(ctx.getNode(), i);
	const param = (name: string) => ctx.getNodeParameter(name, i, '');
	const avatarType = check.oneOf('avatarType', param('avatarType') || 'chromaKey', AVATAR_TYPES);
	const body: IDataObject = {
		...speechOf(check, param('language'), param('text')),
		model: check.text('model', param('model')),
	};
	// Clothes belong to chroma-key models only; AI Studios checks the ids themselves.
	if (avatarType === 'chromaKey') body.clothes = check.text('clothes', param('clothes'));
	// The API's default, false, only saves the project to the dashboard: no file is ever rendered.
	body.isExport = true;

	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	if (options.webhook !== undefined) {
		check.fail(
			'options.webhook',
			'is the v2 name of this option',
			'AI Studios v3 takes the Webhook URL option (options.webhookUrl).',
		);
	}
	if (options.resolution !== undefined && options.resolution !== '')
		body.resolution = check.oneOf('options.resolution', options.resolution, RESOLUTIONS);
	if (options.workspaceId !== undefined && options.workspaceId !== '') {
		const workspaceId = check.text('options.workspaceId', options.workspaceId);
		if (!ID_PATTERN.test(workspaceId))
			check.fail(
				'options.workspaceId',
				`must be a workspace ID, without spaces, "/", "\\", "?", "#" or "%"; got ` +
					`${JSON.stringify(workspaceId.slice(0, 60))}`,
			);
		body.workspaceId = workspaceId;
	}
	if (options.webhookUrl !== undefined && options.webhookUrl !== '')
		body.webhookUrl = check.url('options.webhookUrl', options.webhookUrl);
	return { avatarType, body };
}

export async function submit(
	ctx: IExecuteFunctions,
	i: number,
	callbackUrl?: string,
): Promise<JobOutput> {
	const { avatarType, body } = projectBody(ctx, i);
	if (callbackUrl) body.webhookUrl = callbackUrl;
	const answer = await submitV3Video<IDataObject>(ctx, avatarType, body, i);
	const data = dataOf(answer);
	const id = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	const projectId = id(data.projectId);
	if (!projectId) {
		throw noJobIdError(
			ctx.getNode(),
			i,
			'AI Studios accepted the export but returned no project ID',
			answer,
			'Check your AI Studios projects (Get Many) for the new video before submitting again.',
		);
	}
	const extra: IDataObject = { avatarType };
	if (avatarType === 'custom') extra.taskId = id(data.taskId) || null;
	return jobOutput(
		'aiStudios',
		{ jobId: projectId, status: 'queued', progress: null, raw: answer },
		extra,
	);
}
