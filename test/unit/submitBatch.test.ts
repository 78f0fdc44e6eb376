/**
 * The batch of submits on its own, with a provider written in the test (no HTTP): one record per
 * item, and the summary of a failed batch naming every other job by its exact id.
 */
import type { IExecuteFunctions, INodeType } from 'n8n-workflow';

import { jobOutput } from '../../nodes/shared/jobContract';
import { submitOperation } from '../../nodes/shared/submitBatch';
import type { VideoProvider } from '../../nodes/shared/videoProvider';
import { waitForCompletion } from '../../nodes/shared/waitForCompletion';
import { kvidApi } from '../../nodes/Kvid/transport';
import { runNode } from '../helpers/n8nContext';

/** Items name their job id and whether they wait; an item without a jobId fails its submit. */
function providerOf(statuses: Record<string, 'processing' | 'completed'>): VideoProvider {
	return {
		api: kvidApi,
		wait: waitForCompletion(1),
		submit: async (ctx, i) => {
			const jobId = ctx.getInputData()[i].json.jobId;
			if (typeof jobId !== 'string') throw new Error(`item ${i} refused`);
			return jobOutput('kvid', { jobId, status: 'queued', raw: {} });
		},
		getStatus: async (_ctx, _i, job) => jobOutput('kvid', { jobId: job.jobId, status: statuses[job.jobId] ?? 'processing', videoUrl: 'x', raw: {} }),
		getResult: async (_ctx, _i, job) => jobOutput('kvid', { jobId: job.jobId, status: 'completed', videoUrl: 'x', raw: {} }),
	};
}

function nodeOf(provider: VideoProvider): INodeType {
	return {
		description: { displayName: 'T', name: 't', group: [], version: 1, description: '', defaults: {}, inputs: [], outputs: [], properties: [] },
		execute: async function (this: IExecuteFunctions) {
			return [await submitOperation(this, provider)];
		},
	};
}

const waits = { waitForCompletion: true, waitOptions: { download: false, timeout: 1 } };

test('a failed submit names the followed job "1" although "item 1: job 7" was listed (ids compared exactly)', async () => {
	const items = [{ json: { jobId: '1' } }, { json: { jobId: '7' } }, { json: {} }];
	const node = nodeOf({ ...providerOf({}), wait: { ...waitForCompletion(1), read: (ctx, i) => (i === 0 ? waitForCompletion(1).read(ctx, i) : undefined) } });
	const error = await runNode({ node, parameters: { ...waits }, items, credentials: [] }).then(
		() => undefined,
		(e: Error & { description?: string }) => e,
	);
	expect(error?.message).toBe('item 2 refused');
	expect(error?.description).toContain('item 1: job 7 queued');
	expect(error?.description).toContain('item 0: job 1 submitted');
});

test('Continue On Fail: one output per item in item order, the failed submit as an error item', async () => {
	const items = [{ json: { jobId: 'a' } }, { json: {} }, { json: { jobId: 'b' } }];
	const { output } = await runNode({ node: nodeOf(providerOf({ a: 'completed', b: 'completed' })), parameters: { ...waits }, items, credentials: [], continueOnFail: true });
	expect(output[0].map((item) => [item.pairedItem, item.json.jobId ?? null, item.json.status ?? item.json.error])).toEqual([
		[{ item: 0 }, 'a', 'completed'],
		[{ item: 1 }, null, 'item 1 refused'],
		[{ item: 2 }, 'b', 'completed'],
	]);
});
