/**
 * Parts 1 and 2: N jobs through a node's Submit with Wait for Completion (unit harness, real HTTP
 * to the fakes), against the physical limit and against the seed's sequential script.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { CdnVideoApi } from '../../credentials/CdnVideoApi.credentials';
import { AiStudiosFake, CdnVideoFake, startFakeProviders, type FakeServer, type RecordedRequest } from '../../test/fakes';
import { runNode, type CredentialEntry } from '../../test/helpers/n8nContext';
import { AiStudios, CdnVideo } from './nodes';
import { realClock, runAiStudiosSeed, runCdnVideoSeed, warpedClock, type SeedClock, type SeedRun } from './seed';

export type ProviderKey = 'aiStudios' | 'cdnVideo';

/** What the benchmark needs to know of a provider: its node, its requests, its limit. */
interface BenchProvider {
	label: string;
	node: () => INodeType;
	credentials: (server: FakeServer) => CredentialEntry[];
	/** Submit parameters reading the item's text from `$json.text` */
	parameters: IDataObject;
	/** What a request to this provider's API is: a submit, a status check of a job, another call about a job. */
	classify(request: RecordedRequest): { kind: 'submit' | 'status' | 'other'; jobId?: string } | undefined;
	/** Submits the provider accepts per window (none: unlimited), and how many it refused. */
	limit?: { max: number; windowMs: number; refused(server: FakeServer): number };
	seed(server: FakeServer, texts: string[], clock: SeedClock, videosDir: string, maxPolls: number): Promise<SeedRun>;
}

const SEED_MODEL = { language: 'ko', model: 'M000004017' };
const SEED_CLOTHES = ['BG00006160', 'BG00001004', 'BG00006160'];
const lastSegment = (p: string) => decodeURIComponent(p.slice(p.lastIndexOf('/') + 1));

export const providers: Record<ProviderKey, BenchProvider> = {
	aiStudios: {
		label: 'AI Studios',
		node: () => new AiStudios(),
		credentials: (server) => [{ type: new AiStudiosApi(), data: { apiKey: server.provider(AiStudiosFake).apiKey, baseUrl: server.baseUrl } }],
		parameters: { operation: 'submit', ...SEED_MODEL, clothes: '={{ $json.clothes }}', text: '={{ $json.text }}' },
		classify(r) {
			if (r.provider !== 'aiStudios') return undefined;
			if (r.method === 'POST') return { kind: 'submit' };
			return { kind: 'status', jobId: lastSegment(r.path) };
		},
		async seed(server, texts, clock, videosDir, maxPolls) {
			const jobs = texts.map((text, i) => ({ ...SEED_MODEL, text, clothes: SEED_CLOTHES[i % 3] }));
			return await runAiStudiosSeed({ baseUrl: server.baseUrl, token: server.provider(AiStudiosFake).apiKey, jobs, videosDir, clock, maxPolls });
		},
	},
	cdnVideo: {
		label: 'CDNvideo',
		node: () => new CdnVideo(),
		credentials: (server) => {
			const fake = server.provider(CdnVideoFake);
			return [{ type: new CdnVideoApi(), data: { account: fake.account, authentication: 'token', token: fake.staticToken, baseUrl: server.baseUrl } }];
		},
		parameters: { operation: 'submit', script: '={{ $json.text }}', actorName: 'Natalia', voice: 'Alena' },
		classify(r) {
			if (r.provider !== 'cdnVideo') return undefined;
			if (r.method === 'POST' && r.path.endsWith('/generate')) return { kind: 'submit' };
			const kind = /\/status\/[^/]+$/.test(r.path) ? 'status' : 'other';
			return { kind, jobId: lastSegment(r.path) };
		},
		limit: { max: 10, windowMs: 60_000, refused: (server) => server.provider(CdnVideoFake).rateLimited },
		async seed(server, texts, clock, videosDir, maxPolls) {
			const fake = server.provider(CdnVideoFake);
			const bodies = texts.map((script) => ({ script, actor: { name: 'Natalia', shot: 'waist' }, voice: 'Alena' }));
			return await runCdnVideoSeed({ baseUrl: server.baseUrl, token: fake.staticToken, account: fake.account, bodies, videosDir, clock, maxPolls });
		},
	},
};

export interface RequestCounts {
	/** status checks per job until (and including) the first one that could see the job finished */
	waitingPerJob: number;
	maxWaitingPerJob: number;
	/** further API calls per job after that (result link, a re-read of the status) */
	afterPerJob: number;
}

/** Counts a run's requests per job from the fake's log; a job is finished at createdAt + renderMs. */
export function countRequests(server: FakeServer, key: ProviderKey, jobIds: string[]): RequestCounts {
	const provider = providers[key];
	const clock = server.provider(key).clock as unknown as { get(id: string): { createdAt: number; renderMs: number } | undefined };
	const waiting = new Map<string, number>(jobIds.map((id) => [id, 0]));
	const after = new Map<string, number>(jobIds.map((id) => [id, 0]));
	const seenDone = new Set<string>();
	for (const request of server.requests) {
		const what = provider.classify(request);
		if (!what?.jobId || !waiting.has(what.jobId)) continue;
		const job = clock.get(what.jobId);
		if (!job) continue;
		if (what.kind === 'status' && !seenDone.has(what.jobId)) {
			waiting.set(what.jobId, (waiting.get(what.jobId) ?? 0) + 1);
			if (request.at >= job.createdAt + job.renderMs) seenDone.add(what.jobId);
		} else {
			after.set(what.jobId, (after.get(what.jobId) ?? 0) + 1);
		}
	}
	const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
	return {
		waitingPerJob: sum(waiting) / jobIds.length,
		maxWaitingPerJob: Math.max(...waiting.values()),
		afterPerJob: sum(after) / jobIds.length,
	};
}

/** The item texts: the seed's lines, numbered on. */
export function jobTexts(count: number): string[] {
	return Array.from({ length: count }, (_, i) => `안녕하세요, 저는 ${i + 1}번째 작업입니다.`);
}

export interface NodeBatch extends RequestCounts {
	makespanMs: number;
	completed: number;
	/** the lower bound, and what it is made of */
	physicalMs: number;
	rateWaitMs: number;
	roundTripMs: number;
	firstPollAfterMs: number;
	/** submits the fake answered 429 */
	refusedSubmits: number;
	pollCapSeconds: number | 'default';
}

/**
 * One submit, one status check and one download of a finished file, by a plain client: the I/O no
 * client can avoid on top of the render and the rate limit's wait.
 */
async function minimalRoundTrip(server: FakeServer, key: ProviderKey): Promise<number> {
	const renderMs = server.renderMs;
	server.renderMs = 0;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rtt-'));
	try {
		const started = Date.now();
		await providers[key].seed(server, jobTexts(1), { now: () => Date.now(), sleep: async () => undefined }, scratch, 1);
		return Date.now() - started;
	} finally {
		server.renderMs = renderMs;
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

export async function runNodeBatch(key: ProviderKey, opts: { jobs: number; renderMs: number; pollCapSeconds?: number }): Promise<NodeBatch> {
	const provider = providers[key];
	const server = await startFakeProviders({ renderMs: opts.renderMs });
	try {
		const roundTripMs = await minimalRoundTrip(server, key);
		server.reset();
		server.renderMs = opts.renderMs;
		const texts = jobTexts(opts.jobs);
		const waitOptions: IDataObject = opts.pollCapSeconds ? { pollInterval: opts.pollCapSeconds } : {};
		const started = Date.now();
		const { output } = await runNode({
			node: provider.node(),
			parameters: { ...provider.parameters, waitForCompletion: true, waitOptions },
			items: texts.map((text, i) => ({ json: { text, clothes: SEED_CLOTHES[i % 3] } })),
			credentials: provider.credentials(server),
			continueOnFail: true,
		});
		const makespanMs = Date.now() - started;
		const items = output[0];
		const completed = items.filter((item) => item.json.status === 'completed' && item.binary?.data).length;
		const jobIds = items.map((item) => String(item.json.jobId));
		const rateWaitMs = provider.limit ? Math.floor((opts.jobs - 1) / provider.limit.max) * provider.limit.windowMs : 0;
		const firstPoll = Math.min(...server.requests.filter((r) => provider.classify(r)?.kind === 'status').map((r) => r.at));
		return {
			makespanMs,
			completed,
			physicalMs: rateWaitMs + opts.renderMs + roundTripMs,
			rateWaitMs,
			roundTripMs,
			firstPollAfterMs: firstPoll - started,
			refusedSubmits: provider.limit?.refused(server) ?? 0,
			pollCapSeconds: opts.pollCapSeconds ?? 'default',
			...countRequests(server, key, jobIds),
		};
	} finally {
		await server.stop();
	}
}

export interface SeedBatch extends RequestCounts {
	makespanMs: number;
	/** the same script on the wall clock, for `checkJobs` jobs: per-job time, to check the warp against */
	check?: { jobs: number; perJobMs: number; warpedPerJobMs: number };
}

/**
 * The seed's script on N jobs at the same render time. Its 3 s sleeps run in warped time (skipped,
 * and added to the clock the fake renders by), so N sequential renders cost seconds, not N × render;
 * `checkJobs` jobs are then run on the wall clock to show the warp changes nothing but the wait.
 */
export async function runSeedBatch(key: ProviderKey, opts: { jobs: number; renderMs: number; checkJobs: number }): Promise<SeedBatch> {
	const provider = providers[key];
	const maxPolls = Math.ceil(opts.renderMs / 3000) + 10;
	const videosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-seed-videos-'));
	const server = await startFakeProviders({ renderMs: opts.renderMs });
	try {
		const clock = warpedClock();
		server.now = clock.now;
		const warped = await provider.seed(server, jobTexts(opts.jobs), clock, videosDir, maxPolls);
		const counts = countRequests(server, key, warped.jobIds);
		let check: SeedBatch['check'];
		if (opts.checkJobs > 0) {
			server.reset();
			server.renderMs = opts.renderMs;
			const real = await provider.seed(server, jobTexts(opts.checkJobs), realClock, videosDir, maxPolls);
			check = { jobs: opts.checkJobs, perJobMs: real.makespanMs / opts.checkJobs, warpedPerJobMs: warped.makespanMs / opts.jobs };
		}
		return { makespanMs: warped.makespanMs, check, ...counts };
	} finally {
		await server.stop();
		fs.rmSync(videosDir, { recursive: true, force: true });
	}
}
