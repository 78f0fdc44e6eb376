import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { dataOf, listOf } from '../answers';
import { assertCredentialServes } from '../apiVersion';
import {
	getModels as getModelList,
	getModelsDropdown,
	getWorkspaces as getWorkspaceList,
} from '../transport';

/** The dropdowns read the account's lists from the v3 API (they are shown on v3 only). */
async function v3List(
	ctx: ILoadOptionsFunctions,
	list: (ctx: ILoadOptionsFunctions) => Promise<unknown>,
	...keys: string[]
): Promise<IDataObject[]> {
	await assertCredentialServes(ctx, 'v3');
	return listOf(await list(ctx), ...keys);
}

/** `GET /model` answers `models[]` (inside the `data` envelope, or at the top: both are read). */
async function models(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	await assertCredentialServes(ctx, 'v3');
	const answer = await getModelList<IDataObject>(ctx);
	const list = dataOf(answer).models ?? answer?.models;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/**
 * A label in English where AI Studios gives one (`{ko, en}`), else any text it has, else the id.
 */
function labelOf(entry: IDataObject, id: string): string {
	const label = entry.label;
	if (typeof label === 'string' && label) return label;
	const names = (label ?? {}) as IDataObject;
	const text = [names.en, names.ko].find((v) => typeof v === 'string' && v);
	return (text as string | undefined) ?? id;
}

const idOf = (entry: IDataObject, key = 'id') => String(entry[key] ?? '');
const sorted = (options: INodePropertyOptions[]) =>
	options.filter((o) => o.value !== '').sort((a, b) => a.name.localeCompare(b.name));

export async function getModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	if (this.getCurrentNodeParameter('avatarType') === 'custom') {
		// Custom avatars are listed by `GET /dropdown/models` with their `avatarType`; the stock models
		// of `GET /model` are chroma-key.
		const all = await v3List(this, getModelsDropdown, 'models');
		const custom = all.filter((m) => /custom/i.test(String(m.avatarType ?? '')));
		return sorted(
			custom.map((m) => ({ name: labelOf(m, idOf(m)), value: idOf(m), description: idOf(m) })),
		);
	}
	return sorted(
		(await models(this)).map((m) => {
			const clothes = Array.isArray(m.clothes) ? m.clothes.length : 0;
			return {
				name: labelOf(m, idOf(m)),
				value: idOf(m),
				description: `${idOf(m)} · ${clothes} clothes`,
			};
		}),
	);
}

export async function getClothes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const model = this.getCurrentNodeParameter('model');
	if (typeof model !== 'string' || model === '') return [];
	const found = (await models(this)).find((m) => idOf(m) === model);
	const clothes = Array.isArray(found?.clothes) ? (found.clothes as IDataObject[]) : [];
	return sorted(
		clothes.map((c) => ({ name: labelOf(c, idOf(c)), value: idOf(c), description: idOf(c) })),
	);
}

export async function getWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const workspaces = await v3List(this, getWorkspaceList, 'workspaces');
	const options = workspaces.map((w) => ({
		name: String(w.workspaceName ?? w.name ?? idOf(w, 'workspaceId')),
		value: idOf(w, 'workspaceId') || idOf(w),
	}));
	return [{ name: 'Default Workspace', value: '' }, ...sorted(options)];
}
