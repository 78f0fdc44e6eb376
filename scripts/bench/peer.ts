/**
 * Part 4: 500 Get Status items in one n8n execution, through this package's node and, beside it in
 * the same execution, through n8n's own HTTP Request node (Header Auth credential, the same
 * endpoint, a URL expression per item): what a user without this package would run. A plain axios
 * loop in its own process sending the same requests is kept as information.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AiStudiosFake } from '../../test/fakes';
import { credentialRef, executeMeasured, failure, finishedJob, HEADER_CREDENTIAL, importWorkflowOnce, nodeRun, runHelper, trigger, type N8nBench } from './n8nRuns';

export interface PeerRound {
	/** n8n's executionTime of each node in the same execution */
	nodeMs: number;
	httpRequestMs: number;
	/** the plain client's time for the same requests, right after */
	plainMs: number;
	/** requests the fake received during the execution (both nodes) */
	requests: number;
}

function workflow(baseUrl: string, jobIds: string[]) {
	const split = 'One item per job';
	return {
		name: `bench: ${jobIds.length} x get status, node and HTTP Request node`,
		nodes: [
			trigger,
			{ name: 'Job IDs', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ jobIds }) } },
			{ name: split, type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'jobIds', options: { destinationFieldName: 'jobId' } } },
			// Job ID keeps its default, {{ $json.jobId }}: an expression per item, as users run it
			{ name: 'Get Status', type: 'n8n-nodes-ai-video.aiStudios', typeVersion: 1, parameters: { operation: 'getStatus' }, credentials: credentialRef },
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: `=${baseUrl}/api/odin/editor/progress/{{ $json.jobId }}`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					options: {},
				},
				credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Job IDs', type: 'main', index: 0 }]] },
			'Job IDs': { main: [[{ node: split, type: 'main', index: 0 }]] },
			[split]: { main: [[{ node: 'Get Status', type: 'main', index: 0 }, { node: 'HTTP Request', type: 'main', index: 0 }]] },
		},
	};
}

/** One execution with both nodes, then one round of the plain client. */
export async function peerRound(bench: N8nBench, items: number): Promise<PeerRound> {
	const { server, home } = bench;
	const jobIds = Array.from({ length: items }, (_, i) => finishedJob(server, `bench-status-${String(i).padStart(4, '0')}`));
	const id = await importWorkflowOnce(home, workflow(server.baseUrl, jobIds));
	const before = server.requests.length;
	const run = await executeMeasured(bench, id);
	if (run.exitCode !== 0) throw failure(run, `${items} x Get Status`);
	const requests = server.requests.length - before;
	const timeOf = (name: string, completed: (json: Record<string, unknown>) => boolean) => {
		const node = nodeRun(run.result, name);
		const out = node?.data?.main?.[0] ?? [];
		if (out.length !== items || !out.every((item) => completed(item.json))) throw new Error(`${name} returned ${out.length} items, not ${items} completed jobs`);
		return node?.executionTime ?? NaN;
	};
	const nodeMs = timeOf('Get Status', (json) => json.status === 'completed');
	// the HTTP Request node outputs the provider's own body: { success, data: { progress: 100, … } }
	const httpRequestMs = timeOf('HTTP Request', (json) => (json.data as { progress?: number } | undefined)?.progress === 100);

	const idsFile = path.join(home.dir, 'bench-job-ids.json');
	fs.writeFileSync(idsFile, JSON.stringify(jobIds));
	const { roundsMs } = await runHelper<{ roundsMs: number[] }>(home, 'plainClient.ts', [server.baseUrl, server.provider(AiStudiosFake).apiKey, idsFile, '1']);
	return { nodeMs, httpRequestMs, plainMs: roundsMs[0], requests };
}
