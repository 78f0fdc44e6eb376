/**
 * The n8n credentials that make the example workflows run against the fake providers: the ids and
 * names the examples reference (examples/*.json, `credentials.<type>.id`), with the data each fake
 * provider hands out for the sandbox (`sandboxCredentials(baseUrl)`). Used by the end-to-end tests
 * and by `npm start` (scripts/sandbox.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

import type { FakeServer } from '../fakes';
import type { CredentialInput } from './n8n';

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** credential type -> { id, name } as the example workflows reference it */
export function exampleCredentialRefs(dir = EXAMPLES_DIR): Record<string, { id: string; name: string }> {
	const refs: Record<string, { id: string; name: string }> = {};
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const wf = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
			nodes?: Array<{ credentials?: Record<string, { id?: string; name?: string }> }>;
		};
		for (const node of wf.nodes ?? []) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				if (!ref.id) continue;
				const known = refs[type];
				if (known && known.id !== ref.id) {
					throw new Error(`examples reference two ${type} credentials (${known.id}, ${ref.id}) in ${file}`);
				}
				refs[type] = { id: ref.id, name: ref.name ?? ref.id };
			}
		}
	}
	return refs;
}

/** One credential per fake provider, under the id/name the examples use, pointing at `server`. */
export function sandboxCredentialList(server: FakeServer): CredentialInput[] {
	const refs = exampleCredentialRefs();
	return Object.entries(server.sandboxCredentials()).map(([type, data]) => {
		const ref = refs[type] ?? { id: `${type.replace(/Api$/, '').toLowerCase()}-sandbox`, name: `${type} sandbox` };
		return { id: ref.id, name: ref.name, type, data };
	});
}
