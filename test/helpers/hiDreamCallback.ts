/**
 * What the HiDream callback-mode tests share: the fakes and n8n's waiting-webhook endpoint,
 * started once per file, Submit parameters in callback mode, and readings of what came out.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { HiDreamApi } from '../../credentials/HiDreamApi.credentials';
import { HiDream } from '../../nodes/HiDream/HiDream.node';
import { HiDreamFake, startFakeProviders, videoBytes, type FakeServer } from '../fakes';
import { CallbackReceiver, runCallbackSubmit } from './callbackReceiver';
import { until } from './clock';
import type { FakeExecution } from './execution';
import type { RunOptions } from './n8nContext';

const unpaced = { rateLimit: { maxSubmits: 1000, windowSeconds: 1 } };
const callback = { waitForCompletion: true, waitMethod: 'callback', waitOptions: { timeout: 120 } };
export const styleParams: IDataObject = { operation: 'submit', style: 'ink_wash', videoSource: 'url', videoUrl: 'https://media.example.com/clip.mp4', ...unpaced, ...callback };
export const textParams: IDataObject = { operation: 'submit', task: 'textToVideo', prompt: '={{ $json.prompt }}', ...unpaced, ...callback };

export interface HiDreamCallbackSetup {
	server: FakeServer;
	fake: HiDreamFake;
	receiver: CallbackReceiver;
}

/** Starts the fakes and the receiver for the file; each test starts with fresh fakes. */
export function hiDreamCallbackSetup(): HiDreamCallbackSetup {
	const setup = { receiver: new CallbackReceiver() } as HiDreamCallbackSetup;
	beforeAll(async () => {
		setup.server = await startFakeProviders();
		setup.fake = setup.server.provider(HiDreamFake);
		await setup.receiver.start();
	});
	afterAll(async () => {
		await setup.receiver.stop();
		await setup.server.stop();
	});
	beforeEach(() => {
		setup.server.reset();
		setup.receiver.reset();
		setup.fake.stylizationsPerWindow = 1000;
		setup.fake.generationsPerWindow = 1000;
		// a callback that finds the execution still running (409) is tried again soon
		setup.fake.callbackRetryMs = 150;
	});
	return setup;
}

export const items = (n: number, json: (i: number) => IDataObject = () => ({})): INodeExecutionData[] => Array.from({ length: n }, (_, i) => ({ json: json(i) }));

/** Submit in callback mode with a pasted token, or the credential data given */
export async function submit({ server, receiver }: HiDreamCallbackSetup, parameters: IDataObject, input: INodeExecutionData[], extra: Partial<RunOptions> = {}, credential: IDataObject = {}) {
	const data = { authentication: 'token', token: 'hidream-sandbox-static-token', baseUrl: server.baseUrl, sessionToken: '', sessionExpiresAt: '', ...credential };
	return await runCallbackSubmit(receiver, { node: new HiDream(), parameters, items: input, credentials: [{ type: new HiDreamApi(), data }], ...extra });
}

export const post = async (url: string, body: unknown) =>
	(await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status;
export const resumed = async (execution: FakeExecution) => await until(() => execution.status !== 'waiting', 15_000);
/** every status request, in order: `batch` with its task ids, or `single` with the one it asks */
export const statusLooks = ({ server }: HiDreamCallbackSetup) =>
	server
		.requestsTo('hiDream')
		.filter((r) => /\/results(\/batch)?$/.test(r.path))
		.map((r) => (r.method === 'POST' ? ['batch', r.path, (r.body as IDataObject).task_id_list] : ['single', r.path, [r.query.task_id]]));
export const subTaskOf = ({ fake }: HiDreamCallbackSetup, jobId: unknown) => fake.jobs.get(jobId as string)!.subTaskIds[0];
/** the fake's video file of a job */
export const videoOf = (setup: HiDreamCallbackSetup, jobId: unknown) => videoBytes(subTaskOf(setup, jobId), setup.server.fileSize);
/** the item's binary is the fake's video of its job */
export const isVideoOf = (setup: HiDreamCallbackSetup) => (item: INodeExecutionData) => Buffer.from(item.binary!.data.data, 'base64').equals(videoOf(setup, item.json.jobId));
