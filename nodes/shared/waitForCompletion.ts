import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputCheck } from './validation';

/** How long one job is waited for when Wait Options leave Timeout unset. */
export const TIMEOUT_SECONDS = 1800;

/** What Wait for Completion was asked to do for one item. */
export interface WaitOptions {
	/** `poll`: the node checks the status; `callback`: the execution waits for the provider's call */
	method: WaitMethod;
	pollIntervalMs: number;
	timeoutMs: number;
	download: boolean;
	binaryPropertyName: string;
}

export const WAIT_METHODS = ['poll', 'callback'] as const;
export type WaitMethod = (typeof WAIT_METHODS)[number];

/** Submit's Wait for Completion: its parameters and the reading of them, from one poll default. */
export interface WaitForCompletion {
	fields: INodeProperties[];
	/** The item's Wait Options, or undefined when the item is not waited for. */
	read(ctx: IExecuteFunctions, itemIndex: number): WaitOptions | undefined;
}

/**
 * `defaultPollSeconds`: the longest pause between two status checks of a job when Wait Options
 * leave it unset.
 */
export function waitForCompletion(
	defaultPollSeconds: number,
	{ callback = false }: { callback?: boolean } = {},
): WaitForCompletion {
	const fields = waitFields(defaultPollSeconds);
	if (callback) fields.splice(1, 0, waitMethodField);
	return {
		fields,
		read: (ctx, i) => {
			if (!(ctx.getNodeParameter('waitForCompletion', i, false) as boolean)) return undefined;
			const o = ctx.getNodeParameter('waitOptions', i, {}) as IDataObject;
			const seconds = (v: unknown, fallback: number) =>
				(typeof v === 'number' && v > 0 ? v : fallback) * 1000;
			const method = callback
				? inputCheck(ctx.getNode(), i).oneOf(
						'waitMethod',
						ctx.getNodeParameter('waitMethod', i, 'poll'),
						WAIT_METHODS,
					)
				: 'poll';
			return {
				method,
				pollIntervalMs: seconds(o.pollInterval, defaultPollSeconds),
				timeoutMs: seconds(o.timeout, TIMEOUT_SECONDS),
				download: o.download !== false,
				binaryPropertyName:
					typeof o.binaryPropertyName === 'string' && o.binaryPropertyName
						? o.binaryPropertyName
						: 'data',
			};
		},
	};
}

/** Where the provider calls back: the execution can wait for it in n8n instead of polling. */
const waitMethodField: INodeProperties = {
	displayName: 'Wait Method',
	name: 'waitMethod',
	type: 'options',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description:
				'Check the status until each render ends. The execution runs (holds a worker) while it waits.',
		},
		{
			name: 'Callback',
			value: 'callback',
			description:
				"The provider calls this execution back when a render ends; meanwhile the execution waits in n8n's database and holds no worker. n8n must be reachable by the provider (WEBHOOK_URL).",
		},
	],
	default: 'poll',
	description: 'How to wait for the renders',
	displayOptions: { show: { operation: ['submit'], waitForCompletion: [true] } },
};

/** Submit's "wait until the render ends" switch and its options. */
function waitFields(defaultPollSeconds: number): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until each job ends and return the finished video, instead of returning the job at once. Each job is followed from its own submit, together with the others.',
			displayOptions: { show: { operation: ['submit'] } },
		},
		{
			displayName: 'Wait Options',
			name: 'waitOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: { operation: ['submit'], waitForCompletion: [true] } },
			options: [
				{
					displayName: 'Download Video',
					name: 'download',
					type: 'boolean',
					default: true,
					description: 'Whether to download each finished video into a binary property',
				},
				{
					displayName: 'Max Poll Interval (Seconds)',
					name: 'pollInterval',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: defaultPollSeconds,
					description:
						'Longest pause between two status checks of one job (Wait Method Poll). Checks start short and grow, and follow the progress the provider reports.',
				},
				{
					displayName: 'Put Output File in Field',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
					description: 'The name of the output binary field to put the video in',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: TIMEOUT_SECONDS,
					description:
						'How long to wait for one job before giving up on it. The job keeps running at the provider; its jobId is in the error (Wait Method Callback: in the item that comes out with timedOut true).',
				},
			],
		},
	];
}
