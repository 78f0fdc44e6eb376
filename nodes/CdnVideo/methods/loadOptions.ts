import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getConfigurations } from '../transport';

interface Configurations {
	voices?: Record<
		string,
		{ language?: string; gender?: string; provider?: string; emotions?: string[] }
	>;
	models?: Record<
		string,
		Record<
			string,
			{
				style?: string;
				gender?: string;
				voices?: string[];
				shots?: Record<string, { size?: string }>;
			}
		>
	>;
	backgrounds?: Record<string, { sizes?: string[] }>;
}

async function configurations(ctx: ILoadOptionsFunctions): Promise<Configurations> {
	return await getConfigurations<Configurations>(ctx);
}

const current = (ctx: ILoadOptionsFunctions, name: string, fallback = '') => {
	const value = ctx.getCurrentNodeParameter(name);
	return typeof value === 'string' ? value : fallback;
};

/** The versions of the chosen actor that the other settings allow ("latest" = all of them). */
function versionsOf(config: Configurations, actor: string, version: string) {
	const versions = Object.entries(config.models?.[actor] ?? {});
	return version && version !== 'latest' ? versions.filter(([v]) => v === version) : versions;
}

const sorted = (options: INodePropertyOptions[]) =>
	options.sort((a, b) => a.name.localeCompare(b.name));
const unique = (values: string[]) => [...new Set(values.filter(Boolean))];

export async function getActors(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	return sorted(
		Object.entries(config.models ?? {}).map(([name, versions]) => ({
			name,
			value: name,
			description: `Versions ${Object.keys(versions).join(', ')}`,
		})),
	);
}

export async function getActorVersions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	const versions = versionsOf(config, current(this, 'actorName'), 'latest').map(
		([version, spec]) => ({
			name: version,
			value: version,
			description: [spec.style, spec.gender].filter(Boolean).join(', '),
		}),
	);
	return [
		{
			name: 'Latest',
			value: 'latest',
			description: 'The newest version that fits the other settings',
		},
		...versions.reverse(),
	];
}

export async function getActorStyles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	const styles = unique(
		versionsOf(config, current(this, 'actorName'), current(this, 'actorVersion', 'latest')).map(
			([, s]) => s.style ?? '',
		),
	);
	return [
		{ name: 'Default', value: '', description: 'Let CDNvideo choose' },
		...sorted(styles.map((s) => ({ name: s, value: s }))),
	];
}

export async function getActorShots(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	const shots: IDataObject = {};
	for (const [, spec] of versionsOf(
		config,
		current(this, 'actorName'),
		current(this, 'actorVersion', 'latest'),
	)) {
		for (const [shot, info] of Object.entries(spec.shots ?? {})) shots[shot] = info.size ?? '';
	}
	return sorted(
		Object.entries(shots).map(([shot, size]) => ({
			name: shot,
			value: shot,
			description: size ? `Size ${String(size)}` : undefined,
		})),
	);
}

export async function getVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	const actor = current(this, 'actorName');
	const allowed = unique(
		versionsOf(config, actor, current(this, 'actorVersion', 'latest')).flatMap(
			([, s]) => s.voices ?? [],
		),
	);
	const voices = Object.entries(config.voices ?? {}).filter(
		([name]) => !actor || allowed.includes(name),
	);
	return sorted(
		voices.map(([name, v]) => ({
			name,
			value: name,
			description: [v.language, v.gender, v.provider].filter(Boolean).join(', '),
		})),
	);
}

export async function getEmotions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	const emotions = config.voices?.[current(this, 'voice')]?.emotions ?? [];
	return [
		{ name: 'Neutral (Default)', value: '' },
		...sorted(emotions.filter((e) => e !== 'neutral').map((e) => ({ name: e, value: e }))),
	];
}

export async function getBackgrounds(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const config = await configurations(this);
	const backgrounds = Object.entries(config.backgrounds ?? {}).map(([name, b]) => ({
		name,
		value: name,
		description: b.sizes?.length ? `Sizes ${b.sizes.join(', ')}` : undefined,
	}));
	return [{ name: 'Green Screen (Chroma Key)', value: 'green_screen' }, ...sorted(backgrounds)];
}
