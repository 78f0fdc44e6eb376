/**
 * What n8n's verification asks of a package, checked on the files npm would publish (an
 * unpacked tarball): MIT, the community keyword, an `n8n` section whose files exist (one node and
 * one credential for a single-provider package), no runtime dependencies and `n8n-workflow` the
 * only peer, every `require` of the compiled code satisfied inside the package (or by n8n-workflow
 * and Node itself), every icon it names present, no eslint-disable comment, a README and a
 * LICENSE, and examples that use the package's own node types. Returns the problems found; none means the package is sound.
 */
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';

const REQUIRE = /require\(\s*"([^"]+)"\s*\)/g;
const ICON = /["']file:([^"']+)["']/g;

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

export function verifyPackedPackage(dir: string, single: boolean): string[] {
	const problems: string[] = [];
	const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, any>;
	const name = String(manifest.name);
	if (!/^(@[a-z0-9-]+\/)?n8n-nodes-/.test(name)) problems.push(`name ${name} does not start with n8n-nodes-`);
	if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}, not MIT`);
	if (!manifest.keywords?.includes('n8n-community-node-package')) problems.push('keyword n8n-community-node-package missing');
	for (const field of ['dependencies', 'bundleDependencies', 'bundledDependencies', 'optionalDependencies']) {
		if (manifest[field] && Object.keys(manifest[field]).length > 0) problems.push(`${field} is not empty`);
	}
	if (JSON.stringify(Object.keys(manifest.peerDependencies ?? {})) !== '["n8n-workflow"]') problems.push('n8n-workflow is not the only peer dependency');
	const nodes: string[] = manifest.n8n?.nodes ?? [];
	const credentials: string[] = manifest.n8n?.credentials ?? [];
	if (single && (nodes.length !== 1 || credentials.length !== 1)) problems.push(`n8n section has ${nodes.length} nodes and ${credentials.length} credentials, not one of each`);
	for (const file of [...nodes, ...credentials]) if (!fs.existsSync(path.join(dir, file))) problems.push(`n8n section names ${file}, which is not in the package`);
	for (const file of ['README.md', 'LICENSE']) if (!fs.existsSync(path.join(dir, file))) problems.push(`${file} missing`);

	const files = filesUnder(dir);
	for (const file of files.filter((f) => /\.(js|ts|json)$/.test(f))) {
		if (fs.readFileSync(path.join(dir, file), 'utf8').includes('eslint-disable')) problems.push(`${file} turns a lint rule off (eslint-disable)`);
	}
	for (const file of files.filter((f) => f.endsWith('.js'))) {
		const code = fs.readFileSync(path.join(dir, file), 'utf8');
		for (const [, spec] of code.matchAll(REQUIRE)) {
			if (spec.startsWith('.')) {
				const target = path.resolve(path.dirname(path.join(dir, file)), spec);
				if (![target, `${target}.js`, `${target}.json`, path.join(target, 'index.js')].some((t) => fs.existsSync(t) && fs.statSync(t).isFile())) {
					problems.push(`${file} requires ${spec}, which is not in the package`);
				}
			} else if (spec !== 'n8n-workflow' && !builtinModules.includes(spec.replace(/^node:/, ''))) {
				problems.push(`${file} requires ${spec}, a runtime dependency`);
			}
		}
		for (const [, icon] of code.matchAll(ICON)) {
			if (!fs.existsSync(path.resolve(path.dirname(path.join(dir, file)), icon))) problems.push(`${file} names icon ${icon}, which is not in the package`);
		}
	}
	for (const file of files.filter((f) => f.startsWith('examples/') && f.endsWith('.json'))) {
		const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { nodes: Array<{ type: string }> };
		const foreign = workflow.nodes.map((n) => n.type).filter((t) => /^n8n-nodes-/.test(t) && !t.startsWith('n8n-nodes-base.') && !t.startsWith(`${name}.`));
		if (foreign.length > 0) problems.push(`${file} uses node types of another package: ${[...new Set(foreign)].join(', ')}`);
	}
	return problems;
}
