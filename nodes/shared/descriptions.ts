import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

const on = (operation: string[]) => ({ show: { operation } });

/** `jobId`, defaulting to the previous node's output so operations chain after Submit untouched. */
export function jobIdField(operations: string[]): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '={{ $json.jobId }}',
		description:
			'ID of the render job, as returned by Submit. The default reads it from the incoming item.',
		displayOptions: on(operations),
	};
}

/**
 * Get Status / Get Result: what else identifies a job at its provider (HiDream's task, kvid's
 * mode), read from the incoming job by default. (Being an expression, the default is not one of the
 * options, which the options-default lint rule can only see in a literal.)
 */
export function jobAttributeField(
	field: Pick<INodeProperties, 'displayName' | 'name' | 'description'> & {
		options: INodePropertyOptions[];
		show?: { [name: string]: string[] };
	},
): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'options',
		options: field.options,
		default: `={{ $json.${field.name} }}`,
		description: field.description,
		displayOptions: { show: { operation: ['getStatus', 'getResult'], ...field.show } },
	};
}

/**
 * `apiVersion`, one field per node typeVersion with that version's default: saved workflows keep
 * the API they were built on, new nodes get the current one.
 */
export function apiVersionFields(
	field: Pick<INodeProperties, 'description' | 'noDataExpression'> & {
		options: INodePropertyOptions[];
	},
	defaults: Array<[typeVersion: number, api: string]>,
): INodeProperties[] {
	return defaults.map(([typeVersion, api]) => ({
		displayName: 'API Version',
		name: 'apiVersion',
		type: 'options',
		...(field.noDataExpression ? { noDataExpression: true } : {}),
		options: field.options,
		default: api,
		description: field.description,
		displayOptions: { show: { '@version': [typeVersion] } },
	}));
}

export function downloadFields(operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Download Video',
			name: 'download',
			type: 'boolean',
			default: true,
			description:
				'Whether to download the finished video into a binary property (as &lt;jobId&gt;.mp4)',
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

/** A list operation's Return All and Limit, shown where `show` says. */
export function returnAllFields(show: { show: { [name: string]: string[] } }): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show.show, returnAll: [false] } },
		},
	];
}

/** Submit's pacing option: at most Max Submits within Window seconds, per credential. */
export function rateLimitField(
	maxSubmits: number,
	windowSeconds: number,
	providerLimit: string,
): INodeProperties {
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
export function submitPacing(
	ctx: IExecuteFunctions,
	i: number,
	maxSubmits: number,
	windowMs: number,
): { max: number; windowMs: number } {
	const limit = ctx.getNodeParameter('rateLimit', i, {}) as IDataObject;
	return {
		max: Number(limit.maxSubmits) > 0 ? Number(limit.maxSubmits) : maxSubmits,
		windowMs: Number(limit.windowSeconds) > 0 ? Number(limit.windowSeconds) * 1000 : windowMs,
	};
}

/**
 * An expression part: the name the menu shows for parameter `name`'s value (its value when not
 * listed).
 */
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
	const detail = submitDetail
		? ` + ($parameter["operation"] === "submit" ? ": " + ${submitDetail} : "")`
		: '';
	return `={{ ${optionName(properties, 'operation')}${detail} }}`;
}
