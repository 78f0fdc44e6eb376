/**
 * Reads, from this repository's code, what one provider's package must carry: the TypeScript
 * files its node and credential import (followed import by import, type-only imports included),
 * the icons those files name, the codex file beside the node, and the example workflows that use
 * the node. Nothing here lists files inside a provider folder, so the packages follow the code.
 */
import * as fs from 'fs';
import * as path from 'path';

import { COMBINED_PACKAGE, REPO_ROOT } from './config';

const IMPORT = /(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\s+['"](\.[^'"]+)['"]|require\(\s*['"](\.[^'"]+)['"]\s*\)/g;
const ICON = /['"]file:([^'"]+\.(?:svg|png))['"]/g;

/** repo-relative path (posix) of an absolute one */
const rel = (abs: string) => path.relative(REPO_ROOT, abs).split(path.sep).join('/');

function resolveImport(fromFile: string, spec: string): string {
	const base = path.resolve(path.dirname(fromFile), spec);
	for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${rel(fromFile)} imports '${spec}', which is not a file`);
}

/** Every repo file the entry files need, following relative imports (the entries included). */
export function importClosure(entries: string[]): string[] {
	const seen = new Set<string>();
	const queue = entries.map((e) => path.resolve(REPO_ROOT, e));
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		if (!file.endsWith('.ts')) continue;
		for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
			queue.push(resolveImport(file, m[1] ?? m[2] ?? m[3]));
		}
	}
	return [...seen].map(rel).sort();
}

/** The icon files (`file:…` in node and credential descriptions) the given sources point at. */
export function iconFiles(sources: string[]): string[] {
	const icons = new Set<string>();
	for (const source of sources.filter((f) => f.endsWith('.ts'))) {
		const abs = path.join(REPO_ROOT, source);
		for (const m of fs.readFileSync(abs, 'utf8').matchAll(ICON)) {
			const icon = path.resolve(path.dirname(abs), m[1]);
			if (!fs.existsSync(icon)) throw new Error(`${source} names icon ${m[1]}, which does not exist`);
			icons.add(rel(icon));
		}
	}
	return [...icons].sort();
}

/** The codex file n8n reads beside a node (`X.node.json` next to `X.node.ts`), if there is one. */
export function codexFile(nodeEntry: string): string | undefined {
	const codex = nodeEntry.replace(/\.ts$/, '.json');
	return fs.existsSync(path.join(REPO_ROOT, codex)) ? codex : undefined;
}

export interface Workflow {
	name?: string;
	nodes: Array<{ type: string; [k: string]: unknown }>;
	[k: string]: unknown;
}

/**
 * examples/*.json whose nodes from this repository are all of the one node type (so an example
 * that mixes providers belongs to no single package), by file name.
 */
export function examplesFor(nodeName: string): Record<string, Workflow> {
	const dir = path.join(REPO_ROOT, 'examples');
	const picked: Record<string, Workflow> = {};
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow;
		const ours = workflow.nodes.filter((n) => n.type.startsWith(`${COMBINED_PACKAGE}.`));
		if (ours.length > 0 && ours.every((n) => n.type === `${COMBINED_PACKAGE}.${nodeName}`)) picked[file] = workflow;
	}
	return picked;
}

/** A copy of the workflow whose node types name `packageName` instead of the combined package. */
export function retypeWorkflow(workflow: Workflow, packageName: string): Workflow {
	const copy = JSON.parse(JSON.stringify(workflow)) as Workflow;
	for (const node of copy.nodes) {
		if (node.type.startsWith(`${COMBINED_PACKAGE}.`)) node.type = `${packageName}.${node.type.slice(COMBINED_PACKAGE.length + 1)}`;
	}
	return copy;
}
