import { MODES, type KvidMode } from '../modes';
import {
	aspectRatios,
	defaultAspectRatio,
	DURATIONS,
	FRAMES_PER_SECOND,
	type KvidModel,
	MODELS,
	NUM_FRAMES,
	resolutions,
} from './legacyModels';
import { bool, choices, path, whole, type TableField } from './optionTable';

/** One entry of the `options` collection: where it applies, how it looks, what kvid receives. */
export interface OptionField extends TableField<KvidModel, KvidMode> {
	models: readonly KvidModel[];
	modes: readonly KvidMode[];
}

const BOTH_MODES = MODES;

/** The legacy API's options: for each, the models and modes that take it. */
export const OPTION_FIELDS: OptionField[] = [
	{
		name: 'aspectRatio',
		field: 'aspect_ratio',
		models: MODELS,
		modes: BOTH_MODES,
		property: (model, mode) => ({
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: choices(aspectRatios(model, mode)),
			default: defaultAspectRatio(model, mode),
			description: aspectRatios(model, mode).includes('auto')
				? 'Frame shape of the video; "auto" follows the input image'
				: 'Frame shape of the video',
		}),
		read: (check, value, model, mode) =>
			check.oneOf(path('aspectRatio'), value, aspectRatios(model, mode)),
	},
	{
		name: 'cameraFixed',
		field: 'camera_fixed',
		models: ['seedance'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Camera Fixed',
			name: 'cameraFixed',
			type: 'boolean',
			default: false,
			description: 'Whether the camera stays still',
		}),
		read: (check, value) => bool(check, 'cameraFixed', value),
	},
	{
		name: 'duration',
		field: 'duration',
		models: ['seedance'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'options',
			options: choices(DURATIONS),
			default: '5',
			description: 'Length of the video',
		}),
		// kvid takes the duration as a string ("5" or "10")
		read: (check, value) =>
			check.oneOf(path('duration'), typeof value === 'number' ? String(value) : value, DURATIONS),
	},
	{
		name: 'enablePromptExpansion',
		field: 'enable_prompt_expansion',
		models: ['wan'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Enable Prompt Expansion',
			name: 'enablePromptExpansion',
			type: 'boolean',
			default: true,
			description: 'Whether kvid may expand the prompt with more detail before rendering',
		}),
		read: (check, value) => bool(check, 'enablePromptExpansion', value),
	},
	{
		name: 'enableSafetyChecker',
		field: 'enable_safety_checker',
		models: ['wan'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Enable Safety Checker',
			name: 'enableSafetyChecker',
			type: 'boolean',
			default: true,
			description: 'Whether kvid filters unsafe content',
		}),
		read: (check, value) => bool(check, 'enableSafetyChecker', value),
	},
	{
		name: 'endImageUrl',
		field: 'end_image_url',
		models: ['seedance'],
		modes: ['imageToVideo'],
		property: () => ({
			displayName: 'End Image URL',
			name: 'endImageUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/last-frame.jpg',
			description: 'Image the video should end on (http or https URL)',
		}),
		read: (check, value) => check.url(path('endImageUrl'), value),
	},
	{
		name: 'framesPerSecond',
		field: 'frames_per_second',
		models: ['wan'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Frames per Second',
			name: 'framesPerSecond',
			type: 'number',
			typeOptions: {
				minValue: FRAMES_PER_SECOND.min,
				maxValue: FRAMES_PER_SECOND.max,
				numberPrecision: 0,
			},
			default: 16,
			description: `Frame rate, ${FRAMES_PER_SECOND.min}–${FRAMES_PER_SECOND.max}`,
		}),
		read: (check, value) => whole(check, 'framesPerSecond', value, FRAMES_PER_SECOND),
	},
	{
		name: 'negativePrompt',
		field: 'negative_prompt',
		models: ['wan'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Negative Prompt',
			name: 'negativePrompt',
			type: 'string',
			default: '',
			placeholder: 'low quality, bad anatomy',
			description: 'What the video should not show',
		}),
		read: (check, value) => check.text(path('negativePrompt'), value, { allowEmpty: true }),
	},
	{
		name: 'numFrames',
		field: 'num_frames',
		models: ['wan'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Number of Frames',
			name: 'numFrames',
			type: 'number',
			typeOptions: { minValue: NUM_FRAMES.min, maxValue: NUM_FRAMES.max, numberPrecision: 0 },
			default: 81,
			description: `Frames to render, ${NUM_FRAMES.min}–${NUM_FRAMES.max} (with the frame rate, this sets the length)`,
		}),
		read: (check, value) => whole(check, 'numFrames', value, NUM_FRAMES),
	},
	{
		name: 'numInferenceSteps',
		field: 'num_inference_steps',
		models: ['wan'],
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Number of Inference Steps',
			name: 'numInferenceSteps',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 30,
			description: 'More steps render more carefully and take longer',
		}),
		// the doc gives no upper bound
		read: (check, value) => whole(check, 'numInferenceSteps', value, { min: 1 }),
	},
	{
		name: 'resolution',
		field: 'resolution',
		models: MODELS,
		modes: BOTH_MODES,
		property: (model) => ({
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			options: choices(resolutions(model)),
			default: '720p',
			description: 'Video resolution; it also sets the price in credits',
		}),
		read: (check, value, model) => check.oneOf(path('resolution'), value, resolutions(model)),
	},
	{
		name: 'seed',
		field: 'seed',
		models: MODELS,
		modes: BOTH_MODES,
		property: () => ({
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			typeOptions: { numberPrecision: 0 },
			default: 0,
			description:
				'The same seed with the same settings renders the same video. Leave it out for a random one.',
		}),
		read: (check, value) => whole(check, 'seed', value),
	},
];

/**
 * The legacy entry named `name`, for the generation table to reuse where wan takes the same field.
 */
export const legacyOption = (name: string): OptionField =>
	OPTION_FIELDS.find((f) => f.name === name)!;
