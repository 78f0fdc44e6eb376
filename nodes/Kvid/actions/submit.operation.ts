import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBinaryInput } from '../../shared/binaryInput';
import { noJobIdError } from '../../shared/errors';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck, type InputCheck } from '../../shared/validation';
import { waitForCompletion } from '../../shared/waitForCompletion';
import { KVID_NO_ID_HINT, MODE_WORDS, MODES, type KvidMode } from '../modes';
import { submitLegacyVideo } from '../transport';
import { MODELS, type KvidModel } from './legacyModels';
import { optionFields, optionsCollections } from './options';

/**
 * The node's own cap on an image sent inline: kvid states none, and the JSON body grows by a third.
 */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const IMAGE_SOURCES = ['url', 'binary'] as const;

const onSubmit = { operation: ['submit'] };
const onLegacy = { ...onSubmit, apiVersion: ['legacy'] };
/** Prompt and image fields serve both APIs. */
const onImage = { ...onSubmit, mode: ['imageToVideo'] };

/** Longest pause between two status checks while waiting for completion. */
export const POLL_SECONDS = 15;

/** The legacy API's mode and model. */
export const legacyModeFields: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Text to Video', value: 'textToVideo', description: 'Render a video from a prompt' },
			{
				name: 'Image to Video',
				value: 'imageToVideo',
				description: 'Animate an image, guided by a prompt',
			},
		],
		default: 'textToVideo',
		description: 'What the video is made from: a text prompt, or an image that the prompt animates',
		displayOptions: { show: onLegacy },
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'Wan (V1)',
				value: 'wan',
				description: '480p–720p, 81–100 frames at 5–24 fps (5–6 s)',
			},
			{ name: 'Seedance (V2)', value: 'seedance', description: '480p–1080p, 5 or 10 seconds' },
		],
		default: 'wan',
		description: 'Which kvid model renders the video; the options below change with it',
		displayOptions: { show: onLegacy },
	},
];

/** Prompt and image: the same fields for both APIs. */
export const inputFields: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'A waterfall flowing down a mountain, nature documentary style',
		description:
			'What the video shows. Camera directions such as [Low-angle close-up shot] are understood, though not always followed.',
		displayOptions: { show: onSubmit },
	},
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{ name: 'URL', value: 'url', description: 'A public URL that kvid downloads the image from' },
			{
				name: 'Binary File',
				value: 'binary',
				description: 'An image (image/*, at most 10 MB) of the incoming item, sent inline',
			},
		],
		default: 'url',
		description: 'Where the image comes from: a public URL, or a binary file of the incoming item',
		displayOptions: { show: onImage },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/first-frame.jpg',
		description: 'Public URL of the image to animate (the generation API takes https only)',
		displayOptions: { show: { ...onImage, imageSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the image (at most 10 MB)',
		displayOptions: { show: { ...onImage, imageSource: ['binary'] } },
	},
];

export const legacyOptionsFields = optionsCollections();
/** Submit's Wait for Completion, with kvid's poll default. */
export const waiting = waitForCompletion(POLL_SECONDS);

/** What kvid's generate endpoint receives for item `i`, after every check. */
export async function generateRequest(
	ctx: IExecuteFunctions,
	i: number,
): Promise<{ mode: KvidMode; model: KvidModel; body: IDataObject }> {
	const check = inputCheck(ctx.getNode(), i);
	const param = (name: string, fallback: unknown) => ctx.getNodeParameter(name, i, fallback);
	const mode = check.oneOf('mode', param('mode', 'textToVideo'), MODES);
	const model = check.oneOf('model', param('model', 'wan'), MODELS);
	const body: IDataObject = { prompt: check.text('prompt', param('prompt', '')) };
	if (model === 'seedance') body.model = `bytedance/seedance/v1/lite/${MODE_WORDS[mode]}`;

	const options = param('options', {});
	if (options === null || typeof options !== 'object' || Array.isArray(options))
		check.fail('options', 'must be a collection of options');
	Object.assign(body, optionFields(check, options as IDataObject, model, mode));
	if (mode === 'imageToVideo') Object.assign(body, await imageField(ctx, i, check));
	return { mode, model, body };
}

/**
 * `image_url` (https only where `httpsOnly`), or the incoming image as base64 `image_file` — an
 * image, at most IMAGE_MAX_BYTES.
 */
export async function imageField(
	ctx: IExecuteFunctions,
	i: number,
	check: InputCheck,
	{ httpsOnly = false } = {},
): Promise<IDataObject> {
	const source = check.oneOf(
		'imageSource',
		ctx.getNodeParameter('imageSource', i, 'url'),
		IMAGE_SOURCES,
	);
	if (source === 'url') {
		const url = check.url('imageUrl', ctx.getNodeParameter('imageUrl', i, ''));
		if (httpsOnly && !/^https:/i.test(url))
			check.fail(
				'imageUrl',
				`must be an https URL for kvid's generation API; got ${JSON.stringify(url.slice(0, 60))}`,
			);
		return { image_url: url };
	}

	const buffer = await readBinaryInput(ctx, i, check, {
		kind: 'image',
		maxBytes: IMAGE_MAX_BYTES,
		sourceLabel: 'Image Source',
	});
	return { image_file: buffer.toString('base64') };
}

export async function submit(ctx: IExecuteFunctions, i: number): Promise<JobOutput> {
	const { mode, model, body } = await generateRequest(ctx, i);
	// A CONCURRENT_LIMIT (429) is waited out and retried by submitRequest; nothing else is repeated.
	const answer = await submitLegacyVideo<IDataObject>(ctx, mode, body, i);
	const data = (answer.data ?? {}) as IDataObject;
	const requestId =
		typeof data.request_id === 'string' || typeof data.request_id === 'number'
			? String(data.request_id)
			: '';
	if (!requestId) {
		throw noJobIdError(
			ctx.getNode(),
			i,
			'kvid accepted the submit but returned no request_id',
			answer,
			KVID_NO_ID_HINT,
		);
	}
	return jobOutput('kvid', { jobId: requestId, status: 'queued', raw: answer }, { mode, model });
}
