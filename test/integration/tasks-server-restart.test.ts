// Issue 30, "SIGKILL of the server mid-task (the task fails typed, or resumes if the server kept it)": a stdio
// fixture keeps no state, so after the supervisor restarts it the task ends TASK_LOST (typed, soon, never a
// hang); an HTTP fixture with --state-file restarted on the same port still has the task, whose result is then
// delivered to the same handle.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerReadyEvent, type TaskSnapshot } from '@universal-mcp/supervisor';
import { TASKS_FIXTURE } from '../helpers/published-servers.js';
import {
  descendantsOf,
  eventually,
  freePort,
  handle,
  SERVER_COMES_BACK,
  type HttpServerProcess,
} from '../helpers/servers.js';

type Stats = Record<string, { polls: number; minGapMs: number | null; status?: string }>;
const statsOf = async (url: string): Promise<Stats> =>
  (await (await fetch(url.replace(/\/mcp$/, '/stats'))).json()) as Stats;

/** The HTTP fixture on a fixed port (TASKS_FIXTURE_PORT), so that a restart comes back at the same URL. */
function startOnPort(port: number, ...flags: string[]): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [TASKS_FIXTURE, '--http', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TASKS_FIXTURE_PORT: String(port) },
  });
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
      if (m === null) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(handle(child, m[1]!));
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`fixture exited (${code}): ${seen}`)));
  });
}

describe('tasks: the server is killed mid-task', () => {
  let client: UniversalMcpClient | undefined;
  let server: HttpServerProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  it('stdio, no state: the supervisor restarts it and the task ends TASK_LOST soon after, typed', async () => {
    client = new UniversalMcpClient();
    const ready: ServerReadyEvent[] = [];
    const ends: TaskSnapshot[] = [];
    client.on('server:ready', (e) => ready.push(e));
    client.on('task:end', (s) => ends.push(s));
    const info = await client.addServer({
      name: 'tasks',
      transport: 'stdio',
      command: process.execPath,
      args: [TASKS_FIXTURE, '--poll-interval-ms', '250'],
      backoff: { initialDelayMs: 50, maxDelayMs: 200 },
      health: { intervalMs: 0 },
    });
    const task = await client.startTool('tasks', 'long_task', { seconds: 120 });
    expect(task.task).toBe(true);
    const outcome = task.result().then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await eventually(() => task.snapshot().status === 'working');

    process.kill(info.pid!, 'SIGKILL');
    await eventually(() => ready.length === 2, 20_000);
    const readyAt = Date.now();
    const err = await outcome;
    const lostAfterMs = Date.now() - readyAt;

    expect(err).toMatchObject({ code: ErrorCode.TASK_LOST, server: 'tasks' });
    expect((err as { details?: Record<string, unknown> }).details).toMatchObject({ reason: 'not-found' });
    // Within a poll or two of the restart (250 ms here); loose for a loaded machine, far below the 120 s task.
    expect(lostAfterMs).toBeLessThan(15_000);
    expect(task.snapshot()).toMatchObject({ status: 'lost', error: { code: ErrorCode.TASK_LOST } });
    expect(ends).toEqual([expect.objectContaining({ id: task.id, status: 'lost' })]);
    expect(client.getServerInfo('tasks')).toMatchObject({ state: 'ready', restarts: 1 });
  }, 90_000);

  it('HTTP with --state-file, restarted on the same port: the same task resumes, its result delivered', async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-tasks-server-'));
    const state = join(dir, 'server-tasks.json');
    const port = await freePort();
    const flags = ['--state-file', state, '--poll-interval-ms', '250'];
    server = await startOnPort(port, ...flags);
    client = new UniversalMcpClient({ defaults: SERVER_COMES_BACK });
    const ends: TaskSnapshot[] = [];
    client.on('task:end', (s) => ends.push(s));
    await client.addServer({ name: 'tasks', transport: 'streamable_http', url: server.url });

    const task = await client.startTool('tasks', 'long_task', { seconds: 8 });
    const outcome = task.result().then(
      (r) => r,
      (e: unknown) => e,
    );
    // Polled at least once by the first server process, then killed mid-task.
    await eventually(async () => Object.values(await statsOf(server!.url)).some((s) => s.polls >= 1));
    await server.stop();
    await new Promise((r) => setTimeout(r, 1000)); // polls fail meanwhile: the client must keep the task
    expect(task.snapshot().status).toBe('working');
    server = await startOnPort(port, ...flags);

    const result = await outcome;
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'computed: done after 8s' }] });
    expect(task.snapshot()).toMatchObject({ status: 'completed' });
    expect(ends).toEqual([expect.objectContaining({ id: task.id, status: 'completed' })]);
    // The restarted server answered for the task it had kept (the same server id, polled again).
    expect(Object.values(await statsOf(server.url))).toEqual([expect.objectContaining({ status: 'completed' })]);
  }, 90_000);
});
