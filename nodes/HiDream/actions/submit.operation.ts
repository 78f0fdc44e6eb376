import {
	NodeApiError,
	NodeOperationError,
	randomInt,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { readBinaryInput } from '../../shared/binaryInput';
import { rateLimitField, submitPacing, waitFields } from '../../shared/descriptions';
import { jobOutput, type JobOutput } from '../../shared/jobContract';
import { inputCheck, type InputCheck } from '../../shared/validation';
import { HIDREAM_RATE_WINDOW_MS, HIDREAM_SUBMITS_PER_WINDOW, submitStylization } from '../transport';

const show = { show: { operation: ['submit'] } };

/** The ten styles HiDream's video stylization documents (spelled as HiDream spells them). */
const STYLES = [
	'barbie_doll',
	'ink_wash',
	'van_goph',
	'hayao_miyazaki',
	'cyber_punk',
	'cartoon',
	'anime',
	'vector_art',
	'abstract',
	'watercolor',
] as const;
const STYLE_VALUES = [...STYLES, 'custom'] as const;

/**
 * Largest video sent from a binary property. HiDream states no limit, but the video travels
 * base64-encoded inside one JSON body (a third larger than the file) that n8n holds in memory
 * while sending; bigger videos should be given by URL.
 */
export const MAX_BINARY_VIDEO_BYTES = 50 * 1024 * 1024;

/** Longest pause between two status checks while waiting for completion. */
export const POLL_SECONDS = 30;

export const description: INodeProperties[] = [
	{
		displayName: 'Style',
		name: 'style',
		type: 'options',
		options: [
			{ name: 'Abstract', value: 'abstract' },
			{ name: 'Anime', value: 'anime' },
			{ name: 'Barbie Doll', value: 'barbie_doll' },
			{ name: 'Cartoon', value: 'cartoon' },
			{ name: 'Custom (Describe With a Prompt)', value: 'custom', description: 'Send a prompt instead of one of the styles' },
			{ name: 'Cyberpunk', value: 'cyber_punk' },
			{ name: 'Hayao Miyazaki', value: 'hayao_miyazaki' },
			{ name: 'Ink Wash', value: 'ink_wash' },
			{ name: 'Van Gogh', value: 'van_goph', description: 'HiDream spells the value van_goph' },
			{ name: 'Vector Art', value: 'vector_art' },
			{ name: 'Watercolor', value: 'watercolor' },
		],
		default: 'ink_wash',
		description: 'Look of the stylized video',
		displayOptions: show,
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'e.g. a pig is eating, oil painting',
		description: 'Description of the style the video should get',
		displayOptions: { show: { operation: ['submit'], style: ['custom'] } },
	},
	{
		displayName: 'Video Source',
		name: 'videoSource',
		type: 'options',
		options: [
			{ name: 'URL', value: 'url', description: 'A public link HiDream downloads the video from' },
			{ name: 'Binary File', value: 'binary', description: 'A video in a binary property of the incoming item (sent base64-encoded, at most 50 MB)' },
		],
		default: 'url',
		description: 'Where the video to stylize comes from: a public URL, or a binary file of the incoming item',
		displayOptions: show,
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/clip.mp4',
		description: 'Public http(s) link to the video to stylize; HiDream downloads it from there',
		displayOptions: { show: { operation: ['submit'], videoSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the video (video/*, at most 50 MB)',
		displayOptions: { show: { operation: ['submit'], videoSource: ['binary'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Notify URL',
				name: 'notifyUrl',
				type: 'string',
				default: '',
				placeholder: '={{ $execution.resumeUrl }}',
				description:
					'Public address HiDream POSTs {main_task_id, sub_task_results} to when the task ends. With {{ $execution.resumeUrl }} a following Wait node ("Resume: On Webhook Call", POST) continues the workflow on that call.',
			},
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				description:
					'Your ID for this request, echoed by HiDream and kept in the output. Empty generates one. Use a stable value (e.g. an ID from the incoming item) to recognise a retried item.',
			},
		],
	},
	rateLimitField(HIDREAM_SUBMITS_PER_WINDOW, HIDREAM_RATE_WINDOW_MS / 1000, 'HiDream accepts 2 video-stylization tasks a minute'),
	...waitFields(POLL_SECONDS),
];

/** A random UUID (v4 layout), as HiDream's own example uses for `request_id`. */
export function newRequestId(): string {
	const hex = Array.from({ length: 32 }, () => randomInt(16).toString(16));
	hex[12] = '4';
	hex[16] = (8 + randomInt(4)).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** `video_name`: the URL as given, or the binary video base64-encoded. */
async function videoOf(ctx: IExecuteFunctions, i: number, check: InputCheck): Promise<string> {
	const source = check.oneOf('videoSource', ctx.getNodeParameter('videoSource', i, 'url'), ['url', 'binary'] as const);
	if (source === 'url') return check.url('videoUrl', ctx.getNodeParameter('videoUrl', i, ''));

	const buffer = await readBinaryInput(ctx, i, check, { kind: 'video', maxBytes: MAX_BINARY_VIDEO_BYTES, sourceLabel: 'Video Source' });
	return buffer.toString('base64');
}

/** The stylization request body for item `i`, validated before anything is sent. */
export async function stylizationBody(ctx: IExecuteFunctions, i: number): Promise<IDataObject> {
	const check = inputCheck(ctx.getNode(), i);
	const style = check.oneOf('style', ctx.getNodeParameter('style', i, 'ink_wash'), STYLE_VALUES);
	const body: IDataObject =
		style === 'custom' ? { prompt: check.text('prompt', ctx.getNodeParameter('prompt', i, '')).trim() } : { style };
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const requestId = options.requestId === undefined || options.requestId === '' ? newRequestId() : check.text('options.requestId', options.requestId).trim();
	const notifyUrl = options.notifyUrl === undefined || options.notifyUrl === '' ? undefined : check.url('options.notifyUrl', options.notifyUrl);
	body.video_name = await videoOf(ctx, i, check);
	body.request_id = requestId;
	if (notifyUrl) body.notify_url = notifyUrl;
	return body;
}

export async function submit(ctx: IExecuteFunctions, i: number): Promise<JobOutput> {
	const body = await stylizationBody(ctx, i);
	const requestId = body.request_id as string;
	const sent = await submitStylization<IDataObject>(ctx, body, {
		itemIndex: i,
		pacing: submitPacing(ctx, i, HIDREAM_SUBMITS_PER_WINDOW, HIDREAM_RATE_WINDOW_MS),
	}).then(
		(answer) => ({ answer }),
		(error: unknown) => ({ error }),
	);
	if ('error' in sent) {
		// The request id is what tells a job created by a lost answer apart from a new one.
		if (sent.error instanceof NodeApiError) {
			sent.error.context.requestId = requestId;
			sent.error.description = `${sent.error.description ? `${sent.error.description} ` : ''}(request_id ${requestId})`;
		}
		throw sent.error;
	}
	const answer = sent.answer;
	const result = (answer.result ?? {}) as IDataObject;
	const jobId = typeof result.task_id === 'string' || typeof result.task_id === 'number' ? String(result.task_id) : '';
	if (!jobId) {
		throw new NodeOperationError(ctx.getNode(), `HiDream accepted the submit but returned no task_id: ${JSON.stringify(answer).slice(0, 300)}`, {
			itemIndex: i,
			description: `The request was sent with request_id ${requestId}; look for it at HiDream before submitting again.`,
		});
	}
	return jobOutput(
		'hiDream',
		{ jobId, status: 'queued', raw: answer },
		{
			requestId,
			subTaskIds: Array.isArray(result.sub_task_ids) ? result.sub_task_ids : [],
			style: (body.style as string) ?? 'custom',
			notifyUrl: (body.notify_url as string) ?? null,
		},
	);
}
