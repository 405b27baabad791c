import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { FIXTURE, eventually } from '../helpers/servers.js';

const server = (queue: object) => ({
  name: 'q',
  transport: 'stdio' as const,
  command: process.execPath,
  args: [FIXTURE, 'stdio'],
  queue,
});

async function stats(
  client: UniversalMcpClient,
): Promise<{ inFlight: number; maxInFlight: number; cancelled: string[] }> {
  const r = await client.callTool('q', 'stats');
  return JSON.parse((r.content[0] as { text: string }).text);
}

describe('throttling', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('with concurrency 2, never more than 2 calls are in flight at the server', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({ concurrency: 2 }));
    const calls = Array.from({ length: 8 }, () => client.callTool('q', 'sleep', { ms: 100 }));
    expect(client.getServerInfo('q')).toMatchObject({ pending: 2, queued: 6 });
    await Promise.all(calls);
    expect((await stats(client)).maxInFlight).toBe(2);
  });

  it('overflowing maxQueued rejects at once with QUEUE_FULL; the others complete', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({ concurrency: 1, maxQueued: 2 }));
    const accepted = [0, 1, 2].map(() => client.callTool('q', 'sleep', { ms: 100 }));
    const started = performance.now();
    await expect(client.callTool('q', 'sleep', { ms: 100 })).rejects.toMatchObject({
      code: ErrorCode.QUEUE_FULL,
      server: 'q',
    });
    expect(performance.now() - started).toBeLessThan(50); // the server is busy for 300 ms
    await expect(Promise.all(accepted)).resolves.toHaveLength(3);
  });

  it('intervalCap limits calls started per interval', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({ intervalCap: 2, interval: 300 }));
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => client.callTool('q', 'echo', { text: 'x' })));
    // 5 calls at 2 per 300 ms need three windows: at least 600 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
  });
});

describe('deadlines and cancellation', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('a call silent past timeoutMs rejects with TIMEOUT and the server is told to cancel', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({}));
    await expect(client.callTool('q', 'hang', { ms: 5000 }, { timeoutMs: 200 })).rejects.toMatchObject({
      code: ErrorCode.TIMEOUT,
    });
    await eventually(async () => (await stats(client)).cancelled.length === 1);
    expect((await stats(client)).inFlight).toBe(0);
  });

  it('an aborted call rejects with CANCELLED, not TIMEOUT, and the server is told', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({}));
    const ac = new AbortController();
    const call = client.callTool('q', 'sleep', { ms: 5000 }, { signal: ac.signal, timeoutMs: 10_000 });
    setTimeout(() => ac.abort(), 100);
    await expect(call).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    await eventually(async () => (await stats(client)).cancelled.length === 1);
  });

  it('the callTimeoutMs policy applies when the call names none', async () => {
    client = new UniversalMcpClient({ defaults: { callTimeoutMs: 150 } });
    await client.addServer(server({}));
    await expect(client.callTool('q', 'hang', { ms: 2000 })).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
  });
});
