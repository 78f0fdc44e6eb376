import type { IDataObject } from 'n8n-workflow';

import { retryAfterMs } from './timing';

/** What a failed request left behind, read from whatever n8n's client threw. */
export interface Failure {
	status?: number;
	code?: string;
	message: string;
	body?: unknown;
	retryAfterMs?: number;
}

/** axios' code for an answer it could not read; also given to a 2xx answer that is not JSON. */
export const UNREADABLE = 'ERR_BAD_RESPONSE';

/**
 * A 2xx answer that cannot be read (garbled or cut short): retried like a network failure, never
 * taken as data.
 */
export function unreadableAnswer(why: string): Error {
	return Object.assign(new Error(why), { code: UNREADABLE });
}

/** A promise's value or its error, as data: for callers that decide what a failure means. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}

/** Reads status, body and Retry-After from whatever n8n's client threw (it wraps axios errors). */
export function readFailure(error: unknown): Failure {
	let e = error as IDataObject | undefined;
	for (let depth = 0; e && depth < 5; depth++) {
		const response = e.response as IDataObject | undefined;
		if (response && typeof response.status === 'number') {
			return {
				status: response.status,
				body: response.data ?? response.body,
				retryAfterMs: retryAfterMs(response.headers),
				message: String(e.message ?? ''),
			};
		}
		if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code))
			return { code: e.code, message: String(e.message ?? e.code) };
		e = e.cause as IDataObject | undefined;
	}
	const top = error as IDataObject | undefined;
	const httpCode = Number(top?.httpCode);
	if (Number.isInteger(httpCode) && httpCode >= 100)
		return { status: httpCode, message: String(top?.message ?? '') };
	return { message: String(top?.message ?? error) };
}

/** The provider's own words from an error body: message/msg/error/detail, or the text itself. */
export function providerMessage(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (Buffer.isBuffer(body)) return providerMessage(body.toString('utf8'));
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('{')) {
			try {
				return providerMessage(JSON.parse(text));
			} catch {
				// not JSON after all
			}
		}
		if (/^<(!doctype|html)/i.test(text)) return undefined;
		return text.slice(0, 300);
	}
	if (typeof body === 'object') {
		const o = body as IDataObject;
		for (const key of ['message', 'msg', 'error', 'detail', 'errors', 'code']) {
			const v = o[key];
			if (typeof v === 'string' && v) return v;
			if (v && typeof v === 'object') {
				const nested = providerMessage(v);
				if (nested) return nested;
			}
		}
		const text = JSON.stringify(body);
		return text === '{}' ? undefined : text.slice(0, 300);
	}
	return String(body);
}
