/**
 * n8n's AI Agent using the video nodes as tools, in a real n8n 2.41.1 (`n8n start`): the example
 * 'agent-presenter-video.json' (Chat Trigger → AI Agent with n8n's OpenAI Chat Model and two CDNvideo
 * tool nodes, `n8n-nodes-ai-video.cdnVideoTool`, whose fields come from `$fromAI()`), with the model's
 * Base URL at the fake OpenAI-compatible server (test/fakes/openAi.ts). The fake answers the first
 * turn with the tool call the test queued and the next with a final answer quoting the tool's result.
 * The example's chat is the editor's (not public); the test makes a copy public so it can post the
 * chat message to the chat webhook, as the hosted chat page does.
 */
import * as fs from 'fs';
import * as path from 'path';

import { CdnVideoFake, OPENAI_SANDBOX_KEY, OpenAiFake, messageText, type FakeServer } from '../fakes';
import { REPO_ROOT, startN8nServer, type N8nHome, type N8nServer } from './n8n';
import { startSandbox, stopSandbox } from './sandboxHome';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLE = 'agent-presenter-video.json';
const SUBMIT_TOOL = 'Make_presenter_video';

let fakes: FakeServer;
let home: N8nHome;
let n8n: N8nServer;
let chatUrl: string;
let workflowId: string;

beforeAll(async () => {
	({ server: fakes, home } = await startSandbox({ nodes: ['CdnVideo/CdnVideo.node.js'], renderMs: 5_000 }));
	n8n = await startN8nServer(home);
	const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', EXAMPLE), 'utf8')) as Json;
	const trigger = (workflow.nodes as Json[]).find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger')!;
	trigger.parameters.public = true;
	workflowId = await n8n.createWorkflow(workflow);
	await n8n.activateWorkflow(workflowId);
	chatUrl = `${n8n.webhookBase}webhook/${trigger.webhookId}/chat`;
}, 45 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await stopSandbox({ server: fakes, home });
});

beforeEach(() => fakes.reset());

/** Sends a chat message the way n8n's hosted chat does; returns the reply and the saved execution. */
async function chat(message: string): Promise<{ reply: Json; execution: Json }> {
	const before = new Set(((await n8n.api<Json>('GET', `/executions?workflowId=${workflowId}`)).data as Json[]).map((e) => e.id));
	let res: Response | undefined;
	// a production webhook may answer 404 for about a second after activation
	for (let attempt = 0; attempt < 20; attempt++) {
		res = await fetch(chatUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ action: 'sendMessage', sessionId: `e2e-${Date.now()}`, chatInput: message }),
			signal: AbortSignal.timeout(120_000),
		});
		if (res.status !== 404) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	const text = await res!.text();
	if (res!.status !== 200) throw new Error(`chat webhook: HTTP ${res!.status} ${text}`);
	const list = (await n8n.api<Json>('GET', `/executions?workflowId=${workflowId}`)).data as Json[];
	const created = list.find((e) => !before.has(e.id));
	if (!created) throw new Error('the chat message started no execution');
	return { reply: JSON.parse(text) as Json, execution: await n8n.waitForExecution(String(created.id)) };
}

/** the chat-completion requests n8n's OpenAI Chat Model sent, in order */
const modelRequests = () => fakes.requestsTo('openAi', 'POST', '/openai/v1/chat/completions').map((r) => r.body as Json);

/** every secret the sandbox credentials hold (tokens, passwords, keys) */
function secrets(): string[] {
	const cdn = fakes.provider(CdnVideoFake);
	return [OPENAI_SANDBOX_KEY, cdn.staticToken, cdn.password];
}

test(`examples/${EXAMPLE}: the agent calls the Submit tool with $fromAI arguments and answers with the jobId`, async () => {
	const args = { script: 'Welcome to our spring sale: every plan is 20 percent off until Friday.', videoName: 'Spring sale' };
	fakes.provider(OpenAiFake).queueToolCall({ name: SUBMIT_TOOL, arguments: args });

	const { reply, execution } = await chat('Make a 30-second presenter video announcing our spring sale');

	// the model was offered both tools, each with the example's description and $fromAI fields
	const [first, second] = modelRequests();
	expect(modelRequests()).toHaveLength(2);
	const tools = Object.fromEntries((first.tools as Json[]).map((t) => [t.function.name, t.function]));
	expect(Object.keys(tools).sort()).toEqual(['Check_video_status', SUBMIT_TOOL]);
	expect(tools[SUBMIT_TOOL].description).toMatch(/^Starts rendering a talking-presenter video/);
	expect(tools[SUBMIT_TOOL].parameters.properties.script.description).toMatch(/1 to 3000 characters/);
	expect(tools[SUBMIT_TOOL].parameters.required.sort()).toEqual(['script', 'videoName']);
	expect(messageText((first.messages as Json[]).at(-1)!.content)).toBe('Make a 30-second presenter video announcing our spring sale');

	// the provider received exactly the tool's arguments, once
	const submits = fakes.requestsTo('cdnVideo', 'POST', /\/generate$/);
	expect(submits).toHaveLength(1);
	expect(submits[0].body).toEqual({
		script: args.script,
		video_name: args.videoName,
		actor: { name: 'Natalia', version: 'latest', shot: 'waist' },
		voice: 'Alena',
		background: 'green_screen',
	});
	const jobId = fakes.provider(CdnVideoFake).lastJobId!;
	expect(jobId).toBeTruthy();

	// the tool's result went back to the model, and the agent's answer carries the jobId
	const toolMessage = (second.messages as Json[]).find((m) => m.role === 'tool')!;
	expect(JSON.parse(messageText(toolMessage.content))).toEqual([expect.objectContaining({ provider: 'cdnVideo', jobId, status: 'queued' })]);
	expect(reply.output).toContain(jobId);
	expect(execution.status).toBe('success');
	expect(execution.data.resultData.runData['AI Agent'][0].data.main[0][0].json.output).toContain(jobId);

	const saved = JSON.stringify(execution);
	for (const secret of secrets()) expect(saved).not.toContain(secret);
	expect(JSON.stringify(reply)).not.toContain(fakes.provider(CdnVideoFake).staticToken);
});

test(`examples/${EXAMPLE}: a script over 3000 characters comes back to the agent as the node's error, and nothing reaches CDNvideo`, async () => {
	fakes.provider(OpenAiFake).queueToolCall({ name: SUBMIT_TOOL, arguments: { script: 'x'.repeat(3001), videoName: 'Too long' } });

	const { reply, execution } = await chat('Read the whole handbook aloud as a video');

	expect(fakes.requestsTo('cdnVideo')).toEqual([]);
	const requests = modelRequests();
	expect(requests).toHaveLength(2);
	const toolMessage = (requests[1].messages as Json[]).find((m) => m.role === 'tool')!;
	// n8n hands a tool node's item error back to the agent as the tool's answer
	const error = 'Parameter "script" is 3001 characters long; the provider accepts at most 3000';
	expect(JSON.parse(messageText(toolMessage.content))).toEqual([{ error }]);
	expect(reply.output).toContain(error.replace(/"/g, '\\"'));
	expect(execution.status).toBe('success');
	for (const secret of secrets()) expect(JSON.stringify(execution)).not.toContain(secret);
});
