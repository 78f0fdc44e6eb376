/**
 * The committed part of each single package: packages/<name>/package.json, and links from
 * packages/<name>/ to the sources it is built from (its node folder, nodes/shared, its credential
 * files, its icons). n8n's scanner, given a published package, downloads the commit its npm
 * provenance names, looks for the package.json carrying the package's name and lints the nodes/
 * and credentials/ beside it (icons must resolve, nodes may use only the package's credential);
 * so both must be in the repository, not only in the build. `npm run build:packages` checks them against what the
 * code says (and writes them with `-- --write-manifests`, e.g. after a version bump).
 */
import * as fs from 'fs';
import * as path from 'path';

import type { ProviderFacts } from './compiled';
import { PACKAGES_DIR, REPO_ROOT, type SinglePackage } from './config';

export const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
export const jsonText = (data: unknown) => `${JSON.stringify(data, null, '\t')}\n`;

export const rootPackage = readJson(path.join(REPO_ROOT, 'package.json'));

export function packageJson(pkg: SinglePackage, facts: ProviderFacts): Record<string, unknown> {
	const compiled = (source: string) => `dist/${source.replace(/\.ts$/, '.js')}`;
	const dev = rootPackage.devDependencies as Record<string, string>;
	return {
		name: pkg.name,
		version: rootPackage.version,
		description: pkg.summary,
		license: 'MIT',
		homepage: rootPackage.homepage,
		keywords: ['n8n-community-node-package', 'n8n', ...pkg.keywords],
		author: rootPackage.author,
		repository: rootPackage.repository,
		engines: rootPackage.engines,
		scripts: { build: 'n8n-node build', lint: 'n8n-node lint' },
		files: ['dist', 'examples'],
		n8n: {
			n8nNodesApiVersion: rootPackage.n8n.n8nNodesApiVersion,
			strict: true,
			credentials: [compiled(facts.credentialEntry)],
			nodes: [compiled(facts.nodeEntry)],
		},
		peerDependencies: rootPackage.peerDependencies,
		devDependencies: Object.fromEntries(['@n8n/node-cli', 'eslint', 'n8n-workflow', 'typescript'].map((d) => [d, dev[d]])),
	};
}

/**
 * The links packages/<name>/ needs so that n8n's scanner lints exactly the package's sources:
 * the node folders its files sit in (nodes/<Provider>, nodes/shared: whole folders, so a file
 * added there needs no new link) and each credential and icon file, by name.
 */
export function sourceLinks(files: string[]): string[] {
	return [...new Set(files.map((f) => (f.startsWith('nodes/') ? f.split('/').slice(0, 2).join('/') : f)))].sort();
}

function linksIn(dir: string, prefix = ''): Map<string, string> {
	const found = new Map<string, string>();
	for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
		const relative = path.posix.join(prefix, entry.name);
		if (entry.isSymbolicLink()) found.set(relative, fs.readlinkSync(path.join(dir, relative)));
		else if (entry.isDirectory()) for (const [k, v] of linksIn(dir, relative)) found.set(k, v);
	}
	return found;
}

/**
 * Makes sure packages/<name>/ holds exactly `manifest` and the links to `files`' sources; with
 * `write`, puts them there, else throws naming what differs and the command that fixes it.
 */
export function ensureCommitted(pkg: SinglePackage, manifest: Record<string, unknown>, files: string[], write: boolean): void {
	const dir = path.join(PACKAGES_DIR, pkg.name);
	const expectedJson = jsonText(manifest);
	const expectedLinks = new Map(sourceLinks(files).map((f) => [f, path.relative(path.dirname(path.join(dir, f)), path.join(REPO_ROOT, f))]));
	const problems: string[] = [];
	const file = path.join(dir, 'package.json');
	if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== expectedJson) problems.push('package.json');
	const actual = fs.existsSync(dir) ? linksIn(dir) : new Map<string, string>();
	for (const [link, target] of expectedLinks) if (actual.get(link) !== target) problems.push(`${link} -> ${target}`);
	for (const link of actual.keys()) if (!expectedLinks.has(link)) problems.push(`${link} (no longer used)`);
	if (problems.length === 0) return;
	if (!write) {
		throw new Error(`packages/${pkg.name}: ${problems.join(', ')} not as the code says: run \`npm run build:packages -- --write-manifests\` and commit packages/`);
	}
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(file, expectedJson);
	for (const [link, target] of expectedLinks) {
		fs.mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
		fs.symlinkSync(target, path.join(dir, link));
	}
	console.log(`packages/${pkg.name}: wrote ${problems.join(', ')}`)
}
