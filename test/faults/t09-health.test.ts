import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { eventually, fixtureStdio } from '../helpers/servers.js';

// T9: ping idle connections; K consecutive failures mark the connection failed and restart it.
// A hung tool is not a dead connection. Queue overflow: see test/integration/throttling.
describe('T9 health', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('a frozen server (SIGSTOP) fails its pings and is restarted', { timeout: 90_000 }, async () => {
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    const { pid } = await client.addServer(
      fixtureStdio('frozen', { health: { intervalMs: 100, timeoutMs: 150, failuresBeforeRestart: 2 } }),
    );
    process.kill(pid!, 'SIGSTOP');
    await eventually(() => states.some((s) => s.to === 'failed'), 20_000);
    expect(states.find((s) => s.to === 'failed')!.reason).toMatch(/2 health checks failed/);
    await eventually(
      () => client.getServerInfo('frozen')?.state === 'ready' && client.getServerInfo('frozen')?.pid !== pid,
      10_000,
    );
    await expect(client.callTool('frozen', 'echo', { text: 'thawed' })).resolves.toBeDefined();
  });

  it('a hung tool does not count as a dead connection', { timeout: 90_000 }, async () => {
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    const { pid } = await client.addServer(
      fixtureStdio('busy', { health: { intervalMs: 100, timeoutMs: 1000, failuresBeforeRestart: 1 } }),
    );
    const before = states.length;
    // The hang outlasts a ping's timeout three times over: a ping that waited for it would fail.
    await client.callTool('busy', 'hang', { ms: 3000 });
    expect(states.length).toBe(before);
    expect(client.getServerInfo('busy')!.restarts).toBe(0);
    // The same policy does restart a server that stops answering pings: the checks ran through the hang.
    process.kill(pid!, 'SIGSTOP');
    await eventually(() => states.some((s) => s.to === 'failed'), 10_000);
    expect(states.find((s) => s.to === 'failed')!.reason).toMatch(/1 health checks failed/);
  });

  it('health checks can be turned off', async () => {
    // With checks on, these settings would fail a frozen server in about 150 ms (the test above).
    client = new UniversalMcpClient({
      defaults: { health: { intervalMs: 0, timeoutMs: 100, failuresBeforeRestart: 1 } },
    });
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    const { pid } = await client.addServer(fixtureStdio('quiet'));
    process.kill(pid!, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 1500));
    expect(states.map((s) => s.to)).not.toContain('failed');
    expect(client.getServerInfo('quiet')!.state).toBe('ready');
    process.kill(pid!, 'SIGCONT');
    await expect(client.callTool('quiet', 'echo', { text: 'x' })).resolves.toBeDefined();
    await expect(client.callTool('quiet', 'nope')).rejects.toMatchObject({ code: ErrorCode.TOOL_NOT_FOUND });
  });
});
