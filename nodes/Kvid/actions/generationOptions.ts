import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CREDIT_POOL_KINDS } from '../../../credentials/KvidApi.credentials';
import type { InputCheck } from '../../shared/validation';
import { GENERATION_MODES, type GenerationMode } from '../modes';
import {
	defaultGenerationAspectRatio,
	durationRange,
	GENERATION_MODELS,
	generationAspectRatios,
	generationResolutions,
	type ModelFamily,
} from './generationModels';
import { legacyOption, type OptionField } from './legacyOptions';
import {
	bodyOf,
	bool,
	choices,
	collectionsPerModelAndMode,
	path,
	type TableField,
} from './optionTable';

export interface GenerationOptionField extends TableField<ModelFamily, GenerationMode> {
	families: readonly ModelFamily[];
	modes: readonly GenerationMode[];
}

const ALL_FAMILIES: readonly ModelFamily[] = [...GENERATION_MODELS, 'other'];

/** A field wan takes in the generation API as it did in the legacy one: same UI, same check. */
function wanField(name: string, families: readonly ModelFamily[] = ['wan']): GenerationOptionField {
	const legacy: OptionField = legacyOption(name);
	return {
		name,
		field: legacy.field,
		families,
		modes: GENERATION_MODES,
		property: () => legacy.property('wan', 'textToVideo'),
		read: (check, value) => legacy.read(check, value, 'wan', 'textToVideo'),
	};
}

function nonNegative(check: InputCheck, name: string, value: unknown): number {
	return check.number(path(name), value, { min: 0 });
}

const FIELDS: GenerationOptionField[] = [
	{
		name: 'acceleration',
		field: 'acceleration',
		families: ['wan'],
		modes: GENERATION_MODES,
		property: () => ({
			displayName: 'Acceleration',
			name: 'acceleration',
			type: 'options',
			options: [
				{ name: 'Regular', value: 'regular' },
				{ name: 'High', value: 'high', description: 'Priority processing' },
			],
			default: 'regular',
			description: 'Processing priority of the self-hosted wan model',
		}),
		read: (check, value) => check.oneOf(path('acceleration'), value, ['regular', 'high']),
	},
	{
		name: 'aspectRatio',
		field: 'aspect_ratio',
		families: ALL_FAMILIES,
		modes: GENERATION_MODES,
		property: (family, mode) => ({
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: choices(generationAspectRatios(family, mode)),
			default: defaultGenerationAspectRatio(family, mode),
			description:
				family === 'veo3.1'
					? 'Frame shape of the video (veo3.1 renders 16:9 or 9:16 only)'
					: 'Frame shape of the video; "auto" follows the input image',
		}),
		read: (check, value, family, mode) =>
			check.oneOf(path('aspectRatio'), value, generationAspectRatios(family, mode)),
	},
	{
		name: 'duration',
		field: 'duration',
		families: ALL_FAMILIES,
		modes: GENERATION_MODES,
		property: (family, mode) => {
			const { min, max, auto } = durationRange(family, mode);
			const seconds = Array.from({ length: max - min + 1 }, (_, n) => ({
				name: `${min + n} s`,
				value: min + n,
			}));
			return {
				displayName: 'Duration (Seconds)',
				name: 'duration',
				type: 'options',
				options: auto ? [{ name: 'Auto', value: 'auto' }, ...seconds] : seconds,
				default: 5,
				description: `Length of the video, ${min}–${max} s${auto ? ' or auto' : ''}. The price is per 5 s and grows with the length.`,
			};
		},
		read: (check, value, family, mode) => {
			const { min, max, auto } = durationRange(family, mode);
			if (auto && value === 'auto') return 'auto';
			if (value === 'auto')
				check.fail(
					path('duration'),
					`"auto" is taken by reference-to-video only; give ${min}–${max} seconds`,
				);
			return check.number(path('duration'), value, { min, max, integer: true });
		},
	},
	wanField('enablePromptExpansion'),
	wanField('enableSafetyChecker'),
	wanField('framesPerSecond'),
	{
		name: 'generateAudio',
		field: 'generate_audio',
		families: ALL_FAMILIES,
		modes: ['referenceToVideo'],
		property: () => ({
			displayName: 'Generate Audio',
			name: 'generateAudio',
			type: 'boolean',
			default: true,
			description: 'Whether kvid renders a soundtrack with the video',
		}),
		read: (check, value) => bool(check, 'generateAudio', value),
	},
	{
		name: 'guidanceScale',
		field: 'guidance_scale',
		families: ['wan'],
		modes: GENERATION_MODES,
		property: () => ({
			displayName: 'Guidance Scale',
			name: 'guidanceScale',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 5,
			description:
				'How strictly the video follows the prompt (higher: closer to the prompt, less natural)',
		}),
		read: (check, value) => nonNegative(check, 'guidanceScale', value),
	},
	wanField('negativePrompt', ALL_FAMILIES),
	wanField('numFrames'),
	wanField('numInferenceSteps'),
	{
		name: 'resolution',
		field: 'resolution',
		families: ALL_FAMILIES,
		modes: GENERATION_MODES,
		property: (family) => ({
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: choices(generationResolutions(family)),
			default: '480p',
			description:
				'Video resolution; it also sets the price in credits (see the kvid.ai pricing page)',
		}),
		read: (check, value, family) =>
			check.oneOf(path('resolution'), value, generationResolutions(family)),
	},
	wanField('seed', ALL_FAMILIES),
	{
		name: 'shift',
		field: 'shift',
		families: ['wan'],
		modes: GENERATION_MODES,
		property: () => ({
			displayName: 'Shift',
			name: 'shift',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 5,
			description:
				"Scheduler shift of the wan model (the doc gives no range; kvid's default when left out)",
		}),
		read: (check, value) => nonNegative(check, 'shift', value),
	},
];

/** The item's own credit pool, overriding the credential's (an agency bills each client's pool). */
const CREDIT_POOL_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Credit Pool',
		name: 'creditPool',
		type: 'options',
		options: CREDIT_POOL_KINDS,
		default: 'productId',
		description:
			"How Credit Pool Value names the pool this render is billed to. Leave out to use the credential's kind.",
	},
	{
		displayName: 'Credit Pool Value',
		name: 'creditPoolValue',
		type: 'string',
		default: '',
		placeholder: 'pdt_XXXXXXXXXXXX',
		description:
			"The product ID, product code or email of the pool this render is billed to, instead of the credential's",
	},
];

const applies = (f: GenerationOptionField, family: ModelFamily, mode: GenerationMode) =>
	f.families.includes(family) && f.modes.includes(mode);

/** One `options` collection per model and mode of the generation API, as for the legacy one. */
export function generationOptionsCollections(): INodeProperties[] {
	return collectionsPerModelAndMode(
		GENERATION_MODELS,
		GENERATION_MODES,
		// mode before model: n8n shows a field outright at the first condition on an expression (a full
		// model id)
		(model, mode) => ({
			operation: ['submit'],
			apiVersion: ['generation'],
			mode: [mode],
			model: [model],
		}),
		// n8n lists a collection's options alphabetically
		(model, mode) =>
			[
				...FIELDS.filter((f) => applies(f, model, mode)).map((f) => f.property(model, mode)),
				...CREDIT_POOL_OPTIONS,
			].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	);
}

/** kvid's body fields for the options set on an item; another model's leftovers are not sent. */
export function generationOptionFields(
	check: InputCheck,
	options: IDataObject,
	family: ModelFamily,
	mode: GenerationMode,
): IDataObject {
	return bodyOf(FIELDS, (f) => applies(f, family, mode), check, options, family, mode);
}
