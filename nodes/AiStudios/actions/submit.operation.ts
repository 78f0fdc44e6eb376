import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { waitFields } from '../../shared/descriptions';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck } from '../../shared/validation';
import { aiStudiosPaths, aiStudiosRequest } from '../transport';

const show = { show: { operation: ['submit'] } };

/**
 * AI Studios documents no limit for `text`. 5000 characters is about five minutes of speech, well
 * beyond a chroma-key clip; longer input is almost always a mistake (a whole document mapped into
 * the field) and is stopped here, before it costs render credit.
 */
export const TEXT_MAX = 5000;

/** Languages offered in the list; any other language code can be given with an expression. */
export const LANGUAGES = [
	{ name: 'Arabic', value: 'ar' },
	{ name: 'Chinese', value: 'zh' },
	{ name: 'Dutch', value: 'nl' },
	{ name: 'English', value: 'en' },
	{ name: 'French', value: 'fr' },
	{ name: 'German', value: 'de' },
	{ name: 'Hindi', value: 'hi' },
	{ name: 'Indonesian', value: 'id' },
	{ name: 'Italian', value: 'it' },
	{ name: 'Japanese', value: 'ja' },
	{ name: 'Korean', value: 'ko' },
	{ name: 'Malay', value: 'ms' },
	{ name: 'Polish', value: 'pl' },
	{ name: 'Portuguese', value: 'pt' },
	{ name: 'Russian', value: 'ru' },
	{ name: 'Spanish', value: 'es' },
	{ name: 'Thai', value: 'th' },
	{ name: 'Turkish', value: 'tr' },
	{ name: 'Vietnamese', value: 'vi' },
];

/** An ISO 639 language code, optionally with BCP 47 subtags: ko, en, fil, zh-TW, en_US. */
const LANGUAGE_CODE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

/** Longest pause between two status checks while waiting for completion. */
export const POLL_SECONDS = 30;

export const description: INodeProperties[] = [
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: LANGUAGES,
		required: true,
		default: 'en',
		description:
			'Language the text is written in; the model must speak it. For a language not in the list, use an expression with its ISO 639-1 code, e.g. {{ "fil" }}, or map it from the incoming item.',
		displayOptions: show,
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: `What the AI model says, in the chosen language: 1–${TEXT_MAX} characters (speech runs at about 150 words a minute)`,
		displayOptions: show,
	},
	{
		displayName: 'Model ID',
		name: 'model',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'M000004017',
		description: "ID of the AI model (the presenter), from AI Studios' model list. Sent as given: AI Studios checks it.",
		displayOptions: show,
	},
	{
		displayName: 'Clothes ID',
		name: 'clothes',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'BG00006160',
		description: "ID of the clothes the model wears; each model has its own. Sent as given: AI Studios checks it.",
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
	...waitFields(POLL_SECONDS),
];

/** The chroma-key export body for item `i`, checked before anything is sent. */
export function exportBody(ctx: IExecuteFunctions, i: number): IDataObject {
	const check = inputCheck(ctx.getNode(), i);
	const param = (name: string) => ctx.getNodeParameter(name, i, '');

	const language = check.text('language', param('language'));
	if (!LANGUAGE_CODE.test(language)) {
		check.fail('language', `must be a language code such as "ko" or "en"; got ${JSON.stringify(language.slice(0, 60))}`,
			'Pick a language from the list, or give its ISO 639-1 code with an expression.');
	}
	const body: IDataObject = {
		language,
		text: check.text('text', param('text'), { max: TEXT_MAX }),
		// Model and clothes IDs belong to AI Studios: only their presence is checked here.
		model: check.text('model', param('model')),
		clothes: check.text('clothes', param('clothes')),
	};
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	if (options.webhook !== undefined && options.webhook !== '') body.webhook = check.url('options.webhook', options.webhook);
	return body;
}

export async function submit(ctx: IExecuteFunctions, i: number): Promise<JobOutput> {
	const body = exportBody(ctx, i);
	const answer = await aiStudiosRequest<IDataObject>(ctx, 'POST', aiStudiosPaths.submit, { body, itemIndex: i, createsJob: true });
	const data = (answer?.data ?? {}) as IDataObject;
	const key = typeof data.key === 'string' || typeof data.key === 'number' ? String(data.key) : '';
	if (!key) {
		throw new NodeOperationError(ctx.getNode(), `AI Studios accepted the export but returned no project key: ${JSON.stringify(answer).slice(0, 300)}`, {
			itemIndex: i,
			description: 'Check your AI Studios projects for the new video before submitting again.',
		});
	}
	return jobOutput('aiStudios', { jobId: key, status: 'queued', progress: 0, raw: answer });
}
