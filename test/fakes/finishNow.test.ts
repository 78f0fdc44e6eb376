/**
 * `finishNow`: a render held with a long render time ends when the test says, and the provider
 * calls back at once (HiDream's notify_url; AI Studios' v2 webhook, v3 webhookUrl), exactly once.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { AiStudiosFake, HIDREAM_SUBMIT_PATH, HiDreamFake, startFakeProviders, type FakeServer } from './index';

const HOLD_MS = 10 * 60_000;

let server: FakeServer;
let receiver: http.Server;
let receiverUrl: string;
const received: Array<{ method: string; url: string; body: string }> = [];

beforeAll(async () => {
	server = await startFakeProviders({ renderMs: HOLD_MS });
	receiver = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d: Buffer) => (body += d.toString()));
		req.on('end', () => {
			received.push({ method: req.method!, url: req.url!, body });
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`;
});
afterAll(async () => {
	await server.stop();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
	server.reset();
	server.renderMs = HOLD_MS;
	received.length = 0;
});

const post = async (path: string, body: unknown, headers: Record<string, string>) =>
	(await (await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })).json()) as Record<string, any>;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

test('HiDream: a held task ends on finishNow, its callback goes out at once, saying done', async () => {
	const hiDream = server.provider(HiDreamFake);
	const answer = await post(HIDREAM_SUBMIT_PATH, { style: 'ink_wash', video_name: 'https://media.example/a.mp4', notify_url: receiverUrl }, { authorization: `Bearer ${hiDream.staticToken}` });
	const jobId = answer.result.task_id as string;
	await settle();
	expect(hiDream.callbacksFor(jobId)).toEqual([]);
	hiDream.finishNow(jobId, server);
	const attempts = await hiDream.callbackSettled(jobId);
	expect(attempts.map((a) => a.status)).toEqual([200]);
	expect(JSON.parse(received[0].body)).toMatchObject({ main_task_id: jobId, sub_task_results: [{ task_status: 1, video: expect.stringContaining('/files/hiDream/') }] });
	expect(() => hiDream.finishNow('no-such-task', server)).toThrow(/no hiDream job/);
});

test('AI Studios v2 and v3: a held render ends on finishNow, its webhook is called at once and only once', async () => {
	server.renderMs = 400; // the original timer would fire at 400 ms: it must not call a second time
	const aiStudios = server.provider(AiStudiosFake);
	const v2 = await post('/api/odin/simple/video', { language: 'en', text: 'Hi', model: 'M000004017', clothes: 'BG00006160', webhook: receiverUrl }, { authorization: aiStudios.apiKey });
	const token = (await post('/api/odin/v3/auth/token', { appId: aiStudios.v3.appId, userKey: aiStudios.v3.userKey }, {})).data.token as string;
	const v3 = await post('/api/odin/v3/simple/video', { language: 'en', text: 'Hi', model: 'M000004017', clothes: 'BG00006160', isExport: true, webhookUrl: receiverUrl }, { authorization: token });
	aiStudios.finishNow(v2.data.key as string, server);
	aiStudios.finishNow(v3.data.projectId as string, server);
	await settle();
	expect(received.map((r) => r.method).sort()).toEqual(['GET', 'POST']);
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(received).toHaveLength(2);
	expect(aiStudios.webhookCalls).toHaveLength(1);
	expect(aiStudios.v3.webhookCalls).toHaveLength(1);
});
