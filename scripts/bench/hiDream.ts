/**
 * HiDream rows: status requests per job while 50 text-to-video jobs are followed (batch results
 * against one request per job, as the node asks where HiDream refuses the batch), and the makespan
 * of 20 text-to-video jobs at HiDream's 10 a minute against the physical limit. Unit harness, real
 * HTTP to the fake HiDream (which enforces the 10 a minute with 429s).
 */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { HiDreamApi } from '../../credentials/HiDreamApi.credentials';
import { HiDreamFake, hiDreamV3ResultsPath, hiDreamV3SubmitPath, startFakeProviders, type FakeServer } from '../../test/fakes';
import { runNode } from '../../test/helpers/n8nContext';
import { HiDream } from './nodes';

const credentials = (server: FakeServer) => [
	{ type: new HiDreamApi(), data: { authentication: 'token', token: server.provider(HiDreamFake).staticToken, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' } },
];
const textToVideo = { operation: 'submit', task: 'textToVideo', prompt: '={{ $json.prompt }}' };
const prompts = (n: number) => Array.from({ length: n }, (_, i) => ({ json: { prompt: `A red fox in the snow, take ${i + 1}` } }));

export interface FollowRun {
	jobs: number;
	completed: number;
	statusRequests: number;
	batchRequests: number;
	makespanMs: number;
}

/**
 * `jobs` text-to-video jobs submitted at once (the account's limit raised in the fake and the
 * node, so they are followed together) and waited for; `oneByOne` makes the fake refuse the batch.
 */
export async function followHiDreamJobs(opts: { jobs: number; renderMs: number; oneByOne: boolean }): Promise<FollowRun> {
	const server = await startFakeProviders({ renderMs: opts.renderMs });
	try {
		const fake = server.provider(HiDreamFake);
		fake.generationsPerWindow = 10_000;
		if (opts.oneByOne) fake.batchRefusal = { status: 404 };
		const started = Date.now();
		const { output } = await runNode({
			node: new HiDream(),
			parameters: { ...textToVideo, rateLimit: { maxSubmits: 10_000, windowSeconds: 60 }, waitForCompletion: true, waitOptions: { download: false } },
			items: prompts(opts.jobs),
			credentials: credentials(server),
			continueOnFail: true,
		});
		const status = server.requestsTo('hiDream').filter((r) => r.path.includes('/results'));
		return {
			jobs: opts.jobs,
			completed: output[0].filter((i) => i.json.status === 'completed').length,
			statusRequests: status.length,
			batchRequests: status.filter((r) => r.path.endsWith('/batch')).length,
			makespanMs: Date.now() - started,
		};
	} finally {
		await server.stop();
	}
}

export interface PacedRun {
	jobs: number;
	completed: number;
	makespanMs: number;
	physicalMs: number;
	rateWaitMs: number;
	roundTripMs: number;
	refusedSubmits: number;
}

/** One submit, one status check and one download by a plain client: the I/O no client avoids. */
export async function roundTrip(server: FakeServer): Promise<number> {
	const renderMs = server.renderMs;
	server.renderMs = 0;
	const headers = { Authorization: `Bearer ${server.provider(HiDreamFake).staticToken}` };
	try {
		const started = Date.now();
		const submitted = await axios.post<{ result: { task_id: string } }>(`${server.baseUrl}${hiDreamV3SubmitPath('txt2video')}`, { prompt: 'warm-up', request_id: 'rtt' }, { headers });
		const results = await axios.get<{ result: { sub_task_results: Array<{ video: string }> } }>(`${server.baseUrl}${hiDreamV3ResultsPath('txt2video')}`, {
			headers,
			params: { task_id: submitted.data.result.task_id },
		});
		await axios.get(results.data.result.sub_task_results[0].video, { responseType: 'arraybuffer' });
		return Date.now() - started;
	} finally {
		server.renderMs = renderMs;
	}
}

/** `jobs` text-to-video jobs with the node's defaults (10 a minute), waited for and downloaded. */
export async function pacedHiDreamJobs(opts: { jobs: number; renderMs: number }): Promise<PacedRun> {
	const server = await startFakeProviders({ renderMs: opts.renderMs });
	try {
		const roundTripMs = await roundTrip(server);
		server.reset();
		server.renderMs = opts.renderMs;
		const started = Date.now();
		const { output } = await runNode({
			node: new HiDream(),
			parameters: { ...textToVideo, waitForCompletion: true } as IDataObject,
			items: prompts(opts.jobs),
			credentials: credentials(server),
			continueOnFail: true,
		});
		const makespanMs = Date.now() - started;
		// 10 a minute: the last job cannot start before floor((n − 1) / 10) minutes have passed
		const rateWaitMs = Math.floor((opts.jobs - 1) / 10) * 60_000;
		return {
			jobs: opts.jobs,
			completed: output[0].filter((i) => i.json.status === 'completed' && i.binary?.data).length,
			makespanMs,
			physicalMs: rateWaitMs + opts.renderMs + roundTripMs,
			rateWaitMs,
			roundTripMs,
			refusedSubmits: server.provider(HiDreamFake).rateLimited,
		};
	} finally {
		await server.stop();
	}
}
