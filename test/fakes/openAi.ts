/**
 * Fake OpenAI-compatible chat model, so n8n's AI Agent (with n8n's OpenAI Chat Model node, credential
 * `openAiApi` with its Base URL at `<fakes>/openai/v1`) can be driven offline and deterministically.
 * POST /openai/v1/chat/completions (plain JSON, or server-sent events when `stream` is true),
 * GET /openai/v1/models; `Authorization: Bearer <key>` is required (401 otherwise).
 *
 * What it answers, in turn order of one conversation:
 * - the last message is a tool result (role `tool`): a final answer that quotes that result, so the
 *   agent's reply carries what the tool returned (the jobId, or the tool's error);
 * - otherwise, when tools are offered: a call to a tool. Tests queue the exact call
 *   (`queueToolCall`); with none queued (the sandbox) it calls the tool with the most string
 *   arguments (the first of those), each set to the user's message, cut to the "at most N
 *   characters" its description states, as a model reading the tool's schema would;
 * - otherwise: a final answer that quotes the user's message.
 * Every request is recorded by the fake server (provider `openAi`), so tests read exactly which
 * tools and messages the agent sent.
 */
import type * as http from 'node:http';

import { type FakeProvider, type RecordedRequest, sendJson } from './server';

export const OPENAI_SANDBOX_KEY = 'sk-sandbox-openai-0123456789';
const PREFIX = '/openai/v1';

type Json = Record<string, unknown>;

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
}

interface ToolSpec {
	type?: string;
	function?: { name?: string; description?: string; parameters?: { properties?: Record<string, { type?: string; description?: string }> } };
}

export interface QueuedToolCall {
	/** default: the first tool offered */
	name?: string;
	arguments: Json;
}

/** The text of a message's content (a string, or OpenAI's list of parts). */
export function messageText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content.map((part) => (typeof part === 'string' ? part : String((part as Json)?.text ?? ''))).join('');
	}
	return '';
}

export class OpenAiFake implements FakeProvider {
	readonly name = 'openAi';
	private queued: QueuedToolCall[] = [];
	private calls = 0;

	handles(path: string): boolean {
		return path.startsWith(`${PREFIX}/`);
	}

	/** the next turn that may call a tool calls this one, with exactly these arguments */
	queueToolCall(call: QueuedToolCall): void {
		this.queued.push(call);
	}

	reset(): void {
		this.queued = [];
		this.calls = 0;
	}

	sandboxCredentials(baseUrl: string): Record<string, Record<string, unknown>> {
		return { openAiApi: { apiKey: OPENAI_SANDBOX_KEY, url: `${baseUrl}${PREFIX}` } };
	}

	handle(req: RecordedRequest, res: http.ServerResponse): void {
		if (req.headers.authorization !== `Bearer ${OPENAI_SANDBOX_KEY}`) {
			return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
		}
		if (req.method === 'GET' && req.path === `${PREFIX}/models`) {
			return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'sandbox' }] });
		}
		if (req.method !== 'POST' || req.path !== `${PREFIX}/chat/completions`) {
			return sendJson(res, 404, { error: { message: `Unknown path ${req.method} ${req.path}`, type: 'invalid_request_error' } });
		}
		const body = (req.body ?? {}) as Json;
		const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
		if (!messages.length) return sendJson(res, 400, { error: { message: "'messages' is required", type: 'invalid_request_error' } });
		const message = this.reply(messages, Array.isArray(body.tools) ? (body.tools as ToolSpec[]) : []);
		const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
		const id = `chatcmpl-fake-${++this.calls}`;
		const finish = message.tool_calls ? 'tool_calls' : 'stop';
		const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
		if (body.stream === true) return streamReply(res, { id, model, message, finish, usage });
		sendJson(res, 200, {
			id,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model,
			choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
			usage,
		});
	}

	private reply(messages: ChatMessage[], tools: ToolSpec[]): Json {
		const last = messages[messages.length - 1];
		if (last.role === 'tool') {
			return { role: 'assistant', content: `Done. The video tool answered: ${messageText(last.content)}` };
		}
		const userText = messageText([...messages].reverse().find((m) => m.role === 'user')?.content);
		const offered = tools.map((t) => t.function).filter((f): f is NonNullable<ToolSpec['function']> => Boolean(f?.name));
		if (!offered.length) return { role: 'assistant', content: `You said: ${userText}` };
		const stringArgs = (f: (typeof offered)[number]) => Object.entries(f.parameters?.properties ?? {}).filter(([, schema]) => schema.type === 'string');
		const queued = this.queued.shift();
		const widest = offered.reduce((best, f) => (stringArgs(f).length > stringArgs(best).length ? f : best));
		const tool = queued?.name ? (offered.find((f) => f.name === queued.name) ?? widest) : widest;
		const args =
			queued?.arguments ??
			Object.fromEntries(
				stringArgs(tool).map(([key, schema]) => {
					const limit = /at most (\d+) characters/.exec(schema.description ?? '');
					return [key, limit ? userText.slice(0, Number(limit[1])) : userText];
				}),
			);
		return {
			role: 'assistant',
			content: null,
			tool_calls: [{ id: `call_${this.calls + 1}`, type: 'function', function: { name: tool.name, arguments: JSON.stringify(args) } }],
		};
	}
}

/** The same answer as server-sent chunks (the first carries role and content, the next the tool calls). */
function streamReply(
	res: http.ServerResponse,
	r: { id: string; model: string; message: Json; finish: string; usage: Json },
): void {
	res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
	const created = Math.floor(Date.now() / 1000);
	const chunk = (delta: Json, finish: string | null, extra: Json = {}) =>
		res.write(`data: ${JSON.stringify({ id: r.id, object: 'chat.completion.chunk', created, model: r.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
	chunk({ role: 'assistant', content: r.message.content ?? '' }, null);
	const calls = r.message.tool_calls as Array<Json> | undefined;
	if (calls) chunk({ tool_calls: calls.map((c, index) => ({ index, ...c })) }, null);
	chunk({}, r.finish, { usage: r.usage });
	res.end('data: [DONE]\n\n');
}
