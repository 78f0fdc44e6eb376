/**
 * Runs a node's execute() the way n8n does, with real HTTP: `helpers.httpRequest` converts n8n's
 * request options to axios as n8n-core does, and `httpRequestWithAuthentication` follows
 * n8n-core's logic (preAuthentication when the expirable field is empty, the credential's
 * authenticate applied, one refresh-and-retry on a 401, errors wrapped in NodeApiError).
 * Credentials live in a mutable store, like n8n's database: preAuthentication writes back to it.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FakeExecution } from './execution';
import {
	NodeApiError,
	NodeOperationError,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type JsonObject,
} from 'n8n-workflow';

export interface CredentialEntry {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
	id?: string;
}

export interface RunOptions {
	node: INodeType;
	parameters: IDataObject;
	items?: INodeExecutionData[];
	credentials: CredentialEntry[];
	continueOnFail?: boolean;
	abortSignal?: AbortSignal;
	/** 'filesystem' stores binaries in temp files with `id` and `bytes`, as n8n's filesystem mode. */
	binaryMode?: 'memory' | 'filesystem';
	/** the node's typeVersion (displayOptions `@version`); default 1 */
	typeVersion?: number;
	/** the node is an AI Agent's tool: n8n names its type `<type>Tool` */
	asTool?: boolean;
	/** the execution the node runs in (shared with its webhook calls); default a fresh one */
	execution?: FakeExecution;
	/** the workflow setting `binaryMode`: 'combined' (n8n's execution logic v2) makes `$input.all()` give each item's json */
	workflowBinaryMode?: 'separate' | 'combined';
}

export interface RunResult {
	output: INodeExecutionData[][];
	logs: string[];
	customData: Record<string, string>;
	loginRuns: number;
}

let credentialCounter = 0;

/** Per credential type: the stored data (the "database row") and how often preAuthentication ran. */
export class CredentialStore {
	readonly entries = new Map<string, { type: ICredentialType; data: ICredentialDataDecryptedObject; id: string }>();
	preAuthRuns = 0;

	constructor(entries: CredentialEntry[]) {
		for (const e of entries) {
			this.entries.set(e.type.name, { type: e.type, data: { ...e.data }, id: e.id ?? `cred-${++credentialCounter}` });
		}
	}

	get(name: string) {
		const entry = this.entries.get(name);
		if (!entry) throw new Error(`no credentials of type ${name}`);
		return entry;
	}
}

export function resolveExpression(value: unknown, scope: Record<string, unknown>): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const body = value.slice(1);
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(body.trim());
	const evaluate = (expr: string) =>
		new Function(...Object.keys(scope), `return (${expr});`)(...Object.values(scope)) as unknown;
	if (whole && !body.trim().slice(2, -2).includes('}}')) return evaluate(whole[1]);
	return body.replace(/\{\{([\s\S]*?)\}\}/g, (_, expr: string) => String(evaluate(expr)));
}

function resolveDeep(value: unknown, scope: Record<string, unknown>): unknown {
	if (Array.isArray(value)) return value.map((v) => resolveDeep(v, scope));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, scope)]));
	}
	return resolveExpression(value, scope);
}

/** n8n-core's convertN8nRequestToAxios, reduced to what these nodes use. */
function toAxios(options: IHttpRequestOptions): AxiosRequestConfig {
	const config: AxiosRequestConfig = {
		url: options.url,
		baseURL: options.baseURL,
		method: options.method ?? 'GET',
		headers: { ...(options.headers as Record<string, string>) },
		params: options.qs,
		timeout: options.timeout ?? 300_000,
		signal: options.abortSignal as AbortSignal | undefined,
		maxBodyLength: Infinity,
		maxContentLength: Infinity,
		proxy: false,
	};
	if (options.disableFollowRedirect) config.maxRedirects = 0;
	else if (options.maxRedirects !== undefined) config.maxRedirects = options.maxRedirects;
	if (options.encoding) config.responseType = options.encoding as AxiosRequestConfig['responseType'];
	const body = options.body;
	const method = (options.method ?? 'GET').toUpperCase();
	if (body !== undefined && method !== 'GET' && (typeof body === 'string' || (typeof body === 'object' && body !== null && Object.keys(body).length))) {
		config.data = body;
	}
	if (options.json) (config.headers as Record<string, string>).Accept ??= 'application/json';
	return config;
}

async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const result = await axios.request(toAxios(options));
	if (options.returnFullResponse) {
		return { body: result.data, headers: result.headers, statusCode: result.status, statusMessage: result.statusText };
	}
	return result.data;
}

export class NodeHarness {
	readonly logs: string[] = [];
	readonly store: CredentialStore;
	readonly node: INode;
	readonly execution: FakeExecution;
	/** the node's input, as n8n hands it over (getInputData reads it; the stack entry holds the same object) */
	readonly inputData: { main: INodeExecutionData[][] };

	constructor(
		readonly options: RunOptions,
		store?: CredentialStore,
	) {
		this.execution = options.execution ?? new FakeExecution();
		this.inputData = { main: [options.items ?? [{ json: {} }]] };
		this.store = store ?? new CredentialStore(options.credentials);
		const description = options.node.description;
		this.node = {
			id: 'node-1',
			name: description.defaults.name ?? description.displayName,
			type: `n8n-nodes-ai-video.${description.name}${options.asTool ? 'Tool' : ''}`,
			typeVersion: options.typeVersion ?? 1,
			position: [0, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: Object.fromEntries(
				[...this.store.entries.entries()].map(([name, e]) => [name, { id: e.id, name: `${name} account` }]),
			),
		};
	}

	get customData(): Record<string, string> {
		return this.execution.customData;
	}

	private items(): INodeExecutionData[] {
		return this.inputData.main[0] ?? [];
	}

	/** what an expression sees for an item: n8n's WorkflowDataProxy, reduced to what these nodes use */
	scope(itemIndex: number): Record<string, unknown> {
		const items = this.items();
		const item = items[itemIndex] ?? { json: {} };
		const execution = this.execution;
		return {
			$json: item.json,
			$binary: item.binary ?? {},
			$parameter: this.options.parameters,
			// WorkflowDataProxy.returnExecutionData
			$input: this.options.workflowBinaryMode === 'combined'
				? { all: () => items.map((i) => i.json), first: () => items[0]?.json, last: () => items[items.length - 1]?.json, item: item.json }
				: { all: () => items, first: () => items[0], last: () => items[items.length - 1], item },
			$execution: { id: execution.id, mode: 'test', resumeUrl: execution.resumeUrl, customData: execution.customDataApi() },
			$executionId: execution.id,
			$resumeWebhookUrl: execution.resumeUrl,
		};
	}

	/** n8n returns a parameter's default when it is not set and its displayOptions apply. */
	getNodeParameter(name: string, itemIndex: number, fallback?: unknown): unknown {
		const params = this.options.parameters;
		let value: unknown;
		if (name in params) value = params[name];
		else {
			const property = this.visibleProperty(name);
			value = property ? property.default : fallback;
		}
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		return resolveDeep(value, this.scope(itemIndex));
	}

	private visibleProperty(name: string): INodeProperties | undefined {
		const candidates = this.options.node.description.properties.filter((p) => p.name === name);
		return candidates.find((p) => this.isShown(p)) ?? undefined;
	}

	private isShown(property: INodeProperties): boolean {
		const show = property.displayOptions?.show ?? {};
		return Object.entries(show).every(([key, allowed]) => {
			if (key === '@version') return (allowed as unknown[]).includes(this.node.typeVersion);
			const current = key in this.options.parameters ? this.options.parameters[key] : this.visibleProperty(key)?.default;
			return (allowed as unknown[]).includes(current);
		});
	}

	async getCredentials(type: string): Promise<ICredentialDataDecryptedObject> {
		return { ...this.store.get(type).data };
	}

	/** n8n's CredentialsHelper.preAuthentication. */
	private async preAuthentication(
		ctx: unknown,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		expired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { type } = this.store.get(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !expired) return undefined;
		this.store.preAuthRuns++;
		const output = await type.preAuthentication.call({ helpers: (ctx as { helpers: unknown }).helpers } as never, credentials);
		if (output[expirable.name] === undefined) return undefined;
		Object.assign(this.store.get(typeName).data, output);
		return Object.assign(credentials, output);
	}

	private async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, request: IHttpRequestOptions) {
		const { type } = this.store.get(typeName);
		const auth = type.authenticate;
		if (!auth) return request;
		if (typeof auth === 'function') return await auth(credentials, request);
		const props = resolveDeep(auth.properties, { $credentials: credentials }) as IDataObject;
		return {
			...request,
			headers: { ...request.headers, ...(props.headers as IDataObject) },
			qs: { ...request.qs, ...(props.qs as IDataObject) },
			body: props.body ? { ...(request.body as IDataObject), ...(props.body as IDataObject) } : request.body,
		};
	}

	/** n8n-core's httpRequestWithAuthentication (request-helpers/authentication.ts). */
	private async httpRequestWithAuthentication(
		ctx: { getExecutionCancelSignal?: () => AbortSignal | undefined; helpers: unknown },
		typeName: string,
		requestOptions: IHttpRequestOptions,
		additional?: { credentialsDecrypted?: { data?: ICredentialDataDecryptedObject }; preAuthenticationRetryStatusCode?: number | number[] },
	): Promise<unknown> {
		if ('getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal) requestOptions.abortSignal = ctx.getExecutionCancelSignal();
		let credentials: ICredentialDataDecryptedObject | undefined;
		try {
			credentials = additional?.credentialsDecrypted?.data ?? (await this.getCredentials(typeName));
			const data = await this.preAuthentication(ctx, credentials, typeName, false);
			if (data) Object.assign(credentials, data);
			requestOptions = await this.authenticate(credentials, typeName, requestOptions);
			return await httpRequest(requestOptions);
		} catch (error) {
			const codes = additional?.preAuthenticationRetryStatusCode ?? 401;
			const status = (error as { response?: { status?: number } }).response?.status;
			if ((Array.isArray(codes) ? codes.includes(status as number) : status === codes) && credentials !== undefined) {
				try {
					const data = await this.preAuthentication(ctx, credentials, typeName, true);
					if (data) Object.assign(credentials, data);
					requestOptions = await this.authenticate(credentials, typeName, requestOptions);
					return await httpRequest(requestOptions);
				} catch (retryError) {
					throw new NodeApiError(this.node, retryError as JsonObject);
				}
			}
			throw new NodeApiError(this.node, error as JsonObject);
		}
	}

	private async prepareBinaryData(data: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData> {
		let buffer: Buffer;
		if (Buffer.isBuffer(data)) buffer = data;
		else {
			const chunks: Buffer[] = [];
			for await (const chunk of data) chunks.push(Buffer.from(chunk as Buffer));
			buffer = Buffer.concat(chunks);
		}
		const binary: IBinaryData = { data: '', mimeType: mimeType ?? 'application/octet-stream', fileName, fileSize: `${buffer.length} B` };
		if (this.options.binaryMode === 'filesystem') {
			const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'ai-video-bin-')), fileName ?? 'file');
			await fs.writeFile(file, buffer);
			binary.id = `filesystem-v2:${file}`;
			binary.data = 'filesystem-v2';
			binary.bytes = buffer.length;
		} else {
			binary.data = buffer.toString('base64');
		}
		return binary;
	}

	/** The IExecuteFunctions (and ILoadOptionsFunctions) object handed to the node. */
	context(): Record<string, unknown> {
		const harness = this;
		const log = (level: string) => (message: string, meta?: unknown) => harness.logs.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
		const ctx: Record<string, unknown> = {
			getNode: () => harness.node,
			getInputData: () => harness.items(),
			getNodeParameter: (name: string, i: number, fallback?: unknown) => harness.getNodeParameter(name, i, fallback),
			getCurrentNodeParameter: (name: string) => harness.getNodeParameter(name, 0, ''),
			getCredentials: async (type: string) => await harness.getCredentials(type),
			continueOnFail: () => harness.options.continueOnFail ?? false,
			getExecutionCancelSignal: () => harness.options.abortSignal,
			getExecutionId: () => harness.execution.id,
			getMode: () => 'manual',
			getWorkflow: () => ({ id: 'wf-1', name: 'test', active: false }),
			logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
			customData: harness.execution.customDataApi(),
			// n8n prefixes '=' (NodeExecutionContext.evaluateExpression)
			evaluateExpression: (expression: string, i = 0) => resolveExpression(`=${expression}`, harness.scope(i)),
			putExecutionToWait: async (waitTill: Date) => harness.execution.putToWait(waitTill),
			getExecuteData: () => harness.execution.stackEntry,
		};
		ctx.helpers = {
			httpRequest: async (o: IHttpRequestOptions) => await httpRequest(o),
			async httpRequestWithAuthentication(this: typeof ctx, type: string, o: IHttpRequestOptions, additional?: never) {
				return await harness.httpRequestWithAuthentication(this as never, type, o, additional);
			},
			prepareBinaryData: async (d: Buffer | Readable, f?: string, m?: string) => await harness.prepareBinaryData(d, f, m),
			assertBinaryData: (i: number, name: string) => {
				const binary = harness.items()[i]?.binary?.[name];
				if (!binary) throw new NodeOperationError(harness.node, `This operation expects the node's input data to contain a binary file '${name}', but none was found [item ${i}]`);
				return binary;
			},
			getBinaryDataBuffer: async (i: number, name: string) => {
				const binary = harness.items()[i]?.binary?.[name];
				if (!binary) throw new Error(`no binary ${name}`);
				if (binary.id?.startsWith('filesystem-v2:')) return await fs.readFile(binary.id.slice('filesystem-v2:'.length));
				return Buffer.from(binary.data, 'base64');
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		};
		return ctx;
	}
}

/** Runs the node once over the items, as one n8n execution of that node. */
export async function runNode(options: RunOptions, store?: CredentialStore): Promise<RunResult & { harness: NodeHarness }> {
	const harness = new NodeHarness(options, store);
	harness.execution.enter(harness.node, harness.inputData);
	let output: unknown;
	try {
		output = await options.node.execute!.call(harness.context() as never);
	} catch (error) {
		harness.execution.status = 'error';
		throw error;
	}
	harness.execution.finishRun(output as INodeExecutionData[][]);
	return { output: output as INodeExecutionData[][], logs: harness.logs, customData: harness.customData, loginRuns: harness.store.preAuthRuns, harness };
}

/** Calls a loadOptions method as the node's editor would. */
export async function loadOptions(options: RunOptions, method: string) {
	const harness = new NodeHarness(options);
	const fn = (options.node.methods?.loadOptions as Record<string, (this: unknown) => Promise<unknown>>)[method];
	return await fn.call(harness.context());
}

/**
 * n8n's credential test (CredentialsTester.runRequestTest, n8n 2.41): preAuthentication (always,
 * when testing), the credential's authentication, the test request; an HTTP error fails the test,
 * an answer let through by ignoreHttpStatusErrors is checked against the responseSuccessBody rules.
 */
export async function testCredential(entry: CredentialEntry): Promise<{ ok: boolean; message?: string }> {
	const type = entry.type;
	const credentials = { ...entry.data };
	try {
		if (typeof type.preAuthentication === 'function') {
			Object.assign(credentials, await type.preAuthentication.call({ helpers: { httpRequest } } as never, credentials));
		}
		const test = type.test!;
		const resolved = resolveDeep(test.request, { $credentials: credentials }) as IHttpRequestOptions & { baseURL?: string };
		let request: IHttpRequestOptions = { ...resolved, url: `${resolved.baseURL ?? ''}${resolved.url ?? ''}`, baseURL: undefined, json: true };
		const auth = type.authenticate;
		if (typeof auth === 'function') request = await auth(credentials, request);
		else if (auth) {
			const props = resolveDeep(auth.properties, { $credentials: credentials }) as IDataObject;
			request = { ...request, headers: { ...request.headers, ...(props.headers as IDataObject) }, qs: { ...request.qs, ...(props.qs as IDataObject) } };
		}
		const config = toAxios(request);
		if (request.ignoreHttpStatusErrors) config.validateStatus = () => true;
		const response = await axios.request(config);
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseSuccessBody' && (response.data as IDataObject)?.[rule.properties.key] === rule.properties.value) {
				return { ok: false, message: rule.properties.message };
			}
		}
		return { ok: true };
	} catch (error) {
		const status = (error as { response?: { status?: number } }).response?.status;
		return { ok: false, message: status === undefined ? (error as Error).message : `Received HTTP status code: ${status}` };
	}
}
