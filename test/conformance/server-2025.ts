// The 2025-era conformance server: what the @modelcontextprotocol/conformance server scenarios of
// 2025-11-25 ask for, on the v1 SDK (@modelcontextprotocol/sdk 1.x, low-level Server, so tool schemas
// go out as written, JSON Schema 2020-12 keywords included). It speaks 2025-11-25 only: the upstream a
// 2025-era server is, for `pnpm test:conformance` (directly and through the gateway). Its SDK v2
// sibling serving both eras is server.ts.
//   node dist/server-2025.js --stdio          one session on stdin/stdout
//   node dist/server-2025.js --port N         Streamable HTTP on 127.0.0.1:N/mcp (0: a free port; the URL is printed)
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  isInitializeRequest,
  type CallToolResult,
  type ElicitRequest,
  type ElicitRequestFormParams,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { MemoryEventStore } from '@universal-mcp/gateway';
import { CAPABILITIES, DEFAULTS_PROPERTIES, ENUMS_PROPERTIES, FIXED_RESULTS, PNG, complete } from './scenario-data.js';

const NO_ARGS = { type: 'object', properties: {} } as const;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

const TOOLS: Tool[] = [
  { name: 'test_simple_text', description: 'Returns a simple text', inputSchema: NO_ARGS },
  { name: 'test_image_content', description: 'Returns a PNG image', inputSchema: NO_ARGS },
  { name: 'test_audio_content', description: 'Returns a WAV sound', inputSchema: NO_ARGS },
  { name: 'test_embedded_resource', description: 'Returns an embedded resource', inputSchema: NO_ARGS },
  { name: 'test_multiple_content_types', description: 'Returns text, an image and a resource', inputSchema: NO_ARGS },
  { name: 'test_tool_with_logging', description: 'Logs three messages while it runs', inputSchema: NO_ARGS },
  { name: 'test_tool_with_progress', description: 'Reports progress 0, 50, 100 of 100', inputSchema: NO_ARGS },
  { name: 'test_error_handling', description: 'Always fails', inputSchema: NO_ARGS },
  { name: 'test_reconnection', description: 'Closes its SSE stream before it answers', inputSchema: NO_ARGS },
  {
    name: 'test_sampling',
    description: 'Asks the client for a model completion',
    inputSchema: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for a name and an email',
    inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  },
  { name: 'test_elicitation_sep1034_defaults', description: 'Elicits with defaults', inputSchema: NO_ARGS },
  { name: 'test_elicitation_sep1330_enums', description: 'Elicits with every enum form', inputSchema: NO_ARGS },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
  },
];

type FormProperties = ElicitRequestFormParams['requestedSchema']['properties'];
const DEFAULTS_SCHEMA: ElicitRequest['params'] & { mode?: 'form' } = {
  message: 'Confirm or change the defaults',
  requestedSchema: { type: 'object', properties: DEFAULTS_PROPERTIES as FormProperties },
};
const ENUMS_SCHEMA: ElicitRequest['params'] = {
  message: 'Pick from each list',
  requestedSchema: { type: 'object', properties: ENUMS_PROPERTIES as FormProperties },
};

const RESOURCES = [
  { uri: 'test://static-text', name: 'static-text', description: 'A text resource', mimeType: 'text/plain' },
  { uri: 'test://static-binary', name: 'static-binary', description: 'A PNG resource', mimeType: 'image/png' },
  {
    uri: 'test://watched-resource',
    name: 'watched',
    description: 'A resource to subscribe to',
    mimeType: 'text/plain',
  },
];

const PROMPTS = [
  { name: 'test_simple_prompt', description: 'A prompt without arguments' },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds a resource',
    arguments: [{ name: 'resourceUri', description: 'The resource to embed', required: true }],
  },
  { name: 'test_prompt_with_image', description: 'A prompt with an image' },
];

/** One session's server. */
function createConformanceServer(): Server {
  const server = new Server(
    { name: 'universal-mcp-conformance-server', version: '0.1.0' },
    {
      capabilities: CAPABILITIES,
    },
  );
  const subscribed = new Set<string>();

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const args = request.params.arguments ?? {};
    const log = (data: string): Promise<void> => server.sendLoggingMessage({ level: 'info', data }, extra.sessionId);
    const caps = server.getClientCapabilities() ?? {};
    switch (request.params.name) {
      case 'test_simple_text':
      case 'test_image_content':
      case 'test_audio_content':
      case 'test_embedded_resource':
      case 'test_multiple_content_types':
        return FIXED_RESULTS[request.params.name] as CallToolResult;
      case 'test_tool_with_logging':
        await log('Tool execution started');
        await sleep(50);
        await log('Tool processing data');
        await sleep(50);
        await log('Tool execution completed');
        return text('Logged three messages');
      case 'test_tool_with_progress': {
        const token = extra._meta?.progressToken;
        for (const progress of [0, 50, 100]) {
          if (token !== undefined)
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken: token, progress, total: 100 },
            });
          if (progress < 100) await sleep(50);
        }
        return text('Progress reported');
      }
      case 'test_error_handling':
        return {
          isError: true,
          content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
        };
      case 'test_reconnection':
        // The client resumes with Last-Event-ID and gets the answer on its new stream.
        extra.closeSSEStream?.();
        await sleep(100);
        return text('Answered after the stream was closed');
      case 'test_sampling': {
        if (caps.sampling === undefined) return { isError: true, content: [{ type: 'text', text: 'No sampling' }] };
        const answer = await server.createMessage(
          {
            messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt) } }],
            maxTokens: 100,
          },
          { relatedRequestId: extra.requestId },
        );
        const content = Array.isArray(answer.content) ? answer.content[0] : answer.content;
        return text(`LLM response: ${content?.type === 'text' ? content.text : JSON.stringify(content)}`);
      }
      case 'test_elicitation':
      case 'test_elicitation_sep1034_defaults':
      case 'test_elicitation_sep1330_enums': {
        if (caps.elicitation === undefined)
          return { isError: true, content: [{ type: 'text', text: 'No elicitation' }] };
        const params =
          request.params.name === 'test_elicitation'
            ? {
                message: String(args.message),
                requestedSchema: {
                  type: 'object' as const,
                  properties: {
                    username: { type: 'string' as const, description: "User's response" },
                    email: { type: 'string' as const, description: "User's email address" },
                  },
                  required: ['username', 'email'],
                },
              }
            : request.params.name === 'test_elicitation_sep1034_defaults'
              ? DEFAULTS_SCHEMA
              : ENUMS_SCHEMA;
        const answer = await server.elicitInput(params, { relatedRequestId: extra.requestId });
        const said = `action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
        return text(
          request.params.name === 'test_elicitation' ? `User response: ${said}` : `Elicitation completed: ${said}`,
        );
      }
      case 'json_schema_2020_12_tool':
        return text(`Got ${JSON.stringify(args)}`);
      default:
        throw new McpError(-32602, `Unknown tool: ${request.params.name}`);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: 'test://template/{id}/data',
        name: 'template',
        description: 'Data for an id',
        mimeType: 'application/json',
      },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, ({ params: { uri } }) => {
    if (uri === 'test://static-text')
      return { contents: [{ uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] };
    if (uri === 'test://static-binary') return { contents: [{ uri, mimeType: 'image/png', blob: PNG }] };
    if (uri === 'test://watched-resource') return { contents: [{ uri, mimeType: 'text/plain', text: 'watched' }] };
    const id = /^test:\/\/template\/([^/]+)\/data$/.exec(uri)?.[1];
    if (id !== undefined) {
      const data = { id, templateTest: true, data: `Data for ID: ${id}` };
      return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(data) }] };
    }
    throw new McpError(-32002, `Resource not found: ${uri}`);
  });
  server.setRequestHandler(SubscribeRequestSchema, ({ params: { uri } }) => {
    subscribed.add(uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, ({ params: { uri } }) => {
    subscribed.delete(uri);
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, ({ params: { name, arguments: args = {} } }) => {
    switch (name) {
      case 'test_simple_prompt':
        return {
          messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
        };
      case 'test_prompt_with_arguments':
        return {
          messages: [
            {
              role: 'user',
              content: { type: 'text', text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` },
            },
          ],
        };
      case 'test_prompt_with_embedded_resource':
        return {
          messages: [
            {
              role: 'user',
              content: {
                type: 'resource',
                resource: {
                  uri: args.resourceUri ?? 'test://embedded',
                  mimeType: 'text/plain',
                  text: 'Embedded resource content for testing.',
                },
              },
            },
            { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
          ],
        };
      case 'test_prompt_with_image':
        return {
          messages: [
            { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
            { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
          ],
        };
      default:
        throw new McpError(-32602, `Unknown prompt: ${name}`);
    }
  });
  server.setRequestHandler(CompleteRequestSchema, ({ params: { argument } }) => {
    return complete(argument.value);
  });
  return server;
}

/** Streamable HTTP on 127.0.0.1, a session per client, Host and Origin checked (DNS rebinding). */
async function serveHttp(port: number): Promise<void> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const reply = (res: ServerResponse, status: number, message: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
  };
  let local = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    if (!local.has(req.headers.host ?? '')) return reply(res, 403, 'Host not allowed');
    if (origin !== undefined && !local.has(origin.replace(/^http:\/\//, '')))
      return reply(res, 403, 'Origin not allowed');
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return reply(res, 404, 'Not found');
    const id = req.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (known !== undefined) return known.handleRequest(req, res);
    if (id !== undefined) return reply(res, 404, 'Session not found');
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, 'Parse error');
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return reply(res, 400, 'No session');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      eventStore: new MemoryEventStore(),
      retryInterval: 500,
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
      onsessionclosed: (sid) => void sessions.delete(sid),
    });
    await createConformanceServer().connect(transport);
    await transport.handleRequest(req, res, body);
  };
  const http = createServer((req, res) => void handle(req, res).catch((e: unknown) => reply(res, 500, String(e))));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const bound = (http.address() as AddressInfo).port;
  local = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`, `[::1]:${bound}`]);
  process.stdout.write(`http://127.0.0.1:${bound}/mcp\n`);
  const stop = (): void => {
    for (const t of sessions.values()) void t.close();
    http.close();
    http.closeAllConnections();
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}

const [mode, value] = process.argv.slice(2);
if (mode === '--stdio') await createConformanceServer().connect(new StdioServerTransport());
else if (mode === '--port' && value !== undefined && /^\d+$/.test(value)) await serveHttp(Number(value));
else {
  process.stderr.write('usage: server-2025.js --stdio | --port N\n');
  process.exit(2);
}
