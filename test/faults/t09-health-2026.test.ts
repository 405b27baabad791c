import { afterEach, describe, expect, it } from 'vitest';
import { UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { descendantsOf, eventually } from '../helpers/servers.js';
import {
  eraOf,
  fixtureLog,
  startV2FaultsHttp,
  v2FaultsStdio,
  type FixtureLog,
  type RestartableHttp,
} from '../helpers/v2-faults.js';

// T9 in the 2026 era: there is no ping. The health check is server/discover (cheap, answered by
// the server itself, not by a tool); K consecutive failures restart the server as before.
const HEALTH = { intervalMs: 100, timeoutMs: 300, failuresBeforeRestart: 2 };

describe('T9 health without ping (2026 era)', () => {
  let client: UniversalMcpClient;
  let log: FixtureLog;
  let server: RestartableHttp | undefined;
  afterEach(async () => {
    if (server !== undefined && server.child.exitCode === null) server.child.kill('SIGCONT');
    await client.close();
    await server?.stop();
    server = undefined;
    await log.remove();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  /** The server speaks 2026, server/discover checks reached `pid`, and never a ping. */
  async function checkedWithDiscover(name: string, pid: number): Promise<void> {
    expect(eraOf(client.getServerInfo(name))).toBe('2026-07-28');
    await eventually(async () => (await log.of(pid)).filter((w) => w === 'server/discover').length >= 3);
    expect(await log.of(pid)).not.toContain('ping');
  }

  it('a frozen stdio server (SIGSTOP) fails its discover checks and is restarted', { timeout: 90_000 }, async () => {
    log = await fixtureLog();
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    const { pid } = await client.addServer(v2FaultsStdio('frozen', '2026-07-28', log, { health: HEALTH }));
    await checkedWithDiscover('frozen', pid!);
    process.kill(pid!, 'SIGSTOP');
    await eventually(() => states.some((s) => s.to === 'failed'), 20_000);
    expect(states.find((s) => s.to === 'failed')!.reason).toMatch(/2 health checks failed/);
    await eventually(() => {
      const info = client.getServerInfo('frozen');
      return info?.state === 'ready' && info.pid !== pid;
    }, 20_000);
    await expect(client.callTool('frozen', 'echo', { text: 'thawed' })).resolves.toBeDefined();
  });

  it('a hung tool does not fail the checks', { timeout: 90_000 }, async () => {
    log = await fixtureLog();
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    const { pid } = await client.addServer(
      v2FaultsStdio('busy', '2026-07-28', log, { health: { ...HEALTH, timeoutMs: 1000, failuresBeforeRestart: 1 } }),
    );
    client.on('server:state', (e) => states.push(e));
    // The hang outlasts a check's timeout three times over: a check that waited for it would fail.
    await client.callTool('busy', 'hang', { ms: 3000 });
    expect(states).toEqual([]);
    await checkedWithDiscover('busy', pid!);
  });

  it('a frozen HTTP server fails its checks; once it thaws it is used again', { timeout: 90_000 }, async () => {
    log = await fixtureLog();
    server = await startV2FaultsHttp(log);
    client = new UniversalMcpClient({ defaults: { backoff: { initialDelayMs: 100, maxDelayMs: 300 } } });
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    await client.addServer({
      name: 'web',
      transport: 'streamable_http',
      url: server.url,
      protocol: '2026-07-28',
      health: HEALTH,
    });
    const pid = server.child.pid!;
    await checkedWithDiscover('web', pid);
    process.kill(pid, 'SIGSTOP');
    await eventually(() => states.some((s) => s.to === 'failed'), 20_000);
    expect(states.find((s) => s.to === 'failed')!.reason).toMatch(/2 health checks failed/);
    process.kill(pid, 'SIGCONT');
    await eventually(() => client.getServerInfo('web')?.state === 'ready', 30_000);
    await expect(client.callTool('web', 'echo', { text: 'thawed' })).resolves.toMatchObject({
      content: [{ text: 'thawed' }],
    });
  });
});
