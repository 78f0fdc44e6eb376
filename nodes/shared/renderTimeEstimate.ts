import type { JobOutput } from './jobContract';

/** The shortest step between two looks of a scout inside the learned bounds. */
const MIN_STEP_MS = 1_000;
/** Looks a scout spends between the learned bounds: the later look is at most 1/8 of their gap late. */
const STEPS = 8;

/** What the estimate says about the pause before a job's next look, where it has something to say. */
export interface LearnedPause {
	ms: number;
	/** true: the job waits for the batch's scout; wake it when `changed` settles and ask again */
	untilChange: boolean;
}

/**
 * What one Wait for Completion batch learns from its own jobs, where the provider reports no
 * progress (CDNvideo, kvid's legacy API, HiDream without completion). Jobs submitted together take
 * about as long, so one job at a time, the scout, is looked at; the others not yet looked at wait
 * for it to finish (at most the poll cap after their submit) and then look once. Every finished
 * job bounds the render time: longer than when it was last seen running, no longer than when it
 * was first seen finished; a later scout looks between those bounds in small steps instead of on
 * the growing schedule. Times are milliseconds after each job's own submit. A look that reports
 * progress turns the estimate off for the batch: progress gives better answers.
 */
export class RenderTimeEstimate<Job extends object = object> {
	private readonly finished: Array<{ lo: number; hi: number }> = [];
	private readonly lastRunning = new Map<Job, number>();
	/** the scout each waiting job waits for, by the number of scouts that had ended when it began */
	private readonly waitingSince = new Map<Job, number>();
	private scout: Job | undefined;
	private scoutsEnded = 0;
	private off = false;
	private wake: () => void = () => undefined;
	/** settles when the scout ends or the estimate turns off; waiting jobs then ask again */
	changed: Promise<void> = this.nextChange();

	/**
	 * The pause before the next look of `job`, `elapsedMs` after its submit, after `polls` looks;
	 * undefined where the usual schedule applies. Never longer than `capMs`.
	 */
	pauseBeforeLook(
		job: Job,
		elapsedMs: number,
		polls: number,
		capMs: number,
	): LearnedPause | undefined {
		if (this.off) return undefined;
		const bounds = this.bounds();
		const look = (atMs: number): LearnedPause => ({
			ms: Math.min(capMs, Math.max(0, atMs - elapsedMs)),
			untilChange: false,
		});
		if (polls > 0) {
			const step = job === this.scout && bounds ? this.stepAfter(bounds, elapsedMs) : undefined;
			return step === undefined ? undefined : look(step);
		}
		const since = this.waitingSince.get(job);
		if (since !== undefined && since < this.scoutsEnded && bounds) return look(bounds.hi);
		if (this.scout === undefined || this.scout === job) {
			this.scout = job;
			this.waitingSince.delete(job);
			const step = bounds ? this.stepAfter(bounds, elapsedMs) : undefined;
			return step === undefined ? undefined : look(step);
		}
		if (elapsedMs >= capMs) return undefined;
		if (since === undefined || since < this.scoutsEnded)
			this.waitingSince.set(job, this.scoutsEnded);
		return { ms: capMs - elapsedMs, untilChange: true };
	}

	/** Records what a look at `job`, `elapsedMs` after its submit, found. */
	looked(job: Job, elapsedMs: number, output: JobOutput): void {
		if (output.status === 'queued' || output.status === 'processing') {
			if (output.progress !== null) this.turnOff();
			else this.lastRunning.set(job, elapsedMs);
			return;
		}
		if (output.status === 'completed')
			this.finished.push({ lo: this.lastRunning.get(job) ?? 0, hi: elapsedMs });
		this.left(job);
	}

	/** The job is no longer followed (finished, failed, timed out, stopped). */
	left(job: Job): void {
		this.waitingSince.delete(job);
		this.lastRunning.delete(job);
		if (this.scout !== job) return;
		this.scout = undefined;
		this.scoutsEnded++;
		this.wake();
	}

	/**
	 * The render takes longer than `lo` and no longer than `hi`: the earliest a job was first seen
	 * finished, and the latest any finished job was seen running before that.
	 */
	private bounds(): { lo: number; hi: number } | undefined {
		if (!this.finished.length) return undefined;
		const hi = Math.min(...this.finished.map((f) => f.hi));
		const lo = Math.max(0, ...this.finished.map((f) => f.lo).filter((lo) => lo < hi));
		return { lo, hi };
	}

	/** The scout's next look between the bounds, or undefined once past them. */
	private stepAfter({ lo, hi }: { lo: number; hi: number }, elapsedMs: number): number | undefined {
		if (elapsedMs >= hi) return undefined;
		const step = Math.max(MIN_STEP_MS, (hi - lo) / STEPS);
		const next = elapsedMs < lo ? lo + step : lo + step * (Math.floor((elapsedMs - lo) / step) + 1);
		return Math.round(Math.min(next, hi));
	}

	private turnOff(): void {
		this.off = true;
		this.wake();
	}

	private nextChange(): Promise<void> {
		return new Promise((resolve) => {
			this.wake = () => {
				resolve();
				this.changed = this.nextChange();
			};
		});
	}
}
