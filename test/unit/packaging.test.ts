/**
 * The single-provider packaging (scripts/packages): the rules verify.ts applies to a packed
 * package, the example and link selection of sources.ts / manifest.ts, and that the release
 * workflow only runs commands `npm test` runs, publishing with provenance.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { REPO_ROOT } from '../../scripts/packages/config';
import { sourceLinks } from '../../scripts/packages/manifest';
import { providerPictures } from '../../scripts/packages/readme';
import { examplesFor, importClosure, retypeWorkflow, type Workflow } from '../../scripts/packages/sources';
import { verifyPackedPackage } from '../../scripts/packages/verify';

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function writeFiles(files: Record<string, string>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-video-verify-'));
	tempDirs.push(dir);
	for (const [file, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	}
	return dir;
}

const soundPackage = {
	'package.json': JSON.stringify({
		name: 'n8n-nodes-x',
		license: 'MIT',
		keywords: ['n8n-community-node-package'],
		n8n: { nodes: ['dist/nodes/X/X.node.js'], credentials: ['dist/credentials/XApi.credentials.js'] },
		peerDependencies: { 'n8n-workflow': '*' },
	}),
	'README.md': '# x',
	LICENSE: 'MIT',
	'dist/nodes/X/X.node.js': 'const n8n_workflow_1 = require("n8n-workflow");\nconst h = require("../shared/http");\nconst icon = "file:../../icons/x.svg";',
	'dist/nodes/shared/http.js': 'const node_crypto_1 = require("node:crypto");',
	'dist/credentials/XApi.credentials.js': 'exports.x = 1;',
	'dist/icons/x.svg': '<svg/>',
	'examples/loop.json': JSON.stringify({ nodes: [{ type: 'n8n-nodes-base.wait' }, { type: 'n8n-nodes-x.x' }] }),
};

describe('verifyPackedPackage', () => {
	test('a sound single package has no problems', () => {
		expect(verifyPackedPackage(writeFiles(soundPackage), true)).toEqual([]);
	});

	test('finds runtime dependencies, missing files and icons, foreign node types and a second node', () => {
		const manifest = JSON.parse(soundPackage['package.json']);
		const dir = writeFiles({
			...soundPackage,
			'package.json': JSON.stringify({
				...manifest,
				license: 'ISC',
				dependencies: { axios: '^1' },
				peerDependencies: { 'n8n-workflow': '*', 'n8n-core': '*' },
				n8n: { ...manifest.n8n, nodes: [...manifest.n8n.nodes, 'dist/nodes/Y/Y.node.js'] },
			}),
			'dist/nodes/X/X.node.js': 'require("axios"); require("../shared/gone"); const icon = "file:../../icons/none.svg"; // eslint-disable-line',
			'examples/loop.json': JSON.stringify({ nodes: [{ type: 'n8n-nodes-ai-video.x' }] }),
		});
		fs.rmSync(path.join(dir, 'LICENSE'));
		expect(verifyPackedPackage(dir, true)).toEqual([
			'license is ISC, not MIT',
			'dependencies is not empty',
			'n8n-workflow is not the only peer dependency',
			'n8n section has 2 nodes and 1 credentials, not one of each',
			'n8n section names dist/nodes/Y/Y.node.js, which is not in the package',
			'LICENSE missing',
			'dist/nodes/X/X.node.js turns a lint rule off (eslint-disable)',
			'dist/nodes/X/X.node.js requires axios, a runtime dependency',
			'dist/nodes/X/X.node.js requires ../shared/gone, which is not in the package',
			'dist/nodes/X/X.node.js names icon ../../icons/none.svg, which is not in the package',
			'examples/loop.json uses node types of another package: n8n-nodes-ai-video.x',
		]);
	});
});

describe('what a single package is made of', () => {
	test('the import closure of a node holds its folder\'s files it uses and the shared code, not other providers', () => {
		const files = importClosure(['nodes/Kvid/Kvid.node.ts', 'credentials/KvidApi.credentials.ts']);
		expect(files).toEqual(expect.arrayContaining(['nodes/Kvid/Kvid.node.ts', 'nodes/shared/request.ts', 'credentials/common.ts']));
		expect(files.filter((f) => /^nodes\/(AiStudios|CdnVideo|HiDream)\//.test(f) || /credentials\/(?!KvidApi|common)/.test(f))).toEqual([]);
		expect(sourceLinks(files)).toEqual(expect.arrayContaining(['nodes/Kvid', 'nodes/shared', 'credentials/KvidApi.credentials.ts', 'credentials/common.ts']));
		expect(sourceLinks(files).filter((l) => l.startsWith('nodes/'))).toEqual(['nodes/Kvid', 'nodes/shared']);
	});

	test('examples are picked by the node type they use, and retyped to the package', () => {
		const dir = path.join(REPO_ROOT, 'examples');
		for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
			const types = new Set((JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow).nodes.map((n) => n.type).filter((t) => t.startsWith('n8n-nodes-ai-video.')));
			// an example of one provider goes into that provider's package, one mixing providers into none
			for (const nodeName of ['aiStudios', 'cdnVideo', 'kvid', 'hiDream']) {
				expect({ file, nodeName, picked: file in examplesFor(nodeName) }).toEqual({ file, nodeName, picked: types.size === 1 && types.has(`n8n-nodes-ai-video.${nodeName}`) });
			}
		}
		const [file, workflow] = Object.entries(examplesFor('kvid'))[0];
		const retyped = retypeWorkflow(workflow, 'n8n-nodes-kvid');
		expect(retyped.nodes.filter((n) => n.type.startsWith('n8n-nodes-kvid.')).length).toBe(workflow.nodes.filter((n) => n.type === 'n8n-nodes-ai-video.kvid').length);
		expect(JSON.stringify(retyped)).not.toContain('n8n-nodes-ai-video.');
		expect(file).toMatch(/^kvid/);
	});
});

test("a package's README takes the pictures of its provider's node from the repository README, as absolute links", () => {
	const readme = '![Polling loop](docs/images/cdnvideo-polling.png)\n![Kvid form](./docs/images/kvid-submit.png)\n![Badge](https://x.test/cdnvideo.svg)';
	expect(providerPictures(readme, ['CdnVideo', 'cdnVideo'], 'https://raw.githubusercontent.com/o/r/HEAD')).toBe(
		'![Polling loop](https://raw.githubusercontent.com/o/r/HEAD/docs/images/cdnvideo-polling.png)',
	);
	expect(providerPictures(readme, ['HiDream', 'hiDream'], 'https://raw.githubusercontent.com/o/r/HEAD')).toBe('');
});

test('the release workflow runs only commands of `npm test`, then publishes every tarball with provenance', () => {
	const workflow = fs.readFileSync(path.join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8');
	const testChain = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.test;
	const scripts = [...workflow.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
	expect(scripts).toEqual(expect.arrayContaining(['lint', 'build:packages', 'scan', 'check:packages']));
	for (const script of scripts) expect(testChain).toContain(`npm run ${script}`);
	expect(workflow).toMatch(/id-token: write/);
	expect(workflow).toMatch(/npm publish "\$tarball" --provenance --access public/);
	expect(workflow).toMatch(/for tarball in packages\/\.tarballs\/\*\.tgz/);
});
