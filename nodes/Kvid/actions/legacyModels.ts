import type { KvidMode } from '../modes';

/** `wan` is the doc's v1 model, `seedance` its v2 (bytedance/seedance/v1/lite). */
export const MODELS = ['wan', 'seedance'] as const;
export type KvidModel = (typeof MODELS)[number];

/** The doc's ranges and choices, per model and mode. */
export const NUM_FRAMES = { min: 81, max: 100 };
export const FRAMES_PER_SECOND = { min: 5, max: 24 };
export const DURATIONS = ['5', '10'] as const;

export function resolutions(model: KvidModel): readonly string[] {
	return model === 'wan' ? ['480p', '580p', '720p'] : ['480p', '720p', '1080p'];
}

export function aspectRatios(model: KvidModel, mode: KvidMode): readonly string[] {
	if (model === 'seedance') return ['16:9', '4:3', '1:1', '9:21'];
	return mode === 'textToVideo' ? ['16:9', '9:16'] : ['auto', '16:9', '9:16', '1:1'];
}

/** The doc's default: "auto" (follow the image) for wan's image-to-video, else 16:9. */
export function defaultAspectRatio(model: KvidModel, mode: KvidMode): string {
	return model === 'wan' && mode === 'imageToVideo' ? 'auto' : '16:9';
}
