import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

const on = (operation: string[]) => ({ show: { operation } });

/** `jobId`, defaulting to the previous node's output so operations chain after Submit untouched. */
export function jobIdField(operations: string[]): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '={{ $json.jobId }}',
		description: 'ID of the render job, as returned by Submit. The default reads it from the incoming item.',
		displayOptions: on(operations),
	};
}

export function downloadFields(operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Download Video',
			name: 'download',
			type: 'boolean',
			default: true,
			description: 'Whether to download the finished video into a binary property (as &lt;jobId&gt;.mp4)',
			displayOptions: on(operations),
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the video in',
			displayOptions: { show: { operation: operations, download: [true] } },
		},
	];
}

/** Submit's "wait until the render ends" switch and its options. */
export function waitFields(defaultPollSeconds: number): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until each job ends and return the finished video, instead of returning the job at once. All items are submitted first, then followed together.',
			displayOptions: on(['submit']),
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
					default: 1800,
					description:
						'How long to wait for one job before giving up on it. The job keeps running at the provider; its jobId is in the error.',
				},
			],
		},
	];
}

/** Get Status option: three outputs instead of one, so a polling loop needs no IF node. */
export const routeByStatusField: INodeProperties = {
	displayName: 'Route by Status',
	name: 'routeByStatus',
	type: 'boolean',
	default: false,
	description:
		'Whether to send each job to one of three outputs: Completed, Failed (failed or canceled) and Running (queued or processing). Connect Running back to a Wait node to poll without an IF node.',
	displayOptions: on(['getStatus']),
};

/**
 * The node's outputs: one, or Completed / Failed / Running when Get Status routes by status.
 * An expression, as n8n evaluates it against the node's parameters to draw the outputs.
 */
export const jobNodeOutputs =
	'={{ $parameter.operation === "getStatus" && $parameter.routeByStatus === true ? [{ "type": "main", "displayName": "Completed" }, { "type": "main", "displayName": "Failed" }, { "type": "main", "displayName": "Running" }] : [{ "type": "main" }] }}';

/** Submit's pacing option: at most Max Submits within Window seconds, per credential. */
export function rateLimitField(maxSubmits: number, windowSeconds: number, providerLimit: string): INodeProperties {
	return {
		displayName: 'Rate Limit',
		name: 'rateLimit',
		type: 'collection',
		placeholder: 'Change Rate Limit',
		default: {},
		description: `${providerLimit}; submits are paced to stay within it`,
		displayOptions: on(['submit']),
		options: [
			{
				displayName: 'Max Submits',
				name: 'maxSubmits',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: maxSubmits,
				description: 'How many submits may start within the window',
			},
			{
				displayName: 'Window (Seconds)',
				name: 'windowSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: windowSeconds,
				description: 'Length of the window, in seconds',
			},
		],
	};
}

/** The pacing item `i` asks for through the Rate Limit option, or the provider's documented one. */
export function submitPacing(ctx: IExecuteFunctions, i: number, maxSubmits: number, windowMs: number): { max: number; windowMs: number } {
	const limit = ctx.getNodeParameter('rateLimit', i, {}) as IDataObject;
	return {
		max: Number(limit.maxSubmits) > 0 ? Number(limit.maxSubmits) : maxSubmits,
		windowMs: Number(limit.windowSeconds) > 0 ? Number(limit.windowSeconds) * 1000 : windowMs,
	};
}

/** An expression part: the name the menu shows for parameter `name`'s value (its value when not listed). */
export function optionName(properties: INodeProperties[], name: string): string {
	const names: Record<string, string> = {};
	// every property of that name counts: versions and modes may each have their own list
	for (const property of properties.filter((p) => p.name === name)) {
		for (const option of property.options ?? []) {
			if ('value' in option && typeof option.value === 'string') names[option.value] = option.name;
		}
	}
	return `(${JSON.stringify(names)}[$parameter["${name}"]] || $parameter["${name}"])`;
}

/**
 * The node's subtitle: the operation as the menu writes it ("Get Status", not "getStatus"), and
 * after Submit's name an optional expression part, e.g. what kind of render it starts.
 */
export function operationSubtitle(properties: INodeProperties[], submitDetail?: string): string {
	const detail = submitDetail ? ` + ($parameter["operation"] === "submit" ? ": " + ${submitDetail} : "")` : '';
	return `={{ ${optionName(properties, 'operation')}${detail} }}`;
}
