// Issue 30, "deadlines apply to the task's lifetime": a deadlineMs shorter than the task rejects TIMEOUT and
// cancels the task on the server (the fixture sees tasks/cancel: its task ends cancelled), through callTool
// and through a handle from startTool.
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type TaskSnapshot } from '@universal-mcp/supervisor';
import { startTasksFixtureHttp, type StartedHttpServer } from '../helpers/published-servers.js';
import { descendantsOf, eventually } from '../helpers/servers.js';

type Stats = Record<string, { polls: number; minGapMs: number | null; status?: string }>;
const statsOf = async (url: string): Promise<Stats> =>
  (await (await fetch(url.replace(/\/mcp$/, '/stats'))).json()) as Stats;

describe('tasks: a deadline shorter than the task', () => {
  let client: UniversalMcpClient | undefined;
  let server: StartedHttpServer | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  async function connect(): Promise<{ client: UniversalMcpClient; url: string; ends: TaskSnapshot[] }> {
    server = await startTasksFixtureHttp('--poll-interval-ms', '250');
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    const ends: TaskSnapshot[] = [];
    client.on('task:end', (s) => ends.push(s));
    await client.addServer({ name: 'tasks', transport: 'streamable_http', url: server.url });
    return { client, url: server.url, ends };
  }

  it('callTool with deadlineMs 2000 on a 30 s task rejects TIMEOUT and the server task is cancelled', async () => {
    const { client, url, ends } = await connect();
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
    const { client, url, ends } = await connect();
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
