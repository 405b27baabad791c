import {
  McpServer,
  acceptedContent,
  createMcpHandler,
  fromJsonSchema,
  inputRequired,
  type McpHttpHandler,
} from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDiscoverResult, readUnsupportedVersion } from '../src/discover-result.js';
import { runWithInputs, type SendRequest } from '../src/input-required.js';
import { buildParamHeaders, checkParamHeaders, type ParamHeaderDeclaration } from '../src/mcp-param-headers.js';
import { chooseVersion } from '../src/protocol-era.js';
import { requestHeaders, withEnvelope } from '../src/request-envelope.js';

// The wire modules against a real SDK v2 server (its web-standard handler, called in process: the
// same header and body checks as over HTTP, no port). The server checks the envelope, the
// standard headers against the body, and each declared Mcp-Param-* header (-32020 otherwise).

const deploySchema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    env: { type: 'string' },
  },
  required: ['region', 'env'],
} as const;

function wireServer(): McpServer {
  const server = new McpServer({ name: 'wire-fixture', version: '1.0.0' }, { instructions: 'Deploy things.' });
  server.registerTool(
    'deploy',
    { inputSchema: fromJsonSchema<{ region: string; env: string }>(deploySchema) },
    (args, ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
      if (answer?.ok !== true)
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: `Deploy ${args.env} in ${args.region}?`,
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            }),
          },
          requestState: `deploy:${args.env}`,
        });
      const state = ctx.mcpReq.requestState();
      return { content: [{ type: 'text', text: `deployed ${args.env} in ${args.region} (${String(state)})` }] };
    },
  );
  return server;
}

const envelope = {
  protocolVersion: '2026-07-28',
  clientCapabilities: { elicitation: {} },
  clientInfo: { name: 'umcp-test', version: '0.0.0' },
};

let handler: McpHttpHandler;
const ids: number[] = [];
let nextId = 0;

interface RpcAnswer {
  readonly status: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string; data?: unknown };
}

/** One POST through the SDK's handler: our envelope and headers, then whatever the test changes. */
async function post(
  method: string,
  params: Record<string, unknown>,
  options: { paramHeaders?: Record<string, string>; protocolVersion?: string; signal?: AbortSignal } = {},
): Promise<RpcAnswer> {
  const id = (nextId += 1);
  ids.push(id);
  const message = {
    jsonrpc: '2.0',
    id,
    method,
    params: withEnvelope(params, { ...envelope, protocolVersion: options.protocolVersion ?? envelope.protocolVersion }),
  };
  const headers = {
    ...requestHeaders(message, options.paramHeaders),
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const response = await handler.fetch(
    new Request('http://127.0.0.1/mcp', {
      method: 'POST',
      headers,
      body: JSON.stringify(message),
      signal: options.signal,
    }),
  );
  const text = await response.text();
  // An SSE answer carries the JSON-RPC response in its last data line.
  const json = response.headers.get('content-type')?.includes('text/event-stream')
    ? (
        text
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .pop() ?? ''
      ).slice(5)
    : text;
  const body = JSON.parse(json) as { result?: Record<string, unknown>; error?: RpcAnswer['error'] };
  return { status: response.status, ...body };
}

beforeAll(() => {
  handler = createMcpHandler(() => wireServer(), { legacy: 'reject' });
});

afterAll(async () => {
  await handler.close();
});

describe('the 2026-07-28 wire against an SDK v2 server', () => {
  let declarations: readonly ParamHeaderDeclaration[] = [];

  it('discovers the server and chooses 2026-07-28', async () => {
    const answer = await post('server/discover', {});
    const read = readDiscoverResult(answer.result);
    if (!read.ok) throw new Error(read.reason);
    expect(read.discover.serverInfo?.name).toBe('wire-fixture');
    expect(read.discover.instructions).toBe('Deploy things.');
    expect(read.discover.capabilities.tools).toBeDefined();
    expect(chooseVersion(read.discover.supportedVersions, 'auto')).toEqual({ ok: true, version: '2026-07-28' });
  });

  it('reads -32022 for a revision the server does not speak, and chooses from its data', async () => {
    const answer = await post('server/discover', {}, { protocolVersion: '1900-01-01' });
    expect([answer.status, answer.error?.code]).toEqual([400, -32022]);
    const data = readUnsupportedVersion(answer.error?.data);
    expect(data?.requested).toBe('1900-01-01');
    expect(chooseVersion(data?.supported ?? [], 'auto')).toEqual({ ok: true, version: '2026-07-28' });
  });

  it('lists the tool and finds its x-mcp-header declaration', async () => {
    const answer = await post('tools/list', {});
    const tools = answer.result?.tools as { name: string; inputSchema: unknown }[];
    const deploy = tools.find((t) => t.name === 'deploy');
    const check = checkParamHeaders(deploy?.inputSchema);
    if (!check.ok) throw new Error(check.reason);
    declarations = check.declarations;
    expect(declarations).toEqual([{ path: ['region'], headerName: 'Region', type: 'string' }]);
  });

  it('completes a tools/call through an elicitation round, each send under a new id, the state echoed', async () => {
    const asked: unknown[] = [];
    const send: SendRequest = async (method, params, signal) => {
      const answer = await post(method, params, {
        paramHeaders: buildParamHeaders(declarations, params.arguments as Record<string, unknown>),
        signal,
      });
      if (answer.error !== undefined) throw new Error(`${answer.error.code} ${answer.error.message}`);
      return answer.result;
    };
    const before = ids.length;
    const result = await runWithInputs(
      send,
      // Non-ASCII in the header argument: the server decodes the Base64 form and compares it with the body.
      { method: 'tools/call', params: { name: 'deploy', arguments: { region: 'eu-ouest-é', env: 'prod' } } },
      { elicitation: (params) => (asked.push(params), { action: 'accept', content: { ok: true } }) },
      { server: 'wire-fixture' },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'deployed prod in eu-ouest-é (deploy:prod)' }]);
    expect(asked).toEqual([expect.objectContaining({ message: 'Deploy prod in eu-ouest-é?' })]);
    const used = ids.slice(before);
    expect(used).toHaveLength(2);
    expect(new Set(used).size).toBe(2);
  });

  it('is refused with -32020 when a Mcp-Param header disagrees with the body: the headers are checked', async () => {
    const params = { name: 'deploy', arguments: { region: 'us-west1', env: 'dev' } };
    const answer = await post('tools/call', params, { paramHeaders: { 'Mcp-Param-Region': 'us-east1' } });
    expect([answer.status, answer.error?.code]).toEqual([400, -32020]);
    const missing = await post('tools/call', params, { paramHeaders: {} });
    expect(missing.error?.code).toBe(-32020);
  });
});
