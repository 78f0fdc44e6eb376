/**
 * Bad input across the four nodes: each case fails with an error that names the parameter, and the
 * fake providers (API and file host) receive nothing.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InputError } from '../../nodes/shared/validation';
import { startFakeProviders, type FakeServer } from '../fakes';
import { BAD_INPUTS } from './badInputs';
import { ADAPTERS, columnOf } from './nodes';
import { execute, thrown } from './support';

let server: FakeServer;

beforeAll(async () => {
	server = await startFakeProviders();
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bad input: an error naming the parameter, zero requests', () => {
	it('covers at least 40 cases over every landed node', () => {
		expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
		expect(new Set(BAD_INPUTS.map((c) => c.provider))).toEqual(new Set(ADAPTERS.map((a) => a.provider)));
	});

	it.each(BAD_INPUTS.map((c) => [c.node ?? c.provider, c.what, c] as const))('%s: %s', async (_node, _what, input) => {
		const adapter = ADAPTERS.find((a) => (input.node === undefined ? a.provider === input.provider : columnOf(a) === input.node))!;
		const parameters = input.params.operation ? input.params : { ...adapter.submitParams, ...input.params };
		const outcome = await execute({ node: adapter.node(), parameters, items: input.items, credentials: adapter.credentials(server), clock: 'real' });
		const error = thrown(outcome);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).not.toBeInstanceOf(NodeApiError);
		expect(error).toBeInstanceOf(InputError);
		expect(error.message).toMatch(new RegExp(`^Parameter "${escape(input.parameter)}" `));
		expect(error.context?.itemIndex).toBe(0);
		expect(outcome.sent).toEqual([]);
		expect(server.requests).toEqual([]);
		expect(server.filesRequests).toEqual([]);
	});
});
