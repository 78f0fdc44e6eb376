/**
 * The batch's render-time estimate (`RenderTimeEstimate`), pure: what it answers for the next
 * look of each job, given what earlier looks found. Times are ms after each job's submit.
 */
import { jobOutput, type JobOutput } from '../../nodes/shared/jobContract';
import { RenderTimeEstimate } from '../../nodes/shared/renderTimeEstimate';

const CAP = 30_000;
const state = (status: JobOutput['status'], progress: number | null = null) => jobOutput('cdnVideo', { jobId: 'j', status, progress, raw: {} });
const running = state('processing');
const done = state('completed');

/** jobs are plain objects: the estimate tells them apart by identity */
const jobs = (n: number) => Array.from({ length: n }, (_, i) => ({ n: i }));

/** a scout looked at on the usual no-progress schedule (3, 7.8, 15.5, 27.8 s) that is seen finished at 27.8 s */
function firstWave(estimate: RenderTimeEstimate, scout: object) {
	expect(estimate.pauseBeforeLook(scout, 0, 0, CAP)).toBeUndefined();
	for (const at of [3_000, 7_800, 15_500]) estimate.looked(scout, at, running);
	estimate.looked(scout, 27_800, done);
}

describe('RenderTimeEstimate', () => {
	test('with nothing learned, the first job scouts on the usual schedule and the others wait for it, at most the cap', () => {
		const estimate = new RenderTimeEstimate();
		const [scout, a, b] = jobs(3);
		expect(estimate.pauseBeforeLook(scout, 0, 0, CAP)).toBeUndefined();
		expect(estimate.pauseBeforeLook(a, 100, 0, CAP)).toEqual({ ms: CAP - 100, untilChange: true });
		expect(estimate.pauseBeforeLook(b, 200, 0, CAP)).toEqual({ ms: CAP - 200, untilChange: true });
		// the scout's later looks stay on the usual schedule until something is learned
		estimate.looked(scout, 3_000, running);
		expect(estimate.pauseBeforeLook(scout, 3_000, 1, CAP)).toBeUndefined();
		// a waiting job past the cap looks on its own
		expect(estimate.pauseBeforeLook(a, CAP, 0, CAP)).toBeUndefined();
	});

	test('when the scout finishes, the waiting jobs are woken and look once, when the scout was seen finished', async () => {
		const estimate = new RenderTimeEstimate();
		const [scout, a, b] = jobs(3);
		estimate.pauseBeforeLook(scout, 0, 0, CAP);
		estimate.pauseBeforeLook(a, 50, 0, CAP);
		const woken = estimate.changed.then(() => 'woken');
		firstWave(estimate, scout);
		await expect(woken).resolves.toBe('woken');
		expect(estimate.pauseBeforeLook(a, 27_850, 0, CAP)).toEqual({ ms: 0, untilChange: false });
		// a job that did not wait (submitted later) is the next scout: its next step between the bounds (15.5 s, 27.8 s]
		expect(estimate.pauseBeforeLook(b, 20_000, 0, CAP)).toEqual({ ms: 113, untilChange: false });
	});

	test('a later job scouts between the learned bounds in eighths of their gap, then the others look at the new bound', () => {
		const estimate = new RenderTimeEstimate();
		const [first, scout, a] = jobs(3);
		firstWave(estimate, first);
		// bounds (15.5 s, 27.8 s]: steps of 1.54 s from 15.5 s
		expect(estimate.pauseBeforeLook(scout, 0, 0, CAP)).toEqual({ ms: 17_038, untilChange: false });
		expect(estimate.pauseBeforeLook(a, 10, 0, CAP)).toEqual({ ms: CAP - 10, untilChange: true });
		estimate.looked(scout, 17_040, running);
		expect(estimate.pauseBeforeLook(scout, 17_040, 1, CAP)).toEqual({ ms: 18_575 - 17_040, untilChange: false });
		estimate.looked(scout, 18_580, running);
		expect(estimate.pauseBeforeLook(scout, 18_580, 2, CAP)).toEqual({ ms: 20_113 - 18_580, untilChange: false });
		estimate.looked(scout, 20_120, done);
		// the waiting job looks at the new upper bound after its own submit
		expect(estimate.pauseBeforeLook(a, 20_100, 0, CAP)).toEqual({ ms: 20, untilChange: false });
	});

	test('steps are never shorter than 1 s, and past the upper bound the usual schedule applies', () => {
		const estimate = new RenderTimeEstimate();
		const [first, scout] = jobs(2);
		estimate.pauseBeforeLook(first, 0, 0, CAP);
		estimate.looked(first, 19_000, running);
		estimate.looked(first, 21_000, done);
		expect(estimate.pauseBeforeLook(scout, 0, 0, CAP)).toEqual({ ms: 20_000, untilChange: false });
		estimate.looked(scout, 20_000, running);
		expect(estimate.pauseBeforeLook(scout, 20_000, 1, CAP)).toEqual({ ms: 1_000, untilChange: false });
		estimate.looked(scout, 21_000, running);
		expect(estimate.pauseBeforeLook(scout, 21_000, 2, CAP)).toBeUndefined();
	});

	test('never later than the cap: a learned bound past the cap is held to it', () => {
		const estimate = new RenderTimeEstimate();
		const [first, scout] = jobs(2);
		estimate.pauseBeforeLook(first, 0, 0, CAP);
		estimate.looked(first, 100_000, running);
		estimate.looked(first, 130_000, done);
		expect(estimate.pauseBeforeLook(scout, 0, 0, CAP)).toEqual({ ms: CAP, untilChange: false });
	});

	test('a look that reports progress turns the estimate off for the batch and wakes the waiting jobs', async () => {
		const estimate = new RenderTimeEstimate();
		const [scout, a] = jobs(2);
		estimate.pauseBeforeLook(scout, 0, 0, CAP);
		expect(estimate.pauseBeforeLook(a, 0, 0, CAP)?.untilChange).toBe(true);
		const woken = estimate.changed;
		estimate.looked(scout, 3_000, state('processing', 15));
		await woken;
		expect(estimate.pauseBeforeLook(a, 3_000, 0, CAP)).toBeUndefined();
		expect(estimate.pauseBeforeLook(scout, 3_000, 1, CAP)).toBeUndefined();
	});

	test('a scout that fails or leaves teaches nothing: a waiting job becomes the next scout', async () => {
		const estimate = new RenderTimeEstimate();
		const [scout, a, b] = jobs(3);
		estimate.pauseBeforeLook(scout, 0, 0, CAP);
		estimate.pauseBeforeLook(a, 0, 0, CAP);
		estimate.pauseBeforeLook(b, 0, 0, CAP);
		const woken = estimate.changed;
		estimate.looked(scout, 4_000, state('failed'));
		await woken;
		expect(estimate.pauseBeforeLook(a, 4_000, 0, CAP)).toBeUndefined();
		expect(estimate.pauseBeforeLook(b, 4_000, 0, CAP)).toEqual({ ms: CAP - 4_000, untilChange: true });
		const next = estimate.changed;
		estimate.left(a);
		await next;
		expect(estimate.pauseBeforeLook(b, 5_000, 0, CAP)).toBeUndefined();
	});

	test('bounds of jobs that disagree: the upper bound is the earliest finish, the lower the latest running look below it', () => {
		const estimate = new RenderTimeEstimate();
		const [slow, fast, scout] = jobs(3);
		estimate.looked(slow, 40_000, running);
		estimate.looked(slow, 50_000, done);
		estimate.looked(fast, 10_000, running);
		estimate.looked(fast, 18_000, done);
		// (10 s, 18 s]: steps of 1 s from 10 s; the slow job's 40 s running look is above the bound and ignored
		expect(estimate.pauseBeforeLook(scout, 0, 0, CAP)).toEqual({ ms: 11_000, untilChange: false });
	});
});
