/**
 * The five npm packages as users install them. Each tarball from `npm run check:packages` goes into
 * a fresh n8n home through the Community Nodes install path (communityPackages.ts: the user
 * folder's nodes/ directory, no N8N_CUSTOM_EXTENSIONS), and n8n 2.41.1 runs an example with node
 * types `<package>.<node>` against the fake providers: a single package's own shipped example,
 * one example per provider for the combined package. Then a single package is installed beside
 * the combined one, which n8n does not refuse although both define the same credential type, and
 * both packages' nodes run with the one credential saved before. That home runs with
 * N8N_UNVERIFIED_PACKAGES_ENABLED=false (n8n 3's default), which gates installing, not loading.
 */
import * as fs from 'fs';
import * as path from 'path';

import { COMBINED_PACKAGE, SINGLE_PACKAGES } from '../../scripts/packages/config';
import { examplesFor, type Workflow } from '../../scripts/packages/sources';
import { startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import { installCommunityPackage, packedTarball } from './communityPackages';
import { REPO_ROOT, assertSuccess, createN8nHome, ensureN8n, executeWorkflow, importCredentials, importWorkflow, readBinaryData, type ItemOut, type N8nHome } from './n8n';
import { sandboxCredentialList } from './sandboxCredentials';

/** the examples' Wait is 2 s: long enough for two status checks, short enough for a quick suite */
const RENDER_MS = 3_000;

let server: FakeServer;

beforeAll(async () => {
	ensureN8n();
	server = await startFakeProviders({ renderMs: RENDER_MS });
}, 45 * 60_000);

afterAll(async () => {
	await server?.stop();
});

beforeEach(() => {
	server.reset();
	server.renderMs = RENDER_MS;
});

/** An example `n8n execute` can run on its own: no webhook trigger, no wait for a callback. */
function runnable(workflow: Workflow): boolean {
	return workflow.nodes.every((n) => {
		const p = (n.parameters ?? {}) as Record<string, unknown>;
		return n.type !== 'n8n-nodes-base.webhook' && p.resume !== 'webhook' && p.waitMethod !== 'callback';
	});
}

/** The runnable example to run, a polling loop where there is one. */
function pickExample(examples: Record<string, Workflow>): [string, Workflow] {
	const candidates = Object.entries(examples).filter(([, wf]) => runnable(wf));
	const picked = candidates.find(([file]) => file.includes('polling-loop')) ?? candidates[0];
	if (!picked) throw new Error(`no example that n8n execute can run among ${Object.keys(examples).join(', ')}`);
	return picked;
}

/**
 * Imports and runs the workflow (its node types as they are: `<package>.<node>`) and checks from
 * n8n's own run data that every job the fake created was followed to `completed`, and that each
 * video n8n stored is byte for byte the one the fake served.
 */
async function runThroughPackage(home: N8nHome, workflow: Workflow, packageName: string): Promise<void> {
	const ours = workflow.nodes.filter((n) => n.type.startsWith(`${packageName}.`));
	const nodeName = ours[0].type.slice(packageName.length + 1);
	const { id } = await importWorkflow(home, workflow, { rewriteNodeTypes: false });
	const result = assertSuccess(await executeWorkflow(home, id));

	const runData = result.data.resultData.runData;
	for (const node of ours) expect({ node: node.name, ran: Boolean(runData[node.name as string]) }).toEqual({ node: node.name, ran: true });
	const items = ours.flatMap((n) => runData[n.name as string].flatMap((run) => (run.data?.main ?? []).flatMap((output) => output ?? []))) as ItemOut[];
	const completed = new Set(items.filter((i) => i.json.status === 'completed').map((i) => i.json.jobId as string));
	const created = fakeJobIds(nodeName);
	expect(created.length).toBeGreaterThan(0);
	expect([...completed].sort()).toEqual(created.sort());

	const videos = items.filter((i) => i.binary?.data?.mimeType === 'video/mp4');
	expect(videos.length).toBeGreaterThan(0);
	for (const video of videos) {
		const fileId = decodeURIComponent(/\/files\/[^/]+\/([^/]+)\.mp4$/.exec(String(video.json.videoUrl))![1]);
		expect(readBinaryData(home, video.binary!.data).equals(videoBytes(fileId, server.fileSizeOf(fileId)))).toBe(true);
	}
}

/** Every job the fake provider created: the ids in each of its job clocks (`clock`, and any other). */
function fakeJobIds(provider: string): string[] {
	const clocks = Object.values(server.provider(provider)).filter((v): v is { jobs: Map<string, unknown> } => v?.jobs instanceof Map);
	return [...new Set(clocks.flatMap((clock) => [...clock.jobs.keys()]))];
}

/** The sandbox credentials (ids as the examples reference them) of the given credential types. */
async function importSandboxCredentials(home: N8nHome, workflows: Workflow[]): Promise<void> {
	const types = new Set(workflows.flatMap((wf) => wf.nodes.flatMap((n) => Object.keys((n.credentials ?? {}) as object))));
	await importCredentials(home, sandboxCredentialList(server).filter((c) => types.has(c.type)));
}

const readExamples = (dir: string): Record<string, Workflow> =>
	Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Workflow]));

describe.each(SINGLE_PACKAGES.map((p) => p.name))('%s', (name) => {
	test('installed from its tarball into the nodes folder, its own example runs with the package\'s node type', async () => {
		const home = createN8nHome({ customExtensions: false });
		try {
			const installed = installCommunityPackage(home, packedTarball(name));
			expect(installed.name).toBe(name);
			expect(home.env.N8N_CUSTOM_EXTENSIONS).toBeUndefined();
			const [, workflow] = pickExample(readExamples(path.join(installed.dir, 'examples')));
			await importSandboxCredentials(home, [workflow]);
			await runThroughPackage(home, workflow, name);
		} finally {
			home.cleanup();
		}
	});
});

describe(COMBINED_PACKAGE, () => {
	let home: N8nHome;
	const examples = readExamples(path.join(REPO_ROOT, 'examples'));
	// a node's tool variant (`cdnVideoTool`) runs only inside an AI Agent: agent.e2e.test.ts runs that example
	const nodeNames = [
		...new Set(
			Object.values(examples)
				.flatMap((wf) => wf.nodes.map((n) => n.type))
				.filter((t) => t.startsWith(`${COMBINED_PACKAGE}.`) && !t.endsWith('Tool'))
				.map((t) => t.slice(COMBINED_PACKAGE.length + 1)),
		),
	].sort();

	beforeAll(async () => {
		// n8n 3's default: it refuses installing unverified packages, and (2.41.1's code) does not stop installed ones loading
		home = createN8nHome({ customExtensions: false, env: { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' } });
		installCommunityPackage(home, packedTarball(COMBINED_PACKAGE));
		await importSandboxCredentials(home, Object.values(examples));
	}, 5 * 60_000);

	afterAll(() => home?.cleanup());

	test.each(nodeNames)(`installed from its tarball, an example of ${COMBINED_PACKAGE}.%s runs`, async (nodeName) => {
		const [, workflow] = pickExample(examplesFor(nodeName));
		await runThroughPackage(home, workflow, COMBINED_PACKAGE);
	});

	test('a single package installed beside it: n8n loads both, and both nodes run with the credential saved before', async () => {
		const single = SINGLE_PACKAGES[0].name;
		const installed = installCommunityPackage(home, packedTarball(single));
		const [, singleWorkflow] = pickExample(readExamples(path.join(installed.dir, 'examples')));
		const nodeName = singleWorkflow.nodes.find((n) => n.type.startsWith(`${single}.`))!.type.slice(single.length + 1);
		await runThroughPackage(home, singleWorkflow, single);
		server.reset();
		await runThroughPackage(home, pickExample(examplesFor(nodeName))[1], COMBINED_PACKAGE);
	});
});
