import { afterEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  UniversalMcpClient,
  type ServerRestartingEvent,
  type ServerStateEvent,
} from '@universal-mcp/supervisor';
import { eventually, fixtureStdio } from '../helpers/servers.js';

const crashOnStart = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: ['-e', 'process.exit(1)'],
  ...extra,
});

// T3 restart backoff (the arithmetic is unit-tested with fake timers in packages/supervisor;
// here once for real) and T4 restart intensity.
describe('T3 backoff, for real', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('attempt n waits min(initial × multiplier^(n-1), max); the next attempt starts no sooner', async () => {
    client = new UniversalMcpClient();
    const plan: ServerRestartingEvent[] = [];
    const connectingAt: number[] = [];
    const failedAt: number[] = [];
    client.on('server:restarting', (e) => plan.push(e));
    client.on('server:state', (e: ServerStateEvent) => {
      if (e.to === 'failed') failedAt.push(performance.now());
      if (e.to === 'connecting') connectingAt.push(performance.now());
    });
    await client.addServer(
      crashOnStart('storm', {
        backoff: { initialDelayMs: 100, multiplier: 2, jitter: 0, maxDelayMs: 400 },
        intensity: { maxRestarts: 5, windowMs: 60_000 },
      }),
      { waitForReady: false },
    );
    await eventually(() => plan.length === 5, 15_000);
    expect(plan.map((p) => p.delayMs)).toEqual([100, 200, 400, 400, 400]);
    expect(plan.map((p) => p.attempt)).toEqual([1, 2, 3, 4, 5]); // the attempt that ended; the restart is attempt + 1
    for (let i = 0; i < 4; i += 1) expect(connectingAt[i]! - failedAt[i]!).toBeGreaterThanOrEqual(plan[i]!.delayMs - 5);
    expect(plan.every((p) => p.error?.code === ErrorCode.CONNECT_FAILED)).toBe(true);
  });

  it('the backoff starts again from the initial delay after a stable period in ready', async () => {
    client = new UniversalMcpClient();
    const delays: number[] = [];
    client.on('server:restarting', (e) => delays.push(e.delayMs));
    await client.addServer(
      fixtureStdio('stable', { backoff: { initialDelayMs: 100, multiplier: 3, jitter: 0, resetAfterMs: 300 } }),
    );
    const kill = async (): Promise<void> => {
      await eventually(() => client.getServerInfo('stable')?.state === 'ready');
      process.kill(client.getServerInfo('stable')!.pid!, 'SIGKILL');
      await eventually(() => client.getServerInfo('stable')?.state !== 'ready');
    };
    await kill(); // 1st failure: 100
    await kill(); // quickly again: 300
    await eventually(() => client.getServerInfo('stable')?.state === 'ready');
    await new Promise((r) => setTimeout(r, 400)); // stable for longer than resetAfterMs
    await kill(); // back to 100
    await eventually(() => delays.length === 3);
    expect(delays).toEqual([100, 300, 100]);
  });
});

describe('T4 restart intensity', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());

  it('past maxRestarts in windowMs: given up, calls fail in ≤ 1 ms, restartServer brings it back', async () => {
    client = new UniversalMcpClient();
    const failed: string[] = [];
    client.on('server:given-up', (e) => failed.push(e.error.code));
    await client.addServer(
      crashOnStart('doomed', {
        backoff: { initialDelayMs: 10, maxDelayMs: 10 },
        intensity: { maxRestarts: 3, windowMs: 60_000 },
      }),
      {
        waitForReady: false,
      },
    );
    await eventually(() => failed.length === 1);
    expect(failed).toEqual([ErrorCode.SERVER_UNAVAILABLE]);
    const info = client.getServerInfo('doomed')!;
    expect(info).toMatchObject({ givenUp: true, state: 'failed', restarts: 3 });
    expect(info.lastError?.message).toMatch(/more than 3 restarts/);

    const samples: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const t0 = performance.now();
      const err = await client.callTool('doomed', 'echo', { text: 'x' }).catch((e: unknown) => e);
      samples.push(performance.now() - t0);
      expect(err).toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE });
    }
    samples.sort((a, b) => a - b);
    // median; the target is ≤ 1 ms. The bound only tells a refusal from a wait (the 30 s call timeout).
    expect(samples[10]).toBeLessThan(1000);

    // a manual restart gives it a fresh window: three more attempts, then given up again
    client.restartServer('doomed');
    expect(client.getServerInfo('doomed')!.givenUp).toBe(false);
    await eventually(() => failed.length === 2);
  });
});
