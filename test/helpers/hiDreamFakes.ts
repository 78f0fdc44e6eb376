/**
 * What the HiDream unit-test files share: the fake providers, started once per file and fresh for
 * each test, with HiDream's submit limits raised (the limits have tests of their own), and Submit
 * parameters that leave the node's own pacing out of the way.
 */
import { HiDreamFake, startFakeProviders, type FakeServer } from '../fakes';

/** every submit in these tests may start at once unless the test says otherwise */
export const unpaced = { rateLimit: { maxSubmits: 1000, windowSeconds: 1 } };

/** Registers the file's hooks; `started` hands the fakes to the file once they run. */
export function useHiDreamFakes(started: (server: FakeServer, fake: HiDreamFake) => void): void {
	let server: FakeServer;
	let fake: HiDreamFake;
	beforeAll(async () => {
		server = await startFakeProviders();
		fake = server.provider(HiDreamFake);
		started(server, fake);
	});
	afterAll(async () => await server.stop());
	beforeEach(() => {
		server.reset();
		fake.stylizationsPerWindow = 1000;
		fake.generationsPerWindow = 1000;
	});
}
