/**
 * One adapter per landed node: how to run each of its operations against the shared fake server,
 * which request of the operation a fault is aimed at, and what a correct result looks like. The
 * fault, bad-input, secret and token suites are tables over these adapters.
 */
import type { ICredentialType, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { CdnVideoApi } from '../../credentials/CdnVideoApi.credentials';
import { HiDreamApi } from '../../credentials/HiDreamApi.credentials';
import { KvidApi } from '../../credentials/KvidApi.credentials';
import { AiStudios } from '../../nodes/AiStudios/AiStudios.node';
import { CdnVideo } from '../../nodes/CdnVideo/CdnVideo.node';
import { HiDream } from '../../nodes/HiDream/HiDream.node';
import { Kvid } from '../../nodes/Kvid/Kvid.node';
import type { ProviderName } from '../../nodes/shared/jobContract';
import { AiStudiosFake, CdnVideoFake, HiDreamFake, KvidFake, KvidGenerationFake, videoBytes, type FakeServer } from '../fakes';
import type { CredentialEntry } from '../helpers/n8nContext';

export type OperationKind =
	/** starts a paid job: never sent twice unless the provider certainly refused it (429) */
	| 'create'
	/** submit with Wait for Completion: create, then polls and the download */
	| 'wait'
	/** reads (and idempotent changes) of an existing job or the account: retried */
	| 'read';

/** The request of an operation a fault is aimed at. */
export interface Target {
	method: string;
	path: RegExp;
}

export interface Operation {
	/** the operation's `operation` value, or `submit+wait` */
	name: string;
	kind: OperationKind;
	/** whether the operation works on an existing job, and in which state */
	job: 'none' | 'done' | 'running';
	target: Target;
	params(job?: IDataObject): IDataObject;
	/** throws unless the output is the correct result for `job` (undefined for create/wait) */
	verify(server: FakeServer, items: INodeExecutionData[], job?: IDataObject): void;
}

/** A node, or (kvid) one API of a node: the fake provider's name, and the table's column. */
export type AdapterName = ProviderName | 'kvidGeneration';

export interface Adapter {
	provider: AdapterName;
	/** the adapter's name in test titles and tables where one node speaks two APIs (AI Studios v2 / v3); default `provider` */
	column?: string;
	displayName: string;
	node(): INodeType;
	credentialType: ICredentialType;
	/** the credential the fault matrix uses */
	credentials(server: FakeServer): CredentialEntry[];
	submitParams: IDataObject;
	/** the parameters that name an existing job (kvid also needs its mode) */
	jobParams(job: IDataObject): IDataObject;
	paths: { submit: RegExp; status: RegExp; result: RegExp };
	/** how long a 429 without Retry-After is waited out at least */
	rateLimitWaitMs: number;
	acceptedSubmits(server: FakeServer): number;
	lastJobId(server: FakeServer): string | undefined;
	operations: Operation[];
	/** a provider body that refuses the request with `message` on HTTP 200 (its own failure form) */
	refusalBody(message: string): IDataObject;
}

const expectEqual = (actual: unknown, expected: unknown, what: string) => {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
};

/** The bytes the file server holds for a video URL, so a download is compared byte for byte. */
export function bytesBehind(server: FakeServer, videoUrl: string): Buffer {
	const fileId = decodeURIComponent(videoUrl.split('/').pop()!.replace(/\.mp4$/, ''));
	return videoBytes(fileId, server.fileSizeOf(fileId));
}

export function expectVideo(server: FakeServer, item: INodeExecutionData, what: string): void {
	const url = item.json.videoUrl;
	if (typeof url !== 'string') throw new Error(`${what}: no videoUrl in ${JSON.stringify(item.json)}`);
	const binary = item.binary?.data;
	if (!binary) throw new Error(`${what}: no binary video`);
	const got = Buffer.from(binary.data, 'base64');
	const want = bytesBehind(server, url);
	if (!got.equals(want)) throw new Error(`${what}: the video is ${got.length} bytes, not the ${want.length} bytes served`);
	expectEqual(binary.mimeType, 'video/mp4', `${what} mimeType`);
}

/** submit, getStatus, getResult and submit+wait, shared by all four nodes. */
function jobOperations(adapter: Omit<Adapter, 'operations'>): Operation[] {
	const single = (items: INodeExecutionData[], what: string) => {
		if (items.length !== 1) throw new Error(`${what}: expected one item, got ${items.length}`);
		return items[0];
	};
	return [
		{
			name: 'submit',
			kind: 'create',
			job: 'none',
			target: { method: 'POST', path: adapter.paths.submit },
			params: () => adapter.submitParams,
			verify: (server, items) => {
				const item = single(items, 'submit');
				expectEqual(item.json.jobId, adapter.lastJobId(server), 'submit jobId');
				expectEqual(item.json.status, 'queued', 'submit status');
			},
		},
		{
			name: 'getStatus',
			kind: 'read',
			job: 'done',
			target: { method: 'GET', path: adapter.paths.status },
			params: (job) => ({ operation: 'getStatus', ...adapter.jobParams(job!) }),
			verify: (_server, items, job) => {
				const item = single(items, 'getStatus');
				expectEqual([item.json.jobId, item.json.status], [job!.jobId, 'completed'], 'getStatus');
			},
		},
		{
			name: 'getResult',
			kind: 'read',
			job: 'done',
			target: { method: 'GET', path: adapter.paths.result },
			params: (job) => ({ operation: 'getResult', ...adapter.jobParams(job!) }),
			verify: (server, items, job) => {
				const item = single(items, 'getResult');
				expectEqual([item.json.jobId, item.json.status], [job!.jobId, 'completed'], 'getResult');
				expectVideo(server, item, 'getResult');
			},
		},
		{
			name: 'submit+wait',
			kind: 'wait',
			job: 'none',
			// the fault hits the first status check of the wait (the submit has its own row)
			target: { method: 'GET', path: adapter.paths.status },
			params: () => ({ ...adapter.submitParams, waitForCompletion: true, waitOptions: { pollInterval: 5, timeout: 900 } }),
			verify: (server, items) => {
				const item = single(items, 'submit+wait');
				expectEqual([item.json.jobId, item.json.status], [adapter.lastJobId(server), 'completed'], 'submit+wait');
				expectVideo(server, item, 'submit+wait');
			},
		},
	];
}

function withOperations(adapter: Omit<Adapter, 'operations'>, extra: (a: Omit<Adapter, 'operations'>) => Operation[] = () => []): Adapter {
	return { ...adapter, operations: [...jobOperations(adapter), ...extra(adapter)] };
}

export const aiStudios: Adapter = withOperations({
	provider: 'aiStudios',
	displayName: 'AI Studios',
	node: () => new AiStudios(),
	credentialType: new AiStudiosApi(),
	credentials: (server) => [{ type: new AiStudiosApi(), data: { apiKey: server.provider(AiStudiosFake).apiKey, baseUrl: server.baseUrl } }],
	submitParams: { operation: 'submit', language: 'en', text: 'Hello from the reliability suite.', model: 'M000004017', clothes: 'BG00006160' },
	jobParams: (job) => ({ jobId: job.jobId }),
	paths: { submit: /^\/api\/odin\/simple\/video$/, status: /^\/api\/odin\/editor\/progress\//, result: /^\/api\/odin\/editor\/progress\// },
	// AI Studios documents no limit: a 429 without Retry-After is backed off from 2 s
	rateLimitWaitMs: 2_000,
	acceptedSubmits: (server) => server.provider(AiStudiosFake).acceptedSubmits,
	lastJobId: (server) => server.provider(AiStudiosFake).lastJobId,
	refusalBody: (message) => ({ success: false, msg: message }),
});

/** AI Studios API v3 (the node's `apiVersion: v3`), with a token saved in the credential: the exchange has its own suite (tokens.test.ts). */
export const aiStudiosV3: Adapter = withOperations(
	{
		provider: 'aiStudios',
		column: 'aiStudios v3',
		displayName: 'AI Studios',
		node: () => new AiStudios(),
		credentialType: new AiStudiosApi(),
		credentials: (server) => {
			const v3 = server.provider(AiStudiosFake).v3;
			const sessionExpiresAt = Date.now() + 30 * 24 * 3600_000;
			return [{ type: new AiStudiosApi(), data: { appId: v3.appId, userKey: v3.userKey, baseUrl: server.baseUrl, sessionToken: v3.issueToken(), sessionExpiresAt } }];
		},
		submitParams: { operation: 'submit', apiVersion: 'v3', language: 'en', text: 'Hello from the reliability suite.', model: 'M000004017', clothes: 'BG00006160' },
		jobParams: (job) => ({ apiVersion: 'v3', jobId: job.jobId }),
		paths: { submit: /^\/api\/odin\/v3\/simple\/video$/, status: /^\/api\/odin\/v3\/editor\/progress\//, result: /^\/api\/odin\/v3\/editor\/progress\// },
		rateLimitWaitMs: 2_000,
		acceptedSubmits: (server) => server.provider(AiStudiosFake).acceptedSubmits,
		lastJobId: (server) => server.provider(AiStudiosFake).lastJobId,
		refusalBody: (message) => ({ success: false, data: null, error: { code: 'INVALID_PARAMETER', msg: message } }),
	},
	() => {
		const project = (server: FakeServer, job: IDataObject) => server.provider(AiStudiosFake).jobs.get(job.jobId as string)!;
		return [
			{
				name: 'getAll',
				kind: 'read',
				job: 'done',
				target: { method: 'GET', path: /^\/api\/odin\/v3\/editor\/project$/ },
				params: () => ({ operation: 'getAll', apiVersion: 'v3', returnAll: true }),
				verify: (_server, items, job) => expectEqual(items.map((i) => i.json.jobId), [job!.jobId], 'getAll'),
			},
			{
				name: 'delete',
				kind: 'read',
				job: 'done',
				target: { method: 'DELETE', path: /^\/api\/odin\/v3\/editor\/project$/ },
				params: (job) => ({ operation: 'delete', apiVersion: 'v3', jobId: job!.jobId }),
				verify: (server, items, job) => {
					expectEqual(items[0].json, { jobId: job!.jobId, success: true }, 'delete');
					expectEqual(project(server, job!).v3?.deleted, true, 'the project is deleted at the provider');
				},
			},
		];
	},
);

export const cdnVideo: Adapter = withOperations(
	{
		provider: 'cdnVideo',
		displayName: 'CDNvideo',
		node: () => new CdnVideo(),
		credentialType: new CdnVideoApi(),
		credentials: (server) => {
			const fake = server.provider(CdnVideoFake);
			return [{ type: new CdnVideoApi(), data: { account: fake.account, authentication: 'token', token: fake.staticToken, baseUrl: server.baseUrl } }];
		},
		submitParams: { operation: 'submit', script: 'Hello from the reliability suite.', actorName: 'Natalia', voice: 'Alena' },
		jobParams: (job) => ({ jobId: job.jobId }),
		paths: { submit: /\/generate$/, status: /\/status\/[^/]+$/, result: /\/video\/[^/]+$/ },
		rateLimitWaitMs: 60_000,
		acceptedSubmits: (server) => server.provider(CdnVideoFake).acceptedSubmits,
		lastJobId: (server) => server.provider(CdnVideoFake).lastJobId,
		refusalBody: (message) => ({ status: 'ERROR', message }),
	},
	() => {
		const fakeJob = (server: FakeServer, job: IDataObject) => server.provider(CdnVideoFake).jobs.get(job.jobId as string)!;
		return [
			{
				name: 'cancel',
				kind: 'read',
				job: 'running',
				target: { method: 'DELETE', path: /\/cancel\/[^/]+$/ },
				params: (job) => ({ operation: 'cancel', jobId: job!.jobId }),
				verify: (server, items, job) => {
					expectEqual([items[0].json.jobId, items[0].json.status], [job!.jobId, 'canceled'], 'cancel');
					expectEqual(fakeJob(server, job!).canceledAt !== undefined, true, 'the job is canceled at the provider');
				},
			},
			{
				name: 'getAll',
				kind: 'read',
				job: 'done',
				target: { method: 'GET', path: /\/tasks$/ },
				params: () => ({ operation: 'getAll', returnAll: true }),
				verify: (_server, items, job) => expectEqual(items.map((i) => i.json.jobId), [job!.jobId], 'getAll'),
			},
			{
				name: 'rename',
				kind: 'read',
				job: 'done',
				target: { method: 'PATCH', path: /\/video\/[^/]+$/ },
				params: (job) => ({ operation: 'rename', jobId: job!.jobId, videoName: 'Renamed under fault' }),
				verify: (server, items, job) => {
					expectEqual(items[0].json, { jobId: job!.jobId, success: true }, 'rename');
					expectEqual(fakeJob(server, job!).name, 'Renamed under fault', 'the name at the provider');
				},
			},
			{
				name: 'delete',
				kind: 'read',
				job: 'done',
				target: { method: 'DELETE', path: /\/video\/[^/]+$/ },
				params: (job) => ({ operation: 'delete', jobId: job!.jobId }),
				verify: (server, items, job) => {
					expectEqual(items[0].json, { jobId: job!.jobId, success: true }, 'delete');
					expectEqual(fakeJob(server, job!).deleted, true, 'the video is deleted at the provider');
				},
			},
			{
				name: 'getConfigurations',
				kind: 'read',
				job: 'none',
				target: { method: 'GET', path: /\/configurations$/ },
				params: () => ({ operation: 'getConfigurations' }),
				verify: (_server, items) => expectEqual(Object.keys((items[0].json.models as IDataObject) ?? {}), ['Natalia'], 'getConfigurations'),
			},
		];
	},
);

const hiDreamBase = {
	provider: 'hiDream' as const,
	displayName: 'HiDream',
	node: () => new HiDream(),
	credentialType: new HiDreamApi(),
	credentials: (server: FakeServer) => [
		{ type: new HiDreamApi(), data: { authentication: 'token', token: server.provider(HiDreamFake).staticToken, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '' } },
	],
	rateLimitWaitMs: 60_000,
	acceptedSubmits: (server: FakeServer) => server.provider(HiDreamFake).acceptedSubmits,
	lastJobId: (server: FakeServer) => server.provider(HiDreamFake).lastJobId,
	refusalBody: (message: string) => ({ code: 1001, message, result: {} }),
};

export const hiDream: Adapter = withOperations({
	...hiDreamBase,
	submitParams: {
		operation: 'submit',
		style: 'ink_wash',
		videoSource: 'url',
		videoUrl: 'https://media.example.com/clip.mp4',
		rateLimit: { maxSubmits: 1000, windowSeconds: 1 },
	},
	jobParams: (job) => ({ jobId: job.jobId }),
	paths: { submit: /\/video_edit\/async$/, status: /\/video_edit\/async\/results$/, result: /\/video_edit\/async\/results$/ },
});

/** HiDream's v3 text-to-video: its own endpoints, its task carried with the job. */
export const hiDreamTextToVideo: Adapter = withOperations({
	...hiDreamBase,
	column: 'hiDream t2v',
	submitParams: { operation: 'submit', task: 'textToVideo', prompt: 'A red fox runs through fresh snow', rateLimit: { maxSubmits: 1000, windowSeconds: 1 } },
	jobParams: (job) => ({ jobId: job.jobId, task: job.task }),
	paths: { submit: /\/v3\/video\/txt2video\/async$/, status: /\/v3\/video\/txt2video\/async\/results$/, result: /\/v3\/video\/txt2video\/async\/results$/ },
});

/** HiDream's v3 image-to-video. */
export const hiDreamImageToVideo: Adapter = withOperations({
	...hiDreamBase,
	column: 'hiDream i2v',
	submitParams: { operation: 'submit', task: 'imageToVideo', imageSource: 'url', imageUrl: 'https://media.example.com/fox.jpg', rateLimit: { maxSubmits: 1000, windowSeconds: 1 } },
	jobParams: (job) => ({ jobId: job.jobId, task: job.task }),
	paths: { submit: /\/v3\/video\/img2video\/async$/, status: /\/v3\/video\/img2video\/async\/results$/, result: /\/v3\/video\/img2video\/async\/results$/ },
});

export const kvid: Adapter = withOperations({
	provider: 'kvid',
	displayName: 'kvid',
	node: () => new Kvid(),
	credentialType: new KvidApi(),
	credentials: (server) => [{ type: new KvidApi(), data: { apiKey: server.provider(KvidFake).apiKey, baseUrl: server.baseUrl } }],
	submitParams: { operation: 'submit', mode: 'textToVideo', model: 'wan', prompt: 'A waterfall flowing down a mountain' },
	jobParams: (job) => ({ jobId: job.jobId, mode: job.mode }),
	paths: { submit: /\/generate$/, status: /\/status$/, result: /\/result$/ },
	// CONCURRENT_LIMIT without Retry-After: a slot frees only when a render ends
	rateLimitWaitMs: 15_000,
	acceptedSubmits: (server) => server.provider(KvidFake).acceptedSubmits,
	lastJobId: (server) => server.provider(KvidFake).lastJob?.id,
	refusalBody: (message) => ({ success: false, error: 'INVALID_PARAMETERS', message }),
});

/** kvid's generation API (/ai/generation/…), chosen explicitly so the same table runs it. */
export const kvidGeneration: Adapter = withOperations({
	provider: 'kvidGeneration',
	displayName: 'kvid',
	node: () => new Kvid(),
	credentialType: new KvidApi(),
	credentials: (server) => [
		{ type: new KvidApi(), data: { apiKey: server.provider(KvidGenerationFake).apiKey, creditPool: 'productCode', creditPoolValue: 'SANDBOX', baseUrl: server.baseUrl } },
	],
	submitParams: { operation: 'submit', apiVersion: 'generation', mode: 'textToVideo', model: 'veo3.1', prompt: 'A beautiful sunset over the ocean' },
	jobParams: (job) => ({ apiVersion: 'generation', jobId: job.jobId }),
	paths: { submit: /\/generate-async$/, status: /^\/ai\/generation\/status$/, result: /^\/ai\/generation\/result$/ },
	rateLimitWaitMs: 15_000,
	acceptedSubmits: (server) => server.provider(KvidGenerationFake).acceptedSubmits,
	lastJobId: (server) => server.provider(KvidGenerationFake).lastJob?.id,
	refusalBody: (message) => ({ success: false, error: 'INVALID_PARAMETERS', message }),
});

export const ADAPTERS: Adapter[] = [aiStudios, aiStudiosV3, cdnVideo, hiDream, hiDreamTextToVideo, hiDreamImageToVideo, kvid, kvidGeneration];

/** The adapter's name in titles and tables. */
export const columnOf = (adapter: Adapter) => adapter.column ?? adapter.provider;

/** Prepares the fakes for a table run: limits that would otherwise interfere with many short runs. */
export function relaxLimits(server: FakeServer): void {
	server.provider(HiDreamFake).stylizationsPerWindow = 1000;
	server.provider(HiDreamFake).generationsPerWindow = 1000;
	server.provider(CdnVideoFake).generatePerMinute = 1000;
	server.provider(KvidFake).concurrentLimit = 1000;
	server.provider(KvidGenerationFake).concurrentLimit = 1000;
}
