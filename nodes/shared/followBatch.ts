import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { StatusRounds } from './batchStatus';
import { follow, type Batch, type Followed } from './follow';
import { RenderTimeEstimate } from './renderTimeEstimate';
import { ExecutionStopped, Semaphore } from './timing';
import { jobFromOutput, type VideoProvider } from './videoProvider';

/** Status checks at once where the provider has no batch endpoint. */
export const STATUS_CONCURRENCY = 8;
/** Videos downloaded at once. */
export const DOWNLOAD_CONCURRENCY = 2;

/**
 * What the jobs of one Submit share while they are followed: status checks (or status rounds),
 * downloads, and what the batch learns about the render time. `follow(f)` follows one job from
 * its submit on; `giveUp()` ends every follow still waiting (a submit failed, the node stops).
 */
export function followBatch(ctx: IExecuteFunctions, provider: VideoProvider) {
	const statusChecks = new Semaphore(STATUS_CONCURRENCY);
	const rounds = provider.getStatuses && new StatusRounds(ctx, provider.getStatuses);
	let giveUp = (): void => undefined;
	const givenUp = new Promise<never>((_, reject) => {
		giveUp = () => reject(new ExecutionStopped());
	});
	givenUp.catch(() => undefined);
	const batch: Batch = {
		look: rounds
			? rounds.look
			: async (i, job) => await statusChecks.run(async () => await provider.getStatus(ctx, i, job)),
		downloads: new Semaphore(DOWNLOAD_CONCURRENCY),
		estimate: rounds ? undefined : new RenderTimeEstimate<Followed>(),
		signal: ctx.getExecutionCancelSignal(),
		givenUp,
	};
	const followOne = (f: Followed): Promise<INodeExecutionData> => {
		const result = follow(ctx, provider, f, batch).finally(() => {
			rounds?.forget(jobFromOutput(provider, f.submitted));
			batch.estimate?.left(f);
		});
		// Awaited once the submits are done: a job failing before that is not an unhandled rejection.
		result.catch(() => undefined);
		return result;
	};
	return { giveUp, follow: followOne };
}
