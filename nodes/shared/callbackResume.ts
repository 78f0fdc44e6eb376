import type {
	IDataObject,
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { finishedItems, statesOf, type WaitingJob } from './callbackJobs';
import type { JobOutput } from './jobContract';
import type { VideoProvider } from './videoProvider';

/**
 * Waits (an execution and the jobs it waits for) this process has resumed, and when: the callbacks
 * of the other jobs, arriving while the videos are fetched, must not resume the execution (and
 * download everything) a second time.
 */
const resumed = new Map<string, number>();
const RESUME_CLAIM_MS = 60 * 60_000;

function claim(wait: string): boolean {
	const now = Date.now();
	for (const [key, at] of resumed) if (now - at > RESUME_CLAIM_MS) resumed.delete(key);
	if (resumed.has(wait)) return false;
	resumed.set(wait, now);
	return true;
}

/**
 * Per wait, the jobs the provider has already reported ended: each callback asks only about the
 * others (twenty jobs calling back one by one cost twenty checks, not four hundred).
 */
const endedJobs = new Map<string, { at: number; states: Map<string, JobOutput> }>();

async function statesWithEnded(
	wait: string,
	ctx: IExecuteFunctions,
	provider: VideoProvider,
	jobs: WaitingJob[],
): Promise<Array<JobOutput | null | undefined>> {
	const now = Date.now();
	for (const [key, entry] of endedJobs) if (now - entry.at > RESUME_CLAIM_MS) endedJobs.delete(key);
	const known = endedJobs.get(wait)?.states ?? new Map<string, JobOutput>();
	const jobIdOf = (job: WaitingJob) => String(job.json.jobId);
	const unknown = jobs.filter((job) => job.final || !known.has(jobIdOf(job)));
	const asked = await statesOf(ctx, provider, unknown);
	unknown.forEach((job, n) => {
		const state = asked[n];
		if (state) known.set(jobIdOf(job), state);
	});
	endedJobs.set(wait, { at: now, states: known });
	return jobs.map((job) => (job.final ? null : known.get(jobIdOf(job))));
}

/** What the provider is answered while the execution goes on waiting: 200, so it stops retrying. */
const STILL_WAITING: IWebhookResponseData = { webhookResponse: { received: true } };

/**
 * The provider called the execution's resume URL. Nothing in the call is trusted: the provider is
 * asked for the state of every job of the execution, and the execution resumes, with the videos,
 * only when all have ended. Otherwise (an early call, a forged or unknown one) it keeps waiting.
 */
export async function resumeOnCallback(
	ctx: IWebhookFunctions,
	providerOf: (view: IExecuteFunctions) => VideoProvider,
): Promise<IWebhookResponseData> {
	const jobs = waitingJobsOf(ctx);
	if (jobs.length === 0) return STILL_WAITING;
	// One wait of the execution: a loop puts the same execution to wait again, for other jobs.
	const wait = `${ctx.getExecutionId()}:${jobs.map((job) => String(job.json.jobId)).join(',')}`;
	// Already being resumed here: the other jobs' calls cost no status check.
	if (resumed.has(wait)) return STILL_WAITING;
	const view = executeView(ctx);
	const provider = providerOf(view);
	const states = await statesWithEnded(wait, view, provider, jobs);
	if (states.some((state) => state === undefined)) return STILL_WAITING;
	if (!claim(wait)) return STILL_WAITING;
	endedJobs.delete(wait);
	// Answered now: the provider need not wait (HiDream gives up after 5 s) for the downloads.
	ctx.getResponseObject().status(200).json({ received: true });
	const items = await finishedItems(view, provider, jobs, states);
	return { noWebhookResponse: true, workflowData: [items] };
}

/** The execution's jobs: the items Submit left as its input when it put the execution to wait. */
function waitingJobsOf(ctx: IWebhookFunctions): WaitingJob[] {
	// `$input.all()` gives items, or each item's json where the workflow's binary mode is 'combined'
	const stacked = ctx.evaluateExpression('{{ $input.all() }}', 0);
	if (!Array.isArray(stacked)) return [];
	return stacked.flatMap((value): WaitingJob[] => {
		const item = value as IDataObject | undefined;
		const json = (item?.json && typeof item.json === 'object' ? item.json : item) as IDataObject;
		const wait = json?.callbackWait as IDataObject | undefined;
		if (!wait || typeof wait.itemIndex !== 'number') return [];
		const job: IDataObject = { ...json };
		delete job.callbackWait;
		delete job.timedOut;
		if (!wait.final) job.error = null;
		return [
			{
				itemIndex: wait.itemIndex,
				json: job,
				final: wait.final === true,
				download: wait.download !== false,
				binaryPropertyName: String(wait.binaryPropertyName ?? 'data'),
				deadline: String(wait.deadline),
			},
		];
	});
}

/**
 * The webhook's context seen as the execution's, for the job operations: status checks, results
 * and downloads need its credentials, helpers and node; nothing here is stopped by the user.
 */
function executeView(ctx: IWebhookFunctions): IExecuteFunctions {
	return Object.create(ctx, {
		getExecutionCancelSignal: { value: () => undefined },
		continueOnFail: { value: () => true },
		getNodeParameter: {
			value: (name: string, _itemIndex: number, fallback?: unknown) =>
				ctx.getNodeParameter(name, fallback),
		},
	}) as IExecuteFunctions;
}
