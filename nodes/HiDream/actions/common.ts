import { randomInt, type IDataObject, type INodeProperties } from 'n8n-workflow';

import type { InputCheck } from '../../shared/validation';

/** A random UUID (v4 layout), as HiDream's own example uses for `request_id`. */
export function newRequestId(): string {
	const hex = Array.from({ length: 32 }, () => randomInt(16).toString(16));
	hex[12] = '4';
	hex[16] = (8 + randomInt(4)).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The `options` entries every task has: where HiDream calls back, and the caller's request id. */
export const requestOptions: INodeProperties[] = [
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
];

/**
 * `request_id` (generated when empty) and `notify_url` (when given), checked before any request.
 */
export function requestFields(check: InputCheck, options: IDataObject): IDataObject {
	const fields: IDataObject = {
		request_id:
			options.requestId === undefined || options.requestId === ''
				? newRequestId()
				: check.text('options.requestId', options.requestId).trim(),
	};
	if (options.notifyUrl !== undefined && options.notifyUrl !== '')
		fields.notify_url = check.url('options.notifyUrl', options.notifyUrl);
	return fields;
}

/** The collection `options`, checked to be one. */
export function optionsOf(check: InputCheck, value: unknown): IDataObject {
	if (value === undefined || value === null) return {};
	if (typeof value !== 'object' || Array.isArray(value))
		return check.fail('options', 'must be a collection of options');
	return value as IDataObject;
}
