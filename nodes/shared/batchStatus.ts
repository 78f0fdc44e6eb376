import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobOutput, JobRef } from './jobContract';
import { pause } from './timing';

/** A status check to make: the job, and the item it belongs to (named in its errors). */
export interface JobLook {
	itemIndex: number;
	job: JobRef;
	/** not due yet: asked only where it costs no request of its own (room in a batch request) */
	optional?: boolean;
}

/**
 * A provider's status check of many jobs at once, in the order given; an entry may be that job's
 * error, and is undefined for an optional look that was not asked.
 */
export type GetStatuses = (
	ctx: IExecuteFunctions,
	looks: JobLook[],
) => Promise<Array<JobOutput | Error | undefined>>;

/**
 * How long a due check waits for others falling due at the same moment before its round is sent.
 */
const GATHER_MS = 50;

interface Followed extends JobLook {
	/** when the job itself last took an answer */
	lastLookAt: number;
	answer?: { at: number; result: JobOutput | Error };
}

const keyOf = (job: JobRef) => JSON.stringify(job);

/**
 * Status rounds for Wait for Completion where the provider checks many jobs in one request. Each
 * job keeps its own pace (follow()'s schedule), but when one falls due, every job still followed
 * is asked in the same round, so a job that falls due soon after finds a fresh answer and costs
 * no request. An answer counts as fresh when it is newer than the second half of the job's pause:
 * never older than a look of its own would have been by more than half its pause.
 */
export class StatusRounds {
	private readonly followed = new Map<string, Followed>();
	/** the jobs waiting for the round being gathered */
	private readonly due = new Set<string>();
	private gathering?: Promise<void>;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly getStatuses: GetStatuses,
	) {}

	/** The job ended (or is given up): it is asked no more. */
	forget(job: JobRef): void {
		this.followed.delete(keyOf(job));
	}

	/** The job's state now: a fresh answer of an earlier round, or the answer of the next round. */
	look = async (itemIndex: number, job: JobRef): Promise<JobOutput> => {
		const now = Date.now();
		let followed = this.followed.get(keyOf(job));
		if (!followed) this.followed.set(keyOf(job), (followed = { itemIndex, job, lastLookAt: now }));
		const fresh =
			followed.answer && followed.answer.at > followed.lastLookAt + (now - followed.lastLookAt) / 2;
		if (!fresh) {
			this.due.add(keyOf(job));
			await this.nextRound();
		}
		followed.lastLookAt = Date.now();
		const result = (followed.answer as Followed['answer'] & object).result;
		if (result instanceof Error) throw result;
		return result;
	};

	/** Joins the round being gathered, or gathers one; a round already sent is not joined. */
	private async nextRound(): Promise<void> {
		this.gathering ??= (async () => {
			try {
				await pause(GATHER_MS, this.ctx.getExecutionCancelSignal());
			} finally {
				this.gathering = undefined;
			}
			await this.send();
		})();
		await this.gathering;
	}

	private async send(): Promise<void> {
		const looks = [...this.followed].map(([key, followed]) => ({
			followed,
			look: { itemIndex: followed.itemIndex, job: followed.job, optional: !this.due.has(key) },
		}));
		this.due.clear();
		const at = Date.now();
		const results = await this.getStatuses(
			this.ctx,
			looks.map((l) => l.look),
		);
		looks.forEach(({ followed }, n) => {
			const result = results[n];
			if (result !== undefined) followed.answer = { at, result };
		});
	}
}

/**
 * Get Status over many items: every item's status from as few requests as the provider allows,
 * keyed by item. Items whose job reference is invalid are left out (their own check reports it).
 */
export async function prefetchStatuses(
	ctx: IExecuteFunctions,
	getStatuses: GetStatuses,
	refOf: (itemIndex: number) => JobRef,
): Promise<Map<number, JobOutput | Error>> {
	const looks: JobLook[] = [];
	for (let i = 0; i < ctx.getInputData().length; i++) {
		try {
			looks.push({ itemIndex: i, job: refOf(i) });
		} catch {
			// reported when the item is run on its own
		}
	}
	const results = looks.length > 1 ? await getStatuses(ctx, looks) : [];
	const byItem = new Map<number, JobOutput | Error>();
	results.forEach((result, n) => result !== undefined && byItem.set(looks[n].itemIndex, result));
	return byItem;
}
