/** The fake HiDream's text/image-to-video and batch endpoints, spoken to directly as PROVIDERS.md describes them. */
import { HIDREAM_SUBMIT_PATH, HiDreamFake, hiDreamBatchPath, hiDreamV3ResultsPath, hiDreamV3SubmitPath, startFakeProviders, type FakeServer } from './index';

let server: FakeServer;
let fake: HiDreamFake;

beforeAll(async () => {
	server = await startFakeProviders();
	fake = server.provider(HiDreamFake);
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

async function call(method: string, path: string, body?: unknown, token: string | null = fake.staticToken) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token) headers.authorization = `Bearer ${token}`;
	const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: res.status, json: (await res.json()) as Record<string, any> };
}
const textToVideo = (prompt = 'a fox') => call('POST', hiDreamV3SubmitPath('txt2video'), { prompt });
const stylize = () => call('POST', HIDREAM_SUBMIT_PATH, { style: 'anime', video_name: 'https://media.example.com/clip.mp4' });

test('text to video: a task id, then its results in the single-results shape at the v3 path of its family only', async () => {
	const { status, json } = await textToVideo();
	expect([status, json.code]).toEqual([200, 0]);
	const taskId = json.result.task_id as string;
	expect(json.result.sub_task_ids).toHaveLength(1);
	const results = await call('GET', `${hiDreamV3ResultsPath('txt2video')}?task_id=${taskId}`);
	expect(results.json.result).toEqual({
		task_id: taskId,
		sub_task_results: [{ sub_task_id: json.result.sub_task_ids[0], task_status: 1, task_completion: 1, video: server.fileUrl('hiDream', json.result.sub_task_ids[0]) }],
	});
	expect((await call('GET', `${hiDreamV3ResultsPath('img2video')}?task_id=${taskId}`)).json.code).not.toBe(0);
	expect((await call('GET', `${HIDREAM_SUBMIT_PATH}/results?task_id=${taskId}`)).json.code).not.toBe(0);
	expect((await call('GET', `${hiDreamV3ResultsPath('txt2video')}?task_id=${taskId}`, undefined, null)).status).toBe(401);
});

test('refuses what the docs rule out, creating nothing', async () => {
	const refused = [
		await call('POST', hiDreamV3SubmitPath('txt2video'), { prompt: ' ' }),
		await call('POST', hiDreamV3SubmitPath('img2video'), { prompt: 'move' }),
		await call('POST', hiDreamV3SubmitPath('txt2video'), { prompt: 'a', resolution: '1920*1080' }),
		await call('POST', hiDreamV3SubmitPath('txt2video'), { prompt: 'a', camera_move_depth: 6 }),
		await call('POST', hiDreamV3SubmitPath('txt2video'), { prompt: 'a', camera_move_depth: 1.5 }),
		await call('POST', hiDreamV3SubmitPath('txt2video'), { prompt: 'a', motion_strength: 31 }),
	];
	expect(refused.map((r) => [r.status, r.json.code !== 0])).toEqual(Array(6).fill([200, true]));
	expect(fake.acceptedSubmits).toBe(0);
});

test('10 text/image-to-video tasks a minute, counted together, beside 2 stylizations a minute', async () => {
	fake.retryAfterSeconds = 'auto';
	for (let i = 0; i < 5; i++) {
		expect((await textToVideo()).status).toBe(200);
		expect((await call('POST', hiDreamV3SubmitPath('img2video'), { image: 'https://media.example.com/a.jpg' })).status).toBe(200);
	}
	const eleventh = await textToVideo();
	expect(eleventh.status).toBe(429);
	expect((await stylize()).status).toBe(200);
	expect((await stylize()).status).toBe(200);
	expect((await stylize()).status).toBe(429);
	expect(fake.acceptedSubmits).toBe(12);
	expect(fake.rateLimited).toBe(2);
});

test('batch results: a list of per-task results under `result`, unknown ids left out; it can be made to refuse', async () => {
	const ids = [(await textToVideo()).json.result.task_id, (await textToVideo()).json.result.task_id];
	const styled = (await stylize()).json.result.task_id;
	const batch = await call('POST', hiDreamBatchPath('txt2video'), { task_id_list: [...ids, styled, 'nope'] });
	expect(batch.json.code).toBe(0);
	expect(batch.json.result.map((r: { task_id: string }) => r.task_id)).toEqual(ids);
	expect(batch.json.result[0].sub_task_results[0].task_status).toBe(1);
	// the v3 spelling of the path is accepted too
	expect((await call('POST', hiDreamBatchPath('txt2video').replace('/v2/', '/v3/'), { task_id_list: ids })).json.result).toHaveLength(2);
	fake.batchOmits.add(ids[0]);
	expect((await call('POST', hiDreamBatchPath('txt2video'), { task_id_list: ids })).json.result.map((r: { task_id: string }) => r.task_id)).toEqual([ids[1]]);
	fake.batchRefusal = { status: 404 };
	expect((await call('POST', hiDreamBatchPath('txt2video'), { task_id_list: ids })).status).toBe(404);
	expect((await call('POST', hiDreamBatchPath('video_edit'), { task_id_list: [] })).status).toBe(404);
});
