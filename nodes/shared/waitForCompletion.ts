import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** How long one job is waited for when Wait Options leave Timeout unset. */
export const TIMEOUT_SECONDS = 1800;

/** What Wait for Completion was asked to do for one item. */
export interface WaitOptions {
	pollIntervalMs: number;
	timeoutMs: number;
	download: boolean;
	binaryPropertyName: string;
}

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
export function waitForCompletion(defaultPollSeconds: number): WaitForCompletion {
	return {
		fields: waitFields(defaultPollSeconds),
		read: (ctx, i) => {
			if (!(ctx.getNodeParameter('waitForCompletion', i, false) as boolean)) return undefined;
			const o = ctx.getNodeParameter('waitOptions', i, {}) as IDataObject;
			const seconds = (v: unknown, fallback: number) =>
				(typeof v === 'number' && v > 0 ? v : fallback) * 1000;
			return {
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
						'Longest pause between two status checks of one job. Checks start short and grow, and follow the progress the provider reports.',
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
						'How long to wait for one job before giving up on it. The job keeps running at the provider; its jobId is in the error.',
				},
			],
		},
	];
}
