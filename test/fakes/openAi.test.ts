/**
 * The fake OpenAI-compatible chat model the AI Agent tests and the sandbox drive n8n's agent with:
 * its turns (tool call, then an answer quoting the tool's result), the key it requires, and the
 * streamed form of the same answer.
 */
import { OPENAI_SANDBOX_KEY, OpenAiFake, type FakeServer, startFakeProviders } from './index';

let server: FakeServer;

beforeAll(async () => {
	server = await startFakeProviders();
});
afterAll(async () => await server.stop());
beforeEach(() => server.reset());

const TOOLS = [
	{ type: 'function', function: { name: 'Check_status', parameters: { type: 'object', properties: { jobId: { type: 'string' } } } } },
	{
		type: 'function',
		function: {
			name: 'Make_video',
			parameters: {
				type: 'object',
				properties: { script: { type: 'string', description: '1 to 3000 characters' }, videoName: { type: 'string', description: 'A title: at most 10 characters' } },
			},
		},
	},
];

async function complete(body: Record<string, unknown>, key = OPENAI_SANDBOX_KEY) {
	const res = await fetch(`${server.baseUrl}/openai/v1/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
		body: JSON.stringify({ model: 'gpt-4o-mini', ...body }),
	});
	return { status: res.status, text: await res.text() };
}

test('a wrong key gets 401 with OpenAI\'s error shape', async () => {
	const res = await complete({ messages: [{ role: 'user', content: 'hi' }] }, 'sk-wrong');
	expect(res.status).toBe(401);
	expect(JSON.parse(res.text).error.code).toBe('invalid_api_key');
});

test('with no call queued it calls the tool with the most string fields, each cut to its stated limit; a tool result gets an answer quoting it', async () => {
	const user = { role: 'user', content: 'A welcome video for the team' };
	const first = JSON.parse((await complete({ messages: [user], tools: TOOLS })).text);
	expect(first.choices[0].finish_reason).toBe('tool_calls');
	const call = first.choices[0].message.tool_calls[0];
	expect(call.function.name).toBe('Make_video');
	expect(JSON.parse(call.function.arguments)).toEqual({ script: 'A welcome video for the team', videoName: 'A welcome ' });

	const toolMessage = { role: 'tool', tool_call_id: call.id, content: '[{"jobId":"j-1"}]' };
	const second = JSON.parse((await complete({ messages: [user, first.choices[0].message, toolMessage], tools: TOOLS })).text);
	expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant', content: 'Done. The video tool answered: [{"jobId":"j-1"}]' } });
	expect(server.requestsTo('openAi', 'POST')).toHaveLength(2);
});

test('a queued call is made exactly as queued, once; streamed, the same turn arrives as chunks', async () => {
	server.provider(OpenAiFake).queueToolCall({ name: 'Check_status', arguments: { jobId: 'j-9' } });
	const res = await complete({ messages: [{ role: 'user', content: 'is it ready?' }], tools: TOOLS, stream: true });
	const chunks = res.text.split('\n\n').filter(Boolean);
	expect(chunks.at(-1)).toBe('data: [DONE]');
	const deltas = chunks.slice(0, -1).map((c) => JSON.parse(c.replace(/^data: /, '')).choices[0]);
	expect(deltas[1].delta.tool_calls[0]).toMatchObject({ index: 0, function: { name: 'Check_status', arguments: '{"jobId":"j-9"}' } });
	expect(deltas.at(-1).finish_reason).toBe('tool_calls');

	const next = JSON.parse((await complete({ messages: [{ role: 'user', content: 'again' }], tools: TOOLS })).text);
	expect(next.choices[0].message.tool_calls[0].function.name).toBe('Make_video');
});
