import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { rateLimitField, submitPacing } from '../../shared/descriptions';
import { noJobIdError } from '../../shared/errors';
import { settle } from '../../shared/failure';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck } from '../../shared/validation';
import { waitForCompletion } from '../../shared/waitForCompletion';
import {
	familyOf,
	HIDREAM_GENERATIONS_PER_WINDOW,
	HIDREAM_RATE_WINDOW_MS,
	HIDREAM_SUBMITS_PER_WINDOW,
	TASKS,
	type HiDreamTask,
} from '../tasks';
import { submitTask } from '../transport';
import * as generate from './generate';
import * as stylize from './stylize';

/** Longest pause between two status checks while waiting for completion. */
export const POLL_SECONDS = 30;

/** Submit's Wait for Completion, with this provider's poll default. */
export const waiting = waitForCompletion(POLL_SECONDS, { callback: true });

const taskField: INodeProperties = {
	displayName: 'Task',
	name: 'task',
	type: 'options',
	options: [
		{
			name: 'Image to Video',
			value: 'imageToVideo',
			description: 'Animate an image, guided by a prompt (10 tasks a minute)',
		},
		{
			name: 'Text to Video',
			value: 'textToVideo',
			description: 'Render a video from a prompt (10 tasks a minute)',
		},
		{
			name: 'Video Stylization',
			value: 'videoStylization',
			description: 'Restyle a video (2 tasks a minute)',
		},
	],
	default: 'videoStylization',
	description: 'What HiDream renders; each task has its own fields and rate limit',
	displayOptions: { show: { operation: ['submit'] } },
};

/** The Rate Limit option of a family of tasks, with that family's documented limit as default. */
function familyRateLimit(
	tasks: HiDreamTask[],
	max: number,
	providerLimit: string,
): INodeProperties {
	return {
		...rateLimitField(max, HIDREAM_RATE_WINDOW_MS / 1000, providerLimit),
		displayOptions: { show: { operation: ['submit'], task: tasks } },
	};
}

export const description: INodeProperties[] = [
	taskField,
	...stylize.description,
	...generate.description,
	familyRateLimit(
		['videoStylization'],
		HIDREAM_SUBMITS_PER_WINDOW,
		'HiDream accepts 2 video-stylization tasks a minute',
	),
	familyRateLimit(
		['textToVideo', 'imageToVideo'],
		HIDREAM_GENERATIONS_PER_WINDOW,
		'HiDream accepts 10 text- and image-to-video tasks a minute',
	),
	...waiting.fields,
];

/** The task and the request body for item `i`, validated before anything is sent. */
export async function submitRequest(
	ctx: IExecuteFunctions,
	i: number,
): Promise<{ task: HiDreamTask; body: IDataObject }> {
	const check = inputCheck(ctx.getNode(), i);
	const task = check.oneOf('task', ctx.getNodeParameter('task', i, 'videoStylization'), TASKS);
	const body =
		task === 'videoStylization'
			? await stylize.stylizationBody(ctx, i, check)
			: await generate.generationBody(ctx, i, task, check);
	return { task, body };
}

export async function submit(
	ctx: IExecuteFunctions,
	i: number,
	callbackUrl?: string,
): Promise<JobOutput> {
	const { task, body } = await submitRequest(ctx, i);
	if (callbackUrl) body.notify_url = callbackUrl;
	const requestId = body.request_id as string;
	const family = familyOf(task);
	const pacing = submitPacing(
		ctx,
		i,
		family === 'stylization' ? HIDREAM_SUBMITS_PER_WINDOW : HIDREAM_GENERATIONS_PER_WINDOW,
		HIDREAM_RATE_WINDOW_MS,
	);
	const sent = await settle(submitTask<IDataObject>(ctx, task, body, i, { ...pacing, family }));
	if ('error' in sent) {
		// The request id is what tells a job created by a lost answer apart from a new one.
		if (sent.error instanceof NodeApiError) {
			sent.error.context.requestId = requestId;
			const hint = sent.error.description ? `${sent.error.description} ` : '';
			sent.error.description = `${hint}(request_id ${requestId})`;
		}
		throw sent.error;
	}
	const answer = sent.value;
	const result = (answer.result ?? {}) as IDataObject;
	const jobId =
		typeof result.task_id === 'string' || typeof result.task_id === 'number'
			? String(result.task_id)
			: '';
	if (!jobId) {
		const hint =
			`The request was sent with request_id ${requestId}; look for it at HiDream ` +
			`before submitting again.`;
		throw noJobIdError(
			ctx.getNode(),
			i,
			'HiDream accepted the submit but returned no task_id',
			answer,
			hint,
		);
	}
	const extra: IDataObject = {
		task,
		requestId,
		subTaskIds: Array.isArray(result.sub_task_ids) ? result.sub_task_ids : [],
	};
	if (task === 'videoStylization') extra.style = (body.style as string) ?? 'custom';
	extra.notifyUrl = (body.notify_url as string) ?? null;
	return jobOutput('hiDream', { jobId, status: 'queued', raw: answer }, extra);
}
