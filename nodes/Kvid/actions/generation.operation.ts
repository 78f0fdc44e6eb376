import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { noJobIdError } from '../../shared/errors';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck, type InputCheck } from '../../shared/validation';
import { creditPoolField } from '../creditPool';
import { toGenerationStatus } from '../generationJob';
import {
	asRecord,
	GENERATION_MODES,
	KVID_NO_ID_HINT,
	MODE_FUNCTIONS,
	MODE_WORDS,
	type GenerationMode,
} from '../modes';
import { submitGeneration } from '../transport';
import { familyOf, GENERATION_MODELS, type ModelFamily } from './generationModels';
import { generationOptionFields, generationOptionsCollections } from './generationOptions';
import { imageField } from './submit.operation';

const onGeneration = { operation: ['submit'], apiVersion: ['generation'] };
const onReference = { ...onGeneration, mode: ['referenceToVideo'] };

/**
 * How long a submit waits out CONCURRENT_LIMIT: renders take minutes ("2-5min"), so the next free
 * slot may be a whole render away; a batch keeps submitting as slots free up.
 */
const CONCURRENCY_PATIENCE_MS = 10 * 60_000;

/** The doc's reference limits: images, videos and audio clips, and all of them together. */
export const REFERENCE_LIMITS = { imageUrls: 9, videoUrls: 3, audioUrls: 3, total: 12 } as const;

const referenceField = (
	name: 'imageUrls' | 'videoUrls' | 'audioUrls',
	what: string,
	extra: string,
): INodeProperties => ({
	displayName: `${what} URLs`,
	name,
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	placeholder: `https://example.com/reference-1\nhttps://example.com/reference-2`,
	description: `Public URLs of reference ${what.toLowerCase()}s, separated by commas or new lines (or an array by expression); at most ${REFERENCE_LIMITS[name]}${extra}. At most ${REFERENCE_LIMITS.total} references in all.`,
	displayOptions: { show: onReference },
});

/** The generation API's mode and model. */
export const generationModeFields: INodeProperties[] = [
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
			{
				name: 'Reference to Video',
				value: 'referenceToVideo',
				description: 'Keep characters, style or sound of reference images, videos and audio',
			},
		],
		default: 'textToVideo',
		description:
			'What the video is made from: a text prompt, an image that the prompt animates, or reference images, videos and audio',
		displayOptions: { show: onGeneration },
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'Wan (V1)',
				value: 'wan',
				description: '480p or 720p, 5–10 s; 60 / 120 credits per 5 s',
			},
			{
				name: 'Seedance (V2)',
				value: 'seedance',
				description: "480p–1080p; 39 / 54 / 89 credits per 5 s (kvid's recommended default)",
			},
			{
				name: 'Veo 3.1 (V3)',
				value: 'veo3.1',
				description: 'Premium quality: 480p, 16:9 or 9:16 only; 150 credits per 5 s',
			},
		],
		default: 'seedance',
		description:
			'Which kvid model renders the video. A full model ID (e.g. bytedance/seedance-2.0/fast/reference-to-video) may be given by expression.',
		displayOptions: { show: onGeneration },
	},
];

/** Reference lists (reference-to-video) and the options each model takes in each mode. */
export const referenceAndOptionFields: INodeProperties[] = [
	referenceField('imageUrls', 'Image', ' (https)'),
	referenceField('videoUrls', 'Video', ', 15 s together'),
	referenceField('audioUrls', 'Audio', ', 15 s together, and only with an image or video'),
	...generationOptionsCollections(),
];

/** A list of URLs: an array (by expression), or text separated by commas or new lines. */
function urlList(check: InputCheck, name: string, value: unknown, httpsOnly: boolean): string[] {
	const entries = Array.isArray(value)
		? value
		: value === undefined || value === null
			? []
			: String(value).split(/[\s,]+/);
	return entries
		.map((entry) => (typeof entry === 'string' ? entry.trim() : entry))
		.filter((entry) => entry !== '')
		.map((entry) => {
			const url = check.url(name, entry);
			if (httpsOnly && !/^https:/i.test(url))
				check.fail(name, `must hold https URLs only; got ${JSON.stringify(url.slice(0, 60))}`);
			return url;
		});
}

function referenceFields(ctx: IExecuteFunctions, i: number, check: InputCheck): IDataObject {
	const list = (name: keyof typeof REFERENCE_LIMITS & `${string}Urls`) => {
		const urls = urlList(check, name, ctx.getNodeParameter(name, i, ''), name === 'imageUrls');
		if (urls.length > REFERENCE_LIMITS[name])
			check.fail(name, `holds ${urls.length} URLs; kvid takes at most ${REFERENCE_LIMITS[name]}`);
		return urls;
	};
	const [images, videos, audios] = [list('imageUrls'), list('videoUrls'), list('audioUrls')];
	const total = images.length + videos.length + audios.length;
	if (total > REFERENCE_LIMITS.total) {
		check.fail(
			'imageUrls',
			`holds ${images.length} URLs, videoUrls ${videos.length} and audioUrls ${audios.length}: ` +
				`${total} references; kvid takes at most ${REFERENCE_LIMITS.total} in all`,
		);
	}
	if (images.length + videos.length === 0) {
		if (audios.length)
			check.fail(
				'audioUrls',
				'holds audio, but imageUrls and videoUrls are empty: kvid takes audio references only ' +
					'beside an image or video',
			);
		check.fail(
			'imageUrls',
			'is empty, and so is videoUrls: reference-to-video needs at least one image or video',
		);
	}
	return { image_urls: images, video_urls: videos, audio_urls: audios };
}

/** The model field kvid receives: a name from the list, or a full model ID given by expression. */
function modelOf(
	check: InputCheck,
	value: unknown,
	mode: GenerationMode,
): { model: string; family: ModelFamily } {
	const model = check.text('model', value).trim();
	if (/\s/.test(model))
		check.fail(
			'model',
			`must be ${GENERATION_MODELS.map((m) => `"${m}"`).join(', ')} or a full model ID without ` +
				`spaces; got ${JSON.stringify(model.slice(0, 60))}`,
		);
	const other = GENERATION_MODES.find(
		(m) => m !== mode && model.toLowerCase().includes(MODE_WORDS[m]),
	);
	if (other)
		check.fail('model', `is a ${MODE_WORDS[other]} model ("${model}"), but Mode is ${mode}`);
	return { model, family: familyOf(model) };
}

/** What kvid's generate-async endpoint receives for item `i`, after every check. */
export async function generationBody(
	ctx: IExecuteFunctions,
	i: number,
): Promise<{ mode: GenerationMode; model: string; body: IDataObject }> {
	const check = inputCheck(ctx.getNode(), i);
	const mode = check.oneOf(
		'mode',
		ctx.getNodeParameter('mode', i, 'textToVideo'),
		GENERATION_MODES,
	);
	const { model, family } = modelOf(check, ctx.getNodeParameter('model', i, 'seedance'), mode);
	const prompt = check.text('prompt', ctx.getNodeParameter('prompt', i, ''));
	const options = ctx.getNodeParameter('options', i, {});
	if (!asRecord(options)) check.fail('options', 'must be a collection of options');
	const body: IDataObject = {
		...(await creditPoolField(ctx, check, options as IDataObject)),
		prompt,
		model,
		function: MODE_FUNCTIONS[mode],
		...generationOptionFields(check, options as IDataObject, family, mode),
	};
	if (mode === 'imageToVideo')
		Object.assign(body, await imageField(ctx, i, check, { httpsOnly: true }));
	if (mode === 'referenceToVideo') Object.assign(body, referenceFields(ctx, i, check));
	return { mode, model, body };
}

/** kvid's clients spell the new job's id four ways: data.job_id, data.jobId, job_id, jobId. */
function jobIdOf(answer: IDataObject): string {
	const data = asRecord(answer.data) ?? {};
	for (const candidate of [data.job_id, data.jobId, answer.job_id, answer.jobId]) {
		if ((typeof candidate === 'string' && candidate) || typeof candidate === 'number')
			return String(candidate);
	}
	return '';
}

export async function generationSubmit(ctx: IExecuteFunctions, i: number): Promise<JobOutput> {
	const { mode, model, body } = await generationBody(ctx, i);
	// A CONCURRENT_LIMIT (429) is waited out and retried by submitRequest; nothing else is repeated.
	const answer = await submitGeneration<IDataObject>(ctx, mode, body, i, CONCURRENCY_PATIENCE_MS);
	const jobId = jobIdOf(answer);
	if (!jobId) {
		throw noJobIdError(
			ctx.getNode(),
			i,
			'kvid accepted the submit but returned no job_id',
			answer,
			KVID_NO_ID_HINT,
		);
	}
	const data = asRecord(answer.data) ?? answer;
	const estimated = data.estimated_time ?? answer.estimated_time;
	return jobOutput(
		'kvid',
		{
			jobId,
			status: data.status === undefined ? 'queued' : toGenerationStatus(data.status),
			raw: answer,
		},
		{
			mode,
			model,
			estimatedTime:
				typeof estimated === 'string' || typeof estimated === 'number' ? estimated : null,
		},
	);
}
