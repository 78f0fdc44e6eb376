/**
 * The polling policy (`nextPollDelay`) and the batch follower of Submit → Wait for Completion:
 * Retry-After on a status check, the cap on simultaneous status checks and downloads, the deadline.
 * The follower runs through the AI Studios node (its fake reports progress) with real HTTP.
 */
import type * as http from 'node:http';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { jobOutput, type JobOutput } from '../../nodes/shared/jobContract';
import { nextPollDelay } from '../../nodes/shared/follow';
import { AiStudiosFake, FILES, startFakeProviders, type FakeServer, type RecordedRequest } from '../fakes';
import { runNode } from '../helpers/n8nContext';

const job = (progress: number | null, status: JobOutput['status'] = 'processing') =>
	jobOutput('aiStudios', { jobId: 'job-1', status, progress, raw: {} });

describe('nextPollDelay', () => {
	const CAP = 30_000;

	test('with progress, looks again one percent after the job should end at its pace so far', () => {
		// 25 % after 10 s: 30 s to go, and 0.4 s a percent
		expect(nextPollDelay(job(25), 10_000, 1, 60_000)).toBe(30_400);
		// 80 % after 8 s: 2 s to go, and 0.1 s a percent, whatever the number of checks so far
		expect(nextPollDelay(job(80), 8_000, 0, CAP)).toBe(2_100);
		expect(nextPollDelay(job(80), 8_000, 7, CAP)).toBe(2_100);
	});

	test('the estimate is held to the cap and to a 1 s floor', () => {
		expect(nextPollDelay(job(10), 10_000, 1, CAP)).toBe(CAP);
		expect(nextPollDelay(job(99), 10_000, 1, CAP)).toBe(1_000);
		expect(nextPollDelay(job(99), 10_000, 1, 1_000)).toBe(1_000);
	});

	test('without progress, the pauses grow from 3 s by 1.6× up to the cap', () => {
		const delays = Array.from({ length: 8 }, (_, polls) => nextPollDelay(job(null), 5_000 + polls, polls, CAP));
		expect(delays).toEqual([3_000, 4_800, 7_680, 12_288, 19_661, CAP, CAP, CAP]);
	});

	test('progress that says nothing about the pace (0, 100 without a file yet, or no time elapsed) counts as none', () => {
		expect(nextPollDelay(job(0, 'queued'), 4_000, 1, CAP)).toBe(4_800);
		expect(nextPollDelay(job(100), 4_000, 1, CAP)).toBe(4_800);
		expect(nextPollDelay(job(50), 0, 0, CAP)).toBe(3_000);
	});

	test("the provider's estimate delays the first look only: never before it, then the usual growth", () => {
		// kvid's "2-5min": the first look 2 min after the submit, past the 15 s cap between looks
		expect(nextPollDelay(job(null), 0, 0, 15_000, 120_000)).toBe(120_000);
		expect(nextPollDelay(job(null), 20_000, 0, 15_000, 120_000)).toBe(100_000);
		// an estimate already past, or sooner than the usual first pause, changes nothing
		expect(nextPollDelay(job(null), 130_000, 0, 15_000, 120_000)).toBe(3_000);
		expect(nextPollDelay(job(null), 0, 0, 15_000, 1_000)).toBe(3_000);
		// after the first look the pauses grow as without an estimate
		expect([1, 2, 3, 4].map((polls) => nextPollDelay(job(null), 120_000, polls, 15_000, 120_000))).toEqual([4_800, 7_680, 12_288, 15_000]);
		expect(nextPollDelay(job(null), 0, 0, 15_000)).toBe(3_000);
	});

	test('a cap below the first pause is the pause: a 1 s cap checks every second', () => {
		for (const polls of [0, 1, 5]) expect(nextPollDelay(job(null), 1_000, polls, 1_000)).toBe(1_000);
		expect(nextPollDelay(job(20), 1_000, 0, 1_000)).toBe(1_000);
		expect(nextPollDelay(job(null), 1_000, 0, 2_000)).toBe(2_000);
	});
});

describe('the batch follower', () => {
	let server: FakeServer;
	let fake: AiStudiosFake;

	beforeAll(async () => {
		server = await startFakeProviders();
		fake = server.provider(AiStudiosFake);
	});
	afterAll(async () => await server.stop());
	beforeEach(() => server.reset());

	const PROGRESS_PATH = '/api/odin/editor/progress/';
	const progressChecks = () => server.requestsTo('aiStudios', 'GET', PROGRESS_PATH);
	const checksOf = (jobId: string) => progressChecks().filter((r) => r.path.endsWith(`/${jobId}`));
	const items = (count: number): INodeExecutionData[] =>
		Array.from({ length: count }, (_, i) => ({ json: { text: `Job number ${i + 1}.` } }));

	async function submitAndWait(count: number, waitOptions: IDataObject, continueOnFail = false) {
		const { output } = await runNode({
			node: new AiStudios(),
			parameters: {
				operation: 'submit',
				language: 'en',
				text: '={{ $json.text }}',
				model: 'M000004017',
				clothes: 'BG00006160',
				waitForCompletion: true,
				waitOptions,
			},
			items: items(count),
			credentials: [{ type: new AiStudiosApi(), data: { apiKey: fake.apiKey, baseUrl: server.baseUrl } }],
			continueOnFail,
		});
		return output[0];
	}

	/** Holds every progress answer back `ms` and counts the checks in flight at the same time. */
	function slowProgressAnswers(ms: number): { max: () => number } {
		const handle = fake.handle.bind(fake);
		let inFlight = 0;
		let max = 0;
		fake.handle = async (req: RecordedRequest, res: http.ServerResponse, srv: FakeServer) => {
			if (!req.path.startsWith(PROGRESS_PATH)) return handle(req, res, srv);
			max = Math.max(max, ++inFlight);
			await new Promise((resolve) => setTimeout(resolve, ms));
			inFlight--;
			return handle(req, res, srv);
		};
		return { max: () => max };
	}
	afterEach(() => {
		// back to the class's own handler
		delete (fake as Partial<AiStudiosFake>).handle;
	});

	test('with progress, a job is checked once to learn its pace and once when that says it ends', async () => {
		server.renderMs = 4_000;
		const out = await submitAndWait(1, {});
		const [check1, check2, ...more] = progressChecks();
		const jobId = fake.lastJobId!;
		const end = fake.jobs.get(jobId)!.createdAt + 4_000;
		expect(out[0].json).toMatchObject({ jobId, status: 'completed', progress: 100 });
		expect(more).toHaveLength(0);
		// first look at 3 s (75 %), then just after the 4 s the pace gives, not at a fixed interval
		expect(check1.at - fake.jobs.get(jobId)!.createdAt).toBeGreaterThanOrEqual(3_000);
		expect(check2.at).toBeGreaterThanOrEqual(end);
		expect(check2.at - end).toBeLessThan(500);
	}, 15_000);

	test.each([
		[429, 'too many requests'],
		[503, 'temporarily unavailable'],
	])('a status check answered %i with Retry-After is repeated after that time, without holding back the other jobs', async (status, message) => {
		server.inject({ provider: 'aiStudios', method: 'GET', path: PROGRESS_PATH, status, headers: { 'Retry-After': '2' }, body: { success: false, msg: message } });
		const out = await submitAndWait(2, { pollInterval: 1 });
		expect(out.map((item) => item.json.status)).toEqual(['completed', 'completed']);

		const refused = progressChecks().find((r) => r.fault === 'status')!;
		const delayedJob = refused.path.split('/').pop()!;
		const otherJob = [...fake.jobs.keys()].find((id) => id !== delayedJob)!;
		const [, retry] = checksOf(delayedJob);
		expect(checksOf(delayedJob)).toHaveLength(2);
		expect(retry.at - refused.at).toBeGreaterThanOrEqual(1_950);
		expect(retry.at - refused.at).toBeLessThan(3_000);
		// the other job was checked, finished and downloaded while this one waited
		expect(checksOf(otherJob)).toHaveLength(1);
		const downloads = server.requestsTo(FILES);
		expect(downloads[0].path).toContain(otherJob);
		expect(downloads[0].at).toBeLessThan(retry.at);
	}, 15_000);

	test('at most 8 status checks are in flight at once, however many jobs wait', async () => {
		const counter = slowProgressAnswers(300);
		const out = await submitAndWait(20, { pollInterval: 1, download: false });
		expect(out).toHaveLength(20);
		expect(out.every((item) => item.json.status === 'completed')).toBe(true);
		expect(progressChecks()).toHaveLength(20);
		expect(counter.max()).toBe(8);
	}, 15_000);

	test('at most 2 videos are downloaded at once', async () => {
		server.inject({ provider: FILES, kind: 'delay', ms: 300, times: Infinity });
		const out = await submitAndWait(6, { pollInterval: 1 });
		expect(out.every((item) => item.binary?.data !== undefined)).toBe(true);
		const starts = server.requestsTo(FILES).map((r) => r.at);
		expect(starts).toHaveLength(6);
		// a third download only starts once one of two 300 ms answers is done
		for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(290);
	}, 15_000);

	test('the deadline cuts the pause short: a job past its timeout fails then, with its last status and jobId', async () => {
		server.renderMs = 60_000;
		const started = Date.now();
		const out = await submitAndWait(1, { timeout: 2 }, true);
		const elapsed = Date.now() - started;
		const jobId = fake.lastJobId!;
		// the first look (due at 3 s) is made at the 2 s deadline, and nothing after it
		expect(elapsed).toBeGreaterThanOrEqual(2_000);
		expect(elapsed).toBeLessThan(2_800);
		expect(checksOf(jobId)).toHaveLength(1);
		expect(out[0].json).toMatchObject({ jobId });
		expect(out[0].json.error).toMatch(new RegExp(`^Job ${jobId} did not finish within 2 s \\(last status: (queued|processing), \\d+%\\)$`));
	}, 15_000);
});
