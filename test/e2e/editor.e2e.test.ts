/**
 * n8n's editor in a real browser (Debian's Chromium through puppeteer-core) against a real n8n 2.41.1
 * (`n8n start`) with this package, the sandbox credentials and every example, and the fake providers:
 * what users do with the nodes — find them, open the examples, pick from the dropdowns CDNvideo and
 * AI Studios v3 load, run a workflow with the Execute button and look at the video in the Binary tab.
 * Selectors are n8n's own data-test-id attributes (test/e2e/browser.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'puppeteer-core';

import { AiStudiosFake, CdnVideoFake, defaultCdnConfigurations, type CdnConfigurations, type FakeServer } from '../fakes';
import {
	addCollectionOption,
	canvasNode,
	chooseOption,
	nodeCreatorItems,
	closeNode,
	dropdownOptions,
	launchChromium,
	newEditorPage,
	openNode,
	openWorkflow,
	optionsLoaded,
	signIn,
	testId,
	trackOptionLoads,
} from './browser';
import { PACKAGE_NODE_PREFIX, REPO_ROOT, startN8nServer, type N8nHome, type N8nServer } from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const exampleFiles = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
const example = (file: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Json;
/** nodes the canvas draws (sticky notes are drawn differently) */
const drawnNodes = (wf: Json) => (wf.nodes as Json[]).filter((n) => n.type !== 'n8n-nodes-base.stickyNote');

/** The sandbox's CDNvideo configurations: the seed's, plus a second actor and voice emotions, so the lists have something to follow. */
function sandboxConfigurations(): CdnConfigurations {
	const config = defaultCdnConfigurations();
	config.voices.Sara.emotions = ['neutral', 'cheerful', 'sad'];
	config.models.Oleg = { '2.0.0': { style: 'casual', gender: 'male', voices: ['Mia'], shots: { closeup: { size: 'FullHD' } } } };
	return config;
}

let fakes: FakeServer;
let home: N8nHome;
let n8n: N8nServer;
let browser: Browser;
let page: Page;
const workflowIds: Record<string, string> = {};

beforeAll(async () => {
	({ server: fakes, home } = await startSandbox({ nodes: ['CdnVideo/CdnVideo.node.js'], renderMs: 4_000 }));
	n8n = await startN8nServer(home);
	for (const file of exampleFiles) workflowIds[file] = await n8n.createWorkflow(example(file));
	browser = await launchChromium();
	page = await newEditorPage(browser);
	// leaving a workflow changed in the editor asks first: leave
	page.on('dialog', (dialog) => void dialog.accept());
}, 45 * 60_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await stopSandbox({ server: fakes, home });
});

beforeEach(() => {
	fakes.reset();
	fakes.provider(CdnVideoFake).configurations = sandboxConfigurations();
});

test('log in; the node panel\'s search for "video" lists the four nodes, each with its own icon', async () => {
	await signIn(page, n8n);
	await openWorkflow(page, n8n, workflowIds['cdnvideo-polling-loop.json'], drawnNodes(example('cdnvideo-polling-loop.json')).length);
	// the canvas draws its nodes before its controls
	await (await page.waitForSelector(testId('node-creator-plus-button'), { visible: true }))!.click();
	const search = await page.waitForSelector(`${testId('node-creator-search-bar')} input, input${testId('node-creator-search-bar')}`);
	await search!.type('video');
	const expected: Record<string, string> = {
		'AI Studios': 'aistudios.svg',
		'CDNvideo Virtual Presenter': 'cdnvideo.svg',
		HiDream: 'hidream.svg',
		'kvid.ai': 'kvid.svg',
	};
	const items = await nodeCreatorItems(page, Object.keys(expected));
	for (const item of items) {
		expect(item.icon.endsWith(`/icons/${expected[item.name]}`)).toBe(true);
		// served and drawn: an icon that fails to load has no width
		expect(item.drawn).toBe(true);
	}
	expect(items.map((i) => i.name).sort()).toEqual(Object.keys(expected).sort());
	expect(new Set(items.map((i) => i.icon)).size).toBe(4);
	await page.keyboard.press('Escape');
});

/** nodes showing an issue on the canvas, and, for this package's nodes, issues in their open parameters */
async function issuesIn(file: string, workflow: Json, id: string): Promise<string[]> {
	const loads = trackOptionLoads(page);
	await openWorkflow(page, n8n, id, drawnNodes(workflow).length);
	const found: string[] = await page.$$eval(`[data-test-id="canvas-node"]`, (nodes) =>
		nodes.filter((n) => n.querySelector('[data-test-id="node-issues"]')).map((n) => `${n.getAttribute('data-node-name')}: issue on the canvas`),
	);
	for (const node of (workflow.nodes as Json[]).filter((n) => String(n.type).startsWith(PACKAGE_NODE_PREFIX))) {
		await openNode(page, node.name);
		await loads.idle();
		const params = await page.$$eval(`${testId('ndv')} ${testId('parameter-issues')}`, (marks) =>
			marks.map((mark) => {
				// the parameter the mark belongs to: the nearest ancestor holding a parameter input
				for (let e: Element | null = mark; e; e = e.parentElement) {
					const input = e.querySelector('[data-parameter-path]');
					if (input) return input.getAttribute('data-parameter-path')!.replace(/^parameters\./, '');
				}
				return '?';
			}),
		);
		if (params.length) found.push(`${node.name}: parameter issues in ${params.join(', ')}`);
		await closeNode(page);
	}
	return found.map((f) => `${file} › ${f}`);
}

test('every example opens with no parameter issue on any node', async () => {
	expect(exampleFiles.length).toBeGreaterThanOrEqual(7);
	const issues: string[] = [];
	for (const file of exampleFiles) issues.push(...(await issuesIn(file, example(file), workflowIds[file])));
	expect(issues).toEqual([]);

	// the check sees issues: the CDNvideo example without its script and its actor
	const broken = example('cdnvideo-polling-loop.json');
	const submit = (broken.nodes as Json[]).find((n) => n.name === 'Submit')!;
	submit.parameters.script = '';
	submit.parameters.actorName = '';
	const brokenId = await n8n.createWorkflow({ ...broken, name: 'broken on purpose' });
	const seen = await issuesIn('broken', broken, brokenId);
	expect(seen[0]).toBe('broken › Submit: issue on the canvas');
	expect(seen[1]).toMatch(/^broken › Submit: parameter issues in script, actorName\b/);
});

test('CDNvideo Submit: Actor, Version, Style, Shot, Voice (following the version), Emotion (following the voice) and Background list the configurations', async () => {
	const config = sandboxConfigurations();
	const natalia = config.models.Natalia;
	await openWorkflow(page, n8n, workflowIds['cdnvideo-polling-loop.json'], drawnNodes(example('cdnvideo-polling-loop.json')).length);
	const allLoaded = Promise.all(['actorName', 'actorVersion', 'actorStyle', 'actorShot', 'voice', 'emotion', 'background'].map((p) => optionsLoaded(page, p)));
	await openNode(page, 'Submit');
	await allLoaded;
	const sorted = (list: string[]) => [...list].sort();

	expect(await dropdownOptions(page, 'actorName')).toEqual(sorted(Object.keys(config.models)));
	expect(await dropdownOptions(page, 'actorVersion')).toEqual(['Latest', ...Object.keys(natalia).reverse()]);
	expect(await dropdownOptions(page, 'actorStyle')).toEqual(['Default', ...sorted(Object.values(natalia).map((v) => v.style))]);
	expect(await dropdownOptions(page, 'actorShot')).toEqual(sorted([...new Set(Object.values(natalia).flatMap((v) => Object.keys(v.shots)))]));
	expect(await dropdownOptions(page, 'background')).toEqual(['Green Screen (Chroma Key)', ...sorted(Object.keys(config.backgrounds))]);
	// Latest: every voice of the actor's versions; Alena (the example's voice) has the emotion "good"
	expect(await dropdownOptions(page, 'voice')).toEqual(sorted([...new Set(Object.values(natalia).flatMap((v) => v.voices))]));
	expect(await dropdownOptions(page, 'emotion')).toEqual(['Neutral (Default)', 'good']);

	// Voice follows the version
	let voices = optionsLoaded(page, 'voice');
	await chooseOption(page, 'actorVersion', '1.0.0');
	await voices;
	expect(await dropdownOptions(page, 'voice')).toEqual(natalia['1.0.0'].voices);
	voices = optionsLoaded(page, 'voice');
	await chooseOption(page, 'actorVersion', '4.0.0');
	await voices;
	expect(await dropdownOptions(page, 'voice')).toEqual(sorted(natalia['4.0.0'].voices));

	// Emotion follows the voice
	const emotions = optionsLoaded(page, 'emotion');
	await chooseOption(page, 'voice', 'Sara');
	await emotions;
	expect(await dropdownOptions(page, 'emotion')).toEqual(['Neutral (Default)', 'cheerful', 'sad']);

	// the lists came from the provider, through the sandbox credential
	const reads = fakes.requestsTo('cdnVideo', 'GET', /\/configurations$/);
	expect(reads.length).toBeGreaterThanOrEqual(7);
	expect(reads.every((r) => r.headers['cdn-auth-token'] === fakes.provider(CdnVideoFake).staticToken)).toBe(true);
	await closeNode(page);
});

test("AI Studios v3 Submit: Model lists the account's models in English, Clothes follows the model, Workspace (an option) and the custom avatars list the account's", async () => {
	const v3 = fakes.provider(AiStudiosFake).v3;
	const byName = (list: string[]) => [...list].sort((a, b) => a.localeCompare(b));
	const file = 'aistudios-v3-polling-loop.json';
	const submit = (example(file).nodes as Json[]).find((n) => n.name === 'Submit')!;
	expect(submit).toMatchObject({ typeVersion: 2, parameters: { operation: 'submit' } });
	const chosen = v3.models.find((m) => m.id === submit.parameters.model)!;
	const other = v3.models.find((m) => m !== chosen)!;
	const clothesOf = (model: typeof chosen) => byName(model.clothes.map((c) => c.label.en));
	// the check below can only see Clothes follow the model if the two models wear different clothes
	expect(clothesOf(other)).not.toEqual(clothesOf(chosen));

	await openWorkflow(page, n8n, workflowIds[file], drawnNodes(example(file)).length);
	const loaded = Promise.all([optionsLoaded(page, 'model'), optionsLoaded(page, 'clothes')]);
	await openNode(page, 'Submit');
	await loaded;
	expect(await dropdownOptions(page, 'model')).toEqual(byName(v3.models.map((m) => m.label.en)));
	expect(await dropdownOptions(page, 'clothes')).toEqual(clothesOf(chosen));

	// Clothes follows the model: the other model's clothes only
	const clothes = optionsLoaded(page, 'clothes');
	await chooseOption(page, 'model', other.label.en);
	await clothes;
	expect(await dropdownOptions(page, 'clothes')).toEqual(clothesOf(other));

	// Workspace, once added from Options
	const workspaces = optionsLoaded(page, 'options.workspaceId');
	await addCollectionOption(page, 'Workspace Name or ID');
	await workspaces;
	expect(await dropdownOptions(page, 'workspaceId')).toEqual(['Default Workspace', ...byName(v3.workspaces.map((w) => w.workspaceName))]);

	// a custom avatar: the account's custom avatars (GET /dropdown/models), and no clothes to choose
	const models = optionsLoaded(page, 'model');
	await chooseOption(page, 'avatarType', 'Custom Avatar');
	await models;
	expect(await dropdownOptions(page, 'model')).toEqual(byName(v3.customModels.map((m) => m.label)));
	expect(await page.$(testId('parameter-input-clothes'))).toBeNull();

	// the lists came from the provider's v3 API, last read with a token the sandbox credential's keys earned
	for (const list of ['/model', '/dropdown/workspaces', '/dropdown/models']) {
		const last = fakes.requestsTo('aiStudios', 'GET', `/api/odin/v3${list}`).pop();
		expect(v3.tokens.has(String(last?.headers.authorization))).toBe(true);
	}
	await closeNode(page);
});

test("the CDNvideo example runs from the editor's Execute button, and Get Result's Binary tab shows video/mp4", async () => {
	const wf = example('cdnvideo-polling-loop.json');
	await openWorkflow(page, n8n, workflowIds['cdnvideo-polling-loop.json'], drawnNodes(wf).length);
	// each node's subtitle is its operation as the menu writes it ("Get Status", not "getStatus")
	for (const name of ['Submit', 'Get Status', 'Get Result']) {
		const lines = await (await canvasNode(page, name)).evaluate((e) => (e as HTMLElement).innerText.split('\n').map((l) => l.trim()));
		expect(lines.filter((l) => l === name)).toHaveLength(2);
	}
	const [run] = await Promise.all([
		page.waitForResponse((r) => /\/rest\/workflows\/[^/]+\/run$/.test(r.url()) && r.request().method() === 'POST'),
		page.click(testId('execute-workflow-button')),
	]);
	expect(run.status()).toBe(200);
	const executionId = String(((await run.json()) as Json).data.executionId);
	await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="Get Result"] ${testId('canvas-node-status-success')}`, { timeout: 120_000 });

	const execution = await n8n.waitForExecution(executionId);
	expect(execution.status).toBe('success');
	expect(execution.mode).toBe('manual');
	expect(fakes.requestsTo('cdnVideo', 'POST', /\/generate$/)).toHaveLength(1);
	const jobId = fakes.provider(CdnVideoFake).lastJobId!;
	expect(execution.data.resultData.runData['Get Status'].length).toBeGreaterThanOrEqual(2);

	await openNode(page, 'Get Result');
	const output = testId('output-panel');
	const binaryTab = await page.waitForSelector(`${output} ${testId('radio-button-binary')}`);
	await binaryTab!.click();
	const card = await page.waitForSelector(`${output} ${testId('ndv-binary-data_0')}`);
	const text = (await card!.evaluate((e) => (e as HTMLElement).innerText)).replace(/\s+/g, ' ');
	expect(text).toContain('video/mp4');
	expect(text).toContain(`${jobId}.mp4`);
	await closeNode(page);
});

test("the agent example from the editor's chat: the sandbox's model has the CDNvideo tool start a render, and the reply names the job", async () => {
	const file = 'agent-presenter-video.json';
	await openWorkflow(page, n8n, workflowIds[file], drawnNodes(example(file)).length);
	await page.click(testId('workflow-chat-button'));
	const input = await page.waitForSelector(`${testId('chat-input')} textarea, textarea${testId('chat-input')}`, { visible: true });
	const message = 'Please make a short welcome video for new customers of our bakery';
	await input!.type(message);
	await page.keyboard.press('Enter');

	const reply = await page.waitForFunction(
		() => [...document.querySelectorAll('[data-test-id="canvas-chat"] .chat-message-from-bot, [data-test-id="canvas-chat"] [class*="chat-message-from-bot"]')].map((e) => (e as HTMLElement).innerText).find((t) => t.includes('jobId')),
		{ polling: 200, timeout: 120_000 },
	);
	const submits = fakes.requestsTo('cdnVideo', 'POST', /\/generate$/);
	expect(submits).toHaveLength(1);
	// the sandbox model fills the tool's $fromAI fields from the message, within the stated limits
	expect(submits[0].body).toMatchObject({ script: message, video_name: message.slice(0, 35) });
	expect(await reply.jsonValue()).toContain(fakes.provider(CdnVideoFake).lastJobId!);
});
