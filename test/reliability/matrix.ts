/**
 * The fault tables: which faults hit which operations, and what each cell must prove. Data only,
 * so `faults.test.ts` runs them and `table.ts` writes them into test/RELIABILITY.md.
 */
import type { Fault } from '../fakes';
import type { OperationKind } from './nodes';

/** A fault without its target (the target is the operation's request). */
export type FaultShape = Omit<Extract<Fault, { kind?: 'status' }>, 'provider' | 'method' | 'path' | 'times'> | { kind: 'reset' } | { kind: 'hang' } | { kind: 'malformedJson' } | { kind: 'truncate'; bytes: number } | { kind: 'delay'; ms: number };

export type Expectation =
	/** the node waits or retries and returns the correct result; the faulted request went out once more */
	| 'recovers'
	/** the submit fails with an error saying it was not repeated; the request went out once */
	| 'failsNotRepeated'
	/** the item fails with an error naming the job (Continue On Fail: an item carrying jobId) */
	| 'failsNamingJob';

export interface ApiFault {
	id: string;
	shape: FaultShape;
	/** the operation kinds it is run on, and what it must prove there */
	on: Partial<Record<OperationKind, Expectation>>;
	/** the retry comes at least this long after the faulted request (mocked time); 'rateWindow' = the provider's */
	minGapMs?: number | 'rateWindow';
	/** the harness shortens the timeout of the faulted request (after checking the node asked for 60 s) */
	hangs?: true;
	/** the provider still receives and accepts the request, after the node gave up waiting */
	answerLost?: true;
}

const HTML = (status: number) => `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status}</h1><p>upstream trouble</p></body></html>`;
const readsRecover = { read: 'recovers', wait: 'recovers' } as const;
const transient = { create: 'failsNotRepeated', ...readsRecover } as const;

/** Faults that answer the targeted request once; the next request gets the provider's real answer. */
export const ONCE: ApiFault[] = [
	{ id: '429 + Retry-After: 1', shape: { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'too many requests' } }, on: { create: 'recovers', ...readsRecover }, minGapMs: 1_000 },
	{ id: '429 without Retry-After', shape: { status: 429, body: { message: 'too many requests' } }, on: { create: 'recovers', ...readsRecover }, minGapMs: 'rateWindow' },
	{ id: '500, HTML body', shape: { status: 500, body: HTML(500) }, on: transient },
	{ id: '502, HTML body', shape: { status: 502, body: HTML(502) }, on: transient },
	{ id: '503, HTML body', shape: { status: 503, body: HTML(503) }, on: transient },
	{ id: 'connection reset', shape: { kind: 'reset' }, on: transient },
	{ id: 'no answer (timeout)', shape: { kind: 'hang' }, on: transient, hangs: true },
	{ id: 'malformed JSON (200)', shape: { kind: 'malformedJson' }, on: transient },
	{ id: 'answer cut short', shape: { kind: 'truncate', bytes: 12 }, on: transient },
	{ id: 'answer lost, job created', shape: { kind: 'delay', ms: 120_000 }, on: { create: 'failsNotRepeated' }, hangs: true, answerLost: true },
];

/** Faults that answer every try of the targeted request: the node must give up with a clear error. */
export const PERSISTENT: ApiFault[] = [
	{ id: '429 + Retry-After: 1, every time', shape: { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'too many requests' } }, on: { read: 'failsNamingJob', wait: 'failsNamingJob' } },
	{ id: '503, HTML body, every time', shape: { status: 503, body: HTML(503) }, on: { read: 'failsNamingJob', wait: 'failsNamingJob' } },
	{ id: 'connection reset, every time', shape: { kind: 'reset' }, on: { read: 'failsNamingJob', wait: 'failsNamingJob' } },
	{ id: 'no answer (timeout), every time', shape: { kind: 'hang' }, on: { read: 'failsNamingJob', wait: 'failsNamingJob' }, hangs: true },
	{ id: 'malformed JSON, every time', shape: { kind: 'malformedJson' }, on: { read: 'failsNamingJob', wait: 'failsNamingJob' } },
];

/** Faults of the file host (the download of getResult and of submit+wait). */
export interface DownloadFault {
	id: string;
	/** undefined: the link itself is broken (expireFile/deleteFile) */
	shape?: FaultShape;
	times?: number;
	link?: 'expired' | 'deleted';
	expect: 'recovers' | 'failsNamingJob';
	/** requests the file host receives */
	fileRequests: number;
	hangs?: true;
}

export const DOWNLOAD_FAULTS: DownloadFault[] = [
	{ id: 'download cut short once', shape: { kind: 'truncate', bytes: 1000 }, times: 1, expect: 'recovers', fileRequests: 2 },
	{ id: 'download cut short every time', shape: { kind: 'truncate', bytes: 1000 }, times: Infinity, expect: 'failsNamingJob', fileRequests: 3 },
	{ id: 'download 503 (HTML) once', shape: { status: 503, body: HTML(503) }, times: 1, expect: 'recovers', fileRequests: 2 },
	{ id: 'download reset once', shape: { kind: 'reset' }, times: 1, expect: 'recovers', fileRequests: 2 },
	{ id: 'download never answers once', shape: { kind: 'hang' }, times: 1, expect: 'recovers', fileRequests: 2, hangs: true },
	{ id: 'download link expired (403)', link: 'expired', expect: 'failsNamingJob', fileRequests: 1 },
	{ id: 'download file gone (404)', link: 'deleted', expect: 'failsNamingJob', fileRequests: 1 },
];

/** Faults of the render itself. */
export const JOB_FAULTS = ['render fails', 'canceled by someone else'] as const;
export type JobFault = (typeof JOB_FAULTS)[number];

export const PROVES: Record<Expectation, (kind: OperationKind) => string> = {
	recovers: (kind) =>
		kind === 'create'
			? 'waited out, sent again, exactly one job; correct output'
			: kind === 'wait'
				? 'the status check is waited out or retried; one job, correct video'
				: 'waited out or retried; correct result (checked at the provider for cancel/rename/delete)',
	failsNotRepeated: () => 'clear error that says the submit was not repeated; the POST went out once',
	failsNamingJob: (kind) => (kind === 'read' ? 'gives up with a clear error naming the job (and its jobId on the item)' : 'the job is created once; its item fails with an error carrying its jobId'),
};
