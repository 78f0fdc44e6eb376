import { createHash } from 'node:crypto';
import { CdnVideoFake, FILES, type FakeServer, startFakeProviders, videoBytes } from './index';

const TOKEN = 'cdn2_statictoken_sandbox';
const SCRIPT_BODY = {
	script: 'Текст для диктора.',
	actor: { name: 'Natalia', version: '1.0.0', style: 'suitjacket', shot: 'waist', size: 'HD' },
	voice: 'Alena',
	emotion: 'good',
	background: 'green_screen',
	video_name: 'Awesome Video!',
};

let server: FakeServer;
let cdn: CdnVideoFake;
let api: string;
let clock: number;

const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
	const headers: Record<string, string> = {};
	if (token !== null) headers['cdn-auth-token'] = token;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${server.baseUrl}${api}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
};
const submit = (body: unknown = SCRIPT_BODY) => call('POST', '/generate', body);
const login = (username: string, password: string) =>
	fetch(`${server.baseUrl}/app/oauth/v1/token/`, {
		method: 'POST',
		body: new URLSearchParams({ username, password }),
	});

beforeAll(async () => {
	server = await startFakeProviders();
	cdn = server.provider(CdnVideoFake);
	api = `/app/th-api/v1/accounts/${cdn.account}`;
});
afterAll(() => server.stop());
beforeEach(() => {
	server.reset();
	clock = 1_700_000_000_000;
	server.now = () => clock;
});

describe('CDNvideo auth', () => {
	it('logs in with the form, counts logins and failures, and locks after 7 refusals', async () => {
		const ok = await login('sandbox-user', 'sandbox-pass');
		expect(ok.status).toBe(200);
		const body = (await ok.json()) as { token: string; lifetime: number; person_id: number };
		expect(body).toMatchObject({ person_id: 17, status: 200, lifetime: 21_599_000 });
		expect(body.token).toMatch(/^cdn1_/);
		expect(server.requestsTo('cdnVideo', 'POST', '/app/oauth')[0].body).toEqual({
			username: 'sandbox-user',
			password: 'sandbox-pass',
		});
		expect((await call('GET', '/configurations', undefined, body.token)).status).toBe(200);

		cdn.expireTokens();
		expect(await call('GET', '/configurations', undefined, body.token)).toMatchObject({
			status: 403,
			json: { status: 'ERROR', message: 'invalid token' },
		});

		for (let i = 0; i < 7; i++) expect((await login('sandbox-user', 'nope')).status).toBe(401);
		expect((await login('sandbox-user', 'sandbox-pass')).status).toBe(403);
		expect(cdn.logins).toBe(1);
		expect(cdn.failedLogins).toBe(7);
	});

	it('refuses a missing or wrong token and an unknown account with 403', async () => {
		expect((await call('GET', '/configurations', undefined, null)).status).toBe(403);
		expect((await call('GET', '/configurations', undefined, 'cdn1_WRONG')).json).toEqual({
			status: 'ERROR',
			message: 'invalid token',
		});
		const res = await fetch(`${server.baseUrl}/app/th-api/v1/accounts/other/configurations`, {
			headers: { 'CDN-AUTH-TOKEN': TOKEN },
		});
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ status: 'ERROR', message: 'invalid account' });
	});
});

describe('CDNvideo jobs', () => {
	it('serves the configurations of the seed', async () => {
		const { json } = await call('GET', '/configurations');
		expect(Object.keys(json.models.Natalia)).toEqual(['1.0.0', '4.0.0']);
		expect(json.voices.Alena.emotions).toEqual(['neutral', 'good']);
		expect(Object.keys(json.backgrounds)).toEqual(['background_1', 'globe']);
	});

	it('progresses in_queue -> processing -> processed and then hands out the file', async () => {
		server.renderMs = 10_000;
		const created = await submit();
		expect(created.status).toBe(202);
		const id = created.json.id as string;
		expect(created.json).toEqual({ status: 'ok', id });
		expect(cdn.jobs.get(id)).toMatchObject({ body: SCRIPT_BODY, name: 'Awesome Video!', version: '1.0.0' });

		const word = async () => (await call('GET', `/status/${id}`)).json.task.status as string;
		expect(await word()).toBe('in_queue');
		expect((await call('GET', `/video/${id}`)).json).toEqual({
			status: 'ERROR',
			message: 'wrong task status: IN_QUEUE',
		});
		clock += 5_000;
		expect(await word()).toBe('processing');
		clock += 5_000;
		expect(await word()).toBe('processed');
		cdn.statusCase = 'upper';
		expect(await word()).toBe('PROCESSED');

		const { json } = await call('GET', `/video/${id}`);
		expect(json.url).toBe(`${server.fileBaseUrl}/files/cdnVideo/${id}.mp4`);
		server.fileSize = 200_000;
		const file = await fetch(json.url);
		expect(file.headers.get('content-type')).toBe('video/mp4');
		expect(file.headers.get('content-length')).toBe('200000');
		const bytes = Buffer.from(await file.arrayBuffer());
		expect(bytes.equals(videoBytes(id, 200_000))).toBe(true);
		expect(bytes.subarray(4, 8).toString()).toBe('ftyp');
		expect(server.filesRequests).toHaveLength(1);
		expect(server.filesRequests[0].headers['cdn-auth-token']).toBeUndefined();

		server.expireFile(id);
		expect((await fetch(json.url)).status).toBe(403);
	});

	it('cancels, reports forced failures and foreign cancels, renames and deletes', async () => {
		server.renderMs = 60_000;
		const id = (await submit()).json.id as string;
		expect((await call('DELETE', `/cancel/${id}`)).status).toBe(204);
		cdn.statusCase = 'upper';
		expect((await call('GET', `/status/${id}`)).json.task).toMatchObject({
			status: 'CANCELED',
			message: 'canceled by a user request',
		});
		expect(await call('DELETE', `/cancel/${id}`)).toMatchObject({
			status: 400,
			json: { status: 'ERROR', message: 'wrong task status: CANCELED' },
		});

		server.failNextJob('cdnVideo', 'render crashed');
		const failed = (await submit()).json.id as string;
		clock += 60_000;
		expect((await call('GET', `/status/${failed}`)).json.task).toMatchObject({
			status: 'FAILED',
			message: 'render crashed',
		});

		const other = (await submit()).json.id as string;
		expect(server.cancelJob('cdnVideo', other)).toBe(true);
		expect((await call('GET', `/status/${other}`)).json.task.status).toBe('CANCELED');

		server.renderMs = 0;
		const done = (await submit()).json.id as string;
		cdn.forceStatusWord(done, 'error');
		expect((await call('GET', `/status/${done}`)).json.task.status).toBe('error');

		expect((await call('PATCH', `/video/${done}`, { video_name: 'New name' })).json).toEqual({
			status: 'ok',
			message: 'success',
		});
		expect(cdn.jobs.get(done)?.name).toBe('New name');
		expect((await call('DELETE', `/video/${done}`)).status).toBe(200);
		expect(await call('GET', `/video/${done}`)).toMatchObject({
			status: 404,
			json: { status: 'ERROR', message: 'no such video' },
		});
		expect(cdn.acceptedSubmits).toBe(4);
	});

	it('names the invalid parameters with 422', async () => {
		const res = await submit({
			...SCRIPT_BODY,
			script: '',
			actor: { name: 'Natalia', version: '9.9.9', shot: 'waist' },
			emotion: 'angry',
			video_name: 'x'.repeat(36),
			composition: { frame_style: 'square', scale: 0, shift: 2 },
			circle: { location: 'middle', border_color: 'red' },
		});
		expect(res.status).toBe(422);
		expect(res.json.params).toEqual([
			'script',
			'actor.version',
			'emotion',
			'video_name',
			'composition.orientation',
			'composition.frame_style',
			'composition.scale',
			'composition.shift',
			'circle.location',
			'circle.border_color',
		]);
		const sara = await submit({ ...SCRIPT_BODY, voice: 'Sara', emotion: undefined });
		expect(sara.json).toEqual({ status: 'ERROR', message: 'invalid parameters', params: ['voice'] });
		const latest = await submit({ script: 'Hi', actor: { name: 'Natalia', shot: 'waist' }, voice: 'Sara' });
		expect(latest.status).toBe(202);
		expect(cdn.jobs.get(latest.json.id)?.version).toBe('4.0.0');
		expect(cdn.acceptedSubmits).toBe(1);
	});

	it('allows 10 submits in a sliding minute and answers the 11th with 429 without creating a job', async () => {
		for (let i = 0; i < 10; i++) {
			expect((await submit()).status).toBe(202);
			clock += 1_000;
		}
		const refused = await submit();
		expect(refused).toMatchObject({ status: 429, json: { status: 'ERROR', message: 'too many requests' } });
		expect(refused.headers.get('retry-after')).toBeNull();
		cdn.retryAfterSeconds = 'auto';
		expect((await submit()).headers.get('retry-after')).toBe('50');
		expect(cdn.acceptedSubmits).toBe(10);
		clock += 50_000;
		expect((await submit()).status).toBe(202);
		expect(cdn.acceptedSubmits).toBe(11);
		expect(cdn.rateLimited).toBe(2);
	});

	it('lists tasks with fields, sort, paging and a strict date format', async () => {
		const a = (await submit({ ...SCRIPT_BODY, script: 'short' })).json.id;
		clock += 60_000;
		const b = (await submit({ ...SCRIPT_BODY, script: 'a much longer script '.repeat(10) })).json.id;
		const q = new URLSearchParams({ sort: '-duration', fields: 'shot,voice_name', start: '2023-11-14T00:00:00+00' });
		const { json } = await call('GET', `/tasks?${q}`);
		expect(json.map((t: { id: string }) => t.id)).toEqual([b, a]);
		expect(Object.keys(json[0]).sort()).toEqual(
			['date', 'duration', 'id', 'resolution', 'shot', 'video_url', 'voice_name'].sort(),
		);
		expect((await call('GET', `/tasks?${new URLSearchParams({ limit: '1', offset: '1' })}`)).json[0].id).toBe(b);
		const bad = new URLSearchParams({ start: '2023-11-14T00:00:16+00' });
		expect((await call('GET', `/tasks?${bad}`)).status).toBe(400);
	});
});

describe('faults', () => {
	it('resets, answers 503 with HTML, malformed JSON, hangs, and consumes faults in order', async () => {
		server.inject({ provider: 'cdnVideo', path: `${api}/configurations`, kind: 'reset' });
		await expect(call('GET', '/configurations')).rejects.toThrow();
		server.inject({ provider: 'cdnVideo', status: 503, body: '<html>Service Unavailable</html>', times: 2 });
		server.inject({ provider: 'cdnVideo', kind: 'malformedJson' });
		for (let i = 0; i < 2; i++) {
			const res = await fetch(`${server.baseUrl}${api}/configurations`);
			expect(res.status).toBe(503);
			expect(res.headers.get('content-type')).toMatch(/text\/html/);
		}
		await expect(call('GET', '/configurations')).rejects.toThrow(SyntaxError);
		server.inject({ method: 'POST', path: /generate$/, kind: 'hang' });
		await expect(
			fetch(`${server.baseUrl}${api}/generate`, {
				method: 'POST',
				headers: { 'cdn-auth-token': TOKEN },
				signal: AbortSignal.timeout(200),
			}),
		).rejects.toThrow();
		expect(cdn.acceptedSubmits).toBe(0);
		expect(server.requests.map((r) => r.fault)).toEqual(['reset', 'status', 'status', 'malformedJson', 'hang']);
		expect((await call('GET', '/configurations')).status).toBe(200);
	});

	it('truncates a download after the given bytes while announcing the full length', async () => {
		const id = (await submit()).json.id as string;
		const url = (await call('GET', `/video/${id}`)).json.url as string;
		server.inject({ provider: FILES, kind: 'truncate', bytes: 70_000 });
		const res = await fetch(url);
		expect(res.headers.get('content-length')).toBe('150000');
		await expect(res.arrayBuffer()).rejects.toThrow();
		const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(whole.length).toBe(150_000);
		expect(server.requestsTo(FILES)).toHaveLength(2);
	});

	it('streams big files in chunks that match videoBytes', async () => {
		const size = 20 * 1024 * 1024 + 123;
		server.fileSizes.set('big/job?#', size);
		const res = await fetch(server.fileUrl('cdnVideo', 'big/job?#'));
		expect(res.headers.get('content-length')).toBe(String(size));
		const hash = createHash('sha256');
		let length = 0;
		for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
			hash.update(chunk);
			length += chunk.length;
		}
		expect(length).toBe(size);
		expect(hash.digest('hex')).toBe(createHash('sha256').update(videoBytes('big/job?#', size)).digest('hex'));
	});
});
