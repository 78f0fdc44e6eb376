/**
 * n8n's `/webhook-waiting/<executionId>` endpoint on 127.0.0.1, as WaitingWebhooks and
 * WebhookHelpers.executeWebhook (n8n 2.41) answer it: 404 for an unknown execution, 401 `Invalid token`
 * when the `signature` query parameter is not the execution's resume token, 409 while the execution
 * is still running (not yet saved as waiting) or has finished, 404 when the node declares no restart
 * webhook for the method. Else the node's webhook() runs with the stacked input: `workflowData`
 * resumes the execution (once: a second resume is refused, as n8n's ExecutionAlreadyResumingError),
 * no workflowData leaves it waiting; a throw answers 500 and ends the execution with an error.
 * The fake providers' real callbacks land here; `runCallbackSubmit` runs Submit in callback mode.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData, INodeType, IWebhookDescription, IWebhookResponseData } from 'n8n-workflow';

import { FakeExecution } from './execution';
import { CredentialStore, runNode, type RunOptions } from './n8nContext';
import { callWebhook, FakeResponse, type WebhookRequest } from './webhookContext';

/** One request to the resume URL and what came of it. */
export interface ReceivedCallback {
	executionId: string;
	request: WebhookRequest;
	/** the execution's status when the call arrived */
	executionStatus?: string;
	/** HTTP status answered to the caller */
	status: number;
	answer?: unknown;
	/** whether the node's webhook() was called, and what it returned or threw */
	webhookCalled: boolean;
	result?: IWebhookResponseData;
	error?: Error;
	resumed: boolean;
}

interface Session {
	execution: FakeExecution;
	node: INodeType;
	parameters: IDataObject;
	typeVersion?: number;
	workflowBinaryMode?: 'separate' | 'combined';
	store: CredentialStore;
}

function parseBody(raw: Buffer, type: string | undefined): unknown {
	if (raw.length === 0) return {};
	const text = raw.toString('utf8');
	if ((type ?? '').includes('json')) return JSON.parse(text) as unknown;
	if ((type ?? '').includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
	return text;
}

export class CallbackReceiver {
	readonly received: ReceivedCallback[] = [];
	baseUrl = '';
	private readonly sessions = new Map<string, Session>();
	private readonly server = http.createServer((req, res) => void this.onRequest(req, res));

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	reset(): void {
		this.sessions.clear();
		this.received.length = 0;
	}

	/** a new execution whose resume URL points here */
	newExecution(): FakeExecution {
		return new FakeExecution(`${this.baseUrl}/webhook-waiting`);
	}

	register(session: Session): void {
		this.sessions.set(session.execution.id, session);
	}

	/** the calls that reached the execution's webhook() */
	webhookCalls(execution: FakeExecution): ReceivedCallback[] {
		return this.received.filter((r) => r.executionId === execution.id && r.webhookCalled);
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', this.baseUrl);
		const match = /^\/webhook-waiting\/([^/]+)(?:\/(.*))?$/.exec(url.pathname);
		const executionId = match?.[1] ?? '';
		const request: WebhookRequest = { method: req.method ?? 'GET', query: Object.fromEntries(url.searchParams), headers: req.headers, body: {} };
		const record: ReceivedCallback = { executionId, request, status: 0, webhookCalled: false, resumed: false };
		this.received.push(record);
		const response = new FakeResponse(res);
		const answer = (status: number, body: unknown) => {
			if (!response.headersSent) response.status(status).json(body);
		};
		try {
			request.body = parseBody(Buffer.concat(chunks), req.headers['content-type']);
			const session = this.sessions.get(executionId);
			const execution = session?.execution;
			record.executionStatus = execution?.status;
			if (!session || !execution) answer(404, { code: 404, message: `The execution "${executionId}" does not exist.` });
			else if (url.searchParams.get('signature') !== execution.resumeToken) answer(401, { error: 'Invalid token' });
			else if (execution.status === 'running') answer(409, { code: 409, message: `The execution "${executionId}" is running already.` });
			else if (execution.status !== 'waiting') answer(409, { code: 409, message: `The execution "${executionId}" has finished already.` });
			else await this.runWebhook(session, match?.[2] ?? '', record, response, answer);
		} catch (error) {
			answer(500, { code: 0, message: String(error) });
		}
		record.status = response.statusCode;
		record.answer = response.body;
		// webhook() said it answered itself but did not: n8n would leave the caller hanging; end it here
		if (!res.writableEnded) res.destroy();
	}

	private async runWebhook(session: Session, suffix: string, record: ReceivedCallback, response: FakeResponse, answer: (status: number, body: unknown) => void): Promise<void> {
		const webhook = (session.node.description.webhooks ?? []).find(
			(w: IWebhookDescription) => w.httpMethod === record.request.method && (w.path ?? '') === suffix && w.restartWebhook === true,
		);
		if (!webhook) return answer(404, { code: 404, message: 'The workflow for execution does not contain a waiting webhook with a matching path/method.' });
		record.webhookCalled = true;
		const outcome = await callWebhook({ ...session, request: record.request, response, webhook });
		record.result = outcome.result;
		record.error = outcome.error;
		if (outcome.error) {
			session.execution.status = 'error';
			return answer(500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		const result = outcome.result ?? {};
		if (result.workflowData === undefined) return answer(200, result.webhookResponse ?? { message: 'Webhook call received' });
		record.resumed = session.execution.resume(result.workflowData);
		if (!record.resumed) return answer(500, { code: 0, message: `Execution ${session.execution.id} is already resuming` });
		if (result.noWebhookResponse !== true) answer(200, result.webhookResponse ?? { message: 'Workflow was started' });
	}
}

export interface CallbackRun {
	execution: FakeExecution;
	/** what execute() returned (the output at once when it did not wait) */
	output: INodeExecutionData[][];
	store: CredentialStore;
}

/** Runs the node's execute() in an execution whose resume URL is the receiver, registered for its callbacks. */
export async function runCallbackSubmit(receiver: CallbackReceiver, options: RunOptions): Promise<CallbackRun> {
	const execution = options.execution ?? receiver.newExecution();
	const store = new CredentialStore(options.credentials);
	receiver.register({ execution, node: options.node, parameters: options.parameters, typeVersion: options.typeVersion, workflowBinaryMode: options.workflowBinaryMode, store });
	const { output } = await runNode({ ...options, execution }, store);
	return { execution, output, store };
}
