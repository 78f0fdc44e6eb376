/**
 * The status rounds behind Wait for Completion where a provider checks many jobs in one request:
 * which jobs a round asks for, and when a job takes an earlier round's answer instead of a request.
 * (The provider side, HiDream's batch endpoint over HTTP, is tested in hiDreamBatch.test.ts.)
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { StatusRounds, type JobLook } from '../../nodes/shared/batchStatus';
import type { JobOutput } from '../../nodes/shared/jobContract';

const ctx = { getExecutionCancelSignal: () => undefined } as unknown as IExecuteFunctions;
const output = (jobId: string, n: number): JobOutput => ({ provider: 'hiDream', jobId, status: 'processing', progress: n, videoUrl: null, error: null, raw: {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder() {
	const rounds: Array<Array<[string, boolean]>> = [];
	const getStatuses = async (_ctx: IExecuteFunctions, looks: JobLook[]) => {
		rounds.push(looks.map((l) => [l.job.jobId, Boolean(l.optional)]));
		return looks.map((l) => (l.job.jobId === 'broken' ? new Error('no such task') : output(l.job.jobId, rounds.length)));
	};
	return { rounds, getStatuses };
}

test('jobs falling due together share one round; every other followed job rides along as optional', async () => {
	const { rounds, getStatuses } = recorder();
	const statusRounds = new StatusRounds(ctx, getStatuses);
	// b and c are followed (they looked once before), a and b fall due now
	await Promise.all([statusRounds.look(1, { jobId: 'b' }), statusRounds.look(2, { jobId: 'c' })]);
	await sleep(20);
	const [a, b] = await Promise.all([statusRounds.look(0, { jobId: 'a' }), statusRounds.look(1, { jobId: 'b' })]);
	expect(rounds).toEqual([
		[
			['b', false],
			['c', false],
		],
		[
			['b', false],
			['c', true],
			['a', false],
		],
	]);
	expect([a.progress, b.progress]).toEqual([2, 2]);
});

test('a job takes a round’s answer taken in the second half of its pause, and asks itself when the answer is older', async () => {
	const { rounds, getStatuses } = recorder();
	const statusRounds = new StatusRounds(ctx, getStatuses);
	await Promise.all([statusRounds.look(0, { jobId: 'a' }), statusRounds.look(1, { jobId: 'b' })]);
	await sleep(200);
	// a falls due: the round also brings b's state
	await statusRounds.look(0, { jobId: 'a' });
	await sleep(60);
	// b falls due ~260 ms after its last look; the answer is ~60 ms old, within the second half: no request
	expect((await statusRounds.look(1, { jobId: 'b' })).progress).toBe(2);
	expect(rounds).toHaveLength(2);
	await sleep(300);
	await statusRounds.look(0, { jobId: 'a' });
	await sleep(600);
	// b's last look was ~950 ms ago and the latest answer ~600 ms old: too old, b is asked again
	expect((await statusRounds.look(1, { jobId: 'b' })).progress).toBe(4);
	expect(rounds).toHaveLength(4);
});

test('a job’s own error reaches only that job; a forgotten job is asked no more', async () => {
	const { rounds, getStatuses } = recorder();
	const statusRounds = new StatusRounds(ctx, getStatuses);
	const [ok, broken] = await Promise.allSettled([statusRounds.look(0, { jobId: 'a' }), statusRounds.look(1, { jobId: 'broken' })]);
	expect(ok.status).toBe('fulfilled');
	expect(broken).toMatchObject({ status: 'rejected', reason: new Error('no such task') });
	statusRounds.forget({ jobId: 'broken' });
	await statusRounds.look(0, { jobId: 'a' });
	expect(rounds[1]).toEqual([['a', false]]);
});
