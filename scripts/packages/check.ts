/**
 * `npm run check:packages`: for the four single-provider packages (packages/.build/, from
 * `npm run build:packages`) and the combined one (the repository root, after `npm run build`):
 * n8n's node CLI lint (`n8n-node lint`, singles; the combined package has `npm run lint`), then
 * `npm pack` into packages/.tarballs/, and on what was packed: verify.ts's rules and n8n's
 * community-package scanner, both of its legs as it runs them on a published package (the
 * published files, and the sources beside the package.json it finds in the attested commit).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { n8nNode } from './build';
import { BUILD_DIR, COMBINED_PACKAGE, REPO_ROOT, SINGLE_PACKAGES, TARBALLS_DIR } from './config';
import { verifyPackedPackage } from './verify';

interface Scanner {
	analyzePackage(dir: string, patterns?: string[]): Promise<{ passed: boolean; message?: string; details?: string }>;
	findPackageRoot(sourceDir: string, packageName: string): string | null;
	SOURCE_FILE_PATTERNS: string[];
}

function pack(dir: string): string {
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', TARBALLS_DIR], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	return path.join(TARBALLS_DIR, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
}

async function checkPackage(scanner: Scanner, name: string, dir: string, single: boolean): Promise<string[]> {
	if (single) n8nNode(dir, 'lint');
	const tarball = pack(dir);
	const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-video-pack-'));
	try {
		// as n8n installs it: the tarball's contents straight into the package folder
		execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		const problems = verifyPackedPackage(unpacked, single).map((p) => `${name}: ${p}`);
		const sourceRoot = scanner.findPackageRoot(REPO_ROOT, name);
		const expectedRoot = single ? path.join(REPO_ROOT, 'packages', name) : REPO_ROOT;
		if (sourceRoot !== expectedRoot) problems.push(`${name}: n8n's scanner would take ${sourceRoot} as the package's source, not ${expectedRoot}`);
		for (const [leg, result] of [
			['published files', await scanner.analyzePackage(unpacked)],
			['attested sources', await scanner.analyzePackage(expectedRoot, scanner.SOURCE_FILE_PATTERNS)],
		] as const) {
			if (!result.passed) problems.push(`${name}: n8n scanner, ${leg}: ${result.message}\n${result.details ?? ''}`);
		}
		const size = fs.statSync(tarball).size;
		console.log(`${name}: ${single ? 'n8n-node lint clean, ' : ''}scanned (published files + sources), ${problems.length} problems, ${(size / 1024).toFixed(0)} kB → ${path.relative(REPO_ROOT, tarball)}`);
		return problems;
	} finally {
		fs.rmSync(unpacked, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const scannerModule: string = '@n8n/scan-community-package/scanner/scanner.mjs'; // ESM, typed by Scanner above
	const scanner = (await import(scannerModule)) as Scanner;
	fs.rmSync(TARBALLS_DIR, { recursive: true, force: true });
	fs.mkdirSync(TARBALLS_DIR, { recursive: true });
	const problems: string[] = [];
	for (const pkg of SINGLE_PACKAGES) {
		const dir = path.join(BUILD_DIR, pkg.name);
		if (!fs.existsSync(path.join(dir, 'dist'))) throw new Error(`${path.relative(REPO_ROOT, dir)} is not built: run \`npm run build:packages\` first`);
		problems.push(...(await checkPackage(scanner, pkg.name, dir, true)));
	}
	problems.push(...(await checkPackage(scanner, COMBINED_PACKAGE, REPO_ROOT, false)));
	if (problems.length > 0) {
		console.error(problems.join('\n'));
		process.exit(1);
	}
}

void main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
