// Issue 30, "a 30-second task through a 1-second request timeout completes": callTool on a Tasks server returns
// the final result as before, the timeout bounding each exchange (the create and every tasks/get), never the task.
// The fixture (test/fixtures/tasks-server.mjs over HTTP) counts the polls and their smallest gap.
import { afterEach, describe, expect, it } from 'vitest';
import { UniversalMcpClient, type CallEndEvent, type TaskSnapshot } from '@universal-mcp/supervisor';
import { startTasksFixtureHttp, type StartedHttpServer } from '../helpers/published-servers.js';
import { descendantsOf } from '../helpers/servers.js';

const POLL_MS = 1000;

/** The fixture's per-task poll record (GET /stats). */
type Stats = Record<string, { polls: number; minGapMs: number | null; status?: string }>;
const statsOf = async (url: string): Promise<Stats> =>
  (await (await fetch(url.replace(/\/mcp$/, '/stats'))).json()) as Stats;

describe('tasks: a long task through a short request timeout', () => {
  let client: UniversalMcpClient | undefined;
  let server: StartedHttpServer | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  it('a 30 s long_task through callTool with timeoutMs 1000 completes, polled no faster than asked', async () => {
    server = await startTasksFixtureHttp('--poll-interval-ms', String(POLL_MS));
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer({ name: 'tasks', transport: 'streamable_http', url: server.url });
    const statuses: TaskSnapshot[] = [];
    const ends: TaskSnapshot[] = [];
    const callEnds: CallEndEvent[] = [];
    client.on('task:status', (s) => statuses.push(s));
    client.on('task:end', (s) => ends.push(s));
    client.on('call:end', (e) => callEnds.push(e));

    const t0 = performance.now();
    const result = await client.callTool('tasks', 'long_task', { seconds: 30 }, { timeoutMs: 1000 });
    const tookMs = performance.now() - t0;

    expect(result).toMatchObject({ content: [{ type: 'text', text: 'computed: done after 30s' }] });
    expect(result.isError).toBeUndefined();
    expect(tookMs).toBeGreaterThanOrEqual(29_000); // the server's 30 s, not a 1 s timeout

    const stats = Object.values(await statsOf(server.url));
    expect(stats).toHaveLength(1);
    const [task] = stats;
    expect(task!.status).toBe('completed');
    // About 30 s / 1 s polls; never more than one per interval (+1 for the poll that found it done).
    expect(task!.polls).toBeGreaterThanOrEqual(5);
    expect(task!.polls).toBeLessThanOrEqual(31);
    // Measured from the previous answer, so the gap between two arrivals is never below the interval
    // (1 ms allowed for Date.now's rounding on both sides).
    expect(task!.minGapMs).toBeGreaterThanOrEqual(POLL_MS - 1);

    // The task's life is visible: a working status first, one task:end (completed, with the result).
    expect(statuses[0]).toMatchObject({ server: 'tasks', tool: 'long_task', task: true, status: 'working' });
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ id: statuses[0]!.id, status: 'completed', pollIntervalMs: POLL_MS });
    expect(ends[0]!.result).toEqual(result);
    // The call's span is the whole task.
    expect(callEnds).toHaveLength(1);
    expect(callEnds[0]).toMatchObject({ server: 'tasks', tool: 'long_task', ok: true });
    expect(callEnds[0]!.durationMs).toBeGreaterThanOrEqual(29_000);
    // And it is listed among the recently ended tasks.
    expect(client.tasks({ server: 'tasks' })).toEqual([
      expect.objectContaining({ id: ends[0]!.id, status: 'completed' }),
    ]);
  }, 120_000);
});
