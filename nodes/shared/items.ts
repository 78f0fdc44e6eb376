import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { ExecutionStopped } from './timing';

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

/** Reads the job id an error carries, so Continue On Fail still reports a created job. */
export function jobIdOf(error: unknown): string | undefined {
	const context = (error as { context?: IDataObject })?.context;
	return typeof context?.jobId === 'string' ? context.jobId : undefined;
}

/** Wraps anything thrown for item `i` in an n8n error that names the item (and the job, if any). */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof ExecutionStopped)
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** What Continue On Fail puts on an item: the message, and the job id when a job exists. */
export function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.errorDescription = error.description;
	const jobId = jobIdOf(error);
	if (jobId) json.jobId = jobId;
	return { json, pairedItem: { item: itemIndex } };
}

/** Normalises what an operation returned into output items paired with input item `i`. */
export function toItems(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) => {
		const item = isExecutionData(entry) ? entry : { json: entry };
		return { ...item, pairedItem: { item: itemIndex } };
	});
}

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}

export type NodeError = NodeApiError | NodeOperationError;

/**
 * An item's failure, the same for every item loop: a stop ends the node (as `stopped()` says), and
 * so does any failure without Continue On Fail (as `failed()` words it); with Continue On Fail the
 * error is returned, to go on the item.
 */
export async function itemFailure(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	how: {
		stopped?: () => Promise<Error>;
		failed?: (error: NodeError) => Error | Promise<Error>;
	} = {},
): Promise<NodeError> {
	if (error instanceof ExecutionStopped && how.stopped) throw await how.stopped();
	const nodeError = toNodeError(ctx, error, itemIndex);
	if (error instanceof ExecutionStopped) throw nodeError;
	if (!ctx.continueOnFail()) throw how.failed ? await how.failed(nodeError) : nodeError;
	return nodeError;
}

/**
 * The item loop: runs `operation` for every input item, pairs each output with its input, and
 * with Continue On Fail turns a failure into an item carrying `error` (and `jobId`).
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<ItemResult>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let i = 0; i < count; i++) {
		try {
			out.push(...toItems(await operation(i), i));
		} catch (error) {
			out.push(errorItem(await itemFailure(ctx, error, i), i));
		}
	}
	return out;
}
