/**
 * A fake IWebhookFunctions, as n8n-core 2.41's WebhookContext builds it for a waiting execution's
 * webhook: the input items are the node's stack entry (`executionData.data.main[0]`, what the node
 * left there before waiting), parameters are evaluated for item 0 of them, credentials and helpers
 * are those of the execute context (shared credential store), custom data is the execution's.
 * Like n8n's, it has no getInputData, continueOnFail or getExecutionCancelSignal.
 */
import type * as http from 'node:http';
import type { IDataObject, INodeType, IWebhookDescription, IWebhookResponseData } from 'n8n-workflow';

import type { FakeExecution } from './execution';
import { CredentialStore, NodeHarness, resolveExpression } from './n8nContext';

/** The callback as n8n's express hands it to the node. */
export interface WebhookRequest {
	method: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	/** parsed JSON or form body; {} when there is none (express's default) */
	body: unknown;
}

/** A minimal express Response: records what the node answered, and writes it to the real socket if any. */
export class FakeResponse {
	statusCode = 200;
	body?: unknown;
	readonly headers: Record<string, string> = {};
	headersSent = false;

	constructor(private readonly socket?: http.ServerResponse) {}

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}

	header(name: string, value: string): this {
		return this.setHeader(name, value);
	}

	json(body: unknown): this {
		this.setHeader('content-type', 'application/json');
		return this.end(JSON.stringify(body), body);
	}

	send(body?: unknown): this {
		if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return this.json(body);
		return this.end(body === undefined ? '' : String(body), body);
	}

	sendStatus(code: number): this {
		return this.status(code).end(String(code), String(code));
	}

	end(text = '', recorded: unknown = text): this {
		if (this.headersSent) throw new Error('Cannot set headers after they are sent to the client');
		this.headersSent = true;
		this.body = recorded;
		if (this.socket && !this.socket.headersSent) {
			this.socket.writeHead(this.statusCode, { ...this.headers, 'content-length': Buffer.byteLength(text) });
			this.socket.end(text);
		}
		return this;
	}
}

export interface WebhookCallOptions {
	node: INodeType;
	parameters: IDataObject;
	typeVersion?: number;
	workflowBinaryMode?: 'separate' | 'combined';
	/** the credential store of the execute run (n8n's database) */
	store: CredentialStore;
	execution: FakeExecution;
	request: WebhookRequest;
	response: FakeResponse;
	webhook: IWebhookDescription;
}

/** The IWebhookFunctions handed to the node's webhook(). */
export function webhookContext(options: WebhookCallOptions): Record<string, unknown> {
	const { execution, request, response } = options;
	const harness = new NodeHarness(
		{ node: options.node, parameters: options.parameters, typeVersion: options.typeVersion, workflowBinaryMode: options.workflowBinaryMode, items: execution.stackedItems, credentials: [], execution },
		options.store,
	);
	const base = harness.context();
	return {
		getNode: base.getNode,
		getWorkflow: base.getWorkflow,
		getMode: () => 'webhook',
		getExecutionId: () => execution.id,
		getCredentials: base.getCredentials,
		logger: base.logger,
		customData: execution.customDataApi(),
		helpers: {
			httpRequest: (base.helpers as IDataObject).httpRequest,
			httpRequestWithAuthentication: (base.helpers as IDataObject).httpRequestWithAuthentication,
			prepareBinaryData: (base.helpers as IDataObject).prepareBinaryData,
			returnJsonArray: (base.helpers as IDataObject).returnJsonArray,
		},
		// NodeExecutionContext.getNodeParameter: item 0 of the input
		getNodeParameter: (name: string, fallback?: unknown) => harness.getNodeParameter(name, 0, fallback),
		evaluateExpression: (expression: string, i = 0) => resolveExpression(`=${expression}`, harness.scope(i)),
		getBodyData: () => request.body as IDataObject,
		getHeaderData: () => request.headers,
		getQueryData: () => request.query,
		getParamsData: () => ({}),
		getRequestObject: () => ({ ...request, params: {} }),
		getResponseObject: () => response,
		getWebhookName: () => options.webhook.name,
	};
}

/** What one call of the node's webhook() did. */
export interface WebhookOutcome {
	result?: IWebhookResponseData;
	error?: Error;
}

/** Calls the node's webhook() for the request. */
export async function callWebhook(options: WebhookCallOptions): Promise<WebhookOutcome> {
	try {
		return { result: await options.node.webhook!.call(webhookContext(options) as never) };
	} catch (error) {
		return { error: error as Error };
	}
}
