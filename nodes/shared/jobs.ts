import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { prefetchStatuses } from './batchStatus';
import { callbackWait, submitForCallback } from './callback';
import { forEachItem, type ItemResult } from './items';
import { fetchResult } from './results';
import { routeByStatus } from './routeByStatus';
import { submitOperation } from './submitBatch';
import { jobFromParameters, type VideoProvider } from './videoProvider';

/** One status check per item; with Route by Status, outputs Completed, Failed and Running. */
export async function getStatusOperation(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
): Promise<INodeExecutionData[][]> {
	const prefetched = provider.getStatuses
		? await prefetchStatuses(ctx, provider.getStatuses, (i) => jobFromParameters(ctx, provider, i))
		: undefined;
	const items = await forEachItem(ctx, async (i) => {
		const known = prefetched?.get(i);
		if (known instanceof Error) throw known;
		return known ?? (await provider.getStatus(ctx, i, jobFromParameters(ctx, provider, i)));
	});
	if (!(ctx.getNodeParameter('routeByStatus', 0, false) as boolean)) return [items];
	return routeByStatus(items);
}

export async function getResultOperation(ctx: IExecuteFunctions, provider: VideoProvider) {
	return await forEachItem(ctx, async (i) => {
		const job = jobFromParameters(ctx, provider, i);
		const download = ctx.getNodeParameter('download', i, true) as boolean;
		const binaryPropertyName = download
			? (ctx.getNodeParameter('binaryPropertyName', i, 'data') as string)
			: '';
		return await fetchResult(ctx, provider, i, job, { download, binaryPropertyName });
	});
}

export type ItemOperation = (ctx: IExecuteFunctions, itemIndex: number) => Promise<ItemResult>;

/**
 * A provider node's execute(): the job operations it has (submit, getStatus, getResult, and
 * cancel where the provider offers it), then its own per-item operations.
 */
export async function routeOperation(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	itemOperations: Record<string, ItemOperation> = {},
): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0) as string;
	switch (operation) {
		case 'submit': {
			// Checked for every item before any request: a mix of wait methods is refused.
			const waits = callbackWait(ctx, provider);
			return [
				waits
					? await submitForCallback(ctx, provider, waits)
					: await submitOperation(ctx, provider),
			];
		}
		case 'getStatus':
			return await getStatusOperation(ctx, provider);
		case 'getResult':
			return [await getResultOperation(ctx, provider)];
	}
	const cancel = provider.cancel;
	const perItem: ItemOperation | undefined =
		operation === 'cancel' && cancel
			? async (c, i) => await cancel(c, i, jobFromParameters(c, provider, i))
			: itemOperations[operation];
	if (!perItem)
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" is not supported by ${provider.api.displayName}`,
		);
	return [await forEachItem(ctx, async (i) => await perItem(ctx, i))];
}
