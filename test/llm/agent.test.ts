import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodedError } from '@universal-mcp/core';
import {
  Agent,
  LlmErrorCode,
  MaxStepsError,
  RunAbortedError,
  aiSdkModel,
  anthropicMessages,
  createToolset,
  openAiChat,
  openAiResponses,
  type AgentEvent,
  type ApprovalAnswer,
  type ApprovalRequest,
  type ModelAdapter,
  type Toolset,
} from '@universal-mcp/llm';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import {
  eventually,
  everythingStdio,
  fixtureStdio,
  startFixtureHttp,
  type HttpServerProcess,
} from '../helpers/servers.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';

// The agent loop with the official SDK clients over real HTTP. No model can run here: the one
// stand-in is test/helpers/scripted-provider.ts, a local server playing scripted turns in each API's
// streaming wire format. Behind the toolset: the repo's fixture server over stdio (real processes).

let provider: ScriptedProvider;
let client: UniversalMcpClient;
let toolset: Toolset;
let dir: string;
let web: HttpServerProcess;

beforeAll(async () => {
  provider = await startScriptedProvider();
  dir = await mkdtemp(join(tmpdir(), 'umcp-agent-'));
  client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 }, backoff: { initialDelayMs: 50 } } });
  // Trusted: its read-only tools run unasked under the default approval ('policy').
  await client.addServer(fixtureStdio('notes', { env: { CANCEL_LOG: join(dir, 'cancelled.log') }, trusted: true }));
  await client.addServer(fixtureStdio('slow'));
  web = await startFixtureHttp('http');
  await client.addServer({ name: 'web', transport: 'streamable_http', url: web.url });
  toolset = createToolset(client, { filter: { include: ['echo', 'add', 'sleep', 'weather'] } });
});
afterAll(async () => {
  toolset.close();
  await client.close();
  await web.stop();
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  provider.received.length = 0;
});

const openai = (): OpenAI => new OpenAI({ apiKey: 'test', baseURL: provider.baseURL, maxRetries: 0 });
const anthropic = (): Anthropic =>
  new Anthropic({ apiKey: 'test', baseURL: provider.baseURL.replace(/\/v1$/, ''), maxRetries: 0 });

const ADAPTERS: [string, () => ModelAdapter, string][] = [
  ['OpenAI Chat Completions (openai)', () => openAiChat(openai(), { model: 'scripted' }), '/v1/chat/completions'],
  ['OpenAI Responses (openai)', () => openAiResponses(openai(), { model: 'scripted' }), '/v1/responses'],
  [
    'Anthropic Messages (@anthropic-ai/sdk)',
    () => anthropicMessages(anthropic(), { model: 'scripted' }),
    '/v1/messages',
  ],
  [
    'AI SDK + @ai-sdk/openai',
    () => aiSdkModel(createOpenAI({ apiKey: 'test', baseURL: provider.baseURL }).chat('scripted')),
    '/v1/chat/completions',
  ],
  [
    'AI SDK + @ai-sdk/anthropic',
    () =>
      aiSdkModel(createAnthropic({ apiKey: 'test', baseURL: provider.baseURL })('scripted'), {
        settings: { maxOutputTokens: 1024 },
      }),
    '/v1/messages',
  ],
];

async function collect(run: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const e of run) events.push(e);
  return events;
}

describe.each(ADAPTERS)('the agent with %s', (_label, make, path) => {
  it('streams text as it arrives, calls the real server, sends the result back, answers', async () => {
    const echo = toolset.list().find((t) => t.tool === 'echo' && t.server === 'notes')!;
    provider.script(
      {
        text: 'Let me check.',
        toolCalls: [{ name: echo.name, args: { text: 'from the model' } }],
        usage: { input: 20, output: 7 },
      },
      { text: 'The server said: from the model.', usage: { input: 30, output: 9 } },
    );
    const agent = new Agent({ model: make(), toolset, instructions: 'Be brief.' });
    const run = agent.run('Echo something');
    const events = await collect(run);
    const result = await run.result;

    const deltas = events.filter((e) => e.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(3); // pieces, not one block
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      outcome: { isError: false, parts: [{ type: 'text', text: 'from the model' }] },
    });
    expect(result.text).toBe('The server said: from the model.');
    expect(result.steps).toBe(2);
    expect(result.usage).toEqual({ inputTokens: 50, outputTokens: 16 });
    expect(provider.received.map((r) => r.path)).toEqual([path, path]);
    // The second request carries the tool's result, in this API's own shape.
    expect(JSON.stringify(provider.received[1]!.body)).toContain('from the model');
    expect(JSON.stringify(provider.received[0]!.body)).toContain('Be brief.');
    // The history is plain data: it survives JSON and carries the next run.
    const history = JSON.parse(JSON.stringify(result.history));
    provider.script({ text: 'Yes.' });
    await new Agent({ model: make(), toolset }).run('Again?', { history }).result;
    expect(JSON.stringify(provider.received[2]!.body)).toContain('Echo something');
  });
});

describe('the agent loop', () => {
  it('two parallel calls, one on a server killed mid-call: both answered, the dead one as an error', async () => {
    const sleep = toolset.list().find((t) => t.server === 'slow' && t.tool === 'sleep')!;
    // The other call goes to a server over Streamable HTTP.
    const echo = toolset.list().find((t) => t.server === 'web' && t.tool === 'echo')!;
    provider.script(
      {
        toolCalls: [
          { name: sleep.name, args: { ms: 5000 } },
          { name: echo.name, args: { text: 'alive' } },
        ],
      },
      { text: 'One failed.' },
    );
    const agent = new Agent({ model: anthropicMessages(anthropic(), { model: 'scripted' }), toolset });
    const run = agent.run('Do both');
    await eventually(() => client.getServerInfo('slow')!.pending === 1, 10_000);
    process.kill(client.getServerInfo('slow')!.pid!, 'SIGKILL');
    const events = await collect(run);
    const results = events.filter((e): e is Extract<AgentEvent, { type: 'tool-result' }> => e.type === 'tool-result');
    expect(results.find((r) => r.call.name === echo.name)!.outcome).toMatchObject({ isError: false });
    expect(results.find((r) => r.call.name === sleep.name)!.outcome).toMatchObject({
      isError: true,
      parts: [{ text: expect.stringMatching(/^Error CONNECTION_LOST: .*temporary/) }],
    });
    // Anthropic: every result of the step in one user message.
    const messages = provider.received[1]!.body.messages as { role: string; content: { type: string }[] }[];
    expect(messages.at(-1)).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result' }, { type: 'tool_result' }],
    });
    await eventually(() => client.getServerInfo('slow')!.state === 'ready', 10_000);
  });

  it('asks before a tool not annotated read-only; a denial reaches the model as the result', async () => {
    const add = toolset.list().find((t) => t.server === 'notes' && t.tool === 'add')!;
    const echo = toolset.list().find((t) => t.server === 'notes' && t.tool === 'echo')!;
    provider.script(
      {
        toolCalls: [
          { name: add.name, args: { a: 1, b: 2 } },
          { name: echo.name, args: { text: 'read-only' } },
        ],
      },
      { text: 'Understood.' },
    );
    const asked: string[] = [];
    const agent = new Agent({
      model: openAiChat(openai(), { model: 'scripted' }),
      toolset,
      approve: ({ call }) => (asked.push(call.name), false),
    });
    const events = await collect(agent.run('Add'));
    expect(asked).toEqual([add.name]); // echo is readOnlyHint: not asked
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval', approved: false }));
    expect(events.find((e) => e.type === 'tool-result' && e.call.name === add.name)).toMatchObject({
      outcome: { isError: true, parts: [{ text: 'The user denied this tool call.' }] },
    });
    expect(JSON.stringify(provider.received[1]!.body)).toContain('The user denied this tool call.');
  });

  it('an abort mid-stream stops the model stream; an abort mid-call cancels the MCP call', async () => {
    provider.script({ text: 'This answer never ends', hang: true });
    const ac = new AbortController();
    const agent = new Agent({ model: openAiResponses(openai(), { model: 'scripted' }), toolset });
    const run = agent.run('Talk', { signal: ac.signal });
    for await (const e of run) if (e.type === 'text-delta') break;
    ac.abort();
    await expect(run.result).rejects.toBeInstanceOf(RunAbortedError);
    await eventually(() => provider.openStreams() === 0, 5000);

    const sleep = toolset.list().find((t) => t.server === 'notes' && t.tool === 'sleep')!;
    provider.script({ toolCalls: [{ name: sleep.name, args: { ms: 20_000 } }] });
    const ac2 = new AbortController();
    const run2 = agent.run('Sleep', { signal: ac2.signal });
    const seen: AgentEvent[] = [];
    for await (const e of run2) {
      seen.push(e);
      if (e.type === 'tool-call') break;
    }
    // The call is under way at the server (a failure says what the run and the server showed).
    await eventually(() => client.getServerInfo('notes')!.pending === 1, 15_000).catch(() => {
      const info = client.getServerInfo('notes')!;
      const where = `notes ${info.state}, pending ${info.pending}, queued ${info.queued}`;
      throw new Error(`call not under way: events ${JSON.stringify(seen)}; ${where}`);
    });
    ac2.abort();
    await expect(run2.result).rejects.toBeInstanceOf(RunAbortedError);
    await eventually(
      async () => (await readFile(join(dir, 'cancelled.log'), 'utf8').catch(() => '')).includes('cancelled'),
      5000,
    );
  });

  it('maxSteps ends a run that keeps calling tools, with a typed error', async () => {
    const echo = toolset.list().find((t) => t.server === 'notes' && t.tool === 'echo')!;
    const call = { toolCalls: [{ name: echo.name, args: { text: 'again' } }] };
    provider.script(call, call);
    const agent = new Agent({ model: openAiChat(openai(), { model: 'scripted' }), toolset, maxSteps: 2 });
    const result = agent.run('Loop').result;
    await expect(result).rejects.toBeInstanceOf(MaxStepsError);
    await expect(result).rejects.toMatchObject({ code: LlmErrorCode.MAX_STEPS, maxSteps: 2 });
  });

  it("too many tools, selection 'off': a clear error naming the count, before any request", async () => {
    const many = { ...openAiChat(openai(), { model: 'scripted' }), maxTools: 2 };
    const agent = new Agent({ model: many, toolset, toolSelection: 'off' });
    const result = agent.run('Hi').result;
    await expect(result).rejects.toThrow(/\d+ tools, but openai-chat takes at most 2/);
    await expect(result).rejects.toMatchObject({ code: LlmErrorCode.TOO_MANY_TOOLS });
    expect(provider.received).toEqual([]);
  });

  const offered = (i: number): string[] =>
    (provider.received[i]?.body.tools as { function: { name: string } }[]).map((t) => t.function.name);

  it('too many tools: per-turn selection offers the best matches, and keeps what was called', async () => {
    const notes = createToolset(client, { filter: { servers: ['notes'] } });
    try {
      expect(notes.list().length).toBeGreaterThan(10);
      provider.script({ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'Five.' });
      const model = { ...openAiChat(openai(), { model: 'scripted' }), maxTools: 3 };
      const run = new Agent({ model, toolset: notes }).run('Please add two numbers: 2 and 3');
      const events = await collect(run);
      expect((await run.result).text).toBe('Five.');
      expect(offered(0)).toHaveLength(3);
      expect(offered(0)[0]).toBe('add');
      expect(offered(1)).toContain('add');
      const selected = events.filter((e) => e.type === 'tools-selected');
      expect(selected.map((e) => (e as { tools: readonly string[] }).tools)).toEqual([offered(0), offered(1)]);
      expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ outcome: { parts: [{ text: '5' }] } });
    } finally {
      notes.close();
    }
  });

  it('search-tool selection: the model searches, then calls what it found; the search is not asked about', async () => {
    const notes = createToolset(client, { filter: { servers: ['notes'] } });
    try {
      provider.script(
        { toolCalls: [{ name: 'search_tools', args: { query: 'echo text back' } }] },
        { toolCalls: [{ name: 'echo', args: { text: 'found you' } }] },
        { text: 'It said: found you.' },
      );
      const asked: string[] = [];
      const agent = new Agent({
        model: openAiChat(openai(), { model: 'scripted' }),
        toolset: notes,
        toolSelection: { mode: 'search-tool', k: 3 },
        approve: ({ call }) => (asked.push(call.name), true),
        approval: 'all',
      });
      const run = agent.run('Repeat "found you" with a tool');
      const events = await collect(run);
      expect((await run.result).text).toBe('It said: found you.');
      expect(offered(0)).toEqual(['search_tools']);
      expect(offered(1)[0]).toBe('search_tools');
      expect(offered(1)).toContain('echo');
      expect(offered(1)).toHaveLength(4);
      const results = events.filter((e) => e.type === 'tool-result');
      expect(results[0]).toMatchObject({
        outcome: { parts: [{ text: expect.stringMatching(/- echo: Echo text back/) }] },
      });
      expect(results[1]).toMatchObject({ outcome: { isError: false, parts: [{ text: 'found you' }] } });
      expect(asked).toEqual(['echo']);
    } finally {
      notes.close();
    }
  });

  it('bad toolSelection options are refused with a clear error', async () => {
    const agent = new Agent({
      model: openAiChat(openai(), { model: 'scripted' }),
      toolset,
      toolSelection: { mode: 'per-turn', k: 0 },
    });
    const result = agent.run('Hi').result;
    await expect(result).rejects.toThrow(/toolSelection.k must be a positive integer/);
    await expect(result).rejects.toBeInstanceOf(CodedError);
    await expect(result).rejects.toMatchObject({ code: LlmErrorCode.INVALID_OPTIONS });
  });

  it('an approve function that throws denies the call and logs a line, without the arguments', async () => {
    const add = toolset.list().find((t) => t.server === 'notes' && t.tool === 'add')!;
    provider.script({ toolCalls: [{ name: add.name, args: { a: 40, b: 2, secret: 'hunter2' } }] }, { text: 'Ok.' });
    const lines: { level: string; obj: object; msg: string }[] = [];
    const line = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
    const logger = { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
    const agent = new Agent({
      model: openAiChat(openai(), { model: 'scripted' }),
      toolset,
      logger,
      approve: () => {
        throw new Error('the approval UI is gone');
      },
    });
    const events = await collect(agent.run('Add'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval', approved: false }));
    expect(lines).toEqual([
      {
        level: 'warn',
        obj: { err: expect.objectContaining({ message: 'the approval UI is gone' }), server: 'notes', tool: 'add' },
        msg: 'approve threw: the call is denied',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('a 429 is tried again after retry-after, then the run goes on', async () => {
    provider.script({ status: 429, retryAfter: '0' }, { status: 503 }, { text: 'Finally.' });
    const agent = new Agent({ model: anthropicMessages(anthropic(), { model: 'scripted' }), toolset });
    const run = agent.run('Hello');
    const events = await collect(run);
    expect((await run.result).text).toBe('Finally.');
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs)).toEqual([0, 1000]);
  });

  it("toAiSdk(): the AI SDK's own streamText loop runs the tools through the toolset", async () => {
    const { streamText, stepCountIs } = await import('ai');
    const echo = toolset.list().find((t) => t.server === 'web' && t.tool === 'echo')!;
    provider.script({ toolCalls: [{ name: echo.name, args: { text: 'via the AI SDK' } }] }, { text: 'Done.' });
    const result = streamText({
      model: createOpenAI({ apiKey: 'test', baseURL: provider.baseURL }).chat('scripted'),
      tools: toolset.toAiSdk() as Parameters<typeof streamText>[0]['tools'],
      stopWhen: stepCountIs(3),
      prompt: 'Echo',
    });
    expect(await result.text).toBe('Done.');
    expect(JSON.stringify(provider.received[1]!.body)).toContain('via the AI SDK');
  });
});

// The agent under the client's tool policy. The scripted provider stands in for the model (none can
// run here): what it received is what a model would have been sent.
describe('the agent and the tool policy', () => {
  let policed: UniversalMcpClient;
  let tools: Toolset;
  beforeAll(async () => {
    policed = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    const everything = (name: string, trusted: boolean) =>
      everythingStdio(name, { trusted, tools: { allow: ['echo'] } });
    await Promise.all([
      policed.addServer(fixtureStdio('open', { tools: { deny: ['sleep'] } })),
      policed.addServer(fixtureStdio('sure', { trusted: true })),
      policed.addServer(everything('ev-trusted', true)),
      policed.addServer(everything('ev-untrusted', false)),
    ]);
    tools = createToolset(policed, { prefix: 'always', filter: { include: ['echo', 'add', 'sleep'] } });
  });
  afterAll(async () => {
    tools.close();
    await policed.close();
  });

  const model = (): ModelAdapter => openAiChat(openai(), { model: 'scripted' });
  const offeredTo = (i: number): string[] =>
    (provider.received[i]?.body.tools as { function: { name: string } }[]).map((t) => t.function.name);

  it('a denied tool is not offered to the model, and calling it anyway is TOOL_DENIED, unsent', async () => {
    const started: string[] = [];
    const onStart = (e: { server: string; tool: string }): number => started.push(`${e.server}/${e.tool}`);
    policed.on('call:start', onStart);
    provider.script({ toolCalls: [{ name: 'open__sleep', args: { ms: 1 } }] }, { text: 'Denied.' });
    const events = await collect(new Agent({ model: model(), toolset: tools, approval: 'none' }).run('Sleep'));
    policed.off('call:start', onStart);
    expect(offeredTo(0)).toContain('sure__sleep');
    expect(offeredTo(0)).toContain('open__echo');
    expect(offeredTo(0)).not.toContain('open__sleep');
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      outcome: { isError: true, parts: [{ text: expect.stringMatching(/^Error TOOL_DENIED: /) }] },
    });
    expect(started).toEqual([]);
  });

  it("'policy' (the default) asks for an untrusted server's read-only tool, not a trusted one's", async () => {
    for (const approval of [undefined, 'non-read-only'] as const) {
      provider.script(
        {
          toolCalls: [
            { name: 'open__echo', args: { text: 'hi' } },
            { name: 'sure__echo', args: { text: 'hi' } },
          ],
        },
        { text: 'Both.' },
      );
      const asked: ApprovalRequest[] = [];
      const agent = new Agent({
        model: model(),
        toolset: tools,
        ...(approval === undefined ? {} : { approval }),
        approve: (request) => (asked.push(request), true),
      });
      await agent.run('Echo twice').result;
      expect(asked.map((r) => r.call.name)).toEqual(['open__echo']);
      expect(asked[0]).toMatchObject({
        server: 'open',
        toolName: 'echo',
        arguments: { text: 'hi' },
        annotations: { readOnlyHint: true },
        trusted: false,
        change: undefined,
        tool: { name: 'open__echo', needsApproval: true },
      });
    }
  });

  it("'always' approves that tool for the rest of the conversation, across runs; a new one asks again", async () => {
    const add = (a: number) => ({ toolCalls: [{ name: 'open__add', args: { a, b: 1 } }] });
    let asks = 0;
    const agent = new Agent({
      model: model(),
      toolset: tools,
      approve: (): ApprovalAnswer => (asks++, 'always'),
    });
    const remembered = new Set<string>();
    provider.script(add(1), add(2), { text: 'Added twice.' });
    const first = agent.run('Add twice', { remembered });
    const events = await collect(first);
    const approvals = events.filter((e) => e.type === 'approval');
    expect(approvals.map((e) => (e as { remembered: boolean }).remembered)).toEqual([false, true]);
    expect(asks).toBe(1);
    expect([...remembered]).toEqual(['open/add']);
    provider.script(add(3), { text: 'Again.' });
    await agent.run('Once more', { remembered, history: (await first.result).history }).result;
    expect(asks).toBe(1);
    provider.script(add(4), { text: 'New chat.' });
    await agent.run('Add', { remembered: new Set() }).result;
    expect(asks).toBe(2);
    // Without a set of its own, a run remembers nothing past itself: an agent serving several users'
    // conversations carries no one's 'always' over to another's.
    provider.script(add(5), { text: 'Alone.' });
    await agent.run('Add').result;
    provider.script(add(6), { text: 'Alone again.' });
    await agent.run('Add').result;
    expect(asks).toBe(4);
  });

  it("the instructions sent: the caller's, then only the trusted servers', labelled", async () => {
    provider.script({ text: 'Hello.' });
    await new Agent({ model: model(), toolset: tools, instructions: 'Be brief.' }).run('Hi').result;
    const messages = provider.received[0]!.body.messages as { role: string; content: string }[];
    const system = messages.find((m) => m.role === 'system')!.content;
    expect(system).toMatch(/^Be brief\.\n\nInstructions from the MCP server "ev-trusted":\n# Everything Server/);
    expect(system).not.toContain('ev-untrusted');
  });
});
