// The gateway end to end: real fixture servers upstream (child processes, supervised), the SDK's
// own Client downstream over Streamable HTTP on 127.0.0.1.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { CodedError } from '@universal-mcp/core';
import {
  GatewayError,
  GatewayErrorCode,
  createGateway,
  createRequestRouter,
  type Gateway,
  type HttpListener,
} from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, fixtureStdio } from '../helpers/servers.js';
import { sseWithToken } from './legacy-sse-client.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close().catch(() => undefined);
});

async function upstream(names: string[]): Promise<UniversalMcpClient> {
  const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
  opened.push(client);
  for (const n of names) await client.addServer(fixtureStdio(n));
  return client;
}

async function serve(
  client: UniversalMcpClient,
  options: Parameters<Gateway['listen']>[0] = {},
): Promise<{ gateway: Gateway; listener: HttpListener }> {
  const gateway = createGateway(client);
  opened.push(gateway);
  const listener = await gateway.listen({ port: 0, ...options });
  return { gateway, listener };
}

async function downstream(
  listener: HttpListener,
  token = listener.token,
  capabilities: ConstructorParameters<typeof Client>[1] = {},
): Promise<Client> {
  const client = new Client({ name: 'downstream', version: '1.0.0' }, capabilities);
  const transport = new StreamableHTTPClientTransport(listener.url, {
    requestInit: { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  opened.push(client);
  return client;
}

const text = (r: unknown): string => ((r as CallToolResult).content[0] as { text: string }).text;

describe('the gateway', () => {
  it('serves every server as one: tools, prompts and resources named collision-free, calls routed', async () => {
    const client = await upstream(['a', 'b']);
    const { listener } = await serve(client);
    const down = await downstream(listener);
    const tools = (await down.listTools()).tools.map((t) => t.name);
    // Both servers have every tool: each gets its server's name in front.
    expect(tools).toContain('a__add');
    expect(tools).toContain('b__add');
    expect(tools.every((n) => /^[a-zA-Z0-9_-]{1,64}$/.test(n))).toBe(true);
    expect(text(await down.callTool({ name: 'b__add', arguments: { a: 2, b: 3 } }))).toBe('5');

    const prompts = (await down.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toEqual(expect.arrayContaining(['a__greet', 'b__greet']));
    const greeting = await down.getPrompt({ name: 'a__greet', arguments: { name: 'Ada' } });
    expect(greeting.messages[0]?.content).toEqual({ type: 'text', text: 'Hello, Ada!' });
    const completion = await down.complete({
      ref: { type: 'ref/prompt', name: 'b__greet' },
      argument: { name: 'name', value: 'al' },
    });
    expect(completion.completion.values).toEqual(['alice', 'albert']);

    // Both servers list the same URIs: each is shown under its server, and reads go back to it.
    const resources = (await down.listResources()).resources.map((r) => r.uri);
    const shown = resources.find((u) => u.startsWith('umcp-resource://b/'));
    expect(shown).toBeDefined();
    const read = await down.readResource({ uri: shown as string });
    const upstreamUri = decodeURIComponent((shown as string).slice('umcp-resource://b/'.length));
    expect(read.contents[0]).toMatchObject({ uri: shown, text: `content of ${upstreamUri}` });
    // A template's URI goes to a server that has the template.
    expect((await down.readResource({ uri: 'note://42' })).contents[0]).toMatchObject({ text: 'content of note://42' });
    await expect(down.readResource({ uri: 'nowhere://x' })).rejects.toThrow(/Resource not found/);
    await expect(down.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/Unknown tool/);
  });

  it('relays progress and logging, and tells every session when the catalog changes', async () => {
    const client = await upstream(['solo']);
    const { listener } = await serve(client);
    const first = await downstream(listener);
    const second = await downstream(listener);
    const progress: number[] = [];
    const result = await first.callTool({ name: 'sleep', arguments: { ms: 300 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(result.isError).not.toBe(true);
    expect(progress.length).toBeGreaterThan(0);

    const logs: unknown[] = [];
    second.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
    let changed = 0;
    second.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    await first.callTool({ name: 'log_message', arguments: { level: 'warning', text: 'careful' } });
    await eventually(() => logs.length > 0);
    expect(logs[0]).toMatchObject({ level: 'warning', logger: 'solo/fixture', data: 'careful' });

    // The server adds a tool (tools/list_changed upstream): both sessions hear it, and list it.
    await first.callTool({ name: 'add_tool', arguments: { name: 'fresh' } });
    await eventually(() => changed > 0);
    expect((await second.listTools()).tools.map((t) => t.name)).toContain('fresh');
    // A server added to the client: its tools appear, names now prefixed where they collide.
    await client.addServer(fixtureStdio('other'));
    await eventually(() => changed > 1);
    expect((await second.listTools()).tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['solo__echo', 'other__echo', 'fresh']),
    );
  });

  it('sends sampling, elicitation and roots to the session whose call asked; refuses to guess', async () => {
    const router = createRequestRouter();
    const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: router.handlers });
    opened.push(client);
    await client.addServer(fixtureStdio('asker'));
    const gateway = createGateway(client, { router });
    opened.push(gateway);
    const listener = await gateway.listen({ port: 0 });
    const sampler = (name: string) => () => ({
      role: 'assistant' as const,
      content: { type: 'text' as const, text: `from ${name}` },
      model: name,
    });
    const one = await downstream(listener, listener.token, { capabilities: { sampling: {}, roots: {} } });
    one.setRequestHandler(CreateMessageRequestSchema, sampler('one'));
    one.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///one' }] }));
    const two = await downstream(listener, listener.token, { capabilities: { sampling: {} } });
    two.setRequestHandler(CreateMessageRequestSchema, sampler('two'));

    expect(text(await one.callTool({ name: 'ask_sampling', arguments: {} }))).toContain('from one');
    expect(text(await two.callTool({ name: 'ask_sampling', arguments: {} }))).toContain('from two');
    expect(text(await one.callTool({ name: 'ask_roots', arguments: {} }))).toContain('file:///one');
    // Two offers no elicitation: its call gets an error, not someone else's answer.
    const refused = await two.callTool({ name: 'ask_elicitation', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/does not offer elicitation/);
    // While both sessions have calls in flight on the server, nobody can tell whose request it is.
    const busy = two.callTool({ name: 'sleep', arguments: { ms: 1500 } });
    await eventually(async () => text(await one.callTool({ name: 'stats', arguments: {} })).includes('"inFlight":1'));
    const ambiguous = await one.callTool({ name: 'ask_sampling', arguments: {} });
    expect(ambiguous.isError).toBe(true);
    expect(text(ambiguous)).toMatch(/cannot tell whose/);
    await busy;
    expect(text(await one.callTool({ name: 'ask_sampling', arguments: {} }))).toContain('from one');
  });

  it('relays resource subscriptions: updates reach the sessions subscribed; the last out unsubscribes', async () => {
    const client = await upstream(['watched']);
    const { listener } = await serve(client);
    const one = await downstream(listener);
    const two = await downstream(listener);
    const updates: Record<string, string[]> = { one: [], two: [] };
    one.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.one?.push(n.params.uri));
    two.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.two?.push(n.params.uri));
    await one.subscribeResource({ uri: 'note://3' });
    expect(text(await two.callTool({ name: 'touch', arguments: { uri: 'note://3' } }))).toBe('notified');
    await eventually(() => updates.one?.length === 1);
    expect(updates).toEqual({ one: ['note://3'], two: [] });
    await one.unsubscribeResource({ uri: 'note://3' });
    expect(text(await two.callTool({ name: 'touch', arguments: { uri: 'note://3' } }))).toBe('not subscribed');
    await expect(one.subscribeResource({ uri: 'nowhere://x' })).rejects.toThrow(/Resource not found/);
  });

  it("an upstream unsubscribe that fails is logged (the server, the error's code; not the URI)", async () => {
    const client = await upstream(['watched']);
    const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
    const line = (level: string) => (obj: object, msg: string) =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg });
    const logger = { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
    const gateway = createGateway(client, { logger });
    opened.push(gateway);
    const down = await downstream(await gateway.listen({ port: 0 }));
    await down.subscribeResource({ uri: 'note://3' });
    // The server goes away with the subscription still made; the session leaving then cannot end it upstream.
    await client.removeServer('watched');
    await gateway.close();
    await eventually(() => lines.length > 0);
    expect(lines).toEqual([
      {
        level: 'warn',
        obj: { code: 'SERVER_NOT_FOUND', server: 'watched' },
        msg: 'resource not unsubscribed upstream',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('note://3');
  });

  it('typed errors: a closed gateway, bad options', async () => {
    const client = await upstream([]);
    const gateway = createGateway(client);
    await gateway.close();
    expect(() => gateway.createSession()).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.CLOSED, status: 503 }),
    );
    await expect(gateway.listen({ port: 0 })).rejects.toBeInstanceOf(GatewayError);
    expect(() => createGateway(client, { revisions: [] })).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INVALID_OPTIONS,
        message: expect.stringMatching(/serves revisions/),
      }),
    );
    expect(() => createGateway(client, { replica: 'no spaces' })).toThrow(CodedError);
  });

  it('keeps a fault upstream: a killed server answers with a tool error naming the code, then recovers', async () => {
    const client = await upstream(['fragile']);
    const { listener } = await serve(client);
    const down = await downstream(listener);
    const pid = client.getServerInfo('fragile')?.pid as number;
    const call = down.callTool({ name: 'sleep', arguments: { ms: 5000 } });
    await eventually(() => (client.getServerInfo('fragile')?.pending ?? 0) > 0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const failed = (await call) as CallToolResult;
    expect(Date.now() - killedAt).toBeLessThan(2000); // T1 is 50 ms in the client; HTTP adds little
    expect(failed.isError).toBe(true);
    expect(text(failed)).toMatch(/^CONNECTION_LOST: /);
    // Its tools stay listed while it reconnects; the next call after the restart succeeds.
    expect((await down.listTools()).tools.map((t) => t.name)).toContain('echo');
    await client.whenReady(['fragile']);
    expect(text(await down.callTool({ name: 'echo', arguments: { text: 'back' } }))).toBe('back');
  });

  it('serves old clients on the legacy HTTP+SSE transport, with the same token', async () => {
    const client = await upstream(['old']);
    const { listener } = await serve(client);
    const sse = new URL('/sse', listener.url);
    const withToken = (token: string) => sseWithToken(sse, token);
    const legacy = new Client({ name: 'legacy', version: '1.0.0' });
    await legacy.connect(withToken(listener.token as string));
    opened.push(legacy);
    expect((await legacy.listTools()).tools.map((t) => t.name)).toContain('echo');
    expect(text(await legacy.callTool({ name: 'echo', arguments: { text: 'old school' } }))).toBe('old school');
    await expect(
      new Client({ name: 'intruder', version: '1' }).connect(withToken('wrong-token-0123456789')),
    ).rejects.toThrow();
    const stray = await fetch(new URL('/messages?sessionId=nope', listener.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${listener.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(stray.status).toBe(404);
  });

  it('answers any request on its own in stateless mode', async () => {
    const client = await upstream(['s']);
    const { listener } = await serve(client, { stateless: true });
    const down = await downstream(listener);
    expect(text(await down.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
    const get = await fetch(listener.url, { headers: { authorization: `Bearer ${listener.token}` } });
    expect(get.status).toBe(405);
  });
});

describe('the gateway endpoint, as a web page or a stranger would meet it', () => {
  it('wants the token, the right Host and Origin, and a bounded body; health needs nothing', async () => {
    const client = await upstream(['s']);
    const { listener } = await serve(client, { maxBodyBytes: 1024 });
    const url = listener.url;
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const post = (headers: Record<string, string>, body = init) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body,
      });
    expect(listener.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(401);
    const auth = { authorization: `Bearer ${listener.token}` };
    expect((await post({ ...auth, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ ...auth }, 'x'.repeat(2000))).status).toBe(413);
    expect((await post({ ...auth }, '{not json')).status).toBe(400);
    expect((await post({ ...auth, 'mcp-session-id': 'no-such-session' })).status).toBe(404);
    expect((await post({ ...auth })).status).toBe(200);
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    expect((await fetch(new URL('/readyz', url))).status).toBe(401);
    const ready = await fetch(new URL('/readyz', url), { headers: auth });
    expect(await ready.json()).toEqual({ ready: true, servers: { s: 'ready' } });
    // DNS rebinding: a name that resolves here but is not ours is refused, token or not.
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { ...auth, host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end(init);
    });
    expect(status).toBe(403);
  });

  it('refuses to listen beyond loopback without a token it was given', async () => {
    const client = await upstream([]);
    const gateway = createGateway(client);
    opened.push(gateway);
    await expect(gateway.listen({ host: '0.0.0.0', port: 0 })).rejects.toThrow(/give the token/);
    await expect(gateway.listen({ host: '0.0.0.0', port: 0, token: false })).rejects.toThrow(/without a token/);
    await expect(gateway.listen({ port: 0, token: 'short' })).rejects.toThrow(/at least 16/);
  });
});
