import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { UniversalMcpClient, UniversalMcpError } from '@universal-mcp/supervisor';
import {
  descendantsOf,
  eventually,
  fixtureStdio,
  startFixtureHttp,
  type HttpServerProcess,
} from '../helpers/servers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const TYPED = new Set(['CONNECTION_LOST', 'SERVER_UNAVAILABLE', 'SESSION_EXPIRED', 'TIMEOUT', 'QUEUE_FULL']);

// Nothing is lost: thousands of calls across several servers while a chaos loop kills them.
// Every call settles — resolved, or rejected with a typed code — within its deadline; no child
// process is left; the client's heap returns near where it started. About 45–60 s on 2 cores (a
// time-based chaos loop against 4000 calls); the bound is for a busy machine, not a speed check.
describe('soak under chaos', () => {
  it('every call settles in time with a typed outcome; nothing is left behind', { timeout: 150_000 }, async () => {
    let http: HttpServerProcess = await startFixtureHttp('http');
    const port = Number(new URL(http.url).port);
    const client = new UniversalMcpClient({
      defaults: {
        backoff: { initialDelayMs: 50, maxDelayMs: 200 },
        intensity: { maxRestarts: 10_000, windowMs: 60_000 },
        health: { intervalMs: 500, timeoutMs: 500, failuresBeforeRestart: 2 },
        queue: { concurrency: 8, maxQueued: 20 },
      },
    });
    const stdio = ['s1', 's2', 's3'];
    await Promise.all([
      ...stdio.map((n) => client.addServer(fixtureStdio(n))),
      client.addServer({ name: 'web', transport: 'streamable_http', url: http.url }),
    ]);
    const servers = [...stdio, 'web'];

    // warm up, then take the heap baseline
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => client.callTool(servers[i % 4]!, 'echo', { text: 'w' })));
    }
    const heapBefore = heapAfterGc();

    let chaos = true;
    let kills = 0;
    const chaosLoop = (async () => {
      while (chaos) {
        await new Promise((r) => setTimeout(r, 300));
        if (!chaos) break;
        const victim = servers[kills % servers.length]!;
        kills += 1;
        if (victim === 'web') {
          await http.stop();
          http = await startFixtureHttp('http', port);
        } else {
          const pid = client.getServerInfo(victim)?.pid;
          if (pid !== undefined) process.kill(pid, 'SIGKILL');
        }
      }
    })();

    const TOTAL = 4000;
    const TIMEOUT = 2000;
    const outcomes = new Map<string, number>();
    let hung = 0;
    let untyped = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const i = next++;
        const server = servers[i % servers.length]!;
        const call =
          i % 10 === 0
            ? client.callTool(server, 'sleep', { ms: 150 }, { timeoutMs: TIMEOUT })
            : client.callTool(server, 'echo', { text: `#${i}` }, { timeoutMs: TIMEOUT });
        let watchdog: NodeJS.Timeout | undefined;
        const limit = new Promise<'hung'>((r) => (watchdog = setTimeout(r, TIMEOUT + 1500, 'hung')));
        const outcome = await Promise.race([
          call.then(
            () => 'ok',
            (e: unknown) => (e instanceof UniversalMcpError && TYPED.has(e.code) ? e.code : `untyped:${String(e)}`),
          ),
          limit,
        ]);
        clearTimeout(watchdog);
        if (outcome === 'hung') hung += 1;
        if (outcome.startsWith('untyped')) untyped += 1;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        // A failing server is not hammered in a tight loop.
        if (outcome !== 'ok') await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    chaos = false;
    await chaosLoop;

    expect(hung).toBe(0);
    expect(untyped, JSON.stringify([...outcomes])).toBe(0);
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(TOTAL / 4);
    expect(kills).toBeGreaterThan(5);

    // the fleet comes back, and answers
    await eventually(() => servers.every((s) => client.getServerInfo(s)?.state === 'ready'), 15_000);
    for (const s of servers) await expect(client.callTool(s, 'echo', { text: 'after' })).resolves.toBeDefined();

    await client.close();
    const heapAfter = heapAfterGc();
    expect(heapAfter - heapBefore).toBeLessThan(20 * 1024 * 1024);
    await http.stop();
    expect(await descendantsOf(process.pid)).toEqual([]);
    const heap = `${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`;
    console.log(
      `soak: ${TOTAL} calls, ${kills} kills, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}, heap ${heap}`,
    );
  });
});
