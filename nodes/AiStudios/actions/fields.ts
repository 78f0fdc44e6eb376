import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { InputCheck } from '../../shared/validation';
import { waitForCompletion } from '../../shared/waitForCompletion';

/**
 * AI Studios documents no limit for `text`. 5000 characters is about five minutes of speech, well
 * beyond a chroma-key clip; longer input is almost always a mistake (a whole document mapped into
 * the field) and is stopped here, before it costs render credit.
 */
export const TEXT_MAX = 5000;

/** Longest pause between two status checks while waiting for completion. */
export const POLL_SECONDS = 30;

/** Submit's Wait for Completion, with AI Studios' poll default. */
export const waiting = waitForCompletion(POLL_SECONDS, { callback: true });

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

/** Language and Text, the same on both API versions. */
export function speechFields(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			options: LANGUAGES,
			required: true,
			default: 'en',
			description:
				'Language the text is written in; the model must speak it. For a language not in the list, use an expression with its ISO 639-1 code, e.g. {{ "fil" }}, or map it from the incoming item.',
			displayOptions,
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			description: `What the AI model says, in the chosen language: 1–${TEXT_MAX} characters (speech runs at about 150 words a minute)`,
			displayOptions,
		},
	];
}

/** The item's language and text, checked before anything is sent. */
export function speechOf(
	check: InputCheck,
	language: unknown,
	text: unknown,
): { language: string; text: string } {
	const code = check.text('language', language);
	if (!LANGUAGE_CODE.test(code)) {
		check.fail(
			'language',
			`must be a language code such as "ko" or "en"; got ${JSON.stringify(code.slice(0, 60))}`,
			'Pick a language from the list, or give its ISO 639-1 code with an expression.',
		);
	}
	return { language: code, text: check.text('text', text, { max: TEXT_MAX }) };
}
