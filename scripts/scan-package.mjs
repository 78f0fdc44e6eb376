// Runs n8n's community-package scanner (the static analysis n8n applies before it lists a
// package) on what npm would publish, and on the node and credential sources.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const work = mkdtempSync(join(tmpdir(), 'ai-video-scan-'));
let failed = false;
try {
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
	execFileSync('tar', ['xzf', join(work, tarball), '-C', work]);
	const sources = join(work, 'sources');
	for (const entry of ['nodes', 'credentials', 'icons', 'package.json']) cpSync(entry, join(sources, entry), { recursive: true });

	for (const [label, dir] of [
		['published package', join(work, 'package')],
		['node and credential sources', sources],
	]) {
		const result = await analyzePackage(dir);
		console.log(`n8n package scan, ${label}: ${result.passed ? 'no findings' : result.message}`);
		if (!result.passed) {
			failed = true;
			if (result.details) console.log(result.details);
		}
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
