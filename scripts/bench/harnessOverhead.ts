/**
 * Part 4 without n8n: the AI Studios node's Get Status on `items` items in the unit harness (the
 * node's own code, axios underneath) against a plain axios loop sending the same requests, both in
 * this process. Shows what the node itself adds, apart from n8n's machinery.
 */
import axios from 'axios';

import { AiStudiosApi } from '../../credentials/AiStudiosApi.credentials';
import { AiStudiosFake, startFakeProviders } from '../../test/fakes';
import { runNode } from '../../test/helpers/n8nContext';
import { finishedJob } from './n8nRuns';
import { AiStudios } from './nodes';

export interface HarnessOverhead {
	/** best of the rounds, each side */
	nodeMs: number;
	plainMs: number;
}

export async function harnessOverhead(items: number, rounds: number): Promise<HarnessOverhead> {
	const server = await startFakeProviders();
	try {
		const fake = server.provider(AiStudiosFake);
		const jobIds = Array.from({ length: items }, (_, i) => finishedJob(server, `harness-status-${i}`));
		const credentials = [{ type: new AiStudiosApi(), data: { apiKey: fake.apiKey, baseUrl: server.baseUrl } }];
		let nodeMs = Infinity;
		let plainMs = Infinity;
		for (let round = 0; round < rounds; round++) {
			let started = performance.now();
			const { output } = await runNode({ node: new AiStudios(), parameters: { operation: 'getStatus' }, items: jobIds.map((jobId) => ({ json: { jobId } })), credentials });
			nodeMs = Math.min(nodeMs, performance.now() - started);
			if (output[0].length !== items || output[0].some((item) => item.json.status !== 'completed')) throw new Error('Get Status did not report every job completed');

			started = performance.now();
			for (const id of jobIds) {
				await axios.get(`${server.baseUrl}/api/odin/editor/progress/${encodeURIComponent(id)}`, { headers: { Authorization: fake.apiKey, Accept: 'application/json' } });
			}
			plainMs = Math.min(plainMs, performance.now() - started);
		}
		return { nodeMs, plainMs };
	} finally {
		await server.stop();
	}
}
