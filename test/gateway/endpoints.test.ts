// Further gateway endpoints ("virtual servers"): each with its own token and view of the tools, on
// the same port as the main one, over one real upstream (test/fixtures/v2-server.mjs, where only
// `add` is annotated readOnlyHint), with SDK v2 clients pinned to each revision.
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createGateway, type GatewayEndpoint, type HttpListener } from '@universal-mcp/gateway';
import { UniversalMcpClient, type CallStartEvent } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/servers.js';
import { closeAll, ENVELOPE, opened, textOf, upstream } from './two-revisions-setup.js';
import { sseWithToken } from './legacy-sse-client.js';

afterEach(closeAll);

const READERS = { name: 'readers', path: '/readers/mcp', token: 'readers-token-0123456789', tools: { readOnly: true } };
/** A deny glob: `echo`, `extra`, `slow`, `sample` are hidden. */
const TEAM = { name: 'team', path: '/team/mcp', token: 'team-token-0123456789abc', tools: { deny: ['e*', 's*'] } };
/** Sees `extra` when it appears (only the toggle is hidden). */
const OPS = { name: 'ops', path: '/ops/mcp', token: 'ops-token-0123456789abcd', tools: { deny: ['toggle_*'] } };

type Revision = '2026-07-28' | '2025-11-25';

/** The gateway over the fixture, with the three endpoints beside the main one. */
async function setup(): Promise<{ client: UniversalMcpClient; listener: HttpListener }> {
  const client = await upstream(['v2']);
  const gateway = createGateway(client);
  opened.push(gateway);
  const listener = await gateway.listen({ port: 0, endpoints: [{ ...READERS, ssePath: '/readers/sse' }, TEAM, OPS] });
  return { client, listener };
}

/** An SDK v2 client pinned to `revision` on `url`, with `token`; `lists` gets each tool list it is told of. */
async function connect(url: URL, token: string, revision: Revision, lists: string[][] = []): Promise<Client> {
  const down = new Client(
    { name: 'downstream', version: '1.0.0' },
    {
      versionNegotiation: { mode: revision === '2025-11-25' ? 'legacy' : { pin: revision } },
      listChanged: { tools: { onChanged: (_err, tools) => lists.push((tools ?? []).map((t) => t.name)) } },
    },
  );
  await down.connect(
    new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  opened.push(down);
  return down;
}

const names = async (down: Client): Promise<string[]> => (await down.listTools()).tools.map((t) => t.name).sort();

/** A raw `tools/list` POST to `url` with `token` (a 2026 one, or a 2025 session's): its HTTP status. */
async function rawStatus(url: URL, token: string, session?: string): Promise<number> {
  const legacy: Record<string, string> =
    session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
      ...legacy,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: session === undefined ? { _meta: ENVELOPE } : {},
    }),
  });
  await res.body?.cancel();
  return res.status;
}

describe.each<Revision>(['2026-07-28', '2025-11-25'])('gateway endpoints, a %s client', (revision) => {
  it('lists only its view: read-only tools on one, all but a deny glob on another; main unchanged', async () => {
    const { listener } = await setup();
    const url = (e: GatewayEndpoint): URL => listener.endpoints[e.name] as URL;
    expect(url(READERS).href).toBe(new URL('/readers/mcp', listener.url).href);
    const main = await connect(listener.url, listener.token as string, revision);
    expect(await names(main)).toEqual(['add', 'ask', 'echo', 'log', 'roots', 'sample', 'slow', 'toggle_tool', 'touch']);
    const readers = await connect(url(READERS), READERS.token, revision);
    expect(await names(readers)).toEqual(['add']);
    expect(textOf(await readers.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toBe('3');
    const team = await connect(url(TEAM), TEAM.token, revision);
    expect(await names(team)).toEqual(['add', 'ask', 'log', 'roots', 'toggle_tool', 'touch']);
    // Resources and prompts are shared.
    expect((await readers.listResources()).resources.map((r) => r.uri)).toEqual(
      (await main.listResources()).resources.map((r) => r.uri),
    );
    expect((await team.listPrompts()).prompts.map((p) => p.name)).toEqual(['greet']);
  });

  it('refuses a hidden tool as an unknown one, and nothing reaches the upstream', async () => {
    const { client, listener } = await setup();
    const started: CallStartEvent[] = [];
    client.on('call:start', (e) => void started.push(e));
    const readers = await connect(listener.endpoints.readers as URL, READERS.token, revision);
    const team = await connect(listener.endpoints.team as URL, TEAM.token, revision);
    for (const [down, tool] of [
      [readers, 'toggle_tool'],
      [team, 'echo'],
      [readers, 'no_such_tool'],
    ] as const) {
      const failed = await down.callTool({ name: tool, arguments: { text: 'x' } }).catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: -32602, message: expect.stringContaining(`Unknown tool: ${tool}`) });
    }
    expect(started).toEqual([]);
    // The toggle did not run: no `extra` anywhere.
    expect(client.listTools('v2').map((t) => t.name)).not.toContain('extra');
    // The main endpoint calls them as before.
    const main = await connect(listener.url, listener.token as string, revision);
    expect(textOf(await main.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
    expect(started).toEqual([{ server: 'v2', tool: 'echo' }]);
  });

  it('announces a tool list change only on the endpoints that see the tool', async () => {
    const { listener } = await setup();
    const lists = { main: [] as string[][], readers: [] as string[][], team: [] as string[][], ops: [] as string[][] };
    const main = await connect(listener.url, listener.token as string, revision, lists.main);
    await connect(listener.endpoints.readers as URL, READERS.token, revision, lists.readers);
    await connect(listener.endpoints.team as URL, TEAM.token, revision, lists.team);
    const ops = await connect(listener.endpoints.ops as URL, OPS.token, revision, lists.ops);
    await main.callTool({ name: 'toggle_tool', arguments: {} }); // `extra` appears
    await eventually(
      () => lists.main.some((l) => l.includes('extra')) && lists.ops.some((l) => l.includes('extra')),
      15_000,
    );
    expect(await names(ops)).toContain('extra');
    await main.callTool({ name: 'toggle_tool', arguments: {} }); // and goes
    await eventually(() => lists.ops.at(-1)?.includes('extra') === false, 15_000);
    // Told at the same time as the others: a little longer is plenty for a stray one to arrive.
    await new Promise((r) => setTimeout(r, 500));
    expect(lists.readers).toEqual([]);
    expect(lists.team).toEqual([]);
  });
});

describe.each<Revision>(['2026-07-28', '2025-11-25'])(
  "the facade's tool policy through the gateway, a %s client",
  (revision) => {
    it('a tool the client or its server denies is on no endpoint, and a call of it reaches nothing', async () => {
      // `slow` denied client-wide by `server/tool`; `sample` by the server's own policy (as `disabledTools` is read).
      const client = await upstream(['v2'], { client: { deny: ['v2/slow'] }, server: { deny: ['sample'] } });
      const gateway = createGateway(client);
      opened.push(gateway);
      const listener = await gateway.listen({ port: 0, endpoints: [TEAM] });
      const started: CallStartEvent[] = [];
      client.on('call:start', (e) => void started.push(e));
      const main = await connect(listener.url, listener.token as string, revision);
      expect(await names(main)).toEqual(['add', 'ask', 'echo', 'log', 'roots', 'toggle_tool', 'touch']);
      const team = await connect(listener.endpoints.team as URL, TEAM.token, revision);
      expect(await names(team)).toEqual(['add', 'ask', 'log', 'roots', 'toggle_tool', 'touch']);
      for (const tool of ['slow', 'sample']) {
        const failed = await main.callTool({ name: tool, arguments: {} }).catch((e: unknown) => e);
        expect(failed).toMatchObject({ code: -32602, message: expect.stringContaining(`Unknown tool: ${tool}`) });
      }
      expect(started).toEqual([]);
    });
  },
);

describe('gateway endpoints', () => {
  it('opens each endpoint with its own token only, and keeps sessions to their endpoint', async () => {
    const { listener } = await setup();
    const main = listener.token as string;
    const at = (name: string): URL => listener.endpoints[name] as URL;
    expect(await rawStatus(at('readers'), READERS.token)).toBe(200);
    expect(await rawStatus(at('readers'), main)).toBe(401);
    expect(await rawStatus(at('readers'), TEAM.token)).toBe(401);
    expect(await rawStatus(at('team'), READERS.token)).toBe(401);
    expect(await rawStatus(listener.url, READERS.token)).toBe(401);
    expect(await rawStatus(new URL('/readyz', listener.url), READERS.token)).toBe(401);
    await expect(connect(at('readers'), 'wrong-token-0123456789', '2025-11-25')).rejects.toThrow();
    // A 2025 session opened on one endpoint is not found on another (with that one's token).
    const readers = await connect(at('readers'), READERS.token, '2025-11-25');
    const sid = (readers.transport as StreamableHTTPClientTransport).sessionId as string;
    expect(await rawStatus(at('readers'), READERS.token, sid)).toBe(200);
    expect(await rawStatus(listener.url, main, sid)).toBe(404);
  });

  it('serves an endpoint to old clients on its own legacy SSE path, with its token', async () => {
    const { listener } = await setup();
    const sse = new URL('/readers/sse', listener.url);
    const withToken = (token: string) => sseWithToken(sse, token);
    const old = new V1Client({ name: 'old', version: '1.0.0' });
    await old.connect(withToken(READERS.token));
    opened.push(old);
    expect((await old.listTools()).tools.map((t) => t.name)).toEqual(['add']);
    await expect(old.callTool({ name: 'echo', arguments: { text: 'x' } })).rejects.toThrow(/Unknown tool: echo/);
    await expect(
      new V1Client({ name: 'x', version: '1' }).connect(withToken(listener.token as string)),
    ).rejects.toThrow();
  });

  it.each<[string, Partial<GatewayEndpoint>[], RegExp]>([
    ['the main path', [{ path: '/mcp' }], /\/mcp is already the main endpoint's/],
    ['the SSE path', [{ path: '/sse' }], /\/sse is already/],
    ['the messages path', [{ path: '/messages' }], /\/messages is already/],
    ['/healthz', [{ path: '/healthz' }], /\/healthz is already/],
    ['/metrics', [{ path: '/metrics' }], /\/metrics is already/],
    ['a path of another', [{}, { name: 'b', token: 'another-token-0123456789' }], /already endpoint "a"'s/],
    ['a name of another', [{}, { path: '/b', token: 'another-token-0123456789' }], /two endpoints are named "a"/],
    ['a short token', [{ token: 'short' }], /at least 16 characters/],
    ['another endpoint token', [{}, { name: 'b', path: '/b' }], /its token is another endpoint's/],
    ['no leading slash', [{ path: 'a/mcp' }], /must be a path/],
  ])('refuses %s at listen (CONFIG_INVALID)', async (_what, given, message) => {
    const client = new UniversalMcpClient();
    opened.push(client);
    const gateway = createGateway(client);
    opened.push(gateway);
    const endpoints = given.map((e) => ({ name: 'a', path: '/a', token: 'endpoint-token-0123456789', ...e }));
    const failed = await gateway.listen({ port: 0, endpoints }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) });
    expect((failed as Error).message).not.toContain('0123456789');
  });
});
