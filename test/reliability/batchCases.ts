/**
 * Faults of HiDream's batch results endpoint, which follows many jobs in one request: data only,
 * run by `batch.test.ts` and written into test/RELIABILITY.md by `table.ts`.
 */
import type { FaultShape } from './matrix';

export interface BatchFault {
	id: string;
	shape: FaultShape;
	/** how many batch requests it answers (Infinity: every one) */
	times: number;
	/** the batch request is retried and answers; or the node asks each task at its own results path */
	expect: 'retried' | 'oneByOne';
	/** batch requests the fake receives in the run */
	batchRequests: number;
	hangs?: true;
}

export const BATCH_OPERATIONS = ['getStatus ×3', 'submit+wait ×3'] as const;
export type BatchOperation = (typeof BATCH_OPERATIONS)[number];

const HTML = '<!DOCTYPE html><html><body><h1>503</h1></body></html>';

export const BATCH_FAULTS: BatchFault[] = [
	{ id: '429 + Retry-After: 1, once', shape: { status: 429, headers: { 'Retry-After': '1' }, body: { code: 429, message: 'too many requests' } }, times: 1, expect: 'retried', batchRequests: 2 },
	{ id: '503, HTML body, once', shape: { status: 503, body: HTML }, times: 1, expect: 'retried', batchRequests: 2 },
	{ id: 'connection reset, once', shape: { kind: 'reset' }, times: 1, expect: 'retried', batchRequests: 2 },
	{ id: 'no answer (timeout), once', shape: { kind: 'hang' }, times: 1, expect: 'retried', batchRequests: 2, hangs: true },
	{ id: 'malformed JSON (200), once', shape: { kind: 'malformedJson' }, times: 1, expect: 'retried', batchRequests: 2 },
	{ id: 'no batch endpoint (404)', shape: { status: 404, body: { code: 404, message: 'not found' } }, times: Infinity, expect: 'oneByOne', batchRequests: 1 },
	{ id: 'batch refused, code != 0 on HTTP 200', shape: { status: 200, body: { code: 1001, message: 'task_id_list is not supported' } }, times: Infinity, expect: 'oneByOne', batchRequests: 1 },
	{ id: 'answer without the tasks (empty list)', shape: { status: 200, body: { code: 0, message: 'success', result: [] } }, times: Infinity, expect: 'oneByOne', batchRequests: 1 },
	{ id: '503, HTML body, every time', shape: { status: 503, body: HTML }, times: Infinity, expect: 'oneByOne', batchRequests: 4 },
	{ id: 'connection reset, every time', shape: { kind: 'reset' }, times: Infinity, expect: 'oneByOne', batchRequests: 4 },
];

export function batchProves(fault: BatchFault): string {
	const sent = `${fault.batchRequests} batch request${fault.batchRequests > 1 ? 's' : ''}`;
	return fault.expect === 'retried'
		? `the batch request is retried (${sent}${fault.hangs ? ', ended by its own 60 s timeout' : ''}); no single status request; correct results`
		: `${sent}, then each task asked at its own results path (3 single requests); correct results`;
}
