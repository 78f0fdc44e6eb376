import type { GenerationMode } from '../modes';

/** The generation API's model names; any full model id may be given by expression instead. */
export const GENERATION_MODELS = ['wan', 'seedance', 'veo3.1'] as const;
/**
 * Whose rules a model follows: a full id (bytedance/seedance-2.0/…) follows its family's, else only
 * the common ones.
 */
export type ModelFamily = (typeof GENERATION_MODELS)[number] | 'other';

export function familyOf(model: string): ModelFamily {
	if ((GENERATION_MODELS as readonly string[]).includes(model)) return model as ModelFamily;
	const id = model.toLowerCase();
	if (id.includes('veo')) return 'veo3.1';
	if (id.includes('seedance')) return 'seedance';
	return /(^|\/)wan/.test(id) ? 'wan' : 'other';
}

/** Pricing page: wan (v1) renders 480p/720p only, veo3.1 (v3) 480p only. */
export function generationResolutions(family: ModelFamily): readonly string[] {
	if (family === 'wan') return ['480p', '720p'];
	return family === 'veo3.1' ? ['480p'] : ['480p', '720p', '1080p'];
}

/**
 * veo3.1 takes 16:9 and 9:16 only; "auto" follows an input image, so text-to-video has none to
 * follow.
 */
export function generationAspectRatios(
	family: ModelFamily,
	mode: GenerationMode,
): readonly string[] {
	if (family === 'veo3.1') return ['16:9', '9:16'];
	return mode === 'textToVideo' ? ['16:9', '9:16', '1:1'] : ['auto', '16:9', '9:16', '1:1'];
}

/** The first choice: "auto" (follow the image) where there is one, else 16:9. */
export function defaultGenerationAspectRatio(family: ModelFamily, mode: GenerationMode): string {
	return generationAspectRatios(family, mode)[0];
}

/**
 * Seconds a model renders: reference-to-video 4–15 or "auto" (the doc's schema), wan 5–10 (pricing
 * page), the others the doc's "typically 4–15 seconds".
 */
export function durationRange(
	family: ModelFamily,
	mode: GenerationMode,
): { min: number; max: number; auto: boolean } {
	if (mode === 'referenceToVideo') return { min: 4, max: 15, auto: true };
	return family === 'wan' ? { min: 5, max: 10, auto: false } : { min: 4, max: 15, auto: false };
}
