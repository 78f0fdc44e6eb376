/**
 * The waiting-execution harness answers as n8n 2.41 does (token, 409 while running, one resume,
 * the deadline passing the stacked items through), checked with a toy node that waits for a POST.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, IWebhookFunctions } from 'n8n-workflow';

import { CallbackReceiver, runCallbackSubmit } from './callbackReceiver';

/** waits; stacks one `{waiting: n}` item per input item; a POST with {done: true} resumes with its `value` */
class ToyWaiter implements INodeType {
	description = {
		displayName: 'Toy',
		name: 'toy',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Toy' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Label', name: 'label', type: 'string', default: 'x' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '', restartWebhook: true }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		this.customData.set('toy_url', this.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string);
		this.getExecuteData().data = { main: [items.map((_, n) => ({ json: { waiting: n } }))] };
		await this.putExecutionToWait(new Date(Date.now() + 60_000));
		return [items];
	}

	async webhook(this: IWebhookFunctions) {
		const body = this.getBodyData();
		if (body.done !== true) return { webhookResponse: 'not yet' };
		const stacked = this.evaluateExpression('{{ $input.all() }}') as INodeExecutionData[];
		const label = this.getNodeParameter('label', '') as string;
		return { workflowData: [stacked.map((item) => ({ json: { ...item.json, label, value: body.value, custom: this.customData.get('toy_url') } }))] };
	}
}

const receiver = new CallbackReceiver();
beforeAll(async () => await receiver.start());
afterAll(async () => await receiver.stop());
beforeEach(() => receiver.reset());

const start = async () => await runCallbackSubmit(receiver, { node: new ToyWaiter(), parameters: { label: '={{ $json.waiting }}-label' }, items: [{ json: {} }, { json: {} }], credentials: [] });
const post = async (url: string, body: unknown) => {
	const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: answer.status, body: await answer.text() };
};

test('the resume URL carries the execution and its token; a wrong or missing token is refused with 401, an unknown execution 404', async () => {
	const { execution } = await start();
	expect(execution.resumeUrl).toBe(`${receiver.baseUrl}/webhook-waiting/${execution.id}?signature=${execution.resumeToken}`);
	expect(execution.resumeToken).toMatch(/^[0-9a-f]{64}$/);
	expect(execution.customData).toEqual({ toy_url: execution.resumeUrl });
	expect((await post(`${receiver.baseUrl}/webhook-waiting/${execution.id}?signature=${'0'.repeat(64)}`, { done: true })).status).toBe(401);
	expect((await post(`${receiver.baseUrl}/webhook-waiting/${execution.id}`, { done: true })).status).toBe(401);
	expect((await post(`${receiver.baseUrl}/webhook-waiting/999999?signature=${execution.resumeToken}`, { done: true })).status).toBe(404);
	expect((await fetch(execution.resumeUrl)).status).toBe(404); // no GET webhook declared
	expect(receiver.webhookCalls(execution)).toHaveLength(0);
	expect(execution.status).toBe('waiting');
});

test('a call while the execution still runs gets 409; no workflowData keeps it waiting; workflowData resumes it once', async () => {
	const { execution } = await start();
	execution.status = 'running';
	expect((await post(execution.resumeUrl, { done: true })).status).toBe(409);
	execution.status = 'waiting';
	expect(await post(execution.resumeUrl, { done: false })).toEqual({ status: 200, body: '"not yet"' });
	expect(execution.status).toBe('waiting');
	expect((await post(execution.resumeUrl, { done: true, value: 7 })).status).toBe(200);
	expect(execution.resumedBy).toBe('webhook');
	// parameters are evaluated for item 0 of the stacked items
	expect(execution.output).toEqual([[0, 1].map((n) => ({ json: { waiting: n, label: '0-label', value: 7, custom: execution.resumeUrl } }))]);
	expect((await post(execution.resumeUrl, { done: true, value: 8 })).status).toBe(409);
	expect(receiver.webhookCalls(execution).map((c) => [c.status, c.resumed])).toEqual([
		[200, false],
		[200, true],
	]);
});

test('at the deadline the items the node stacked pass through to output 0', async () => {
	const { execution, output } = await start();
	expect(output).toEqual([[{ json: {} }, { json: {} }]]);
	expect(execution.waitCalls).toHaveLength(1);
	expect(execution.passDeadline()).toBe(true);
	expect(execution.output).toEqual([[{ json: { waiting: 0 } }, { json: { waiting: 1 } }]]);
	expect((await post(execution.resumeUrl, { done: true })).status).toBe(409);
});
