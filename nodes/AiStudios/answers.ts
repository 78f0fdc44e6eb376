import type { IDataObject } from 'n8n-workflow';

/** The `data` of a v3 answer (`{success, data, error}`), as an object. */
export function dataOf(answer: unknown): IDataObject {
	const data = (answer as IDataObject | undefined)?.data;
	return data !== null && typeof data === 'object' && !Array.isArray(data)
		? (data as IDataObject)
		: {};
}

/**
 * The list in a v3 answer: `data` itself or the first array under it. The docs give the items'
 * fields but not the container's key: any key is accepted.
 */
export function listOf(answer: unknown, ...keys: string[]): IDataObject[] {
	const data = (answer as IDataObject | undefined)?.data ?? answer;
	if (Array.isArray(data)) return data as IDataObject[];
	const o = (data ?? {}) as IDataObject;
	for (const key of keys) if (Array.isArray(o[key])) return o[key] as IDataObject[];
	const first = Object.values(o).find(Array.isArray);
	return (first ?? []) as IDataObject[];
}
