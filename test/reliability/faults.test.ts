/**
 * Faults × operations for every landed node, against the shared fake server (real HTTP through the
 * n8n harness). Each cell asserts: the node recovers with the correct result, or fails that item
 * with a clear error; a created job's id is never lost; one item never becomes two jobs (the fake's
 * accepted submits are counted); a short download is an error, never a short video.
 * Waiting (backoff, Retry-After, rate windows, polls) runs on the lapse clock of support.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { FILES, startFakeProviders, type Fault, type FakeServer, type RecordedRequest } from '../fakes';
import { DOWNLOAD_FAULTS, JOB_FAULTS, ONCE, PERSISTENT, type ApiFault, type DownloadFault, type Expectation, type JobFault } from './matrix';
import { ADAPTERS, expectVideo, labelOf, relaxLimits, type Adapter, type Operation } from './nodes';
import { execute, items, thrown, type Outcome } from './support';

const DAY = 24 * 3600_000;
const API_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;
const MAX_ATTEMPTS = 4;
const RATE_LIMIT_TRIES = 9;
/** a hung request's timeout, as the harness shortens it (real milliseconds) */
const HANG_MS = 100;

let server: FakeServer;

beforeAll(async () => {
	server = await startFakeProviders();
});
afterAll(async () => await server.stop());
beforeEach(() => {
	server.reset();
	server.onRequest = undefined;
	relaxLimits(server);
});

/** A job made by the node's own submit (real time, no fault), as later operations find it. */
async function seedJob(adapter: Adapter, renderMs: number): Promise<IDataObject> {
	server.renderMs = renderMs;
	const outcome = await execute({ node: adapter.node(), parameters: adapter.submitParams, credentials: adapter.credentials(server), clock: 'real' });
	const job = items(outcome)[0].json;
	server.requests = [];
	server.filesRequests = [];
	return job;
}

function inject(adapter: Adapter, target: { method: string; path: RegExp }, shape: ApiFault['shape'], times: number): void {
	server.inject({ provider: adapter.provider, method: target.method, path: target.path, times, ...shape } as Fault);
}

const hitsOf = (adapter: Adapter, target: { method: string; path: RegExp }) => server.requestsTo(adapter.provider, target.method, target.path);
const timeoutAsked = (outcome: Outcome, method: string, path: RegExp) =>
	outcome.sent.filter((s) => s.method === method && path.test(s.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0])).map((s) => s.timeout);

/** The item of a Continue On Fail run that failed, with the jobId it must carry. */
function expectFailedItem(outcome: Outcome, adapter: Adapter, jobId: string | undefined, message?: RegExp) {
	const [item] = items(outcome);
	expect(item.binary).toBeUndefined();
	expect(typeof item.json.error).toBe('string');
	if (message) expect(item.json.error).toMatch(message);
	if (jobId === undefined) {
		expect(item.json.jobId).toBeUndefined();
		expect(item.json.error).toContain(adapter.displayName);
	} else {
		expect(item.json.jobId).toBe(jobId);
		// the message names the job too, so the thrown error (without Continue On Fail) keeps it
		expect(item.json.error).toContain(jobId);
	}
	return item;
}

function cells(faults: ApiFault[]): Array<[string, string, string, Adapter, Operation, ApiFault, Expectation]> {
	const out: Array<[string, string, string, Adapter, Operation, ApiFault, Expectation]> = [];
	for (const fault of faults) {
		for (const adapter of ADAPTERS) {
			for (const op of adapter.operations) {
				const expectation = fault.on[op.kind];
				if (expectation) out.push([labelOf(adapter), op.name, fault.id, adapter, op, fault, expectation]);
			}
		}
	}
	return out;
}

describe('API faults, once: recover, or fail clearly without repeating a submit', () => {
	it.each(cells(ONCE))('%s %s ← %s', async (_p, _o, _f, adapter, op, fault, expectation) => {
		const job = op.job === 'none' ? undefined : await seedJob(adapter, op.job === 'running' ? DAY : 0);
		const before = adapter.acceptedSubmits(server);
		// a lost answer hits the submit of either operation; every other fault hits the operation's target
		const target = fault.answerLost ? { method: 'POST', path: adapter.paths.submit } : op.target;
		inject(adapter, target, fault.shape, 1);
		const outcome = await execute({
			node: adapter.node(),
			parameters: op.params(job),
			credentials: adapter.credentials(server),
			shorten: fault.hangs ? { ...target, ms: HANG_MS } : undefined,
			// a lost answer: keep the clock going until the provider has handled the request
			until: fault.answerLost ? () => adapter.acceptedSubmits(server) > before : undefined,
		});
		const hits = hitsOf(adapter, target);
		const accepted = adapter.acceptedSubmits(server) - before;
		if (fault.hangs) expect(timeoutAsked(outcome, target.method, target.path)[0]).toBe(API_TIMEOUT_MS);

		if (expectation === 'recovers') {
			op.verify(server, items(outcome), job);
			expect(hits.map((h) => Boolean(h.fault))).toEqual([true, false]);
			expect(accepted).toBe(op.kind === 'read' ? 0 : 1);
			const gap = fault.minGapMs === 'rateWindow' ? adapter.rateLimitWaitMs : (fault.minGapMs ?? 0);
			expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(gap);
			return;
		}
		// failsNotRepeated: a submit whose answer was lost or broken
		const error = thrown(outcome);
		expect(error.message).toContain(adapter.displayName);
		expect(`${error.message}\n${error.description ?? ''}`).toMatch(/not repeated|before submitting again/i);
		expect(error.context?.jobId).toBeUndefined();
		expect(hits).toHaveLength(1);
		expect(accepted).toBe(fault.answerLost ? 1 : 0);
	});
});

describe('API faults, every try: a clear error naming the job, the job never lost', () => {
	it.each(cells(PERSISTENT))('%s %s ← %s', async (_p, _o, _f, adapter, op, fault) => {
		const job = op.job === 'none' ? undefined : await seedJob(adapter, op.job === 'running' ? DAY : 0);
		const before = adapter.acceptedSubmits(server);
		inject(adapter, op.target, fault.shape, Infinity);
		const outcome = await execute({
			node: adapter.node(),
			parameters: op.params(job),
			credentials: adapter.credentials(server),
			continueOnFail: true,
			shorten: fault.hangs ? { ...op.target, ms: 50, times: Infinity } : undefined,
		});
		const accepted = adapter.acceptedSubmits(server) - before;
		// the job an error must name: the one asked about, the one just submitted, or none (account-wide reads)
		const jobId = op.kind === 'wait' ? adapter.lastJobId(server) : ['getAll', 'getConfigurations'].includes(op.name) ? undefined : (job!.jobId as string);
		expectFailedItem(outcome, adapter, jobId);
		expect(hitsOf(adapter, op.target)).toHaveLength('status' in fault.shape && fault.shape.status === 429 ? RATE_LIMIT_TRIES : MAX_ATTEMPTS);
		expect(accepted).toBe(op.kind === 'wait' ? 1 : 0);
		expect(server.filesRequests).toHaveLength(0);
	});
});

function downloadCells(): Array<[string, string, string, Adapter, Operation, DownloadFault]> {
	const out: Array<[string, string, string, Adapter, Operation, DownloadFault]> = [];
	for (const fault of DOWNLOAD_FAULTS) {
		for (const adapter of ADAPTERS) {
			for (const op of adapter.operations.filter((o) => o.name === 'getResult' || o.name === 'submit+wait')) {
				out.push([labelOf(adapter), op.name, fault.id, adapter, op, fault]);
			}
		}
	}
	return out;
}

const fileIdOf = (request: RecordedRequest) => decodeURIComponent(request.path.split('/').pop()!.replace(/\.mp4$/, ''));

describe('download faults: a short or missing file is an error naming the job, never a short video', () => {
	it.each(downloadCells())('%s %s ← %s', async (_p, _o, _f, adapter, op, fault) => {
		const job = op.job === 'none' ? undefined : await seedJob(adapter, 0);
		const before = adapter.acceptedSubmits(server);
		if (fault.shape) server.inject({ provider: FILES, times: fault.times, ...fault.shape } as Fault);
		if (fault.link) {
			// the link breaks between the provider handing it out and the node fetching it
			server.onRequest = (request) => {
				if (request.provider !== FILES) return;
				if (fault.link === 'expired') server.expireFile(fileIdOf(request));
				else server.deleteFile(fileIdOf(request));
			};
		}
		const files = /^\/files\//;
		const outcome = await execute({
			node: adapter.node(),
			parameters: op.params(job),
			credentials: adapter.credentials(server),
			continueOnFail: true,
			shorten: fault.hangs ? { method: 'GET', path: files, ms: HANG_MS } : undefined,
		});
		const jobId = (job?.jobId as string | undefined) ?? adapter.lastJobId(server)!;
		expect(server.filesRequests).toHaveLength(fault.fileRequests);
		expect(adapter.acceptedSubmits(server) - before).toBe(op.kind === 'wait' ? 1 : 0);
		if (fault.hangs) expect(timeoutAsked(outcome, 'GET', files)[0]).toBe(DOWNLOAD_TIMEOUT_MS);
		if (fault.expect === 'recovers') {
			op.verify(server, items(outcome), job);
			return;
		}
		const item = expectFailedItem(outcome, adapter, jobId, new RegExp(`Could not download the video of job ${jobId}`));
		if (fault.link) expect(item.json.error).toMatch(/refused \(HTTP 40[34]\); it may have expired/);
	});
});

function jobCells(): Array<[string, string, JobFault, Adapter, Operation]> {
	const out: Array<[string, string, JobFault, Adapter, Operation]> = [];
	for (const fault of JOB_FAULTS) {
		for (const adapter of ADAPTERS) {
			for (const op of adapter.operations.filter((o) => ['getStatus', 'getResult', 'submit+wait'].includes(o.name))) out.push([labelOf(adapter), op.name, fault, adapter, op]);
		}
	}
	return out;
}

describe('render faults: a failed or canceled render is data for one look, an error naming the job when waiting', () => {
	it.each(jobCells())('%s %s ← %s', async (_p, _o, fault, adapter, op) => {
		const failing = fault === 'render fails';
		if (failing) server.failNextJob(adapter.provider, 'renderer crashed');
		let job: IDataObject | undefined;
		if (op.kind !== 'wait') {
			job = await seedJob(adapter, failing ? 0 : DAY);
			if (!failing) expect(server.cancelJob(adapter.provider, job.jobId as string)).toBe(true);
		} else if (!failing) {
			server.renderMs = DAY;
			// someone else cancels the render while the node waits for it
			server.onRequest = (request) => {
				if (request.provider === adapter.provider && adapter.paths.status.test(request.path)) server.cancelJob(adapter.provider, adapter.lastJobId(server)!);
			};
		}
		const before = adapter.acceptedSubmits(server);
		const outcome = await execute({ node: adapter.node(), parameters: op.params(job), credentials: adapter.credentials(server), continueOnFail: true });
		expect(server.filesRequests).toHaveLength(0);
		expect(adapter.acceptedSubmits(server) - before).toBe(op.kind === 'wait' ? 1 : 0);
		if (op.kind === 'wait') {
			expectFailedItem(outcome, adapter, adapter.lastJobId(server), failing ? /failed/ : /canceled|failed/);
			return;
		}
		const [item] = items(outcome);
		expect(item.json.jobId).toBe(job!.jobId);
		expect(item.binary).toBeUndefined();
		if (failing) {
			expect(item.json.status).toBe('failed');
			// HiDream reports only task_status 3, not the reason
			expect(item.json.error).toMatch(adapter.provider === 'hiDream' ? /failed/ : /renderer crashed/);
		} else {
			expect(['canceled', 'failed']).toContain(item.json.status);
		}
	});

	it('cdnVideo cancel ← canceled by someone else: a clear error (HTTP 400) naming the job', async () => {
		const adapter = ADAPTERS.find((a) => a.provider === 'cdnVideo')!;
		const job = await seedJob(adapter, DAY);
		server.cancelJob('cdnVideo', job.jobId as string);
		const outcome = await execute({ node: adapter.node(), parameters: { operation: 'cancel', jobId: job.jobId }, credentials: adapter.credentials(server), continueOnFail: true });
		expectFailedItem(outcome, adapter, job.jobId as string, /HTTP 400.*wrong task status: CANCELED/);
	});
});

describe('what the suite relies on', () => {
	it('every API request asks for a 60 s timeout and every download for 30 min', async () => {
		for (const adapter of ADAPTERS) {
			server.reset();
			relaxLimits(server);
			const wait = adapter.operations.find((o) => o.kind === 'wait')!;
			const outcome = await execute({ node: adapter.node(), parameters: wait.params(), credentials: adapter.credentials(server) });
			expectVideo(server, items(outcome)[0], adapter.provider);
			const api = outcome.sent.filter((s) => s.authenticated);
			const downloads = outcome.sent.filter((s) => !s.authenticated);
			expect(api.length).toBeGreaterThanOrEqual(2);
			expect(new Set(api.map((s) => s.timeout))).toEqual(new Set([API_TIMEOUT_MS]));
			expect(downloads.map((s) => s.timeout)).toEqual([DOWNLOAD_TIMEOUT_MS]);
		}
	});
});
