import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { MACHINE, UniversalMcpClient, type UniversalMcpClientOptions } from '../src/universal-mcp-client.js';
import { TOOLS, fakeConnection, flush, type FakeConnection } from './fake-connection.js';

// The facade with the connection machine's actors faked (no process, no transport) and time faked.

function client(options: UniversalMcpClientOptions = {}): { client: UniversalMcpClient; fake: FakeConnection } {
  const fake = fakeConnection();
  const c = new UniversalMcpClient({
    defaults: { health: { intervalMs: 0 }, backoff: { jitter: 0 } },
    ...options,
    [MACHINE]: fake.machine,
  } as UniversalMcpClientOptions);
  return { client: c, fake };
}

const stdio = (name: string) => ({ name, transport: 'stdio' as const, command: 'unused' });

describe('UniversalMcpClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('addServer waits for ready; listTools(name) is an array, listTools() a record by name', async () => {
    const { client: c, fake } = client();
    const adding = c.addServer(stdio('a'));
    await flush();
    fake.attempts[0]!.resolve();
    await expect(adding).resolves.toMatchObject({ name: 'a', state: 'ready' });
    expect(c.listTools('a')).toEqual(TOOLS);
    expect(c.listTools()).toEqual({ a: TOOLS });
    await c.close();
  });

  it("addServer takes the hosts' spelling and reports ours", async () => {
    const { client: c } = client();
    const info = await c.addServer({ name: 'h', type: 'http', url: 'http://127.0.0.1:1/mcp' }, { waitForReady: false });
    expect(info.transport).toBe('streamable_http');
    expect(info.config).toMatchObject({ transport: 'streamable_http' });
    await c.close();
  });

  it('whenReady resolves when every named server is ready, and times out naming the rest', async () => {
    const { client: c, fake } = client();
    await c.addServer(stdio('a'), { waitForReady: false });
    await c.addServer(stdio('b'), { waitForReady: false });
    const both = c.whenReady(undefined, { timeoutMs: 10_000 });
    fake.attempts[0]!.resolve();
    fake.attempts[1]!.resolve();
    await expect(both).resolves.toBeUndefined();
    await c.addServer(stdio('slow'), { waitForReady: false });
    const late = c.whenReady(['a', 'slow'], { timeoutMs: 1000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const err = (await late) as UniversalMcpError;
    expect(err).toMatchObject({
      code: ErrorCode.TIMEOUT,
      details: { kind: 'deadline', ms: 1000, servers: { slow: { state: 'connecting' } } },
    });
    expect(err.message).toBe('Servers not ready within 1000 ms: slow (connecting)');
    await c.close();
  });

  it('every callTool gets exactly one call:start and one call:end, whatever ends it', async () => {
    const { client: c, fake } = client();
    const ends: { ok: boolean; code?: string }[] = [];
    let starts = 0;
    c.on('call:start', () => (starts += 1));
    c.on('call:end', (e) => ends.push({ ok: e.ok, code: e.error?.code }));
    const adding = c.addServer(stdio('a'));
    await flush();
    fake.attempts[0]!.resolve();
    await adding;
    await c.callTool('a', 'echo', { text: 'x' });
    await c.callTool('nobody', 'echo').catch(() => undefined);
    await c.callTool('a', 'echo', { text: 5 }).catch(() => undefined);
    expect(starts).toBe(3);
    expect(ends).toEqual([
      { ok: true },
      { ok: false, code: ErrorCode.SERVER_NOT_FOUND },
      { ok: false, code: ErrorCode.INVALID_ARGUMENTS },
    ]);
    await c.close();
  });

  it('every listener runs even when one throws; once-listeners run once', async () => {
    const { client: c, fake } = client();
    const seen: string[] = [];
    c.on('server:state', () => {
      throw new Error('a bug in a listener');
    });
    c.once('server:state', (e) => seen.push(`once ${e.to}`));
    c.on('server:state', (e) => seen.push(e.to));
    const adding = c.addServer(stdio('a'));
    await flush();
    fake.attempts[0]!.resolve();
    await adding;
    expect(seen).toEqual(['once initialized', 'initialized', 'ready']);
    await c.close();
  });

  it('only the client emits: emit and removeAllListeners are not there to call, from types or at runtime', async () => {
    const { client: c, fake } = client();
    const ready: string[] = [];
    c.on('server:ready', (e) => ready.push(e.server));
    // @ts-expect-error emit is private: a caller cannot forge server:ready
    expect(c.emit).toBeUndefined();
    // @ts-expect-error nor detach the gateway's, console's and toolset's listeners
    expect(c.removeAllListeners).toBeUndefined();
    expect(Object.keys(c)).toEqual([]);
    const adding = c.addServer(stdio('a'));
    await flush();
    fake.attempts[0]!.resolve();
    await adding;
    expect(ready).toEqual(['a']);
    await c.close();
  });

  it('on() and once() return an unsubscribe that removes exactly that registration', async () => {
    const { client: c, fake } = client();
    const seen: string[] = [];
    const listener = (e: { to: string }): void => void seen.push(`kept ${e.to}`);
    c.on('server:state', listener);
    const stop = c.on('server:state', listener);
    const stopOnce = c.once('server:state', (e) => seen.push(`once ${e.to}`));
    const stopReady = c.on('server:ready', (e) => seen.push(`ready ${e.server}`));
    stop();
    stop();
    stopOnce();
    const adding = c.addServer(stdio('a'));
    await flush();
    stopReady();
    fake.attempts[0]!.resolve();
    await adding;
    expect(seen).toEqual(['kept initialized', 'kept ready']);
    c.off('server:state', listener);
    await c.close();
    expect(seen).toEqual(['kept initialized', 'kept ready']);
  });

  it("the protocol option is checked: a typo is CONFIG_INVALID naming the option, never a silent 'auto'", () => {
    expect(() => client({ protocol: '2026-07-82' as never })).toThrow(
      expect.objectContaining({
        code: ErrorCode.CONFIG_INVALID,
        message: expect.stringContaining("did you mean '2026-07-28'"),
      }),
    );
    expect(() => client({ protocol: '2025-11-25' })).not.toThrow();
  });

  it('after close(), every method says CLOSED', async () => {
    const { client: c } = client();
    await c.addServer(stdio('a'), { waitForReady: false });
    await c.close();
    await expect(c.callTool('a', 'echo')).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    await expect(c.addServer(stdio('b'))).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    await expect(c.whenReady()).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    expect(() => c.listTools('a')).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    expect(() => c.restartServer('a')).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    expect(c.listServers()).toEqual([]);
  });

  it('applyConfig restarts a server whose connection changed and updates one whose policy alone changed', async () => {
    const { client: c, fake } = client();
    const entry = (extra: object = {}) => ({ command: 'unused', ...extra });
    const adding = c.applyConfig({ mcpServers: { keep: entry(), policy: entry(), conn: entry() } });
    await flush();
    for (const a of fake.attempts) a.resolve();
    await adding;
    const result = await c.applyConfig({
      mcpServers: { keep: entry(), policy: entry({ callTimeoutMs: 5 }), conn: entry({ args: ['x'] }), added: entry() },
    });
    expect(result).toEqual({
      added: ['added'],
      removed: [],
      restarted: ['conn'],
      updated: ['policy'],
      unchanged: ['keep'],
    });
    expect(c.getServerInfo('policy')!.state).toBe('ready');
    await c.close();
  });
});
