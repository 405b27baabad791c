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

/** Marks the calls handled: a test that fails before awaiting them leaves no unhandled rejection behind. */
function handled<T>(calls: Promise<T>[]): Promise<T>[] {
  for (const call of calls) call.catch(() => undefined);
  return calls;
}

describe('throttling', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('with concurrency 2, never more than 2 calls are in flight at the server', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({ concurrency: 2 }));
    const calls = handled(Array.from({ length: 8 }, () => client.callTool('q', 'sleep', { ms: 100 })));
    expect(client.getServerInfo('q')).toMatchObject({ pending: 2, queued: 6 });
    await Promise.all(calls);
    expect((await stats(client)).maxInFlight).toBe(2);
  });

  it('overflowing maxQueued rejects at once with QUEUE_FULL; the others complete', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({ concurrency: 1, maxQueued: 2 }));
    const accepted = handled([0, 1, 2].map(() => client.callTool('q', 'sleep', { ms: 100 })));
    let finished = 0;
    for (const call of accepted)
      void call.then(
        () => (finished += 1),
        () => undefined,
      );
    await expect(client.callTool('q', 'sleep', { ms: 100 })).rejects.toMatchObject({
      code: ErrorCode.QUEUE_FULL,
      server: 'q',
    });
    // At once: refused before the first accepted call (100 ms at the server) has ended, not after a slot freed.
    expect(finished).toBe(0);
    await expect(Promise.all(accepted)).resolves.toHaveLength(3);
  });

  it('intervalCap limits calls started per interval', async () => {
    client = new UniversalMcpClient();
    await client.addServer(server({ intervalCap: 2, interval: 300 }));
    const started = performance.now();
    await Promise.all(handled(Array.from({ length: 5 }, () => client.callTool('q', 'echo', { text: 'x' }))));
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
    const [call] = handled([client.callTool('q', 'sleep', { ms: 5000 }, { signal: ac.signal, timeoutMs: 10_000 })]);
    await eventually(() => client.getServerInfo('q')!.pending === 1);
    ac.abort();
    await expect(call).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    await eventually(async () => (await stats(client)).cancelled.length === 1);
  });

  it('the callTimeoutMs policy applies when the call names none', async () => {
    client = new UniversalMcpClient({ defaults: { callTimeoutMs: 150 } });
    await client.addServer(server({}));
    await expect(client.callTool('q', 'hang', { ms: 2000 })).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
  });
});
