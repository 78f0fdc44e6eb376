import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllFields } from '../../shared/descriptions';
import { inputCheck, type InputCheck } from '../../shared/validation';
import { listTasks } from '../transport';

const show = { show: { operation: ['getAll'] } };
const PAGE_SIZE = 100;

const EXTRA_FIELDS = [
	'actor_name',
	'background',
	'circle',
	'crop',
	'emotion',
	'model_version',
	'orientation',
	'scale',
	'script',
	'shift',
	'shot',
	'video_name',
	'voice_name',
] as const;

export const description: INodeProperties[] = [
	...returnAllFields(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Created After',
				name: 'start',
				type: 'dateTime',
				default: '',
				description: 'Tasks accepted at or after this time (UTC, whole minutes)',
			},
			{
				displayName: 'Created Before',
				name: 'end',
				type: 'dateTime',
				default: '',
				description: 'Tasks accepted before this time (UTC, whole minutes)',
			},
			{
				displayName: 'Job ID',
				name: 'id',
				type: 'string',
				default: '',
				description: 'Only the task with this ID',
			},
		],
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
				displayName: 'Extra Fields',
				name: 'fields',
				type: 'multiOptions',
				options: EXTRA_FIELDS.map((f) => ({ name: f, value: f })),
				default: [],
				description: 'Fields to return beside ID, video_url, resolution, duration and date',
			},
			{
				displayName: 'Offset',
				name: 'offset',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'How many tasks to skip first',
			},
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'string',
				default: '',
				placeholder: '-duration',
				description:
					'Field to sort by, with + (ascending) or - (descending) in front, e.g. -duration',
			},
		],
	},
];

/** CDNvideo wants `2020-02-11T12:30:00+00`: UTC, seconds always 00. */
export function toCdnDate(check: InputCheck, parameter: string, value: unknown): string {
	const date = typeof value === 'string' && value.trim() ? new Date(value) : undefined;
	if (!date || Number.isNaN(date.getTime()))
		return check.fail(parameter, `must be a date and time; got ${JSON.stringify(value)}`);
	return `${date.toISOString().slice(0, 16)}:00+00`;
}

export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const check = inputCheck(ctx.getNode(), i);
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll
		? Infinity
		: check.number('limit', ctx.getNodeParameter('limit', i, 50), { min: 1, integer: true });
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;

	const qs: IDataObject = {};
	if (filters.start) qs.start = toCdnDate(check, 'filters.start', filters.start);
	if (filters.end) qs.end = toCdnDate(check, 'filters.end', filters.end);
	if (filters.id) qs.id = check.jobId(filters.id, 'filters.id');
	if (options.sort) {
		const sort = String(options.sort).trim();
		if (!/^[+-]?[a-z_]+$/.test(sort))
			check.fail(
				'options.sort',
				`must be a field name with an optional + or - in front, like -duration; got ` +
					`${JSON.stringify(sort)}`,
			);
		qs.sort = sort;
	}
	const fields = (options.fields as string[] | undefined) ?? [];
	if (fields.length)
		qs.fields = fields.map((f) => check.oneOf('options.fields', f, EXTRA_FIELDS)).join(',');
	let offset =
		options.offset === undefined
			? 0
			: check.number('options.offset', options.offset, { min: 0, integer: true });

	const tasks: IDataObject[] = [];
	while (tasks.length < limit) {
		const pageSize = Math.min(PAGE_SIZE, limit - tasks.length);
		const page = await listTasks<IDataObject[]>(ctx, { ...qs, offset, limit: pageSize }, i);
		const list = Array.isArray(page) ? page : [];
		tasks.push(...list);
		if (list.length < pageSize) break;
		offset += list.length;
	}
	return tasks.map((task) => ({ jobId: task.id ?? null, ...task }));
}
