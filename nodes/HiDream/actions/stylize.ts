import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBinaryInput } from '../../shared/binaryInput';
import type { InputCheck } from '../../shared/validation';
import { optionsOf, requestFields, requestOptions } from './common';

/** HiDream's video stylization (v2, the seed): the fields, and the request body they make. */

const onStylization = { operation: ['submit'], task: ['videoStylization'] };
const show = { show: onStylization };

/** The ten styles HiDream's video stylization documents (spelled as HiDream spells them). */
const STYLES = [
	'barbie_doll',
	'ink_wash',
	'van_goph',
	'hayao_miyazaki',
	'cyber_punk',
	'cartoon',
	'anime',
	'vector_art',
	'abstract',
	'watercolor',
] as const;
const STYLE_VALUES = [...STYLES, 'custom'] as const;

/**
 * Largest video sent from a binary property. HiDream states no limit, but the video travels
 * base64-encoded inside one JSON body (a third larger than the file) that n8n holds in memory
 * while sending; bigger videos should be given by URL.
 */
export const MAX_BINARY_VIDEO_BYTES = 50 * 1024 * 1024;

export const description: INodeProperties[] = [
	{
		displayName: 'Style',
		name: 'style',
		type: 'options',
		options: [
			{ name: 'Abstract', value: 'abstract' },
			{ name: 'Anime', value: 'anime' },
			{ name: 'Barbie Doll', value: 'barbie_doll' },
			{ name: 'Cartoon', value: 'cartoon' },
			{
				name: 'Custom (Describe With a Prompt)',
				value: 'custom',
				description: 'Send a prompt instead of one of the styles',
			},
			{ name: 'Cyberpunk', value: 'cyber_punk' },
			{ name: 'Hayao Miyazaki', value: 'hayao_miyazaki' },
			{ name: 'Ink Wash', value: 'ink_wash' },
			{ name: 'Van Gogh', value: 'van_goph', description: 'HiDream spells the value van_goph' },
			{ name: 'Vector Art', value: 'vector_art' },
			{ name: 'Watercolor', value: 'watercolor' },
		],
		default: 'ink_wash',
		description: 'Look of the stylized video',
		displayOptions: show,
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'e.g. a pig is eating, oil painting',
		description: 'Description of the style the video should get',
		displayOptions: { show: { ...onStylization, style: ['custom'] } },
	},
	{
		displayName: 'Video Source',
		name: 'videoSource',
		type: 'options',
		options: [
			{ name: 'URL', value: 'url', description: 'A public link HiDream downloads the video from' },
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'A video in a binary property of the incoming item (sent base64-encoded, at most 50 MB)',
			},
		],
		default: 'url',
		description:
			'Where the video to stylize comes from: a public URL, or a binary file of the incoming item',
		displayOptions: show,
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/clip.mp4',
		description: 'Public http(s) link to the video to stylize; HiDream downloads it from there',
		displayOptions: { show: { ...onStylization, videoSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the video (video/*, at most 50 MB)',
		displayOptions: { show: { ...onStylization, videoSource: ['binary'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: requestOptions,
	},
];

/** `video_name`: the URL as given, or the binary video base64-encoded. */
async function videoOf(ctx: IExecuteFunctions, i: number, check: InputCheck): Promise<string> {
	const source = check.oneOf('videoSource', ctx.getNodeParameter('videoSource', i, 'url'), [
		'url',
		'binary',
	] as const);
	if (source === 'url') return check.url('videoUrl', ctx.getNodeParameter('videoUrl', i, ''));

	const buffer = await readBinaryInput(ctx, i, check, {
		kind: 'video',
		maxBytes: MAX_BINARY_VIDEO_BYTES,
		sourceLabel: 'Video Source',
	});
	return buffer.toString('base64');
}

/** The stylization request body for item `i`, validated before anything is sent. */
export async function stylizationBody(
	ctx: IExecuteFunctions,
	i: number,
	check: InputCheck,
): Promise<IDataObject> {
	const style = check.oneOf('style', ctx.getNodeParameter('style', i, 'ink_wash'), STYLE_VALUES);
	const body: IDataObject =
		style === 'custom'
			? { prompt: check.text('prompt', ctx.getNodeParameter('prompt', i, '')).trim() }
			: { style };
	const fields = requestFields(check, optionsOf(check, ctx.getNodeParameter('options', i, {})));
	body.video_name = await videoOf(ctx, i, check);
	return Object.assign(body, fields);
}
