/**
 * Wait for Completion learning from its own batch, through the CDNvideo node (its fake reports no
 * progress) with real HTTP: one job scouts, the others look once it has finished; a submit that
 * fails gives up the jobs already followed, naming them, without further requests.
 */
import type { IDataObject } from 'n8n-workflow';

import { CdnVideoApi } from '../../credentials/CdnVideoApi.credentials';
import { CdnVideo } from '../../nodes/CdnVideo/CdnVideo.node';
import { CdnVideoFake, startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import { runNode } from '../helpers/n8nContext';

let server: FakeServer;

beforeAll(async () => {
	server = await startFakeProviders();
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

const params: IDataObject = { operation: 'submit', script: '={{ $json.s }}', actorName: 'Natalia', voice: 'Alena', waitForCompletion: true };

async function run(items: Array<{ json: IDataObject }>, waitOptions: IDataObject = {}) {
	const fake = server.provider(CdnVideoFake);
	return await runNode({
		node: new CdnVideo(),
		parameters: { ...params, waitOptions },
		items,
		credentials: [{ type: new CdnVideoApi(), data: { account: fake.account, authentication: 'token', token: fake.staticToken, baseUrl: server.baseUrl } }],
	});
}

const statusChecks = () => server.requestsTo('cdnVideo', 'GET', /\/status\//);
const checksPerJob = () => {
	const counts = new Map<string, number>();
	for (const r of statusChecks()) counts.set(r.path.split('/').pop() as string, (counts.get(r.path.split('/').pop() as string) ?? 0) + 1);
	return counts;
};

describe('Wait for Completion learns from its batch (no progress reported)', () => {
	it('one job scouts on the growing schedule; the others look once, when it is seen finished', async () => {
		server.renderMs = 5_000;
		const items = Array.from({ length: 5 }, (_, i) => ({ json: { s: `Line ${i}` } }));
		const started = Date.now();
		const { output } = await run(items);
		const elapsed = Date.now() - started;
		expect(output[0].map((i) => i.json.status)).toEqual(Array(5).fill('completed'));
		for (const item of output[0]) {
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(item.json.jobId as string, server.fileSize))).toBe(true);
		}
		// the scout: 3 s (running), 7.8 s (finished); each other job: one look, right after that
		const counts = checksPerJob();
		expect([...counts.values()].sort()).toEqual([1, 1, 1, 1, 2]);
		const checks = statusChecks();
		const lastScoutLook = checks.find((r) => counts.get(r.path.split('/').pop() as string) === 2 && r.at - started > 5_000);
		for (const r of checks.filter((c) => counts.get(c.path.split('/').pop() as string) === 1)) {
			expect(r.at).toBeGreaterThanOrEqual(lastScoutLook!.at);
			expect(r.at - lastScoutLook!.at).toBeLessThan(500);
		}
		// without learning, each of the five would have looked twice, at 3 s and 7.8 s
		expect(elapsed).toBeLessThan(9_000);
	}, 20_000);

	it('a waiting job looks on its own once the Max Poll Interval after its submit has passed', async () => {
		server.renderMs = 4_000;
		const items = Array.from({ length: 3 }, (_, i) => ({ json: { s: `Line ${i}` } }));
		await run(items, { pollInterval: 2, download: false });
		// scout: 2 s, 4 s; the others: 2 s (the cap), then 4.8 s later… or woken when the scout finishes
		const counts = checksPerJob();
		expect(counts.size).toBe(3);
		const firstLooks = [...new Set(statusChecks().map((r) => r.path))].map((p) => statusChecks().find((r) => r.path === p)!.at);
		const submitsDone = Math.max(...server.requestsTo('cdnVideo', 'POST', /generate/).map((r) => r.at));
		for (const at of firstLooks) expect(at - submitsDone).toBeLessThan(2_600);
	}, 20_000);

	it('a submit that fails (no Continue On Fail) gives up the jobs already followed: named in the error, no further requests', async () => {
		server.renderMs = 60_000;
		const items = [{ json: { s: 'a' } }, { json: { s: 'b' } }, { json: { s: '' } }];
		const started = Date.now();
		const error = (await run(items).then(
			() => undefined,
			(e: unknown) => e,
		)) as Error & { description?: string };
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(error.message).toMatch(/script/i);
		const ids = [...server.provider(CdnVideoFake).jobs.keys()];
		expect(ids).toHaveLength(2);
		for (const id of ids) expect(error.description).toContain(id);
		const requests = server.requests.length;
		await new Promise((r) => setTimeout(r, 3_500));
		expect(server.requests.slice(requests).map((r) => `${r.method} ${r.path}`)).toEqual([]);
	}, 20_000);
});
