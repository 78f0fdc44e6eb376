/**
 * HiDream's batch status checks under faults: Get Status over three items and Submit + Wait for
 * Completion of three jobs ask for the three tasks in one batch request, which the fault hits. The
 * node must retry it, or ask each task on its own, and report every job correctly either way.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startFakeProviders, type Fault, type FakeServer } from '../fakes';
import { BATCH_FAULTS, BATCH_OPERATIONS, type BatchFault, type BatchOperation } from './batchCases';
import { expectVideo, hiDreamTextToVideo as adapter, relaxLimits } from './nodes';
import { execute, items } from './support';

const BATCH = /\/async\/results\/batch$/;
const SINGLE = /\/v3\/video\/txt2video\/async\/results$/;

let server: FakeServer;

beforeAll(async () => {
	server = await startFakeProviders();
});
afterAll(async () => await server.stop());
beforeEach(() => {
	server.reset();
	relaxLimits(server);
});

const three = (): INodeExecutionData[] => Array.from({ length: 3 }, () => ({ json: {} }));

/** three finished jobs made by the node's own submit, as Get Status receives them */
async function seedJobs(): Promise<INodeExecutionData[]> {
	const outcome = await execute({ node: adapter.node(), parameters: adapter.submitParams, credentials: adapter.credentials(server), items: three(), clock: 'real' });
	server.requests = [];
	return items(outcome).map((i) => ({ json: i.json }));
}

const cells = BATCH_FAULTS.flatMap((fault) => BATCH_OPERATIONS.map((op): [BatchOperation, string, BatchFault] => [op, fault.id, fault]));

describe('HiDream batch status checks under faults: retried, or asked one by one; every job reported correctly', () => {
	it.each(cells)('hiDream %s ← %s', async (op, _id, fault) => {
		const waiting = op === 'submit+wait ×3';
		const seeded = waiting ? undefined : await seedJobs();
		const before = adapter.acceptedSubmits(server);
		server.inject({ provider: 'hiDream', method: 'POST', path: BATCH, times: fault.times, ...fault.shape } as Fault);
		const parameters: IDataObject = waiting ? { ...adapter.submitParams, waitForCompletion: true, waitOptions: { pollInterval: 5 } } : { operation: 'getStatus' };
		const outcome = await execute({
			node: adapter.node(),
			parameters,
			credentials: adapter.credentials(server),
			items: seeded ?? three(),
			shorten: fault.hangs ? { method: 'POST', path: BATCH, ms: 100 } : undefined,
		});
		const out = items(outcome);
		expect(out.map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed']);
		if (seeded) expect(out.map((i) => i.json.jobId)).toEqual(seeded.map((i) => i.json.jobId));
		if (waiting) out.forEach((item, n) => expectVideo(server, item, `item ${n}`));
		expect(adapter.acceptedSubmits(server) - before).toBe(waiting ? 3 : 0);
		expect(server.requestsTo('hiDream', 'POST', BATCH)).toHaveLength(fault.batchRequests);
		const singles = server.requestsTo('hiDream', 'GET', SINGLE);
		expect(singles.map((r) => r.query.task_id).sort()).toEqual(fault.expect === 'oneByOne' ? out.map((i) => i.json.jobId).sort() : []);
		if (fault.hangs) expect(outcome.sent.filter((s) => s.method === 'POST' && BATCH.test(s.url)).map((s) => s.timeout)[0]).toBe(60_000);
	});
});
