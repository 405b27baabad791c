import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { descendantsOf, eventually } from '../helpers/servers.js';
import { eraLog, eraStdio } from './era-servers.js';

// The 2026-07-28 era under the supervisor, on the SDK v2 era fixture over stdio: the era verdict
// kept across a SIGKILL restart, list changes and resource updates through subscriptions/listen
// (and again after the restart), health checks without ping, ttl refreshes, invalid x-mcp-header.

let client: UniversalMcpClient | undefined;
let removeLog: (() => Promise<void>) | undefined;

afterEach(async () => {
  await client?.close();
  await removeLog?.();
  client = undefined;
  removeLog = undefined;
  expect(await descendantsOf(process.pid)).toEqual([]);
});

async function restartBySigkill(c: UniversalMcpClient, name: string): Promise<void> {
  const pid = c.getServerInfo(name)!.pid!;
  process.kill(pid, 'SIGKILL');
  await eventually(() => {
    const info = c.getServerInfo(name)!;
    return info.state === 'ready' && info.pid !== undefined && info.pid !== pid;
  }, 20_000);
}

describe('the 2026-07-28 era, supervised', () => {
  it.each([
    ['a 2026 server', {}, ['start', 'server/discover', 'start']],
    ['a 2025 server', { ERA_ONLY: '2025' }, ['start', 'server/discover', 'initialize', 'start', 'initialize']],
  ] as const)('%s is probed once: a SIGKILL restart connects with the kept verdict', async (_, env, expected) => {
    const log = await eraLog();
    removeLog = log.remove;
    client = new UniversalMcpClient();
    await client.addServer(eraStdio('cached', { ...env, ERA_LOG: log.file }));
    await restartBySigkill(client, 'cached');
    expect((await client.callTool('cached', 'echo', { text: 'after' })).content).toEqual([
      { type: 'text', text: 'after' },
    ]);
    expect(await log.lines()).toEqual(expected);
  });

  it('list changes and resource updates come through subscriptions/listen, again after a SIGKILL restart', async () => {
    client = new UniversalMcpClient();
    const updated: string[] = [];
    const toolLists: string[][] = [];
    client.on('resource:updated', (e) => updated.push(e.uri));
    client.on('tools:changed', (e) => toolLists.push(e.tools.map((t) => t.name)));
    await client.addServer(eraStdio('listen'));
    await client.subscribeResource('listen', 'mem://counter');
    await client.callTool('listen', 'bump', {});
    await eventually(() => updated.length === 1);
    await client.callTool('listen', 'add-tool', {});
    await eventually(() => toolLists.some((names) => names.includes('extra')));
    expect((client.listTools('listen') as { name: string }[]).map((t) => t.name)).toContain('extra');

    await restartBySigkill(client, 'listen');
    // The supervisor subscribes again on the new session (a new subscriptions/listen stream).
    await eventually(() => client!.getServerInfo('listen')!.subscriptions.includes('mem://counter'));
    await client.callTool('listen', 'bump', {});
    await eventually(() => updated.length >= 2, 15_000);
    expect(updated.every((uri) => uri === 'mem://counter')).toBe(true);
  });

  it('health checks use server/discover (there is no ping in 2026-07-28)', async () => {
    const log = await eraLog();
    removeLog = log.remove;
    client = new UniversalMcpClient();
    await client.addServer(
      eraStdio(
        'health',
        { ERA_LOG: log.file },
        { health: { intervalMs: 100, timeoutMs: 5000, failuresBeforeRestart: 3 } },
      ),
    );
    await eventually(async () => (await log.lines()).filter((l) => l === 'server/discover').length >= 4, 15_000);
    expect(client.getServerInfo('health')!.restarts).toBe(0);
    expect(await log.lines()).not.toContain('initialize');
  });

  it('a tools/list ttlMs makes the catalog list again when it goes stale (at least 1 s apart)', async () => {
    client = new UniversalMcpClient();
    const changes: number[] = [];
    client.on('tools:changed', () => changes.push(performance.now()));
    await client.addServer(eraStdio('ttl', { ERA_TTL_MS: '1' }));
    const count = async (): Promise<number> =>
      Number(((await client!.callTool('ttl', 'list-count', {})).content[0] as { text: string }).text);
    await eventually(async () => (await count()) >= 3, 15_000);
    // ttlMs 1 is held to the 1 s floor: two refreshes take at least ~2 s, never a busy loop.
    expect(changes.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < changes.length; i += 1) expect(changes[i]! - changes[i - 1]!).toBeGreaterThan(900);
    expect(client.getServerInfo('ttl')!.restarts).toBe(0);
  });

  it('a ttlMs of 0 from a server that tells list changes is not polled: its list_changed keeps the list', async () => {
    client = new UniversalMcpClient();
    await client.addServer(eraStdio('ttl0', { ERA_TTL_MS: '0' }));
    const count = async (): Promise<number> =>
      Number(((await client!.callTool('ttl0', 'list-count', {})).content[0] as { text: string }).text);
    // Polled, it would have listed again within ~1 s (the floor): 2.5 s without a second list.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await count()).toBe(1);
  });

  it('a tool with an invalid x-mcp-header is left out and reported with the reason', async () => {
    client = new UniversalMcpClient();
    await client.addServer(eraStdio('headers', { ERA_BAD_HEADER: '1' }));
    const info = client.getServerInfo('headers')!;
    expect(info.tools.map((t) => t.name)).not.toContain('bad');
    expect(info.invalidTools).toEqual([{ name: 'bad', reason: expect.stringContaining('x-mcp-header') }]);
    await expect(client.callTool('headers', 'bad', {})).rejects.toMatchObject({ code: ErrorCode.TOOL_INVALID });
  });

  it('a pinned era the server lacks: addServer rejects, typed; added without waiting, it is given up', async () => {
    client = new UniversalMcpClient();
    const config = eraStdio('pinned', { ERA_ONLY: '2026' }, { protocol: '2025-11-25' });
    const err = await client.addServer(config).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
      details: { supported: ['2026-07-28'], requested: '2025-11-25' },
    });
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => e.server === 'pinned' && states.push(e));
    await client.addServer(config, { waitForReady: false });
    await eventually(() => client!.getServerInfo('pinned')?.givenUp === true);
    // Permanent, like refused credentials: no restart loop.
    expect(client.getServerInfo('pinned')).toMatchObject({ attempt: 1, restarts: 0 });
    expect(client.getServerInfo('pinned')!.lastError?.code).toBe(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
    expect(states.filter((e) => e.to === 'restarting')).toEqual([]);
  });
});
