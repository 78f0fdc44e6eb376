import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBinaryInput } from '../../shared/binaryInput';
import type { InputCheck } from '../../shared/validation';
import type { HiDreamTask } from '../tasks';
import { optionsOf, requestFields, requestOptions } from './common';

/** HiDream's text- and image-to-video (v3): the fields, and the request body they make. */

export const RESOLUTIONS = ['960*960', '1280*720', '720*1280'] as const;
export const CAMERA_MOVE = { min: -5, max: 5 };
export const MOTION_STRENGTH = { min: 0, max: 30 };
/**
 * The node's own cap on an image sent inline: HiDream states none, and the JSON body grows by a
 * third.
 */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const IMAGE_SOURCES = ['url', 'binary'] as const;

const onText = { operation: ['submit'], task: ['textToVideo'] };
const onImage = { operation: ['submit'], task: ['imageToVideo'] };
const onGeneration = { operation: ['submit'], task: ['textToVideo', 'imageToVideo'] };

const promptField = (required: boolean): INodeProperties => ({
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 4 },
	required,
	default: '',
	placeholder: 'e.g. a red fox runs through fresh snow at dawn, cinematic',
	description: required
		? 'What the video shows'
		: 'How the image should move and what the video shows (optional)',
	displayOptions: { show: required ? onText : onImage },
});

const cameraMove = (displayName: string, name: string, direction: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: CAMERA_MOVE.min, maxValue: CAMERA_MOVE.max, numberPrecision: 0 },
	default: 0,
	description: `Camera movement ${direction}: a whole number from ${CAMERA_MOVE.min} to ${CAMERA_MOVE.max}, 0 = none`,
});

export const description: INodeProperties[] = [
	promptField(true),
	promptField(false),
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{ name: 'URL', value: 'url', description: 'A public link HiDream downloads the image from' },
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'An image in a binary property of the incoming item (sent base64-encoded, at most 10 MB)',
			},
		],
		default: 'url',
		description:
			'Where the image to animate comes from: a public URL, or a binary file of the incoming item',
		displayOptions: { show: onImage },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/first-frame.jpg',
		description: 'Public http(s) link to the image to animate',
		displayOptions: { show: { ...onImage, imageSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the image (image/*, at most 10 MB)',
		displayOptions: { show: { ...onImage, imageSource: ['binary'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: onGeneration },
		options: [
			cameraMove('Camera Move Depth', 'cameraMoveDepth', 'towards (+) or away from (−) the scene'),
			cameraMove('Camera Move Horizontal', 'cameraMoveHorizontal', 'right (+) or left (−)'),
			cameraMove('Camera Move Vertical', 'cameraMoveVertical', 'up (+) or down (−)'),
			{
				displayName: 'Motion Strength',
				name: 'motionStrength',
				type: 'number',
				typeOptions: {
					minValue: MOTION_STRENGTH.min,
					maxValue: MOTION_STRENGTH.max,
					numberPrecision: 1,
				},
				default: 9,
				description: `How much moves in the video, ${MOTION_STRENGTH.min}–${MOTION_STRENGTH.max} (HiDream's default 9)`,
			},
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				default: '',
				placeholder: 'e.g. blurry, distorted faces',
				description: 'What the video should not show',
			},
			...requestOptions,
			{
				displayName: 'Resolution',
				name: 'resolution',
				type: 'options',
				options: [
					{ name: '1280×720 (Landscape)', value: '1280*720' },
					{ name: '720×1280 (Portrait)', value: '720*1280' },
					{ name: '960×960 (Square)', value: '960*960' },
				],
				default: '1280*720',
				description: 'Width × height of the video in pixels',
			},
			{
				displayName: 'Version',
				name: 'version',
				type: 'string',
				default: 'v2',
				description: 'HiDream model version to render with (HiDream\'s default "v2")',
			},
		],
	},
];

/** Option name -> HiDream's body field, for the camera moves. */
const CAMERA_FIELDS: Record<string, string> = {
	cameraMoveHorizontal: 'camera_move_horizontal',
	cameraMoveVertical: 'camera_move_vertical',
	cameraMoveDepth: 'camera_move_depth',
};

/** The text- or image-to-video request body for item `i`, validated before anything is sent. */
export async function generationBody(
	ctx: IExecuteFunctions,
	i: number,
	task: Exclude<HiDreamTask, 'videoStylization'>,
	check: InputCheck,
): Promise<IDataObject> {
	const body: IDataObject = {};
	const prompt = ctx.getNodeParameter('prompt', i, '');
	if (task === 'textToVideo') body.prompt = check.text('prompt', prompt).trim();
	else if (check.text('prompt', prompt, { allowEmpty: true }).trim() !== '')
		body.prompt = (prompt as string).trim();

	const options = optionsOf(check, ctx.getNodeParameter('options', i, {}));
	if (options.negativePrompt !== undefined && options.negativePrompt !== '')
		body.negative_prompt = check.text('options.negativePrompt', options.negativePrompt).trim();
	if (options.version !== undefined && options.version !== '')
		body.version = check.text('options.version', options.version).trim();
	if (options.resolution !== undefined)
		body.resolution = check.oneOf('options.resolution', options.resolution, RESOLUTIONS);
	for (const [name, field] of Object.entries(CAMERA_FIELDS)) {
		if (options[name] !== undefined)
			body[field] = check.number(`options.${name}`, options[name], {
				...CAMERA_MOVE,
				integer: true,
			});
	}
	if (options.motionStrength !== undefined)
		body.motion_strength = check.number(
			'options.motionStrength',
			options.motionStrength,
			MOTION_STRENGTH,
		);
	Object.assign(body, requestFields(check, options));
	if (task === 'imageToVideo') body.image = await imageOf(ctx, i, check);
	return body;
}

/** `image`: the URL as given, or the binary image base64-encoded. */
async function imageOf(ctx: IExecuteFunctions, i: number, check: InputCheck): Promise<string> {
	const source = check.oneOf(
		'imageSource',
		ctx.getNodeParameter('imageSource', i, 'url'),
		IMAGE_SOURCES,
	);
	if (source === 'url') return check.url('imageUrl', ctx.getNodeParameter('imageUrl', i, ''));
	const buffer = await readBinaryInput(ctx, i, check, {
		kind: 'image',
		maxBytes: IMAGE_MAX_BYTES,
		sourceLabel: 'Image Source',
	});
	return buffer.toString('base64');
}
