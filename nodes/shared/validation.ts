import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * Input checks that run before any request, so a bad item costs nothing at the provider.
 * Every message starts with the parameter's name, as n8n users see it in saved workflows.
 */
export class InputError extends NodeOperationError {}

export interface InputCheck {
	fail(parameter: string, problem: string, hint?: string): never;
	text(parameter: string, value: unknown, limits?: { max?: number; allowEmpty?: boolean }): string;
	oneOf<T extends string>(parameter: string, value: unknown, allowed: readonly T[]): T;
	number(
		parameter: string,
		value: unknown,
		range: { min?: number; max?: number; minExclusive?: boolean; integer?: boolean },
	): number;
	colour(parameter: string, value: unknown): string;
	url(parameter: string, value: unknown): string;
	jobId(value: unknown, parameter?: string): string;
}

const MAX_JOB_ID_LENGTH = 200;

export function inputCheck(node: INode, itemIndex: number): InputCheck {
	const fail = (parameter: string, problem: string, hint?: string): never => {
		throw new InputError(node, `Parameter "${parameter}" ${problem}`, {
			itemIndex,
			description: hint,
		});
	};

	const text: InputCheck['text'] = (parameter, value, limits = {}) => {
		if (value === undefined || value === null) value = '';
		if (typeof value !== 'string' && typeof value !== 'number') {
			return fail(parameter, `must be text, got ${typeof value}`);
		}
		const s = String(value);
		if (!limits.allowEmpty && s.trim() === '')
			return fail(parameter, 'is required and must not be empty');
		// Count characters as people do (a surrogate pair is one character), not UTF-16 units.
		const length = [...s].length;
		if (limits.max !== undefined && length > limits.max) {
			return fail(
				parameter,
				`is ${length} characters long; the provider accepts at most ${limits.max}`,
			);
		}
		return s;
	};

	const oneOf = <T extends string>(parameter: string, value: unknown, allowed: readonly T[]): T => {
		if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
			return value as T;
		return fail(
			parameter,
			`must be one of ${allowed.map((a) => `"${a}"`).join(', ')}; got ${describe(value)}`,
		);
	};

	const number: InputCheck['number'] = (parameter, value, range) => {
		const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof n !== 'number' || !Number.isFinite(n))
			return fail(parameter, `must be a number; got ${describe(value)}`);
		if (range.integer && !Number.isInteger(n))
			return fail(parameter, `must be a whole number; got ${n}`);
		const { min, max, minExclusive } = range;
		const low = min === undefined ? '' : `${minExclusive ? '(' : '['}${min}`;
		const interval = `${low || '(-∞'}, ${max === undefined ? '∞)' : `${max}]`}`;
		if (min !== undefined && (minExclusive ? n <= min : n < min))
			return fail(parameter, `must be in ${interval}; got ${n}`);
		if (max !== undefined && n > max) return fail(parameter, `must be in ${interval}; got ${n}`);
		return n;
	};

	const colour: InputCheck['colour'] = (parameter, value) => {
		if (typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value)) return value;
		return fail(parameter, `must be a hex colour like #FFFFFF; got ${describe(value)}`);
	};

	const url: InputCheck['url'] = (parameter, value) => {
		if (typeof value === 'string' && value.trim() !== '') {
			try {
				const parsed = new URL(value.trim());
				if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname)
					return value.trim();
			} catch {
				// reported below
			}
		}
		return fail(parameter, `must be an http(s) URL; got ${describe(value)}`);
	};

	const jobId: InputCheck['jobId'] = (value, parameter = 'jobId') => {
		const hint =
			'Use the jobId that the Submit operation returned (the default {{ $json.jobId }} reads it ' +
			'from the previous node).';
		if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
		if (typeof value !== 'string' || value === '')
			return fail(parameter, 'is required: no job ID was given', hint);
		if (value.length > MAX_JOB_ID_LENGTH)
			return fail(
				parameter,
				`is ${value.length} characters long; a job ID is at most ${MAX_JOB_ID_LENGTH}`,
				hint,
			);
		if (value === '.' || value === '..') return fail(parameter, `"${value}" is not a job ID`, hint);
		const bad = /[\s/\\?#%]/.exec(value);
		if (bad) {
			const shown = /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`;
			return fail(parameter, `must not contain ${shown}; got ${describe(value)}`, hint);
		}
		return value;
	};

	return { fail, text, oneOf, number, colour, url, jobId };
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value;
}
