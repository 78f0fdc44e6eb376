/**
 * What most end-to-end files start from: the fake providers on 127.0.0.1 and a fresh n8n home
 * holding credentials that point at them (by default every sandbox credential the examples
 * reference). Checks first that the package is built, since n8n loads it from dist/.
 */
import * as fs from 'fs';
import * as path from 'path';

import { startFakeProviders, type FakeServer } from '../fakes';
import { REPO_ROOT, createN8nHome, ensureN8n, importCredentials, type CredentialInput, type N8nHome } from './n8n';
import { sandboxCredentialList } from './sandboxCredentials';

export interface Sandbox {
	server: FakeServer;
	home: N8nHome;
}

export interface SandboxOptions {
	/** the built node files the tests need, under dist/nodes/ (e.g. `Kvid/Kvid.node.js`) */
	nodes: string[];
	/** the fakes' render time; default: the fakes' own */
	renderMs?: number;
	/** the credentials to import; default: every sandbox credential the examples reference */
	credentials?: (server: FakeServer) => CredentialInput[];
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
	for (const node of options.nodes) {
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', node))) {
			throw new Error(`dist/nodes/${node} is missing: run \`npm run build\` before the end-to-end tests`);
		}
	}
	ensureN8n();
	const server = await startFakeProviders(options.renderMs === undefined ? {} : { renderMs: options.renderMs });
	const home = createN8nHome();
	await importCredentials(home, (options.credentials ?? sandboxCredentialList)(server));
	return { server, home };
}

/** Removes the n8n home and stops the fakes (either may be missing when the start failed). */
export async function stopSandbox(sandbox: Partial<Sandbox>): Promise<void> {
	sandbox.home?.cleanup();
	await sandbox.server?.stop();
}
