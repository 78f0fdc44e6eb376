import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { CdnVideoApi } from '../../credentials/CdnVideoApi.credentials';
import { CdnVideo } from '../../nodes/CdnVideo/CdnVideo.node';
import { toJobStatus } from '../../nodes/CdnVideo/job';
import { CdnVideoFake, FILES, startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import { until } from '../helpers/clock';
import { CredentialStore, loadOptions, runNode, testCredential, type RunOptions } from '../helpers/n8nContext';

const PASSWORD = 'sandbox-pass';
const TOKEN = 'cdn2_statictoken_sandbox';

let server: FakeServer;
let fake: CdnVideoFake;

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(CdnVideoFake);
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

const credentialType = new CdnVideoApi();

function tokenCredentials(data: IDataObject = {}) {
	return [{ type: credentialType, data: { account: 'testaccount', authentication: 'token', token: TOKEN, baseUrl: server.baseUrl, ...data } }];
}
function passwordCredentials(data: IDataObject = {}) {
	return [
		{
			type: credentialType,
			data: { account: 'testaccount', authentication: 'password', username: 'sandbox-user', password: PASSWORD, baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '', ...data },
		},
	];
}

const submitParams: IDataObject = {
	operation: 'submit',
	script: 'Hello from the test.',
	actorName: 'Natalia',
	voice: 'Alena',
};

function options(parameters: IDataObject, extra: Partial<RunOptions> = {}): RunOptions {
	return { node: new CdnVideo(), parameters, credentials: tokenCredentials(), ...extra };
}

async function run(parameters: IDataObject, extra: Partial<RunOptions> = {}, store?: CredentialStore) {
	return await runNode(options(parameters, extra), store);
}

const json = (items: INodeExecutionData[][]) => items[0].map((i) => i.json);
const apiRequests = (method?: string, path?: string | RegExp) => server.requestsTo('cdnVideo', method, path);

async function submitOne(params: IDataObject = {}) {
	const { output } = await run({ ...submitParams, ...params });
	return output[0][0].json.jobId as string;
}

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string; httpCode?: string; context?: IDataObject }> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

describe('CDNvideo submit', () => {
	it('sends the generate body built from the parameters and returns the job contract', async () => {
		const { output } = await run({
			...submitParams,
			actorVersion: '4.0.0',
			actorStyle: 'dressshirt',
			actorSize: 'HD',
			voice: 'Sara',
			background: 'globe',
			videoName: 'Quarterly update',
		});
		const [item] = output[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ provider: 'cdnVideo', status: 'queued', progress: null, videoUrl: null, error: null, videoName: 'Quarterly update' });
		expect(item.json.jobId).toBe(fake.lastJobId);
		expect((item.json.raw as IDataObject).status).toBe('ok');

		const [request] = apiRequests('POST', /\/generate$/);
		expect(request.path).toBe('/app/th-api/v1/accounts/testaccount/generate');
		expect(request.headers['cdn-auth-token']).toBe(TOKEN);
		expect(request.body).toEqual({
			script: 'Hello from the test.',
			actor: { name: 'Natalia', version: '4.0.0', shot: 'waist', style: 'dressshirt', size: 'HD' },
			voice: 'Sara',
			background: 'globe',
			video_name: 'Quarterly update',
		});
		expect(fake.acceptedSubmits).toBe(1);
	});

	it('uses the documented defaults: version latest, shot waist, background green_screen', async () => {
		await submitOne();
		expect(apiRequests('POST')[0].body).toEqual({
			script: 'Hello from the test.',
			actor: { name: 'Natalia', version: 'latest', shot: 'waist' },
			voice: 'Alena',
			background: 'green_screen',
		});
	});

	it('sends a rectangle composition', async () => {
		await submitOne({ composition: { orientation: 'vertical', frameStyle: 'rectangle', scale: 0.5, crop: 1, shift: -1 } });
		expect(apiRequests('POST')[0].body).toMatchObject({ composition: { orientation: 'vertical', frame_style: 'rectangle', scale: 0.5, crop: 1, shift: -1 } });
		expect((apiRequests('POST')[0].body as IDataObject).circle).toBeUndefined();
	});

	it('sends a circle frame with its corner and colours', async () => {
		await submitOne({ emotion: 'good', composition: { orientation: 'horizontal', frameStyle: 'circle', location: 'lowerright', backgroundColor: '#112233', borderColor: '#abcdef' } });
		expect(apiRequests('POST')[0].body).toMatchObject({
			emotion: 'good',
			composition: { orientation: 'horizontal', frame_style: 'circle' },
			circle: { location: 'lowerright', background_color: '#112233', border_color: '#abcdef' },
		});
	});

	it('surfaces the provider message of a 422 and names the HTTP status', async () => {
		const error = await failure(run({ ...submitParams, voice: 'Nobody' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('CDNvideo answered HTTP 422');
		expect(error.message).toMatch(/invalid parameters|voice/);
		expect(fake.acceptedSubmits).toBe(0);
	});

	it('never repeats a submit answered 500: the error says so', async () => {
		server.inject({ provider: 'cdnVideo', method: 'POST', path: /generate/, status: 500, body: '<html>oops</html>' });
		const error = await failure(run(submitParams));
		expect(error.message).toContain('HTTP 500');
		expect(error.description).toMatch(/not repeated/);
		expect(apiRequests('POST')).toHaveLength(1);
	});

	it('waits out a 429 (Retry-After) and creates exactly one job', async () => {
		server.inject({ provider: 'cdnVideo', method: 'POST', path: /generate/, status: 429, headers: { 'Retry-After': '1' }, body: { status: 'ERROR', message: 'too many requests' } });
		const started = Date.now();
		const { output } = await run(submitParams);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(apiRequests('POST')).toHaveLength(2);
		expect(fake.acceptedSubmits).toBe(1);
		expect(output[0][0].json.jobId).toBe(fake.lastJobId);
	});

	it('paces its own submits to the rate limit within an execution', async () => {
		const items = Array.from({ length: 5 }, (_, i) => ({ json: { line: `Line ${i}` } }));
		const started = Date.now();
		const { output } = await run({ ...submitParams, script: '={{ $json.line }}', rateLimit: { maxSubmits: 2, windowSeconds: 1 } }, { items });
		const posts = apiRequests('POST');
		expect(posts.map((p) => (p.body as IDataObject).script)).toEqual(['Line 0', 'Line 1', 'Line 2', 'Line 3', 'Line 4']);
		// at most 2 in any 1-second window: the 3rd goes ≥1 s after the 1st, the 5th ≥1 s after the 3rd
		// (arrival times at the fake: a little slack for the first request's connection set-up)
		expect(posts[1].at - posts[0].at).toBeLessThan(500);
		expect(posts[2].at - posts[0].at).toBeGreaterThanOrEqual(900);
		expect(posts[4].at - posts[2].at).toBeGreaterThanOrEqual(900);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(new Set(json(output).map((j) => j.jobId)).size).toBe(5);
		expect(fake.acceptedSubmits).toBe(5);
	});
});

describe('CDNvideo input validation (no request sent)', () => {
	const cases: Array<[string, IDataObject, RegExp]> = [
		['empty script', { script: '   ' }, /"script" is required/],
		['script over 3000 characters', { script: 'a'.repeat(3001) }, /"script" is 3001 characters long.*at most 3000/],
		['missing actor', { actorName: '' }, /"actorName" is required/],
		['missing voice', { voice: '' }, /"voice" is required/],
		['video name over 35 characters', { videoName: 'x'.repeat(36) }, /"videoName" is 36 characters long.*at most 35/],
		['unknown actor size', { actorSize: '8K' }, /"actorSize" must be one of/],
		['composition without orientation', { composition: { scale: 0.5 } }, /"composition.orientation" is required/],
		['bad orientation', { composition: { orientation: 'diagonal' } }, /"composition.orientation" must be one of/],
		['bad frame style', { composition: { orientation: 'vertical', frameStyle: 'hexagon' } }, /"composition.frameStyle" must be one of/],
		['scale 0', { composition: { orientation: 'vertical', scale: 0 } }, /"composition.scale" must be in \(0, 1\]/],
		['scale over 1', { composition: { orientation: 'vertical', scale: 1.01 } }, /"composition.scale" must be in \(0, 1\]/],
		['crop 0', { composition: { orientation: 'vertical', crop: 0 } }, /"composition.crop" must be in \(0, 1\]/],
		['crop over 1', { composition: { orientation: 'vertical', crop: 1.5 } }, /"composition.crop"/],
		['shift below -1', { composition: { orientation: 'vertical', shift: -1.01 } }, /"composition.shift" must be in \[-1, 1\]/],
		['shift over 1', { composition: { orientation: 'vertical', shift: 1.01 } }, /"composition.shift" must be in \[-1, 1\]/],
		['bad corner', { composition: { orientation: 'vertical', frameStyle: 'circle', location: 'middle' } }, /"composition.location" must be one of/],
		['colour without #', { composition: { orientation: 'vertical', frameStyle: 'circle', backgroundColor: 'FFFFFF' } }, /"composition.backgroundColor" must be a hex colour/],
		['short colour', { composition: { orientation: 'vertical', frameStyle: 'circle', borderColor: '#FFF' } }, /"composition.borderColor" must be a hex colour/],
		['colour name', { composition: { orientation: 'vertical', frameStyle: 'circle', borderColor: 'red' } }, /"composition.borderColor"/],
		['circle setting on a rectangle', { composition: { orientation: 'vertical', location: 'upperleft' } }, /"composition.location" applies only to frame style "circle"/],
		['rectangle setting on a circle', { composition: { orientation: 'vertical', frameStyle: 'circle', scale: 0.5 } }, /"composition.scale" applies only to frame style "rectangle"/],
	];

	it.each(cases)('%s', async (_, params, message) => {
		const error = await failure(run({ ...submitParams, ...params }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(server.requests).toHaveLength(0);
	});

	it('accepts the edges: 3000 characters, a 35-character name, scale and crop 1, shift ±1', async () => {
		await submitOne({ script: 'é'.repeat(3000), videoName: 'n'.repeat(35), composition: { orientation: 'vertical', scale: 1, crop: 1, shift: 1 } });
		await submitOne({ composition: { orientation: 'vertical', scale: 0.01, shift: -1 } });
		expect(fake.acceptedSubmits).toBe(2);
	});

	const badIds = ['', ' ', 'a b', '../x', 'a/b', 'a\\b', 'a?b', 'a#b', '50%', '.', '..', 'x'.repeat(201)];
	it.each(badIds)('rejects the jobId %j for getStatus, getResult, cancel, rename and delete', async (jobId) => {
		for (const operation of ['getStatus', 'getResult', 'cancel', 'rename', 'delete']) {
			const error = await failure(run({ operation, jobId, videoName: 'x' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/^Parameter "jobId"/);
		}
		expect(server.requests).toHaveLength(0);
	});

	it('rejects a rename to more than 35 characters', async () => {
		const error = await failure(run({ operation: 'rename', jobId: 'abc', videoName: 'y'.repeat(36) }));
		expect(error.message).toMatch(/"videoName" is 36 characters long/);
		expect(server.requests).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item becomes an error item and the others still run', async () => {
		const items = [{ json: { s: 'one' } }, { json: { s: '' } }, { json: { s: 'three' } }];
		const { output } = await run({ ...submitParams, script: '={{ $json.s }}' }, { items, continueOnFail: true });
		expect(output[0]).toHaveLength(3);
		expect(output[0][1].json.error).toMatch(/"script" is required/);
		expect(output[0][1].pairedItem).toEqual({ item: 1 });
		expect(output[0][2].json.status).toBe('queued');
		expect(fake.acceptedSubmits).toBe(2);
	});
});

describe('CDNvideo getStatus', () => {
	it.each([
		['in_queue', 'queued'],
		['IN_QUEUE', 'queued'],
		['processing', 'processing'],
		['PROCESSING', 'processing'],
		['processed', 'completed'],
		['Processed', 'completed'],
		['canceled', 'canceled'],
		['CANCELED', 'canceled'],
		['error', 'failed'],
		['FAILED', 'failed'],
	])('maps the task status %s to %s', async (word, status) => {
		server.renderMs = 60_000;
		const jobId = await submitOne();
		fake.forceStatusWord(jobId, word);
		const { output } = await run({ operation: 'getStatus' }, { items: [{ json: { jobId } }] });
		const out = output[0][0].json;
		expect(out).toMatchObject({ provider: 'cdnVideo', jobId, status });
		expect(out.progress).toBe(status === 'completed' ? 100 : null);
		expect(out.error === null).toBe(status !== 'failed');
		expect(apiRequests('GET', /\/status\//)[0].path).toBe(`/app/th-api/v1/accounts/testaccount/status/${jobId}`);
	});

	it('routes items to Completed, Failed and Running outputs when asked', async () => {
		server.renderMs = 60_000;
		const running = await submitOne();
		const failedId = await submitOne();
		fake.forceStatusWord(failedId, 'failed');
		const canceled = await submitOne();
		server.cancelJob('cdnVideo', canceled);
		server.renderMs = 0;
		const done = await submitOne();
		const items = [running, failedId, canceled, done, 'unknown-job'].map((jobId) => ({ json: { jobId } }));
		const { output } = await run({ operation: 'getStatus', routeByStatus: true }, { items, continueOnFail: true });
		expect(output).toHaveLength(3);
		expect(output[0].map((i) => i.json.jobId)).toEqual([done]);
		expect(output[1].map((i) => [i.json.jobId, i.json.status ?? 'error'])).toEqual([
			[failedId, 'failed'],
			[canceled, 'canceled'],
			['unknown-job', 'error'],
		]);
		expect(output[2].map((i) => i.json.jobId)).toEqual([running]);
		expect(output[2][0].pairedItem).toEqual({ item: 0 });
	});

	it('maps words in the toJobStatus table case-insensitively, and unknown words to failed', () => {
		expect(['in_queue', 'In_Queue', 'processing', 'processed', 'PROCESSED', 'canceled', 'Canceled', 'weird', ''].map(toJobStatus)).toEqual([
			'queued',
			'queued',
			'processing',
			'completed',
			'completed',
			'canceled',
			'canceled',
			'failed',
			'failed',
		]);
	});

	it('follows a job from queued to completed, reading the jobId of the previous item by default', async () => {
		server.renderMs = 600_000;
		const jobId = await submitOne();
		const first = await run({ operation: 'getStatus' }, { items: [{ json: { jobId } }] });
		expect(['queued', 'processing']).toContain(first.output[0][0].json.status);
		server.now = () => Date.now() + 600_000;
		const later = await run({ operation: 'getStatus' }, { items: [{ json: { jobId } }] });
		expect(later.output[0][0].json.status).toBe('completed');
	});

	it('reports a failed render as data, with the provider message', async () => {
		server.failNextJob('cdnVideo', 'voice synthesis failed');
		const jobId = await submitOne();
		const { output } = await run({ operation: 'getStatus', jobId });
		expect(output[0][0].json).toMatchObject({ status: 'failed', error: 'voice synthesis failed' });
	});

	it('an unknown job is an error naming the provider message, the status and the job', async () => {
		const error = await failure(run({ operation: 'getStatus', jobId: 'no-such-task' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('CDNvideo answered HTTP 404 (job no-such-task): no such task');
		expect(error.httpCode).toBe('404');
	});

	it('retries a read after 503 and a connection reset, then succeeds', async () => {
		const jobId = await submitOne();
		server.inject({ provider: 'cdnVideo', method: 'GET', path: /status/, status: 503, body: '<html>busy</html>' });
		server.inject({ provider: 'cdnVideo', method: 'GET', path: /status/, kind: 'reset' });
		const { output } = await run({ operation: 'getStatus', jobId });
		expect(output[0][0].json.status).toBe('completed');
		expect(apiRequests('GET', /status/)).toHaveLength(3);
	});
});

describe('CDNvideo getResult', () => {
	it('returns the link and the video as binary, byte for byte, with no credential sent to the file host', async () => {
		const jobId = await submitOne();
		const { output } = await run({ operation: 'getResult' }, { items: [{ json: { jobId } }] });
		const item = output[0][0];
		expect(item.json).toMatchObject({ provider: 'cdnVideo', jobId, status: 'completed', progress: 100 });
		expect(item.json.videoUrl).toBe(server.fileUrl('cdnVideo', jobId));
		const binary = item.binary!.data;
		expect(binary.mimeType).toBe('video/mp4');
		expect(binary.fileName).toBe(`${jobId}.mp4`);
		expect(Buffer.from(binary.data, 'base64').equals(videoBytes(jobId, server.fileSize))).toBe(true);
		const [download] = server.requestsTo(FILES);
		expect(download.headers['cdn-auth-token']).toBeUndefined();
		expect(JSON.stringify(download.headers)).not.toContain(TOKEN);
	});

	it('puts the file in the chosen binary property, or skips the download', async () => {
		const jobId = await submitOne();
		const named = await run({ operation: 'getResult', jobId, binaryPropertyName: 'video' });
		expect(Object.keys(named.output[0][0].binary!)).toEqual(['video']);
		const noDownload = await run({ operation: 'getResult', jobId, download: false });
		expect(noDownload.output[0][0].binary).toBeUndefined();
		expect(server.requestsTo(FILES)).toHaveLength(1);
	});

	it('stores a large file through n8n’s filesystem mode with the right size', async () => {
		server.fileSize = 5 * 1024 * 1024;
		const jobId = await submitOne();
		const { output } = await run({ operation: 'getResult', jobId }, { binaryMode: 'filesystem' });
		expect(output[0][0].binary!.data.bytes).toBe(5 * 1024 * 1024);
	});

	it('a job still rendering is an error that names the job and says what to do', async () => {
		server.renderMs = 60_000;
		const jobId = await submitOne();
		const error = await failure(run({ operation: 'getResult', jobId }));
		expect(error.message).toMatch(new RegExp(`Job ${jobId} is not finished yet \\(status: (queued|processing)\\)`));
		expect(error.context?.jobId).toBe(jobId);
	});

	it('a canceled job is reported as data, not downloaded', async () => {
		server.renderMs = 60_000;
		const jobId = await submitOne();
		server.cancelJob('cdnVideo', jobId);
		const { output } = await run({ operation: 'getResult', jobId });
		expect(output[0][0].json.status).toBe('canceled');
		expect(output[0][0].binary).toBeUndefined();
	});

	it('a truncated download is an error, never a short video', async () => {
		const jobId = await submitOne();
		server.inject({ provider: FILES, kind: 'truncate', bytes: 1000, times: 5 });
		const error = await failure(run({ operation: 'getResult', jobId }));
		expect(error.message).toContain(`Could not download the video of job ${jobId}`);
	});

	it('an expired link is an error that says to fetch a fresh one', async () => {
		const jobId = await submitOne();
		server.expireFile(jobId);
		const error = await failure(run({ operation: 'getResult', jobId }));
		expect(error.message).toMatch(/refused \(HTTP 403\); it may have expired/);
		expect(error.description).toMatch(/Get Result again/);
	});
});

describe('CDNvideo cancel', () => {
	it('cancels a running task (DELETE /cancel, 204) and reports it canceled', async () => {
		server.renderMs = 60_000;
		const jobId = await submitOne();
		const { output } = await run({ operation: 'cancel' }, { items: [{ json: { jobId } }] });
		expect(output[0][0].json).toMatchObject({ provider: 'cdnVideo', jobId, status: 'canceled' });
		const [request] = apiRequests('DELETE');
		expect(request.path).toBe(`/app/th-api/v1/accounts/testaccount/cancel/${jobId}`);
		const status = await run({ operation: 'getStatus', jobId });
		expect(status.output[0][0].json.status).toBe('canceled');
	});

	it('canceling a finished task is an error carrying the provider message', async () => {
		const jobId = await submitOne();
		const error = await failure(run({ operation: 'cancel', jobId }));
		expect(error.message).toMatch(/HTTP 400.*wrong task status/);
	});
});

describe('CDNvideo getAll, rename, delete, getConfigurations', () => {
	async function createJobs(n: number) {
		const items = Array.from({ length: n }, (_, i) => ({ json: { s: `Script ${i}` } }));
		fake.generatePerMinute = 1000;
		await run({ ...submitParams, script: '={{ $json.s }}', rateLimit: { maxSubmits: 1000 } }, { items });
		server.requests = [];
	}

	it('returns one item per task with jobId, up to the limit', async () => {
		await createJobs(3);
		const { output } = await run({ operation: 'getAll', limit: 2 });
		expect(output[0]).toHaveLength(2);
		expect(output[0][0].json.jobId).toBe(output[0][0].json.id);
		expect(apiRequests('GET', /tasks/)[0].query).toMatchObject({ offset: '0', limit: '2' });
	});

	it('pages through everything with Return All', async () => {
		await createJobs(205);
		const { output } = await run({ operation: 'getAll', returnAll: true });
		expect(output[0]).toHaveLength(205);
		expect(new Set(output[0].map((i) => i.json.jobId)).size).toBe(205);
		expect(apiRequests('GET', /tasks/).map((r) => [r.query.offset, r.query.limit])).toEqual([
			['0', '100'],
			['100', '100'],
			['200', '100'],
		]);
	}, 60_000);

	it('sends filters and options in the documented formats', async () => {
		await createJobs(2);
		const { output } = await run({
			operation: 'getAll',
			filters: { start: '2020-02-11T12:30:45Z', end: '2099-01-01T00:00:00.000Z' },
			options: { sort: '-date', fields: ['shot', 'background'], offset: 1 },
		});
		expect(output[0]).toHaveLength(1);
		expect(apiRequests('GET', /tasks/)[0].query).toMatchObject({
			start: '2020-02-11T12:30:00+00',
			end: '2099-01-01T00:00:00+00',
			sort: '-date',
			fields: 'shot,background',
			offset: '1',
		});
		expect(output[0][0].json).toHaveProperty('shot', 'waist');
	});

	it('refuses a bad date or sort before sending', async () => {
		expect((await failure(run({ operation: 'getAll', filters: { start: 'yesterday' } }))).message).toMatch(/"filters.start" must be a date/);
		expect((await failure(run({ operation: 'getAll', options: { sort: 'date; drop' } }))).message).toMatch(/"options.sort"/);
		expect(server.requests).toHaveLength(0);
	});

	it('renames and deletes a video', async () => {
		const jobId = await submitOne();
		const renamed = await run({ operation: 'rename', videoName: 'New name' }, { items: [{ json: { jobId } }] });
		expect(renamed.output[0][0].json).toEqual({ jobId, success: true });
		const [patch] = apiRequests('PATCH');
		expect(patch.path).toBe(`/app/th-api/v1/accounts/testaccount/video/${jobId}`);
		expect(patch.body).toEqual({ video_name: 'New name' });
		expect(fake.jobs.get(jobId)?.name).toBe('New name');

		const deleted = await run({ operation: 'delete', jobId });
		expect(deleted.output[0][0].json).toEqual({ jobId, success: true });
		expect(apiRequests('DELETE')[0].path).toBe(`/app/th-api/v1/accounts/testaccount/video/${jobId}`);
		const again = await failure(run({ operation: 'delete', jobId }));
		expect(again.message).toMatch(/HTTP 404.*no such video/);
	});

	it('returns the configurations body', async () => {
		const { output } = await run({ operation: 'getConfigurations' });
		expect(output[0][0].json).toMatchObject({ status: 'ok', quota: { limit: 560, left: 544 } });
		expect(Object.keys((output[0][0].json.models as IDataObject) ?? {})).toEqual(['Natalia']);
	});
});

describe('CDNvideo dropdowns from configurations', () => {
	const load = async (method: string, parameters: IDataObject = {}) =>
		(await loadOptions(options({ operation: 'submit', ...parameters }), method)) as Array<{ name: string; value: string }>;

	it('lists actors, versions, styles, shots, voices, emotions and backgrounds', async () => {
		expect((await load('getActors')).map((o) => o.value)).toEqual(['Natalia']);
		expect((await load('getActorVersions', { actorName: 'Natalia' })).map((o) => o.value)).toEqual(['latest', '4.0.0', '1.0.0']);
		expect((await load('getActorStyles', { actorName: 'Natalia', actorVersion: '1.0.0' })).map((o) => o.value)).toEqual(['', 'suitjacket']);
		expect((await load('getActorShots', { actorName: 'Natalia' })).map((o) => o.value)).toEqual(['waist']);
		expect((await load('getVoices', { actorName: 'Natalia', actorVersion: '1.0.0' })).map((o) => o.value)).toEqual(['Alena']);
		expect((await load('getVoices', { actorName: 'Natalia', actorVersion: '4.0.0' })).map((o) => o.value)).toEqual(['Alena', 'Mia', 'Sara']);
		expect((await load('getEmotions', { voice: 'Alena' })).map((o) => o.value)).toEqual(['', 'good']);
		expect((await load('getEmotions', { voice: 'Sara' })).map((o) => o.value)).toEqual(['']);
		expect((await load('getBackgrounds')).map((o) => o.value)).toEqual(['green_screen', 'background_1', 'globe']);
	});
});

describe('CDNvideo credential', () => {
	it('logs in with username and password, sends the token, and keeps it for later executions', async () => {
		const store = new CredentialStore(passwordCredentials());
		const first = await runNode(options(submitParams, { credentials: passwordCredentials() }), store);
		const [login] = apiRequests('POST', '/app/oauth/v1/token/');
		expect(login.body).toEqual({ username: 'sandbox-user', password: PASSWORD });
		expect(String(login.headers['content-type'])).toContain('application/x-www-form-urlencoded');
		const token = store.get('cdnVideoApi').data.sessionToken as string;
		expect(token).toMatch(/^cdn1_/);
		expect(Number(store.get('cdnVideoApi').data.sessionExpiresAt)).toBeGreaterThan(Date.now() + 5 * 3600_000);
		expect(apiRequests('POST', /generate/)[0].headers['cdn-auth-token']).toBe(token);

		const jobId = first.output[0][0].json.jobId as string;
		await runNode(options({ operation: 'getStatus', jobId }, { credentials: passwordCredentials() }), store);
		await runNode(options({ operation: 'getStatus', jobId }, { credentials: passwordCredentials() }), store);
		expect(fake.logins).toBe(1);
	});

	it('renews a refused token once, even when many requests of a batch see it refused', async () => {
		const store = new CredentialStore(passwordCredentials());
		const items = Array.from({ length: 4 }, (_, i) => ({ json: { s: `Line ${i}` } }));
		const submitted = await runNode(options({ ...submitParams, script: '={{ $json.s }}' }, { credentials: passwordCredentials(), items }), store);
		expect(fake.logins).toBe(1);
		fake.expireTokens();
		const polled = await runNode(
			options({ operation: 'getStatus' }, { credentials: passwordCredentials(), items: submitted.output[0].map((i) => ({ json: i.json })) }),
			store,
		);
		expect(polled.output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
		expect(fake.logins).toBe(2);
		// the renewed token was saved, so the next execution does not log in again
		await runNode(options({ operation: 'getStatus', jobId: submitted.output[0][0].json.jobId }, { credentials: passwordCredentials() }), store);
		expect(fake.logins).toBe(2);
	});

	it('renews a token whose lifetime has run out before using it', async () => {
		const store = new CredentialStore(passwordCredentials());
		await runNode(options({ operation: 'getConfigurations' }, { credentials: passwordCredentials() }), store);
		store.get('cdnVideoApi').data.sessionExpiresAt = Date.now() - 1000;
		server.requests = [];
		await runNode(options({ operation: 'getConfigurations' }, { credentials: passwordCredentials() }), store);
		expect(fake.logins).toBe(2);
		// login first, then one configurations request with the new token: no refused request
		expect(apiRequests().map((r) => r.method + ' ' + r.path.split('/').pop())).toEqual(['POST ', 'GET configurations']);
	});

	it('never retries a refused login, and the error holds no password', async () => {
		const error = await failure(runNode(options(submitParams, { credentials: passwordCredentials({ password: 'wrong-password-123' }) })));
		expect(fake.failedLogins).toBe(1);
		expect(apiRequests('POST', /generate/)).toHaveLength(0);
		expect(error.message).toMatch(/refused the login/);
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain('wrong-password-123');
	});

	it('a bad static token is a 403 error without the token in it', async () => {
		const error = await failure(run(submitParams, { credentials: tokenCredentials({ token: 'cdn2_not_valid_token' }) }));
		expect(error.message).toBe('CDNvideo answered HTTP 403: invalid token');
		expect(JSON.stringify({ m: error.message, d: error.description, c: error.context })).not.toContain('cdn2_not_valid_token');
	});

	it('redacts a secret the provider echoes back', async () => {
		server.inject({ provider: 'cdnVideo', status: 403, body: { status: 'ERROR', message: `token ${TOKEN} is revoked` } });
		const error = await failure(run({ operation: 'getConfigurations' }));
		expect(error.message).toBe('CDNvideo answered HTTP 403: token *** is revoked');
	});

	it('refuses a Base URL that is not http(s) before sending anything', async () => {
		const error = await failure(run({ operation: 'getConfigurations' }, { credentials: tokenCredentials({ baseUrl: 'ftp://127.0.0.1/' }) }));
		expect(error.message).toBe("The CDNvideo credential's Base URL must start with http:// or https://");
		expect(server.requests).toHaveLength(0);
	});

	it('does not follow a redirect with the credentials', async () => {
		server.inject({ provider: 'cdnVideo', status: 302, headers: { Location: `${server.fileBaseUrl}/steal` } });
		const error = await failure(run({ operation: 'getConfigurations' }));
		expect(error.message).toMatch(/redirected the request \(HTTP 302\)/);
		expect(server.filesRequests).toHaveLength(0);
	});

	it('the credential test reads the configurations with the token, or after logging in', async () => {
		expect(await testCredential(tokenCredentials()[0])).toEqual({ ok: true });
		expect(apiRequests('GET')[0].path).toBe('/app/th-api/v1/accounts/testaccount/configurations');
		expect(await testCredential(passwordCredentials()[0])).toEqual({ ok: true });
		expect(fake.logins).toBe(1);
		expect((await testCredential(tokenCredentials({ token: 'nope-nope' })[0])).ok).toBe(false);
		expect((await testCredential(passwordCredentials({ account: 'other' })[0])).ok).toBe(false);
	});
});

describe('CDNvideo wait for completion', () => {
	it('submits every item first, then follows them together and downloads each', async () => {
		server.renderMs = 1500;
		const items = Array.from({ length: 3 }, (_, i) => ({ json: { s: `Line ${i}` } }));
		const started = Date.now();
		const { output, customData } = await run({ ...submitParams, script: '={{ $json.s }}', waitForCompletion: true, waitOptions: { pollInterval: 1 } }, { items });
		const elapsed = Date.now() - started;
		// three 1.5 s renders at once: well under the 4.5 s they would take one after another
		expect(elapsed).toBeLessThan(4000);
		const posts = apiRequests('POST', /generate/);
		const firstStatus = apiRequests('GET', /status/)[0];
		expect(posts).toHaveLength(3);
		expect(posts[2].at).toBeLessThanOrEqual(firstStatus.at);
		expect(output[0].map((i) => i.json.status)).toEqual(['completed', 'completed', 'completed']);
		output[0].forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(videoBytes(item.json.jobId as string, server.fileSize))).toBe(true);
		});
		expect(customData).toEqual({ cdnVideo_jobIds_1: output[0].map((i) => i.json.jobId).join(',') });
	});

	it('a failed job gives its item an error with the jobId while the others finish (Continue On Fail)', async () => {
		server.renderMs = 300;
		const items = Array.from({ length: 3 }, (_, i) => ({ json: { s: `Line ${i}` } }));
		fake.clock.failNext('renderer crashed');
		const { output } = await run({ ...submitParams, script: '={{ $json.s }}', waitForCompletion: true, waitOptions: { pollInterval: 1, download: false } }, { items, continueOnFail: true });
		const failed = output[0][0].json;
		expect(failed.error).toMatch(/failed: renderer crashed/);
		expect(failed.jobId).toBe([...fake.jobs.keys()][0]);
		expect(output[0].slice(1).map((i) => i.json.status)).toEqual(['completed', 'completed']);
	});

	it('a job past its timeout gives an error with the jobId; without Continue On Fail the error names the whole batch', async () => {
		server.renderMs = 60_000;
		const items = [{ json: { s: 'a' } }, { json: { s: 'b' } }];
		const error = await failure(run({ ...submitParams, script: '={{ $json.s }}', waitForCompletion: true, waitOptions: { pollInterval: 1, timeout: 1 } }, { items }));
		const ids = [...fake.jobs.keys()];
		expect(error.message).toMatch(new RegExp(`Job ${ids[0]} did not finish within 1 s`));
		expect(error.description).toContain(ids[1]);
	});

	it('cancels the running jobs at CDNvideo when the execution is stopped', async () => {
		server.renderMs = 60_000;
		const controller = new AbortController();
		const items = [{ json: { s: 'a' } }, { json: { s: 'b' } }];
		const pending = run({ ...submitParams, script: '={{ $json.s }}', waitForCompletion: true, waitOptions: { pollInterval: 1 } }, { items, abortSignal: controller.signal });
		await until(() => fake.jobs.size === 2, 20_000);
		controller.abort();
		const error = await failure(pending);
		const ids = [...fake.jobs.keys()];
		expect(error.message).toContain('stopped');
		expect(apiRequests('DELETE').map((r) => r.path.split('/').pop()).sort()).toEqual([...ids].sort());
		for (const id of ids) {
			const status = await run({ operation: 'getStatus', jobId: id });
			expect(status.output[0][0].json.status).toBe('canceled');
		}
	});
});
