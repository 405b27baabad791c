import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerConfig, type ServerLogEvent } from '@universal-mcp/supervisor';
import { FIXTURE, eventually, startFixtureHttp, type HttpServerProcess } from '../helpers/servers.js';

const RAW = new URL('../fixtures/raw-server.mjs', import.meta.url).pathname;

const text = (r: { content: unknown[] }): string => (r.content[0] as { text: string }).text;
const json = <T>(r: { content: unknown[] }): T => JSON.parse(text(r)) as T;

// The MCP client surface through the facade, against the fixture server (SDK McpServer) over
// stdio and Streamable HTTP.
describe.each(['stdio', 'streamable_http'] as const)('protocol surface over %s', (transport) => {
  let http: HttpServerProcess | undefined;
  let client: UniversalMcpClient;
  const logLines: { msg: string; data?: unknown }[] = [];
  const config = (name: string, extra: Partial<ServerConfig> = {}): ServerConfig =>
    (transport === 'stdio'
      ? {
          name,
          transport,
          command: process.execPath,
          args: [FIXTURE, 'stdio'],
          backoff: { initialDelayMs: 50 },
          ...extra,
        }
      : { name, transport, url: http!.url, backoff: { initialDelayMs: 50 }, ...extra }) as ServerConfig;

  beforeAll(async () => {
    if (transport === 'streamable_http') http = await startFixtureHttp('http');
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        for (const l of chunk.toString().split('\n')) if (l) logLines.push(JSON.parse(l));
        cb();
      },
    });
    client = new UniversalMcpClient({
      logger: pino({ level: 'debug' }, sink),
      handlers: {
        sampling: (params, ctx) => ({
          role: 'assistant',
          content: {
            type: 'text',
            text: `sampled for ${ctx.server}: ${(params.messages[0]!.content as { text: string }).text}`,
          },
          model: 'test-model',
        }),
        elicitation: () => ({ action: 'accept', content: { name: 'Ada' } }),
        roots: () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }),
      },
    });
    await client.addServer(config('fx'));
  });
  afterAll(async () => {
    await client.close();
    await http?.stop();
  });

  it('lists resources (every page), templates and prompts, cached and synchronous', () => {
    expect(client.listResources('fx')).toHaveLength(25);
    expect(client.listResources().fx!.at(-1)!.uri).toBe('note://25');
    expect(client.listResourceTemplates('fx')).toEqual([{ uriTemplate: 'note://{id}', name: 'note by id' }]);
    expect(client.listPrompts('fx').map((p) => p.name)).toEqual(['greet']);
    expect(client.getServerInfo('fx')).toMatchObject({ resources: expect.any(Array), prompts: expect.any(Array) });
  });

  it('reads a resource', async () => {
    const r = await client.readResource('fx', 'note://7');
    expect(r.contents).toEqual([{ uri: 'note://7', mimeType: 'text/plain', text: 'content of note://7' }]);
  });

  it('gets a prompt and completes its argument', async () => {
    const p = await client.getPrompt('fx', 'greet', { name: 'Ada' });
    expect(p.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }]);
    const c = await client.complete('fx', { type: 'ref/prompt', name: 'greet' }, { name: 'name', value: 'al' });
    expect(c.completion.values).toEqual(['alice', 'albert']);
  });

  it('turns notifications/message into server:log events and pino lines, at the level set', async () => {
    const logs: ServerLogEvent[] = [];
    client.on('server:log', (e) => logs.push(e));
    await client.setLoggingLevel('fx', 'warning');
    await client.callTool('fx', 'log_message', { level: 'info', text: 'too quiet' });
    await client.callTool('fx', 'log_message', { level: 'error', text: 'loud enough' });
    await eventually(() => logs.length >= 1);
    expect(logs).toEqual([{ server: 'fx', level: 'error', logger: 'fixture', data: 'loud enough' }]);
    expect(logLines.some((l) => l.msg === 'server log' && l.data === 'loud enough')).toBe(true);
  });

  it('refreshes the catalog on tools/list_changed and emits tools:changed', async () => {
    const changed: string[][] = [];
    client.on('tools:changed', (e) => changed.push(e.tools.map((t) => t.name)));
    await client.callTool('fx', 'add_tool', { name: 'fresh_tool' });
    await eventually(() => changed.length === 1);
    expect(changed[0]).toContain('fresh_tool');
    expect(client.listTools('fx').map((t) => t.name)).toContain('fresh_tool');
    await expect(client.callTool('fx', 'fresh_tool')).resolves.toMatchObject({
      content: [{ text: 'I am fresh_tool' }],
    });
  });

  it('answers sampling, elicitation (form defaults applied) and roots with the registered handlers', async () => {
    const sampled = json<{ content: { text: string }; model: string }>(await client.callTool('fx', 'ask_sampling'));
    expect(sampled).toMatchObject({ model: 'test-model', content: { text: 'sampled for fx: say hi' } });
    const elicited = json<{ action: string; content: Record<string, unknown> }>(
      await client.callTool('fx', 'ask_elicitation'),
    );
    expect(elicited).toEqual({ action: 'accept', content: { name: 'Ada', color: 'blue', count: 3 } });
    expect(json(await client.callTool('fx', 'ask_roots'))).toEqual({ roots: [{ uri: 'file:///work', name: 'work' }] });
    const info = json<{ capabilities: Record<string, unknown> }>(await client.callTool('fx', 'client_info'));
    expect(Object.keys(info.capabilities).sort()).toEqual(['elicitation', 'roots', 'sampling']);
  });

  it('tells the server when the roots change', async () => {
    await client.notifyRootsChanged('fx');
    await eventually(
      async () => json<{ rootsChanged: number }>(await client.callTool('fx', 'client_info')).rootsChanged >= 1,
    );
  });

  it('cancels any request with an AbortSignal', async () => {
    await expect(client.readResource('fx', 'note://1', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: ErrorCode.CANCELLED,
    });
  });
});

describe('capabilities and subscriptions', () => {
  it('advertises nothing without handlers; a server config can bring its own', async () => {
    await using client = new UniversalMcpClient();
    await client.addServer({ name: 'bare', transport: 'stdio', command: process.execPath, args: [FIXTURE, 'stdio'] });
    expect(json<{ capabilities: object }>(await client.callTool('bare', 'client_info')).capabilities).toEqual({});
    await client.addServer({
      name: 'own',
      transport: 'stdio',
      command: process.execPath,
      args: [FIXTURE, 'stdio'],
      handlers: { roots: () => ({ roots: [{ uri: 'file:///mine' }] }) },
    });
    expect(json(await client.callTool('own', 'ask_roots'))).toEqual({ roots: [{ uri: 'file:///mine' }] });
    expect(
      Object.keys(json<{ capabilities: object }>(await client.callTool('own', 'client_info')).capabilities),
    ).toEqual(['roots']);
  });

  it('delivers resource:updated for subscribed resources, and re-subscribes after a reconnect', async () => {
    await using client = new UniversalMcpClient({ defaults: { backoff: { initialDelayMs: 50 } } });
    const updates: string[] = [];
    client.on('resource:updated', (e) => updates.push(`${e.server} ${e.uri}`));
    const { pid } = await client.addServer({
      name: 'sub',
      transport: 'stdio',
      command: process.execPath,
      args: [FIXTURE, 'stdio'],
    });
    await client.subscribeResource('sub', 'note://3');
    expect(text(await client.callTool('sub', 'touch', { uri: 'note://3' }))).toBe('notified');
    await eventually(() => updates.length === 1);
    expect(client.getServerInfo('sub')!.subscriptions).toEqual(['note://3']);

    process.kill(pid!, 'SIGKILL');
    await eventually(() => client.getServerInfo('sub')?.state === 'ready' && client.getServerInfo('sub')?.pid !== pid);
    await eventually(async () => text(await client.callTool('sub', 'touch', { uri: 'note://3' })) === 'notified');
    await eventually(() => updates.length === 2);
    expect(updates).toEqual(['sub note://3', 'sub note://3']);

    await client.unsubscribeResource('sub', 'note://3');
    expect(text(await client.callTool('sub', 'touch', { uri: 'note://3' }))).toBe('not subscribed');
  });

  it('validates structured output against the outputSchema: INVALID_RESULT when the server breaks it', async () => {
    await using client = new UniversalMcpClient();
    await client.addServer({ name: 'raw', transport: 'stdio', command: process.execPath, args: [RAW] });
    await expect(client.callTool('raw', 'weather', { city: 'Oslo' })).resolves.toMatchObject({
      structuredContent: { city: 'Oslo', celsius: 21 },
    });
    await expect(client.callTool('raw', 'weather', { city: 'bad' })).rejects.toMatchObject({
      code: ErrorCode.INVALID_RESULT,
      server: 'raw',
    });
  });

  it('delivers the last progress notification when it comes in the same chunk as the result', async () => {
    // The bare SDK Client drops it ("unknown token"): it settles the response before the notification.
    await using client = new UniversalMcpClient();
    await client.addServer({ name: 'raw', transport: 'stdio', command: process.execPath, args: [RAW] });
    for (let i = 0; i < 5; i += 1) {
      const seen: string[] = [];
      const call = client.callTool(
        'raw',
        'weather',
        { city: 'Oslo' },
        { onProgress: (p) => seen.push(`${p.progress}`) },
      );
      await call.then(() => seen.push('result'));
      expect(seen).toEqual(['1', 'result']);
    }
  });

  it('rejects handlers that are not functions, naming the field', () => {
    expect(() => new UniversalMcpClient({ handlers: { sampling: 'yes' as never } })).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIG_INVALID, message: expect.stringMatching(/sampling/) }),
    );
  });
});
