import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { finishedItems, statesOf, type WaitingJob } from './callbackJobs';
import type { JobOutput } from './jobContract';
import { submitOperation } from './submitBatch';
import { inputCheck } from './validation';
import type { VideoProvider } from './videoProvider';
import type { WaitOptions } from './waitForCompletion';

/**
 * The webhook lifecycle, for n8n's activation of a workflow. There is nothing to register at the
 * provider: the callback URL goes with each job's submit, and n8n does not activate resume
 * webhooks (`restartWebhook`) at all.
 */
export const callbackLifecycle = {
	/** nothing is registered at the provider, so nothing is missing */
	checkExists: async (): Promise<boolean> => await Promise.resolve(true),
	create: async (): Promise<boolean> => await Promise.resolve(true),
	delete: async (): Promise<boolean> => await Promise.resolve(true),
};

/** The Wait Options of every item when Submit waits for the provider's callback, else undefined. */
export function callbackWait(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
): WaitOptions[] | undefined {
	const callback = provider.callback;
	const count = ctx.getInputData().length;
	if (!callback || count === 0) return undefined;
	const waits = Array.from({ length: count }, (_, i) => provider.wait.read(ctx, i));
	const isCallback = (i: number) => waits[i]?.method === 'callback';
	const callbackAt = waits.findIndex((_, i) => isCallback(i));
	if (callbackAt === -1) return undefined;
	// One execution waits for all its items: a mix of ways to wait cannot be honoured. The item
	// named is the first that differs from item 0.
	const differentAt = isCallback(0) ? waits.findIndex((_, i) => !isCallback(i)) : callbackAt;
	if (differentAt !== -1) {
		const fieldOf = (i: number) => (waits[i] ? 'waitMethod' : 'waitForCompletion');
		const how = (i: number) =>
			!waits[i] ? 'does not wait' : isCallback(i) ? 'waits for the callback' : 'waits by poll';
		inputCheck(ctx.getNode(), differentAt).fail(
			fieldOf(isCallback(0) ? differentAt : 0),
			`must be the same for every item: item 0 ${how(0)}, item ${differentAt} ${how(differentAt)}`,
			'One execution waits for all its items: set Wait for Completion and Wait Method alike for all.',
		);
	}
	waits.forEach((_, i) => {
		const check = inputCheck(ctx.getNode(), i);
		// n8n names a node used as an AI Agent's tool <type>Tool: a tool call cannot park the execution.
		if (ctx.getNode().type.endsWith('Tool')) {
			check.fail(
				'waitMethod',
				'cannot be "callback" when the node is an AI Agent\'s tool',
				'An agent waits for its tool to answer: use Wait Method Poll.',
			);
		}
		const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
		if (options[callback.option] !== undefined && options[callback.option] !== '') {
			check.fail(
				`options.${callback.option}`,
				'cannot be set together with Wait Method "Callback": the node gives the provider the execution\'s resume URL itself',
				'Remove the option, or set Wait Method to Poll and resume a Wait node with it.',
			);
		}
	});
	return waits as WaitOptions[];
}

/**
 * Submit with Wait Method Callback: every item is submitted with the execution's resume URL as
 * the provider's callback, and the execution waits in n8n until the node's webhook sees every job
 * finished, or until the latest Timeout. What comes out at the deadline (n8n passes the node's
 * stacked input through without calling it) is each job saying it timed out; the webhook reads the
 * same items to know the execution's jobs.
 */
export async function submitForCallback(
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	waits: WaitOptions[],
): Promise<INodeExecutionData[]> {
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const submitted = await submitOperation(ctx, {
		...provider,
		submit: async (c, i) => await provider.submit(c, i, resumeUrl),
		wait: { ...provider.wait, read: () => undefined },
	});
	// The resume URL (with n8n's signature) is the node's business, not the workflow's.
	for (const item of submitted)
		for (const [key, value] of Object.entries(item.json))
			if (value === resumeUrl) item.json[key] = null;
	const startedAt = Date.now();
	const jobs: WaitingJob[] = submitted.map((item) => {
		const itemIndex = (item.pairedItem as { item: number }).item;
		const w = waits[itemIndex];
		return {
			itemIndex,
			json: item.json,
			final: typeof item.json.jobId !== 'string' || item.json.status === undefined,
			download: w.download,
			binaryPropertyName: w.binaryPropertyName,
			deadline: new Date(startedAt + w.timeoutMs).toISOString(),
		};
	});
	// Renders that ended while the others were submitted called back too early to be heard:
	// one look now, and the execution need not wait at all when every job is done.
	const states = await statesOf(ctx, provider, jobs);
	if (states.every((s) => s !== undefined)) return await finishedItems(ctx, provider, jobs, states);

	const stacked = jobs.map((job, n) => deadlineItem(provider, job, states[n]));
	// n8n hands these to the webhook as its input, and passes them on if the deadline comes first.
	ctx.getExecuteData().data = { main: [stacked] };
	const latest = Math.max(...jobs.map((j) => Date.parse(j.deadline)));
	await ctx.putExecutionToWait(new Date(latest));
	return submitted;
}

/** A job as the node's output at the deadline: it says it timed out, with its last known state. */
function deadlineItem(
	provider: VideoProvider,
	job: WaitingJob,
	state: JobOutput | null | undefined,
): INodeExecutionData {
	const json: IDataObject = { ...job.json, ...(state ?? {}) };
	if (state === undefined) {
		json.timedOut = true;
		json.error =
			`${provider.api.displayName} did not report job ${String(json.jobId)} finished by the ` +
			`deadline (${job.deadline}); it may still be rendering. Check it with Get Status.`;
	}
	json.callbackWait = {
		itemIndex: job.itemIndex,
		final: job.final,
		download: job.download,
		binaryPropertyName: job.binaryPropertyName,
		deadline: job.deadline,
	};
	return { json, pairedItem: { item: job.itemIndex } };
}
