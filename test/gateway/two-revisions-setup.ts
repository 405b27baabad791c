// Shared by the two-revisions tests: a gateway over real upstream fixture processes, and
// downstream SDK v2 clients pinned to one revision.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  createGateway,
  createRequestRouter,
  type Gateway,
  type GatewayOptions,
  type HttpListener,
} from '@universal-mcp/gateway';
import { UniversalMcpClient, type ToolPolicy } from '@universal-mcp/supervisor';
import { V2_FIXTURE } from '../helpers/published-servers.js';

/** Closes everything a test opened, newest first. */
export const opened: { close(): Promise<void> }[] = [];
export async function closeAll(): Promise<void> {
  for (const o of opened.splice(0).reverse()) await o.close().catch(() => undefined);
}

/** Upstream: `v2` (the SDK v2 fixture, spoken to in 2026-07-28) and `old` (the same fixture, 2025 only). */
export async function upstream(
  names: ('v2' | 'old')[] = ['v2', 'old'],
  policy: { client?: ToolPolicy; server?: ToolPolicy } = {},
): Promise<UniversalMcpClient> {
  const router = createRequestRouter();
  const client = new UniversalMcpClient({
    defaults: { health: { intervalMs: 0 } },
    handlers: router.handlers,
    tools: policy.client,
  });
  opened.push(client);
  for (const name of names)
    await client.addServer({
      name,
      transport: 'stdio',
      command: process.execPath,
      args: [V2_FIXTURE, ...(name === 'old' ? ['--only-2025'] : [])],
      tools: policy.server,
    });
  await client.whenReady();
  routers.set(client, router);
  return client;
}
const routers = new WeakMap<UniversalMcpClient, ReturnType<typeof createRequestRouter>>();

/** The gateway over `client`, listening on a free port with a generated token. */
export async function serve(
  client: UniversalMcpClient,
  options: GatewayOptions = {},
): Promise<{ gateway: Gateway; listener: HttpListener }> {
  const gateway = createGateway(client, { router: routers.get(client), ...options });
  opened.push(gateway);
  const listener = await gateway.listen({ port: 0 });
  return { gateway, listener };
}

/** A downstream SDK v2 client pinned to `revision` (`auto`: it negotiates). */
export async function downstream(
  listener: HttpListener,
  revision: '2026-07-28' | '2025-11-25' | 'auto' = '2026-07-28',
  options: ConstructorParameters<typeof Client>[1] = {},
): Promise<Client> {
  const client = new Client(
    { name: 'downstream', version: '1.0.0' },
    {
      ...options,
      versionNegotiation: {
        mode: revision === 'auto' ? 'auto' : revision === '2025-11-25' ? 'legacy' : { pin: revision },
      },
    },
  );
  const transport = new StreamableHTTPClientTransport(listener.url, {
    requestInit: { headers: { authorization: `Bearer ${listener.token}` } },
  });
  await client.connect(transport);
  opened.push(client);
  return client;
}

/** A tool result's text. */
export const textOf = (r: { content?: unknown }): string =>
  ((r.content as { type: string; text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('');

/** The 2026-07-28 `_meta` envelope, for requests written by hand. */
export const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
};

/** POSTs one JSON-RPC message to the gateway as a 2026 client would (headers overridable). */
export async function post(
  listener: HttpListener,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  json: { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } };
}> {
  const params = (body.params ?? {}) as Record<string, unknown>;
  const method = String(body.method);
  const res = await fetch(listener.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${listener.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      ...body,
      params: { ...params, _meta: { ...ENVELOPE, ...(params._meta as object) } },
    }),
  });
  const text = await res.text();
  // An SSE answer carries the JSON-RPC message on its data line.
  const data = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '{}');
  return { status: res.status, json: JSON.parse(data) };
}
