/**
 * One n8n execution as the node sees it across a wait (n8n-core 2.41): its id and resume token
 * (`$execution.resumeUrl` = `<webhookWaitingBaseUrl>/<id>?signature=<token>`, the token 64 hex
 * characters as n8n's generateSecureToken), `waitTill` set by putExecutionToWait, the node's stack
 * entry (`getExecuteData()`: what the node leaves in its `data` is what n8n saves and later hands to
 * the webhook as input, or passes through at the deadline), custom data with n8n's rules, and how
 * the execution ended: resumed by the webhook with its workflowData, or by the deadline.
 */
import { randomBytes } from 'node:crypto';
import type { IExecuteData, INode, INodeExecutionData } from 'n8n-workflow';

export type ExecutionStatus = 'running' | 'waiting' | 'success' | 'error';

let executionCounter = 0;

/** n8n's execution-metadata.ts: 10 keys, letters/digits/underscore keys (an error in manual mode), values cut at 512 */
const KV_LIMIT = 10;

export class FakeExecution {
	/** n8n's execution ids are numeric strings */
	readonly id = String(1000 + ++executionCounter);
	readonly resumeToken = randomBytes(32).toString('hex');
	status: ExecutionStatus = 'running';
	/** set by putExecutionToWait; cleared on resume */
	waitTill?: Date;
	/** what putExecutionToWait was called with, in order */
	readonly waitCalls: Date[] = [];
	readonly customData: Record<string, string> = {};
	/** the node's entry on the execution stack (getExecuteData()), set when the node runs */
	stackEntry?: IExecuteData;
	/** the node's output once resumed (by its webhook, or the stacked items at the deadline) */
	output?: INodeExecutionData[][];
	resumedBy?: 'webhook' | 'deadline';
	/** resumes refused because the execution was no longer waiting (n8n: ExecutionAlreadyResumingError) */
	refusedResumes = 0;

	constructor(public webhookWaitingBaseUrl = 'http://127.0.0.1:5678/webhook-waiting') {}

	get resumeUrl(): string {
		const url = new URL(`${this.webhookWaitingBaseUrl}/${this.id}`);
		url.searchParams.set('signature', this.resumeToken);
		return url.toString();
	}

	/** the items on the node's stack entry: the webhook's input, and what the deadline passes through */
	get stackedItems(): INodeExecutionData[] {
		return this.stackEntry?.data.main[0] ?? [];
	}

	/** the node runs (again, in a loop: the execution keeps its id and resume token); its stack entry's `data` is its input */
	enter(node: INode, data: { main: INodeExecutionData[][] }): IExecuteData {
		this.status = 'running';
		this.output = undefined;
		this.resumedBy = undefined;
		this.stackEntry = { node, data, source: { main: [{ previousNode: 'When clicking ‘Execute workflow’' }] } };
		return this.stackEntry;
	}

	/** BaseExecuteContext.putExecutionToWait */
	putToWait(waitTill: Date): void {
		this.waitTill = waitTill;
		this.waitCalls.push(waitTill);
	}

	/** after execute() returned: saved as waiting when the node asked to wait, else finished */
	finishRun(output: INodeExecutionData[][]): void {
		if (this.waitTill) this.status = 'waiting';
		else {
			this.status = 'success';
			this.output = output;
		}
	}

	/** the webhook returned workflowData: n8n resumes only a waiting execution, once */
	resume(workflowData: INodeExecutionData[][]): boolean {
		if (this.status !== 'waiting') {
			this.refusedResumes++;
			return false;
		}
		this.status = 'success';
		this.waitTill = undefined;
		this.output = workflowData;
		this.resumedBy = 'webhook';
		return true;
	}

	/** waitTill passed: n8n resumes without calling the node, its stacked input passes through to output 0 */
	passDeadline(): boolean {
		if (this.status !== 'waiting') return false;
		this.status = 'success';
		this.waitTill = undefined;
		this.output = [this.stackedItems];
		this.resumedBy = 'deadline';
		return true;
	}

	/** the execution's customData (n8n-core's createExecutionCustomData, manual mode) */
	customDataApi() {
		const data = this.customData;
		const set = (key: string, value: unknown) => {
			if (!(key in data) && Object.keys(data).length >= KV_LIMIT) return;
			if (typeof key !== 'string' || key.replace(/[\p{L}\p{N}\p{M}_]/gu, '').length !== 0) {
				throw new Error(`Custom data key can only contain letters, numbers, and underscores (key "${key}")`);
			}
			if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') throw new Error(`Custom data value of key "${key}" is not a string`);
			data[key.slice(0, 50)] = String(value).slice(0, 512);
		};
		return {
			set,
			setAll: (o: Record<string, string>) => Object.entries(o).forEach(([k, v]) => set(k, v)),
			get: (k: string) => data[String(k).slice(0, 50)],
			getAll: () => ({ ...data }),
		};
	}
}
