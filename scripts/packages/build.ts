/**
 * `npm run build:packages`: one npm package per provider, assembled in packages/.build/<name>/
 * from this repository's source (after `npm run build`, whose dist/ says which credential each
 * node uses). Each gets the files its node and credential import, its icons and codex, the
 * examples that use its node (node types renamed to `<name>.<node>`), its committed package.json
 * (see manifest.ts), a tsconfig, n8n's default eslint config, LICENSE and README, and is compiled
 * with n8n's node CLI (`n8n-node build`).
 * Usage: tsx scripts/packages/build.ts [--write-manifests] [package name ...]   (default: all four)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { providerFacts } from './compiled';
import { BUILD_DIR, REPO_ROOT, SINGLE_PACKAGES, type SinglePackage } from './config';
import { ensureCommitted, jsonText, packageJson, readJson, rootPackage } from './manifest';
import { renderReadme } from './readme';
import { codexFile, examplesFor, iconFiles, importClosure, retypeWorkflow } from './sources';

const N8N_NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'n8n-node');
/** n8n-node's strict mode wants eslint.config.mjs exactly as its template has it. */
const DEFAULT_ESLINT_CONFIG = path.join(REPO_ROOT, 'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs');

function copyInto(dir: string, files: string[]): void {
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
	}
}

/** Runs n8n's node CLI in a package folder; its spinner output is shown only when it fails. */
export function n8nNode(dir: string, command: string): void {
	try {
		execFileSync(N8N_NODE, [command], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(`n8n-node ${command} failed in ${path.relative(REPO_ROOT, dir)}:\n${stdout ?? ''}${stderr ?? ''}`);
	}
}

function buildPackage(pkg: SinglePackage, writeManifests: boolean): void {
	const facts = providerFacts(pkg.nodeFolder);
	const manifest = packageJson(pkg, facts);
	const sources = importClosure([facts.nodeEntry, facts.credentialEntry]);
	const icons = iconFiles(sources);
	const codex = codexFile(facts.nodeEntry);
	ensureCommitted(pkg, manifest, [...sources, ...icons], writeManifests);
	const examples = examplesFor(facts.nodeName);
	const dir = path.join(BUILD_DIR, pkg.name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });

	copyInto(dir, [...sources, ...icons, 'LICENSE']);
	if (codex) {
		const data = readJson(path.join(REPO_ROOT, codex));
		data.node = `${pkg.name}.${facts.nodeName}`;
		data.resources = { ...data.resources, primaryDocumentation: [{ url: `https://www.npmjs.com/package/${pkg.name}` }] };
		fs.writeFileSync(path.join(dir, codex), jsonText(data));
	}
	fs.mkdirSync(path.join(dir, 'examples'));
	for (const [file, workflow] of Object.entries(examples)) {
		fs.writeFileSync(path.join(dir, 'examples', file), jsonText(retypeWorkflow(workflow, pkg.name)));
	}
	fs.writeFileSync(path.join(dir, 'package.json'), jsonText(manifest));
	const tsconfig = readJson(path.join(REPO_ROOT, 'tsconfig.json'));
	fs.writeFileSync(path.join(dir, 'tsconfig.json'), jsonText({ compilerOptions: tsconfig.compilerOptions, include: tsconfig.include }));
	fs.copyFileSync(DEFAULT_ESLINT_CONFIG, path.join(dir, 'eslint.config.mjs'));
	fs.writeFileSync(path.join(dir, 'README.md'), renderReadme(pkg, facts, examples, rootPackage.homepage as string));
	// n8n-node runs tsc and eslint through `npm exec` in the package folder: give it this repository's tools
	fs.symlinkSync(path.relative(dir, path.join(REPO_ROOT, 'node_modules')), path.join(dir, 'node_modules'));

	n8nNode(dir, 'build');
	const { nodes, credentials } = manifest.n8n as { nodes: string[]; credentials: string[] };
	for (const file of [...nodes, ...credentials]) {
		if (!fs.existsSync(path.join(dir, file))) throw new Error(`${pkg.name}: n8n-node build made no ${file}`);
	}
	console.log(`${pkg.name}: ${sources.length} source files, ${Object.keys(examples).length} examples → ${path.relative(REPO_ROOT, dir)}`);
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const writeManifests = args.includes('--write-manifests');
	const wanted = args.filter((a) => !a.startsWith('--'));
	const unknown = wanted.filter((name) => !SINGLE_PACKAGES.some((p) => p.name === name));
	if (unknown.length > 0) throw new Error(`unknown package(s): ${unknown.join(', ')}`);
	for (const pkg of SINGLE_PACKAGES.filter((p) => wanted.length === 0 || wanted.includes(p.name))) buildPackage(pkg, writeManifests);
}
