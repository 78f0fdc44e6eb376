/**
 * What callbackNode.e2e.test.ts needs to know of each provider: the example's node, the webhook
 * body that starts an execution, and, from the fake's own records, the jobs an execution submitted
 * (found by the resume URL they were given), their submits and the downloads of their files.
 */
import { AiStudiosFake, HIDREAM_SUBMIT_PATH, HiDreamFake, type FakeServer, type RecordedRequest } from '../fakes';

export interface FakeJob {
	id: string;
	/** what distinguishes the item it was submitted for: HiDream's video URL, AI Studios' text */
	input: string;
	/** the id in the file's URL */
	fileId: string;
	/** the URL the provider calls back */
	callbackUrl: string;
}

export interface Side {
	provider: 'hiDream' | 'aiStudios';
	/** the Submit node of the example */
	node: string;
	/** the distinct input of item `i` of execution `e` */
	input(label: string, e: number, i: number): string;
	/** the webhook body that starts one execution over these inputs */
	body(inputs: string[]): unknown;
	/** the jobs submitted with the execution's resume URL */
	jobs(executionId: string): FakeJob[];
	/** submit requests the fake received carrying this input */
	submitsOf(input: string): RecordedRequest[];
	/** the render ends now, and the provider calls back */
	finish(jobId: string): void;
	/** GETs of the job's file */
	downloads(job: FakeJob): RecordedRequest[];
}

/** The execution id in a resume URL (`…/webhook-waiting/<id>?signature=…`), if it is one. */
export function resumedExecution(url: string | undefined): string | undefined {
	if (!url) return undefined;
	return /^\/webhook-waiting\/([^/]+)$/.exec(new URL(url).pathname)?.[1];
}

const AI_STUDIOS_V3_SUBMIT = /^\/api\/odin\/v3\/simple\/video$/;
const AI_STUDIOS_V2_SUBMIT = /^\/api\/odin\/simple\/video$/;

export function sides(fakes: FakeServer): { hiDream: Side; aiStudios: Side; aiStudiosV2: Side } {
	const hiDream = fakes.provider(HiDreamFake);
	const aiStudios = fakes.provider(AiStudiosFake);
	const downloads = (provider: string) => (job: FakeJob) =>
		fakes.filesRequests.filter((r) => r.method === 'GET' && r.path === new URL(fakes.fileUrl(provider, job.fileId)).pathname);
	return {
		hiDream: {
			provider: 'hiDream',
			node: 'Stylize and Wait for Callback',
			input: (label, e, i) => `https://media.example/${label}/${e}-${i}.mp4`,
			body: (inputs) => ({ videos: inputs.map((url) => ({ url })) }),
			jobs: (executionId) =>
				[...hiDream.jobs.values()]
					.filter((j) => resumedExecution(j.notifyUrl) === executionId)
					.map((j) => ({ id: j.id, input: String(j.body.video_name), fileId: j.subTaskIds[0], callbackUrl: j.notifyUrl! })),
			submitsOf: (input) =>
				fakes.requestsTo('hiDream', 'POST', new RegExp(`^${HIDREAM_SUBMIT_PATH}$`)).filter((r) => (r.body as Record<string, unknown>)?.video_name === input),
			finish: (jobId) => hiDream.finishNow(jobId, fakes),
			downloads: downloads('hiDream'),
		},
		aiStudios: {
			provider: 'aiStudios',
			node: 'Render and Wait for Webhook',
			input: (label, e, i) => `${label}: script ${e}-${i}.`,
			body: (inputs) => ({ videos: inputs.map((text) => ({ language: 'en', text, model: 'M000004017', clothes: 'BG00006160' })) }),
			jobs: (executionId) =>
				[...aiStudios.jobs.values()]
					.filter((j) => resumedExecution(j.v3?.webhookUrl) === executionId)
					.map((j) => ({ id: j.id, input: String(j.body.text), fileId: j.id, callbackUrl: j.v3!.webhookUrl! })),
			submitsOf: (input) => fakes.requestsTo('aiStudios', 'POST', AI_STUDIOS_V3_SUBMIT).filter((r) => (r.body as Record<string, unknown>)?.text === input),
			finish: (jobId) => aiStudios.finishNow(jobId, fakes),
			downloads: downloads('aiStudios'),
		},
		// the legacy API (node version 1): its webhook is called with GET and the video in the query
		aiStudiosV2: {
			provider: 'aiStudios',
			node: 'Render and Wait for Webhook',
			input: (label, e, i) => `${label}: v2 script ${e}-${i}.`,
			body: (inputs) => ({ videos: inputs.map((text) => ({ language: 'en', text, model: 'M000004017', clothes: 'BG00006160' })) }),
			jobs: (executionId) =>
				[...aiStudios.jobs.values()]
					.filter((j) => !j.v3 && resumedExecution(j.webhook) === executionId)
					.map((j) => ({ id: j.id, input: String(j.body.text), fileId: j.id, callbackUrl: j.webhook! })),
			submitsOf: (input) => fakes.requestsTo('aiStudios', 'POST', AI_STUDIOS_V2_SUBMIT).filter((r) => (r.body as Record<string, unknown>)?.text === input),
			finish: (jobId) => aiStudios.finishNow(jobId, fakes),
			downloads: downloads('aiStudios'),
		},
	};
}
