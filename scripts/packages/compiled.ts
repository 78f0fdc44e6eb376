/**
 * What the compiled combined package (root dist/, from `npm run build`) says about one provider:
 * its node's type name and descriptions, and the credential it asks for with that credential's
 * source file. Read from the classes themselves, so the packages never drift from the code.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ICredentialType, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { REPO_ROOT } from './config';

const DIST = path.join(REPO_ROOT, 'dist');

export interface ProviderFacts {
	/** nodes/<Folder>/<Folder>.node.ts */
	nodeEntry: string;
	/** the node's `name` (its type is `<package>.<name>`) */
	nodeName: string;
	/** one description per node version line (a VersionedNodeType has several) */
	descriptions: INodeTypeDescription[];
	/** credentials/<X>.credentials.ts */
	credentialEntry: string;
	credential: ICredentialType;
}

function instantiate<T>(compiledFile: string): T {
	if (!fs.existsSync(compiledFile)) {
		throw new Error(`${path.relative(REPO_ROOT, compiledFile)} is missing: run \`npm run build\` first`);
	}
	const stem = path.basename(compiledFile).split('.')[0];
	const exported = require(compiledFile) as Record<string, new () => T>;
	if (typeof exported[stem] !== 'function') throw new Error(`${compiledFile} exports no class ${stem}`);
	return new exported[stem]();
}

function nodeDescriptions(node: Record<string, unknown>): INodeTypeDescription[] {
	const versions = node.nodeVersions as Record<string, { description: INodeTypeDescription }> | undefined;
	if (versions) return Object.values(versions).map((v) => v.description);
	return [node.description as INodeTypeDescription];
}

export function providerFacts(nodeFolder: string): ProviderFacts {
	const nodeEntry = `nodes/${nodeFolder}/${nodeFolder}.node.ts`;
	const node = instantiate<Record<string, unknown>>(path.join(DIST, 'nodes', nodeFolder, `${nodeFolder}.node.js`));
	const descriptions = nodeDescriptions(node);
	const base = (node.description ?? descriptions[0]) as INodeTypeDescription;
	const credentialNames = [...new Set(descriptions.flatMap((d) => (d.credentials ?? []).map((c) => c.name)))];
	if (credentialNames.length !== 1) {
		throw new Error(`${nodeEntry} asks for credentials ${JSON.stringify(credentialNames)}; a single package carries exactly one`);
	}
	const credentialsDir = path.join(DIST, 'credentials');
	for (const file of fs.readdirSync(credentialsDir).filter((f) => f.endsWith('.credentials.js'))) {
		const credential = instantiate<ICredentialType>(path.join(credentialsDir, file));
		if (credential.name === credentialNames[0]) {
			return {
				nodeEntry,
				nodeName: base.name,
				descriptions,
				credentialEntry: `credentials/${file.replace(/\.js$/, '.ts')}`,
				credential,
			};
		}
	}
	throw new Error(`no credential class in dist/credentials is named ${credentialNames[0]}`);
}

/** The operations a node offers, across its versions: value, name and what each does. */
export function operations(descriptions: INodeTypeDescription[]): Array<{ name: string; value: string; description: string }> {
	const byValue = new Map<string, { name: string; value: string; description: string }>();
	for (const description of descriptions) {
		for (const property of description.properties.filter((p) => p.name === 'operation')) {
			for (const option of (property.options ?? []) as Array<{ name: string; value: string; description?: string; action?: string }>) {
				if (!byValue.has(option.value)) {
					byValue.set(option.value, { name: option.name, value: option.value, description: option.description ?? option.action ?? '' });
				}
			}
		}
	}
	return [...byValue.values()];
}

/** A node parameter by name, from the first description that has it. */
export function findProperty(descriptions: INodeTypeDescription[], name: string): INodeProperties | undefined {
	for (const description of descriptions) {
		const found = description.properties.find((p) => p.name === name);
		if (found) return found;
	}
	return undefined;
}
