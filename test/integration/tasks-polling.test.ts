// Issue 30, "a 30-second task through a 1-second request timeout completes" and "deadlines apply to the task's
// lifetime": callTool on a Tasks server returns the final result as before, `timeoutMs` bounding each exchange (the
// create and every tasks/get), never the task; a `deadlineMs` shorter than the task rejects TIMEOUT and cancels it
// at the server. The fixture (test/fixtures/tasks-server.mjs over HTTP) counts each task's polls, their smallest
// gap, and keeps its status (GET /stats).
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type CallEndEvent, type TaskSnapshot } from '@universal-mcp/supervisor';
import { startTasksFixtureHttp, type StartedHttpServer } from '../helpers/published-servers.js';
import { descendantsOf, eventually } from '../helpers/servers.js';

const POLL_MS = 1000;

/** The fixture's per-task poll record (GET /stats). */
type Stats = Record<string, { polls: number; minGapMs: number | null; status?: string }>;
const statsOf = async (url: string): Promise<Stats> =>
  (await (await fetch(url.replace(/\/mcp$/, '/stats'))).json()) as Stats;

describe('tasks: polling and deadlines', () => {
  let client: UniversalMcpClient | undefined;
  let server: StartedHttpServer | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  /** The HTTP fixture asking for polls every `pollMs`, a client on it, and the task:end events it emits. */
  async function connect(pollMs: number): Promise<{ client: UniversalMcpClient; url: string; ends: TaskSnapshot[] }> {
    server = await startTasksFixtureHttp('--poll-interval-ms', String(pollMs));
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    const ends: TaskSnapshot[] = [];
    client.on('task:end', (s) => ends.push(s));
    await client.addServer({ name: 'tasks', transport: 'streamable_http', url: server.url });
    return { client, url: server.url, ends };
  }

  it('a 30 s long_task through callTool with timeoutMs 1000 completes, polled no faster than asked', async () => {
    const { client, url, ends } = await connect(POLL_MS);
    const statuses: TaskSnapshot[] = [];
    const callEnds: CallEndEvent[] = [];
    client.on('task:status', (s) => statuses.push(s));
    client.on('call:end', (e) => callEnds.push(e));

    const t0 = performance.now();
    const result = await client.callTool('tasks', 'long_task', { seconds: 30 }, { timeoutMs: 1000 });
    const tookMs = performance.now() - t0;

    expect(result).toMatchObject({ content: [{ type: 'text', text: 'computed: done after 30s' }] });
    expect(result.isError).toBeUndefined();
    expect(tookMs).toBeGreaterThanOrEqual(29_000); // the server's 30 s, not a 1 s timeout

    const stats = Object.values(await statsOf(url));
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

  it('callTool with deadlineMs 2000 on a 30 s task rejects TIMEOUT and the server task is cancelled', async () => {
    const { client, url, ends } = await connect(250);
    const t0 = performance.now();
    const err = await client.callTool('tasks', 'long_task', { seconds: 30 }, { deadlineMs: 2000 }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, server: 'tasks' });
    expect(performance.now() - t0).toBeLessThan(25_000); // the 2 s deadline, not the 30 s task (loose)

    // The fixture got tasks/cancel for its one task.
    await eventually(async () => Object.values(await statsOf(url)).some((s) => s.status === 'cancelled'));
    expect(Object.values(await statsOf(url))).toHaveLength(1);
    await eventually(() => ends.length === 1);
    expect(ends[0]).toMatchObject({ server: 'tasks', tool: 'long_task', status: 'cancelled' });
  }, 60_000);

  it('startTool with deadlineMs: result() rejects TIMEOUT, task:end once, the server task is cancelled', async () => {
    const { client, url, ends } = await connect(250);
    const task = await client.startTool('tasks', 'long_task', { seconds: 30 }, { deadlineMs: 1500 });
    expect(task.task).toBe(true);
    await expect(task.result()).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    await eventually(async () => Object.values(await statsOf(url)).some((s) => s.status === 'cancelled'));
    await eventually(() => ends.length === 1);
    expect(ends[0]).toMatchObject({ id: task.id, status: 'cancelled' });
    expect(task.snapshot().status).toBe('cancelled');
    // A second result() gives the same typed end, and cancel() after the end is a no-op.
    await expect(task.result()).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    await expect(task.cancel()).resolves.toBeUndefined();
    expect(ends).toHaveLength(1);
  }, 60_000);
});
