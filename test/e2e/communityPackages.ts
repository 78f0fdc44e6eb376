/**
 * Installing a packed community package into an n8n home the way n8n 2.41.1's Settings → Community
 * Nodes → Install does (CommunityPackagesService.installOrUpdatePackage → downloadPackage), minus the
 * registry download: the tarball is unpacked into <user folder>/.n8n/nodes/node_modules/<name>
 * (`tar -xzf --strip-components=1`), its package.json loses devDependencies, peerDependencies and
 * optionalDependencies, `npm install` runs there with n8n's flags, and the ledger
 * <user folder>/.n8n/nodes/package.json lists it. n8n then loads it at startup: the
 * community-packages module scans nodes/node_modules/n8n-nodes-* (scanDirectoryForPackages), with
 * no N8N_CUSTOM_EXTENSIONS, and its node types are `<package>.<node>`.
 * The `installed_packages` row the UI also writes is not needed for that: it feeds only the
 * Settings list (and the reinstall of a listed package whose files are missing), so none is made.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT, type N8nHome } from './n8n';

export const TARBALLS_DIR = path.join(REPO_ROOT, 'packages', '.tarballs');

/** packages/.tarballs/<name>-<version>.tgz, from `npm run check:packages`. */
export function packedTarball(name: string): string {
	const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
	const tarball = path.join(TARBALLS_DIR, `${name}-${version}.tgz`);
	if (!fs.existsSync(tarball)) {
		throw new Error(`${path.relative(REPO_ROOT, tarball)} is missing: run \`npm run build:packages && npm run check:packages\` first`);
	}
	return tarball;
}

export interface InstalledPackage {
	name: string;
	version: string;
	/** where n8n finds it: <user folder>/.n8n/nodes/node_modules/<name> */
	dir: string;
	/** its package.json as installed */
	manifest: Record<string, unknown>;
}

export function installCommunityPackage(home: N8nHome, tarball: string): InstalledPackage {
	const nodesDir = path.join(home.userFolder, '.n8n', 'nodes');
	const ledgerFile = path.join(nodesDir, 'package.json');
	fs.mkdirSync(nodesDir, { recursive: true });
	// what CommunityPackagesService.ensurePackageJson writes when there is no ledger yet
	const ledger = fs.existsSync(ledgerFile)
		? (JSON.parse(fs.readFileSync(ledgerFile, 'utf8')) as { dependencies: Record<string, string> })
		: { name: 'installed-nodes', private: true, dependencies: {} as Record<string, string> };

	const staging = fs.mkdtempSync(path.join(nodesDir, '.unpack-'));
	execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
	const { name, version } = JSON.parse(fs.readFileSync(path.join(staging, 'package.json'), 'utf8')) as { name: string; version: string };
	const dir = path.join(nodesDir, 'node_modules', name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	fs.renameSync(staging, dir);

	const manifestFile = path.join(dir, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	// n8n's flags, plus --offline: a package without dependencies needs nothing from a registry,
	// and one that had some would fail here instead of fetching them
	execFileSync(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--offline'],
		{ cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...home.env, npm_config_cache: path.join(home.dir, 'npm-cache') } },
	);
	ledger.dependencies[name] = version;
	fs.writeFileSync(ledgerFile, JSON.stringify(ledger, null, 2));
	return { name, version, dir, manifest };
}
