/**
 * What is known of an execution that has not ended by the bench's timeout: its jobs at the fake
 * HiDream (state now, each callback and how n8n answered it, the status requests that asked for
 * them) and what n8n's main and worker logged about it, so a stuck run says where it stuck.
 */
import * as fs from 'node:fs';

import { HiDreamFake, type FakeServer } from '../../test/fakes';
import type { QueueStack } from './queueMode';

const at = (ms: number, since: number) => `${((ms - since) / 1000).toFixed(1)} s`;

function logLines(file: string, wanted: (line: string) => boolean): string[] {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').filter(wanted).slice(-8);
	} catch {
		return [];
	}
}

export function unfinishedExecution(stack: QueueStack, fakes: FakeServer, executionId: string, status: string, since: number): string {
	const fake = fakes.provider(HiDreamFake);
	const marker = `/webhook-waiting/${executionId}?`;
	const jobs = [...fake.jobs.values()].filter((job) => String(job.notifyUrl ?? '').includes(marker));
	const ids = new Set(jobs.map((job) => job.id));
	const asked = fakes.requests.filter((r) => {
		const list = (r.body as { task_id_list?: unknown } | undefined)?.task_id_list;
		return (Array.isArray(list) && list.some((id) => ids.has(id as string))) || ids.has(r.query.task_id);
	});
	const states = jobs.map((job) => {
		const results = fake.subTaskResults(job, fakes).map((r) => r.task_status).join('/');
		const calls = fake.callbacksFor(job.id).map((c) => `${at(c.at, since)} → ${c.status ?? c.error}`);
		return `${job.id} task_status ${results}, callbacks ${calls.join(', ') || 'none'}`;
	});
	const mentions = (line: string) => line.includes(executionId) || /error|warn/i.test(line);
	return [
		`execution ${executionId} is ${status}: ${jobs.length} jobs with its resume URL`,
		...states.map((line) => `  ${line}`),
		`  status requests asking for them: ${asked.length}${asked.length ? ` (last at ${at(Math.max(...asked.map((r) => r.at)), since)})` : ''}`,
		`  main log: ${logLines(stack.main.logFile, mentions).join(' | ') || 'nothing'}`,
		`  worker log: ${logLines(stack.worker.logFile, (line) => line.includes(`execution ${executionId} `)).join(' | ') || 'nothing'}`,
	].join('\n');
}
