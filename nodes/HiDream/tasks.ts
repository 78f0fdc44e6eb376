/**
 * What a HiDream job renders; each task has its own endpoints, and its jobs are looked up there.
 */
export const TASKS = ['videoStylization', 'textToVideo', 'imageToVideo'] as const;
export type HiDreamTask = (typeof TASKS)[number];

export function isTask(value: unknown): value is HiDreamTask {
	return typeof value === 'string' && (TASKS as readonly string[]).includes(value);
}

/** HiDream counts tasks per minute, per family (v3 quick start). */
export const HIDREAM_RATE_WINDOW_MS = 60_000;
/** Video stylization: 2 tasks a minute. */
export const HIDREAM_SUBMITS_PER_WINDOW = 2;
/**
 * Text- and image-to-video: 10 tasks a minute, paced as one family (the stricter reading of the
 * docs).
 */
export const HIDREAM_GENERATIONS_PER_WINDOW = 10;

/** The pacing family of a task: stylizations and generations are limited separately. */
export function familyOf(task: HiDreamTask): 'stylization' | 'generation' {
	return task === 'videoStylization' ? 'stylization' : 'generation';
}
