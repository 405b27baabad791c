// The conformance server on SDK v2 (@modelcontextprotocol/server 2.x), serving both eras: what the
// @modelcontextprotocol/conformance server scenarios of 2026-07-28 and of 2025-11-25 ask for, written
// here from their descriptions. Tools that need the client's input (elicitation, sampling, roots) are
// written once with `inputRequired`: a 2026 request gets an `input_required` result (MRTR) and
// retries; on a 2025 session the SDK's legacy shim sends the real server→client request and re-enters
// the handler. `pnpm test:conformance` tests it directly and through the gateway; its 2025-only
// sibling on the v1 SDK is server-2025.ts.
//   node dist/server.js --stdio          stdin/stdout; the opening message picks the era (serveStdio)
//   node dist/server.js --port N         HTTP on 127.0.0.1:N/mcp (0: a free port; the URL is printed):
//                                        2026 requests stateless (createMcpHandler), 2025 ones on a
//                                        session (isLegacyRequest → a sessionful transport)
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  McpServer,
  ResourceTemplate,
  WebStandardStreamableHTTPServerTransport,
  CLIENT_CAPABILITIES_META_KEY,
  acceptedContent,
  createMcpHandler,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  isLegacyRequest,
  type CallToolResult,
  type ClientCapabilities,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  type McpHttpHandler,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { CAPABILITIES, DEFAULTS_PROPERTIES, ENUMS_PROPERTIES, FIXED_RESULTS, PNG, complete } from './scenario-data.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
type Form = ElicitRequestFormParams['requestedSchema'];
const form = (properties: Form['properties'], required?: string[]): Form => ({
  type: 'object',
  properties,
  ...(required === undefined ? {} : { required }),
});

const DEFAULTS_FORM = form(DEFAULTS_PROPERTIES as Form['properties']);
const ENUMS_FORM = form(ENUMS_PROPERTIES as Form['properties']);
const NAME_FORM = form({ name: { type: 'string' } }, ['name']);

/**
 * Seals every `requestState` this process hands out (HMAC): the state comes back from the client and
 * is attacker-controlled, so a tampered one is refused with -32602 before the handler runs. One key
 * per process: one process serves every round of a flow.
 */
const codec = createRequestStateCodec<{ round: number }>({ key: randomBytes(32) });

/** Where list_changed notices go: HTTP's subscription bus when serving HTTP, else the instance itself. */
let httpHandler: McpHttpHandler | undefined;
/** Every live 2025 session's instance, to send list_changed to. */
const legacyServers = new Set<McpServer>();

/** The capabilities a 2026 request declares in its `_meta` envelope (the SDK types the envelope as `{}`). */
const capabilitiesOf = (ctx: ServerContext): ClientCapabilities =>
  ((ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY] as
    ClientCapabilities | undefined) ?? {};
/** What a tool answers: a result, or a question for the client first. */
type Answer = CallToolResult | InputRequiredResult;

/** What an elicitation answer says, as the 2025 scenarios read it. */
function said(ctx: ServerContext, key: string): string | undefined {
  const got = inputResponse(ctx.mcpReq.inputResponses, key);
  if (got.kind !== 'elicit') return undefined;
  return `action=${got.action}, content=${JSON.stringify(got.content ?? {})}`;
}

function registerTools(server: McpServer): void {
  const tool = (name: string, description: string, run: (ctx: ServerContext) => Promise<Answer>): void =>
    void server.registerTool(name, { description }, (ctx) => run(ctx));
  for (const [name, result] of Object.entries(FIXED_RESULTS))
    tool(name, `Returns fixed content (${name})`, async () => result as CallToolResult);
  // ctx.mcpReq.log honours the level the client asked for (logging/setLevel in 2025, the
  // `…/logLevel` _meta key in 2026: none set there means no log at all).
  const logThree = async (ctx: ServerContext): Promise<CallToolResult> => {
    for (const [i, data] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
      if (i > 0) await sleep(50);
      await ctx.mcpReq.log('info', data);
    }
    return text('Logged three messages');
  };
  tool('test_tool_with_logging', 'Logs three messages while it runs', logThree);
  tool('test_logging_tool', 'Logs three messages while it runs (none unless a log level is set)', logThree);
  tool('test_tool_with_progress', 'Reports progress 0, 50, 100 of 100', async (ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (token !== undefined)
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken: token, progress, total: 100 },
        });
      if (progress < 100) await sleep(50);
    }
    return text('Progress reported');
  });
  tool('test_error_handling', 'Always fails', async () => ({
    isError: true,
    content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
  }));
  server.registerTool(
    'test_sampling',
    { description: 'Asks the client for a model completion', inputSchema: z.object({ prompt: z.string() }) },
    ({ prompt }, ctx) => {
      const got = inputResponse(ctx.mcpReq.inputResponses, 'completion');
      if (got.kind !== 'sampling')
        return inputRequired({
          inputRequests: {
            completion: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
              maxTokens: 100,
            }),
          },
        });
      const content = Array.isArray(got.result.content) ? got.result.content[0] : got.result.content;
      return text(`LLM response: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`);
    },
  );
  server.registerTool(
    'test_elicitation',
    { description: 'Asks the user for a name and an email', inputSchema: z.object({ message: z.string() }) },
    ({ message }, ctx) => {
      const answer = said(ctx, 'user');
      if (answer !== undefined) return text(`User response: ${answer}`);
      const requestedSchema = form(
        {
          username: { type: 'string', description: "User's response" },
          email: { type: 'string', description: "User's email address" },
        },
        ['username', 'email'],
      );
      return inputRequired({ inputRequests: { user: inputRequired.elicit({ message, requestedSchema }) } });
    },
  );
  for (const [name, message, requestedSchema] of [
    ['test_elicitation_sep1034_defaults', 'Confirm or change the defaults', DEFAULTS_FORM],
    ['test_elicitation_sep1330_enums', 'Pick from each list', ENUMS_FORM],
  ] as const) {
    tool(name, `Elicits (${name.slice(16)})`, async (ctx) => {
      const answer = said(ctx, 'form');
      if (answer !== undefined) return text(`Elicitation completed: ${answer}`);
      return inputRequired({ inputRequests: { form: inputRequired.elicit({ message, requestedSchema }) } });
    });
  }
  registerInputTools(server);
  // It needs sampling: asked of a request that does not declare it, the SDK answers -32021
  // (MissingRequiredClientCapability, HTTP 400) before anything reaches the client.
  tool('test_missing_capability', 'Needs the sampling capability', async (ctx) => {
    const got = inputResponse(ctx.mcpReq.inputResponses, 'sample');
    if (got.kind === 'sampling') return text('sampled');
    const hello = { role: 'user', content: { type: 'text', text: 'Say hello' } } as const;
    return inputRequired({
      inputRequests: { sample: inputRequired.createMessage({ messages: [hello], maxTokens: 10 }) },
    });
  });
  tool('test_trigger_tool_change', 'Announces a tools list change', async () => {
    if (httpHandler !== undefined) httpHandler.notify.toolsChanged();
    else server.sendToolListChanged();
    for (const s of legacyServers) s.sendToolListChanged();
    return text('tools changed');
  });
  tool('test_trigger_prompt_change', 'Announces a prompts list change', async () => {
    if (httpHandler !== undefined) httpHandler.notify.promptsChanged();
    else server.sendPromptListChanged();
    for (const s of legacyServers) s.sendPromptListChanged();
    return text('prompts changed');
  });
}

/** The SEP-2322 (input_required) tools of the 2026-07-28 scenarios. */
function registerInputTools(server: McpServer): void {
  const tool = (name: string, run: (ctx: ServerContext) => Promise<Answer>): void =>
    void server.registerTool(name, { description: `input_required scenario: ${name.slice(26)}` }, (ctx) => run(ctx));
  const nameRequest = (message = 'What is your name?') => inputRequired.elicit({ message, requestedSchema: NAME_FORM });
  const greeting = { role: 'user', content: { type: 'text', text: 'Generate a greeting' } } as const;
  const round = (ctx: ServerContext): number => ctx.mcpReq.requestState<{ round: number }>()?.round ?? 0;

  tool('test_input_required_result_elicitation', async (ctx) => {
    // Missing, declined or malformed answers get the question again (not an error).
    const got = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
    if (typeof got?.name !== 'string') return inputRequired({ inputRequests: { user_name: nameRequest() } });
    return text(`Hello, ${got.name}!`);
  });
  tool('test_input_required_result_sampling', async (ctx) => {
    const got = inputResponse(ctx.mcpReq.inputResponses, 'capital_question');
    if (got.kind !== 'sampling') {
      const question = { role: 'user', content: { type: 'text', text: 'What is the capital of France?' } } as const;
      return inputRequired({
        inputRequests: { capital_question: inputRequired.createMessage({ messages: [question], maxTokens: 100 }) },
      });
    }
    const content = Array.isArray(got.result.content) ? got.result.content[0] : got.result.content;
    return text(`The model said: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`);
  });
  tool('test_input_required_result_list_roots', async (ctx) => {
    const got = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
    if (got.kind !== 'roots') return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
    return text(`Roots: ${got.roots.map((r) => r.uri).join(', ')}`);
  });
  tool('test_input_required_result_request_state', async (ctx) => {
    const got = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
    if (got === undefined || round(ctx) !== 1) {
      const confirm = inputRequired.elicit({
        message: 'Please confirm',
        requestedSchema: form({ ok: { type: 'boolean' } }, ['ok']),
      });
      return inputRequired({ inputRequests: { confirm }, requestState: await codec.mint({ round: 1 }) });
    }
    return text(`state-ok: confirmed ${String(got.ok)}`);
  });
  tool('test_input_required_result_multiple_inputs', async (ctx) => {
    const responses = ctx.mcpReq.inputResponses;
    const name = acceptedContent(responses, 'user_name');
    const sampled = inputResponse(responses, 'greeting');
    const roots = inputResponse(responses, 'client_roots');
    if (name === undefined || sampled.kind !== 'sampling' || roots.kind !== 'roots' || round(ctx) !== 1)
      return inputRequired({
        inputRequests: {
          user_name: nameRequest(),
          greeting: inputRequired.createMessage({ messages: [greeting], maxTokens: 50 }),
          client_roots: inputRequired.listRoots(),
        },
        requestState: await codec.mint({ round: 1 }),
      });
    return text(`Got all three: ${String(name.name)}, a greeting, ${roots.roots.length} root(s)`);
  });
  tool('test_input_required_result_multi_round', async (ctx) => {
    const responses = ctx.mcpReq.inputResponses;
    const step2 = acceptedContent(responses, 'step2');
    if (round(ctx) === 2 && step2 !== undefined) return text(`Done: favourite colour ${String(step2.color)}`);
    if (round(ctx) === 1 && acceptedContent(responses, 'step1') !== undefined) {
      const color = inputRequired.elicit({
        message: 'Step 2: What is your favorite color?',
        requestedSchema: form({ color: { type: 'string' } }, ['color']),
      });
      return inputRequired({ inputRequests: { step2: color }, requestState: await codec.mint({ round: 2 }) });
    }
    return inputRequired({
      inputRequests: { step1: nameRequest('Step 1: What is your name?') },
      requestState: await codec.mint({ round: 1 }),
    });
  });
  tool('test_input_required_result_tampered_state', async (ctx) => {
    // A tampered state never gets here: the codec's verify refuses it first (-32602).
    if (round(ctx) === 1 && acceptedContent(ctx.mcpReq.inputResponses, 'user_name') !== undefined)
      return text('state verified');
    return inputRequired({ inputRequests: { user_name: nameRequest() }, requestState: await codec.mint({ round: 1 }) });
  });
  tool('test_input_required_result_capabilities', async (ctx) => {
    const caps = capabilitiesOf(ctx);
    const responses = ctx.mcpReq.inputResponses ?? {};
    const requests = {
      ...(caps.elicitation === undefined || 'user_name' in responses ? {} : { user_name: nameRequest() }),
      ...(caps.sampling === undefined || 'greeting' in responses
        ? {}
        : { greeting: inputRequired.createMessage({ messages: [greeting], maxTokens: 50 }) }),
      ...(caps.roots === undefined || 'client_roots' in responses ? {} : { client_roots: inputRequired.listRoots() }),
    };
    if (Object.keys(requests).length === 0)
      return text(`Asked only for what was declared: ${Object.keys(caps).join(', ')}`);
    return inputRequired({ inputRequests: requests });
  });
  tool('test_streaming_elicitation', async (ctx) => {
    // The question goes out as an input_required result, never as a request on the response stream.
    const got = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
    if (got === undefined) return inputRequired({ inputRequests: { user_name: nameRequest() } });
    return text(`Hello, ${String(got.name)}!`);
  });
}

function registerResources(server: McpServer): void {
  server.registerResource(
    'static-text',
    'test://static-text',
    { description: 'A text resource', mimeType: 'text/plain' },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
    }),
  );
  server.registerResource(
    'static-binary',
    'test://static-binary',
    { description: 'A PNG resource', mimeType: 'image/png' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG }] }),
  );
  server.registerResource(
    'watched',
    'test://watched-resource',
    { description: 'A resource to subscribe to', mimeType: 'text/plain' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'watched' }] }),
  );
  server.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'Data for an id', mimeType: 'application/json' },
    (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }),
        },
      ],
    }),
  );
  // 2025 clients subscribe (2026 ones use subscriptions/listen, which createMcpHandler serves).
  server.server.setRequestHandler('resources/subscribe', () => ({}));
  server.server.setRequestHandler('resources/unsubscribe', () => ({}));
}

function registerPrompts(server: McpServer): void {
  const user = (t: string) => ({ role: 'user' as const, content: { type: 'text' as const, text: t } });
  server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, () => ({
    messages: [user('This is a simple prompt for testing.')],
  }));
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two arguments',
      argsSchema: z.object({
        arg1: z.string().describe('First test argument'),
        arg2: z.string().describe('Second test argument'),
      }),
    },
    ({ arg1, arg2 }) => ({ messages: [user(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`)] }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      description: 'A prompt that embeds a resource',
      argsSchema: z.object({ resourceUri: z.string().describe('The resource to embed') }),
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          },
        },
        user('Please process the embedded resource above.'),
      ],
    }),
  );
  server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      user('Please analyze the image above.'),
    ],
  }));
  server.registerPrompt(
    'test_input_required_result_prompt',
    { description: 'A prompt that asks for its context first (input_required on prompts/get)' },
    (ctx) => {
      const got = acceptedContent(ctx.mcpReq.inputResponses, 'user_context');
      if (got === undefined) {
        const ask = inputRequired.elicit({
          message: 'What context should the prompt use?',
          requestedSchema: form({ context: { type: 'string' } }, ['context']),
        });
        return inputRequired({ inputRequests: { user_context: ask } });
      }
      return { messages: [user(`Use this context: ${String(got.context)}`)] };
    },
  );
}

/** One server instance (HTTP builds one per 2026 request and one per 2025 session; stdio one per connection). */
function build(): McpServer {
  const server = new McpServer(
    { name: 'universal-mcp-conformance-server', version: '0.2.0' },
    {
      capabilities: CAPABILITIES,
      requestState: { verify: codec.verify },
    },
  );
  registerTools(server);
  registerResources(server);
  registerPrompts(server);
  server.server.setRequestHandler('completion/complete', ({ params: { argument } }) => {
    return complete(argument.value);
  });
  return server;
}

/** 2025 sessions: one instance per session, so server→client requests reach the client that called. */
function legacyLeg(): { fetch: (request: Request) => Promise<Response>; close: () => void } {
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  return {
    fetch: async (request) => {
      const id = request.headers.get('mcp-session-id');
      const known = id === null ? undefined : sessions.get(id);
      if (known !== undefined) return known.handleRequest(request);
      if (id !== null)
        return Response.json(
          { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } },
          { status: 404 },
        );
      const server = build();
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid) => void sessions.set(sid, transport),
        onsessionclosed: (sid) => void sessions.delete(sid),
      });
      transport.onclose = () => {
        if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
        legacyServers.delete(server);
      };
      legacyServers.add(server);
      await server.connect(transport);
      return transport.handleRequest(request);
    },
    close: () => {
      for (const t of sessions.values()) void t.close();
    },
  };
}

/** HTTP on 127.0.0.1, Host and Origin checked (DNS rebinding), both eras on one endpoint. */
async function serveHttp(port: number): Promise<void> {
  const modern = createMcpHandler(build, { legacy: 'reject' });
  httpHandler = modern;
  const legacy = legacyLeg();
  let local = new Set<string>();
  const refuse = (status: number, message: string): Response =>
    Response.json({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }, { status });
  const node = toNodeHandler({
    fetch: async (request: Request): Promise<Response> => {
      const origin = request.headers.get('origin');
      if (!local.has(request.headers.get('host') ?? '')) return refuse(403, 'Host not allowed');
      if (origin !== null && !local.has(origin.replace(/^http:\/\//, ''))) return refuse(403, 'Origin not allowed');
      if (new URL(request.url).pathname !== '/mcp') return refuse(404, 'Not found');
      if (await isLegacyRequest(request)) return legacy.fetch(request);
      return modern.fetch(request);
    },
  });
  const http = createServer((req: IncomingMessage, res: ServerResponse) => void node(req, res));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const bound = (http.address() as AddressInfo).port;
  local = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`, `[::1]:${bound}`]);
  process.stdout.write(`http://127.0.0.1:${bound}/mcp\n`);
  const stop = (): void => {
    legacy.close();
    void modern.close();
    http.close();
    http.closeAllConnections();
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}

const [mode, value] = process.argv.slice(2);
if (mode === '--stdio') serveStdio(build, { legacy: 'serve' });
else if (mode === '--port' && value !== undefined && /^\d+$/.test(value)) await serveHttp(Number(value));
else {
  process.stderr.write('usage: server.js --stdio | --port N\n');
  process.exit(2);
}
