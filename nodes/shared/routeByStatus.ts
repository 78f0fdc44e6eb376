import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { JobStatus } from './jobContract';

/** Get Status's outputs with Route by Status, in order, and the statuses each takes. */
const OUTPUTS: Array<{ displayName: string; statuses: Array<JobStatus | undefined> }> = [
	{ displayName: 'Completed', statuses: ['completed'] },
	// Continue On Fail items (no status, an error) go with the failures.
	{ displayName: 'Failed', statuses: ['failed', 'canceled', undefined] },
	{ displayName: 'Running', statuses: ['queued', 'processing'] },
];

/** Get Status option: three outputs instead of one, so a polling loop needs no IF node. */
export const routeByStatusField: INodeProperties = {
	displayName: 'Route by Status',
	name: 'routeByStatus',
	type: 'boolean',
	default: false,
	description:
		'Whether to send each job to one of three outputs: Completed, Failed (failed or canceled) and Running (queued or processing). Connect Running back to a Wait node to poll without an IF node.',
	displayOptions: { show: { operation: ['getStatus'] } },
};

/**
 * The node's outputs: one, or Completed / Failed / Running when Get Status routes by status.
 * An expression, as n8n evaluates it against the node's parameters to draw the outputs.
 */
const ROUTED = JSON.stringify(OUTPUTS.map(({ displayName }) => ({ type: 'main', displayName })));
const ROUTES_BY_STATUS =
	'$parameter.operation === "getStatus" && $parameter.routeByStatus === true';
export const jobNodeOutputs: `={{${string}}}` = `={{ ${ROUTES_BY_STATUS} ? ${ROUTED} : [{ "type": "main" }] }}`;

/** The items sent to the outputs in OUTPUTS' order. */
export function routeByStatus(items: INodeExecutionData[]): INodeExecutionData[][] {
	const routes: INodeExecutionData[][] = OUTPUTS.map(() => []);
	for (const item of items) {
		const status = item.json.status as JobStatus | undefined;
		const n = OUTPUTS.findIndex((o) => o.statuses.includes(status));
		routes[n === -1 ? 1 : n].push(item);
	}
	return routes;
}
