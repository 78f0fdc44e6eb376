/**
 * `npm run screenshots`: the README's pictures, taken in n8n's editor (Debian's Chromium through
 * puppeteer-core) against a throwaway n8n 2.41.1 with this package, the examples and the fake providers:
 *
 *   docs/images/polling-workflow.png   the CDNvideo polling loop on the canvas, after a run
 *   docs/images/submit-form.png        CDNvideo Submit with its voice dropdown open, loaded from the provider
 *   docs/images/get-result.png         Get Result after the run: the video in the Binary tab
 *
 * Each PNG is kept under 150 KB: one that is larger is squeezed with Debian's pngquant (installed on first need).
 * Needs the built package (npm run screenshots builds first) and Chromium (apt-get install chromium).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'puppeteer-core';

import { startFakeProviders } from '../test/fakes';
import { canvasNode, closeNode, launchChromium, newEditorPage, openDropdown, openNode, openWorkflow, optionsLoaded, signIn, testId } from '../test/e2e/browser';
import { REPO_ROOT, createN8nHome, ensureN8n, importCredentials, startN8nServer } from '../test/e2e/n8n';
import { sandboxCredentialList } from '../test/e2e/sandboxCredentials';

const OUT = path.join(REPO_ROOT, 'docs', 'images');
const MAX_BYTES = 150 * 1024;
const EXAMPLE = 'cdnvideo-polling-loop.json';

const note = (line: string) => process.stderr.write(`[screenshots] ${line}\n`);

/** Debian's pngquant, installed the first time a picture needs it (only this script needs it). */
function ensurePngquant(): void {
	try {
		execFileSync('pngquant', ['--version'], { stdio: 'ignore' });
	} catch {
		note('installing pngquant (apt-get)');
		const [command, ...args] = [...(process.getuid?.() === 0 ? [] : ['sudo']), 'apt-get', 'install', '-y', '-qq', 'pngquant'];
		execFileSync(command, args, { stdio: 'inherit' });
	}
}

/** Writes the page (or a part of it) as PNG, squeezed with pngquant when over the size limit. */
async function shoot(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
	const file = path.join(OUT, name);
	await page.screenshot({ path: file as `${string}.png`, clip });
	if (fs.statSync(file).size > MAX_BYTES) {
		ensurePngquant();
		execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality', '70-95', '--output', file, file]);
	}
	const size = fs.statSync(file).size;
	note(`${path.relative(REPO_ROOT, file)}: ${Math.round(size / 1024)} KB`);
	if (size > MAX_BYTES) throw new Error(`${name} is ${Math.round(size / 1024)} KB, over ${MAX_BYTES / 1024} KB`);
}

/** Waits until n8n's toasts ("Workflow executed successfully") are gone, so they do not cover the picture. */
async function noToasts(page: Page): Promise<void> {
	for (const close of await page.$$('.el-notification .el-notification__closeBtn')) await close.click().catch(() => undefined);
	await page.waitForFunction(() => !document.querySelector('.el-notification'), { timeout: 15_000 }).catch(() => undefined);
}

async function main(): Promise<void> {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` (npm run screenshots does)');
	fs.mkdirSync(OUT, { recursive: true });
	ensureN8n();
	const fakes = await startFakeProviders({ renderMs: 3_000 });
	const home = createN8nHome();
	const server = await startN8nServer(home).catch(async (err) => {
		await fakes.stop();
		throw err;
	});
	const browser = await launchChromium();
	try {
		await importCredentials(home, sandboxCredentialList(fakes));
		const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', EXAMPLE), 'utf8')) as { nodes: unknown[] };
		const id = await server.createWorkflow(workflow);
		const page = await newEditorPage(browser, { width: 1200, height: 640 });
		await signIn(page, server);
		await openWorkflow(page, server, id, workflow.nodes.length);

		// 1. the polling loop, run once from the Execute button
		await page.click(testId('execute-workflow-button'));
		await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="Get Result"] ${testId('canvas-node-status-success')}`, { timeout: 120_000 });
		await noToasts(page);
		await page.click(testId('zoom-to-fit')).catch(() => undefined);
		await page.mouse.move(5, 600);
		await new Promise((r) => setTimeout(r, 600)); // the zoom animation
		await shoot(page, 'polling-workflow.png');

		// 2. Submit with its dropdowns loaded from the provider, the voice list open
		const loaded = optionsLoaded(page, 'voice');
		await openNode(page, 'Submit');
		await loaded;
		await page.evaluate(() => document.querySelector('[data-test-id="parameter-input-voice"]')?.scrollIntoView({ block: 'center' }));
		await openDropdown(page, 'voice');
		await new Promise((r) => setTimeout(r, 400)); // the dropdown's fade-in
		await shoot(page, 'submit-form.png');
		await page.keyboard.press('Escape');
		await closeNode(page);

		// 3. Get Result: the video in the Binary tab
		await canvasNode(page, 'Get Result');
		await openNode(page, 'Get Result');
		const binaryTab = await page.waitForSelector(`${testId('output-panel')} ${testId('radio-button-binary')}`);
		await binaryTab!.click();
		await page.waitForSelector(`${testId('output-panel')} ${testId('ndv-binary-data_0')}`);
		await noToasts(page);
		await shoot(page, 'get-result.png');
	} finally {
		await browser.close();
		await server.stop();
		await fakes.stop();
		home.cleanup();
	}
}

main().catch((err) => {
	note(`failed: ${(err as Error).stack ?? String(err)}`);
	process.exit(1);
});
