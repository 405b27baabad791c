import { afterEach, describe, expect, it } from 'vitest';
import { UniversalMcpClient, type ServerReadyEvent, type ServerStateEvent } from '@universal-mcp/supervisor';
import { eventually, fixtureStdio } from '../helpers/servers.js';
import { eraOf, fixtureLog, v2FaultsStdio, type FixtureLog } from '../helpers/v2-faults.js';

// T11 with eras: the state events stay exactly-once and chained in both eras, and each
// server:ready says which era the connection speaks — the same one after a restart.
describe('T11 events carry the era', () => {
  let client: UniversalMcpClient;
  let log: FixtureLog | undefined;
  afterEach(async () => {
    await client.close();
    await log?.remove();
    log = undefined;
  });

  it.each([
    ['an SDK v2 server (2026)', '2026-07-28'],
    ['the SDK v1 fixture (2025)', '2025-11-25'],
  ] as const)('%s under auto: ready says %s, before and after a crash', async (_, era) => {
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    const ready: ServerReadyEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    client.on('server:ready', (e) => ready.push(e));
    let config: Record<string, unknown> & { name: string };
    if (era === '2026-07-28') {
      log = await fixtureLog();
      config = v2FaultsStdio('ev', 'auto', log);
    } else {
      config = fixtureStdio('ev', { protocol: 'auto' });
    }
    const { pid } = await client.addServer(config as Parameters<UniversalMcpClient['addServer']>[0]);
    process.kill(pid!, 'SIGKILL');
    await eventually(() => ready.length === 2);
    expect(eraOf(client.getServerInfo('ev'))).toBe(era);
    await client.close();
    expect(ready.map((e) => eraOf(e))).toEqual([era, era]);
    // exactly once each, chained, with reason and attempt
    for (let i = 1; i < states.length; i += 1) expect(states[i]!.from).toBe(states[i - 1]!.to);
    for (const s of states) {
      expect(s.server).toBe('ev');
      expect(s.reason).toEqual(expect.any(String));
    }
    expect(states.filter((s) => s.to === 'ready').map((s) => s.attempt)).toEqual([1, 2]);
    expect(states.filter((s) => s.to === 'failed')).toHaveLength(1);
    expect(states.at(-1)!.to).toBe('stopped');
  });
});
