import { describe, expect, it } from 'vitest';
import { UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { eventually, fixtureStdio } from '../helpers/servers.js';

// T11: every state change emitted exactly once with server, from, to, reason and attempt, chained
// (each from is the previous to); no error events after an intentional close.
describe('T11 events', () => {
  it('a crash and recovery give one chained event per transition, each with reason and attempt', async () => {
    const client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    const errors: string[] = [];
    client.on('server:state', (e) => states.push(e));
    client.on('server:given-up', (e) => errors.push(e.server));
    const { pid } = await client.addServer(fixtureStdio('ev'));
    process.kill(pid!, 'SIGKILL');
    await eventually(() => states.filter((s) => s.to === 'ready').length === 2);
    await client.close();
    expect(states.map((s) => s.to)).toEqual([
      'initialized',
      'ready',
      'failed',
      'restarting',
      'connecting',
      'initialized',
      'ready',
      'stopped',
    ]);
    for (let i = 1; i < states.length; i += 1) expect(states[i]!.from).toBe(states[i - 1]!.to);
    for (const s of states) {
      expect(s.server).toBe('ev');
      expect(s.reason).toEqual(expect.any(String));
      expect(s.attempt).toBeGreaterThanOrEqual(1);
    }
    expect(states.map((s) => s.attempt)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(states[2]!.exit).toMatchObject({ pid, signal: 'SIGKILL' });
    expect(errors).toEqual([]);
  });

  it('closing in the middle of a reconnect emits no error event and no further transition', async () => {
    const client = new UniversalMcpClient();
    const late: string[] = [];
    const { pid } = await client.addServer(fixtureStdio('mid', { backoff: { initialDelayMs: 300 } }));
    process.kill(pid!, 'SIGKILL');
    await eventually(() => client.getServerInfo('mid')?.state === 'restarting');
    await client.close();
    client.on('server:state', (e) => late.push(e.to));
    client.on('server:given-up', (e) => late.push(`failed:${e.server}`));
    client.on('server:restarting', (e) => late.push(`restarting:${e.server}`));
    await new Promise((r) => setTimeout(r, 500));
    expect(late).toEqual([]);
  });
});
