/**
 * n8n's editor in a real browser: Debian's Chromium driven by puppeteer-core (no browser download).
 * Used by the editor test (editor.e2e.test.ts) and `npm run screenshots` (scripts/screenshots.ts).
 *
 *   const browser = await launchChromium();
 *   const page = await newEditorPage(browser, { width: 1280, height: 800 });
 *   await signIn(page, server);                       // the editor's sign-in form
 *   await page.goto(`${server.baseUrl}/workflow/${id}`); await canvasReady(page);
 *
 * Selectors are n8n 2.41.1's own `data-test-id` attributes (read from its editor bundle).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

import type { N8nServer } from './n8n';

/** Where Debian's package puts Chromium; CHROMIUM_PATH overrides it. */
export function chromiumPath(): string {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
	const found = candidates.find((p) => fs.existsSync(p));
	if (!found) throw new Error(`no Chromium at ${candidates.join(', ')}: apt-get install -y chromium (.ci/run does)`);
	return found;
}

/**
 * Headless Chromium with a fresh profile. The background-networking flags keep it from calling home:
 * on a closed network those connections are refused and stall it.
 */
export async function launchChromium(): Promise<Browser> {
	const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-video-chromium-'));
	const browser = await puppeteer.launch({
		executablePath: chromiumPath(),
		headless: true,
		userDataDir: profileDir,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
		protocolTimeout: 120_000,
	});
	// the profile goes once Chromium has exited (close() resolves then), also when it crashed
	const close = browser.close.bind(browser);
	browser.close = async () => {
		await close().catch(() => undefined);
		fs.rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
	};
	return browser;
}

export async function newEditorPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
	const page = await browser.newPage();
	await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
	page.setDefaultTimeout(30_000);
	return page;
}

/** `[data-test-id="<id>"]` */
export const testId = (id: string) => `[data-test-id="${id}"]`;

/** Signs in through the editor's form as the server's owner; resolves once the app left /signin. */
export async function signIn(page: Page, server: N8nServer): Promise<void> {
	await page.goto(`${server.baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	const form = await page.waitForSelector(testId('signin-form'));
	await form!.waitForSelector('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').then((e) => e!.type(server.owner.email));
	await form!.waitForSelector('input[type="password"]').then((e) => e!.type(server.owner.password));
	await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/rest/login') && r.request().method() === 'POST'),
		page.keyboard.press('Enter'),
	]).then(([res]) => {
		if (res.status() !== 200) throw new Error(`sign-in answered HTTP ${res.status()}`);
	});
	await page.waitForFunction(() => !location.pathname.startsWith('/signin'));
}

/** Opens a workflow in the editor and waits until its nodes are drawn. */
export async function openWorkflow(page: Page, server: N8nServer, workflowId: string, nodeCount: number): Promise<void> {
	await page.goto(`${server.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.waitForFunction((n) => document.querySelectorAll('[data-test-id="canvas-node"]').length >= n, {}, nodeCount);
}

/** The canvas node with this name (its data-node-name attribute). */
export async function canvasNode(page: Page, name: string): Promise<ElementHandle<Element>> {
	const node = await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`);
	return node!;
}

/** Double-clicks a canvas node and waits for its node details view. */
export async function openNode(page: Page, name: string): Promise<void> {
	await (await canvasNode(page, name)).click({ count: 2 });
	await page.waitForSelector(testId('ndv'), { visible: true });
}

export async function closeNode(page: Page): Promise<void> {
	await page.click(testId('ndv-close-button'));
	await page.waitForSelector(testId('ndv'), { hidden: true });
}

/** Resolves when the editor has the options of `parameter` loaded from the node's loadOptions method. */
export function optionsLoaded(page: Page, parameter: string): Promise<unknown> {
	return page.waitForResponse((r) => {
		if (!r.url().endsWith('/rest/dynamic-node-parameters/options')) return false;
		try {
			return (JSON.parse(r.request().postData() ?? '{}') as { path?: string }).path === `parameters.${parameter}`;
		} catch {
			return false;
		}
	});
}

/** Opens the dropdown of an options parameter; resolves with the names it lists once they are shown. */
export async function openDropdown(page: Page, parameter: string): Promise<string[]> {
	await page.click(`${testId(`parameter-input-${parameter}`)} input`);
	const names = await page.waitForFunction(
		() => {
			const items = [...document.querySelectorAll<HTMLElement>('[data-test-id="parameter-input-item"]')].filter((e) => e.offsetParent !== null);
			if (!items.length) return undefined;
			return items.map((e) => (e.querySelector('.option-headline') ?? e).textContent!.trim());
		},
		{ polling: 100 },
	);
	return (await names.jsonValue()) as string[];
}

/** Opens the dropdown of an options parameter and returns the names it lists (then closes it). */
export async function dropdownOptions(page: Page, parameter: string): Promise<string[]> {
	const list = await openDropdown(page, parameter);
	await page.keyboard.press('Escape');
	await page.waitForFunction(() => ![...document.querySelectorAll<HTMLElement>('[data-test-id="parameter-input-item"]')].some((e) => e.offsetParent !== null));
	return list;
}

/** Picks `name` in the dropdown of an options parameter. */
export async function chooseOption(page: Page, parameter: string, name: string): Promise<void> {
	await page.click(`${testId(`parameter-input-${parameter}`)} input`);
	const item = await page.waitForFunction(
		(wanted) =>
			[...document.querySelectorAll<HTMLElement>('[data-test-id="parameter-input-item"]')].find(
				(e) => e.offsetParent !== null && (e.querySelector('.option-headline') ?? e).textContent!.trim() === wanted,
			),
		{ polling: 100 },
		name,
	);
	// a DOM click: the dropdown may still be sliding open, which makes puppeteer's mouse click refuse
	await (item as ElementHandle<HTMLElement>).evaluate((e) => e.click());
	await page.waitForFunction(() => ![...document.querySelectorAll<HTMLElement>('[data-test-id="parameter-input-item"]')].some((e) => e.offsetParent !== null));
}

/**
 * Adds `option` (its display name) to the open node's collection parameter (its Options), through
 * whichever add control n8n draws for it: a select, or a menu.
 */
export async function addCollectionOption(page: Page, option: string): Promise<void> {
	const scope = testId('ndv');
	const add = await page.waitForSelector(
		[`${scope} ${testId('collection-parameter-add')} input`, `${scope} ${testId('collection-parameter-add-dropdown')} button`, `${scope} ${testId('collection-parameter-add')}`].join(', '),
		{ visible: true },
	);
	await add!.click();
	const item = await page.waitForFunction(
		(wanted) =>
			[...document.querySelectorAll<HTMLElement>('[data-test-id="collection-parameter-option"], [role="menuitem"]')].find(
				(e) => e.offsetParent !== null && e.textContent!.trim() === wanted,
			),
		{ polling: 100 },
		option,
	);
	await (item as ElementHandle<HTMLElement>).evaluate((e) => e.click());
}

/**
 * Counts the editor's loadOptions requests in flight. `idle()` resolves once none has been pending
 * for `quietMs` (a node details view starts its loads as it opens, so a short quiet spell means done).
 * Register it before opening the view.
 */
export function trackOptionLoads(page: Page): { idle(quietMs?: number): Promise<void> } {
	let pending = 0;
	let lastChange = Date.now();
	const isLoad = (url: string) => url.endsWith('/rest/dynamic-node-parameters/options');
	const count = (delta: number) => (url: string) => {
		if (!isLoad(url)) return;
		pending += delta;
		lastChange = Date.now();
	};
	page.on('request', (r) => count(1)(r.url()));
	page.on('requestfinished', (r) => count(-1)(r.url()));
	page.on('requestfailed', (r) => count(-1)(r.url()));
	return {
		async idle(quietMs = 400) {
			// quiet for quietMs since the call too: loads the view has just started may not be seen yet
			const since = Date.now();
			const until = since + 30_000;
			while (pending > 0 || Date.now() - Math.max(lastChange, since) < quietMs) {
				if (Date.now() > until) throw new Error(`option loads still pending after 30 s (${pending})`);
				await new Promise((r) => setTimeout(r, 50));
			}
		},
	};
}

/**
 * The node panel's entries with these names, once all are listed and their icons have finished
 * loading: the icon's address and whether it was drawn (an icon that fails to load has no width).
 */
export async function nodeCreatorItems(page: Page, names: string[]): Promise<Array<{ name: string; icon: string; drawn: boolean }>> {
	const items = await page.waitForFunction(
		(wanted: string[]) => {
			const found = [...document.querySelectorAll('[data-test-id="node-creator-item-name"]')].filter((e) => wanted.includes(e.textContent!.trim()));
			const icons = found.map((e) => e.closest('[data-test-id="item-iterator-item"]')?.querySelector('img'));
			if (found.length < wanted.length || icons.some((img) => img && !img.complete)) return undefined;
			return found.map((e, i) => ({ name: e.textContent!.trim(), icon: icons[i]?.getAttribute('src') ?? '', drawn: Boolean(icons[i] && icons[i]!.naturalWidth > 0) }));
		},
		{ polling: 100 },
		names,
	);
	return (await items.jsonValue()) as Array<{ name: string; icon: string; drawn: boolean }>;
}
