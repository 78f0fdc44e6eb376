import type { IDataObject } from 'n8n-workflow';

/** kvid's API generations: the seed's `/ai/video/…` and the current `/ai/generation/…`. */
export const API_VERSIONS = ['legacy', 'generation'] as const;
export type KvidApiVersion = (typeof API_VERSIONS)[number];

/**
 * The legacy API keeps text- and image-to-video jobs apart; the generation API adds
 * reference-to-video.
 */
export const MODES = ['textToVideo', 'imageToVideo'] as const;
export const GENERATION_MODES = ['textToVideo', 'imageToVideo', 'referenceToVideo'] as const;
export type KvidMode = (typeof MODES)[number];
export type GenerationMode = (typeof GENERATION_MODES)[number];

/**
 * kvid's word for each mode: its path segment, the tail of seedance's model ids, the result's
 * `type`.
 */
export const MODE_WORDS: Record<GenerationMode, string> = {
	textToVideo: 'text-to-video',
	imageToVideo: 'image-to-video',
	referenceToVideo: 'reference-to-video',
};

/** The generation API's `function` field, which matches the endpoint. */
export const MODE_FUNCTIONS: Record<GenerationMode, string> = {
	textToVideo: 'txt2vid',
	imageToVideo: 'img2vid',
	referenceToVideo: 'ref2vid',
};

export function isMode(value: unknown): value is KvidMode {
	return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

export function isGenerationMode(value: unknown): value is GenerationMode {
	return typeof value === 'string' && (GENERATION_MODES as readonly string[]).includes(value);
}

/** The mode whose word kvid used (the result's `type`), if it is one. */
export function modeOfWord(word: unknown): GenerationMode | undefined {
	return GENERATION_MODES.find((mode) => MODE_WORDS[mode] === word);
}

/** The value as an object, or undefined when it is none (kvid's bodies are loosely documented). */
export const asRecord = (value: unknown): IDataObject | undefined =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;

/**
 * The error code of a kvid error body. The docs name the codes (INVALID_PARAMETERS, JOB_FAILED…)
 * but not the field that carries them, so the usual spellings are all read.
 */
export function errorCodeOf(body: unknown): string | undefined {
	const b = asRecord(body);
	if (!b) return undefined;
	for (const candidate of [b.error, b.code, b.error_code, b.errorCode, asRecord(b.error)?.code]) {
		if (typeof candidate === 'string' && /^[A-Z][A-Z0-9_]+$/.test(candidate)) return candidate;
	}
	return undefined;
}

/**
 * kvid answers `{success: false, message}` for a refusal. A status answer that still reports the
 * job's state (FAILED) is data, not a refusal: a failed render must reach the workflow as
 * `status: "failed"`.
 */
export function refusalOf(body: unknown): string | undefined {
	const b = asRecord(body);
	if (b?.success !== false) return undefined;
	if (typeof asRecord(b.data)?.status === 'string') return undefined;
	if (typeof b.message === 'string' && b.message) return b.message;
	return errorCodeOf(b) ?? 'kvid reported "success: false" without a message';
}

/** What to do when kvid accepted a submit but its answer holds no job id. */
export const KVID_NO_ID_HINT =
	'The render may have started: check the kvid dashboard before submitting again.';
