/**
 * Checks the e2e harness itself against a real n8n with built-in nodes only
 * (no dependency on this package's nodes or the fake providers).
 */
import {
	assertSuccess,
	createN8nHome,
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	nodeItems,
	parseExecuteOutput,
	readBinaryData,
	rewriteNodeTypes,
	startN8nServer,
	type N8nHome,
} from './n8n';

const manualTrigger = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const setGreeting = {
	name: 'Set greeting',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [200, 0],
	parameters: {
		assignments: {
			assignments: [
				{ id: 'a1', name: 'greeting', value: 'hello from n8n', type: 'string' },
				{ id: 'a2', name: 'answer', value: 42, type: 'number' },
			],
		},
		options: {},
	},
};

const trivialWorkflow = {
	name: 'harness trivial',
	nodes: [
		manualTrigger,
		setGreeting,
		{
			name: 'To file',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [400, 0],
			parameters: {
				operation: 'toText',
				sourceProperty: 'greeting',
				binaryPropertyName: 'data',
				options: { fileName: 'greeting.txt' },
			},
		},
		{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 0], parameters: {} },
	],
	connections: {
		Start: { main: [[{ node: 'Set greeting', type: 'main', index: 0 }]] },
		'Set greeting': { main: [[{ node: 'To file', type: 'main', index: 0 }]] },
		'To file': { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
	},
};

describe('pure helpers', () => {
	test('rewriteNodeTypes maps the package prefix to CUSTOM and leaves others alone', () => {
		const wf = rewriteNodeTypes({
			nodes: [
				{ name: 'a', type: 'n8n-nodes-ai-video.aiStudios' },
				{ name: 'b', type: 'n8n-nodes-base.noOp' },
			],
		});
		expect(wf.nodes.map((n: { type: string }) => n.type)).toEqual(['CUSTOM.aiStudios', 'n8n-nodes-base.noOp']);
	});

	test('parseExecuteOutput skips log lines before the first "{" line', () => {
		const out = 'some log {not json}\n{"inline": 1}\n{\n  "data": {"resultData": {"runData": {}}}\n}\n';
		expect(parseExecuteOutput(out)).toEqual({ data: { resultData: { runData: {} } } });
		expect(parseExecuteOutput('no json here\n')).toBeUndefined();
	});
});

describe('real n8n via the harness', () => {
	let home: N8nHome;

	beforeAll(() => {
		ensureN8n(); // cold: ~6 min
		home = createN8nHome({ customExtensions: false });
	}, 45 * 60_000);

	afterAll(() => home?.cleanup());

	test('install is Node 24 + the pinned n8n', () => {
		const install = ensureN8n();
		expect(install.nodeVersion).toMatch(/^v24\./);
		expect(install.n8nVersion).toBe('2.41.1');
		expect(home.env.PATH!.split(':')[0]).toBe(install.nodeBinDir);
		expect(home.env.N8N_USER_FOLDER).toBe(home.userFolder);
	});

	test('import + execute a trivial workflow, parse its result, read its binary file', async () => {
		const { id } = await importWorkflow(home, trivialWorkflow);
		expect(id).toMatch(/^[A-Za-z0-9]{16}$/);

		const run = await executeWorkflow(home, id);
		const result = assertSuccess(run);
		expect(run.exitCode).toBe(0);
		expect(result.data.resultData.lastNodeExecuted).toBe('Done');
		expect(nodeItems(run.result, 'Set greeting')[0].json).toEqual({ greeting: 'hello from n8n', answer: 42 });

		const [item] = nodeItems(run.result, 'Done');
		expect(item.binary?.data).toBeDefined();
		expect(item.binary!.data.id).toMatch(/^filesystem-v2:/);
		expect(readBinaryData(home, item.binary!.data).toString('utf8')).toBe('hello from n8n');
	});

	test('a failing workflow exits 1 and still yields a parsable result', async () => {
		const { id } = await importWorkflow(home, {
			name: 'harness failing',
			nodes: [
				manualTrigger,
				{
					name: 'Boom',
					type: 'n8n-nodes-base.stopAndError',
					typeVersion: 1,
					position: [200, 0],
					parameters: { errorMessage: 'boom on purpose' },
				},
			],
			connections: { Start: { main: [[{ node: 'Boom', type: 'main', index: 0 }]] } },
		});
		const run = await executeWorkflow(home, id);
		expect(run.exitCode).toBe(1);
		expect(JSON.stringify(run.result ?? run.stdout + run.stderr)).toContain('boom on purpose');
	});

	test('credentials import (plain data is encrypted on import)', async () => {
		const [cred] = await importCredentials(home, [
			{ name: 'e2e header auth', type: 'httpHeaderAuth', data: { name: 'X-Test', value: 'secret-value' } },
		]);
		expect(cred.id).toMatch(/^[A-Za-z0-9]{16}$/);
	});

	test('n8n start: readiness, owner, API key, activate a webhook workflow, call it, stop', async () => {
		const { id } = await importWorkflow(home, {
			name: 'harness webhook',
			nodes: [
				{
					name: 'Hook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'e2e-harness-hook',
					parameters: { httpMethod: 'POST', path: 'e2e-harness', responseMode: 'lastNode', options: {} },
				},
				{ ...setGreeting, position: [200, 0] },
			],
			connections: { Hook: { main: [[{ node: 'Set greeting', type: 'main', index: 0 }]] } },
		});
		const server = await startN8nServer(home);
		try {
			await server.activateWorkflow(id);
			let res: Response | undefined;
			for (let i = 0; i < 40; i++) {
				// a webhook may 404 for ~1 s after activation
				res = await fetch(`${server.webhookBase}webhook/e2e-harness`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ x: 1 }),
				});
				if (res.status !== 404) break;
				await new Promise((r) => setTimeout(r, 250));
			}
			expect(res!.status).toBe(200);
			expect(await res!.json()).toEqual({ greeting: 'hello from n8n', answer: 42 });

			const list = await server.api<{ data: Array<{ id: string; status: string }> }>(
				'GET',
				`/executions?workflowId=${id}`,
			);
			expect(list.data.length).toBe(1);
			const ex = await server.waitForExecution(list.data[0].id);
			expect(ex.status).toBe('success');

			// workflows can also be created while the server runs (public API)
			const createdId = await server.createWorkflow({ ...trivialWorkflow, name: 'harness via API' });
			const got = await server.api<{ id: string; nodes: unknown[] }>('GET', `/workflows/${createdId}`);
			expect(got.nodes).toHaveLength(trivialWorkflow.nodes.length);
		} finally {
			await server.stop();
		}
		expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
	});
});
