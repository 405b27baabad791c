import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type TaskSnapshot } from '@universal-mcp/supervisor';
import { TASKS_FIXTURE, TASKS_FIXTURE_2025, startTasksFixtureHttp } from '../helpers/published-servers.js';

// Tasks through the facade against the real Tasks fixture (SDK v2, 2026-07-28 extension): over stdio, and over
// HTTP with a state file (a 2026 HTTP server keeps tasks across clients; /stats tells how it was polled).

const stdio = (name: string, ...flags: string[]) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: [TASKS_FIXTURE, ...flags],
});
const http = (name: string, url: string) => ({ name, transport: 'streamable_http' as const, url });
const quiet = { health: { intervalMs: 0 } };
const textOf = (r: { content: unknown[] }): string => (r.content[0] as { text: string }).text;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umcp-tasks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tasks through the facade (real fixture)', { timeout: 60_000 }, () => {
  it('callTool over a task outlives a shorter timeoutMs; call:start/end span the task; task events', async () => {
    await using client = new UniversalMcpClient({ defaults: quiet });
    await client.addServer(stdio('t', '--poll-interval-ms', '100'));
    const ends: TaskSnapshot[] = [];
    const calls: string[] = [];
    client.on('task:end', (s) => ends.push(s));
    client.on('call:end', (e) => calls.push(`end ${e.ok}`));
    const statuses: string[] = [];
    const result = await client.callTool(
      't',
      'slow_compute',
      { seconds: 1.5, label: 'sum' },
      { timeoutMs: 500, onTaskStatus: (s) => statuses.push(s.status) },
    );
    expect(textOf(result)).toBe('sum: done after 1.5s');
    expect(statuses[0]).toBe('working');
    expect(statuses.at(-1)).toBe('completed');
    expect(ends).toMatchObject([{ server: 't', tool: 'slow_compute', status: 'completed', task: true }]);
    expect(calls).toEqual(['end true']);
  });

  it("startTool: 'manual' input waits for respond(); cancel() ends a task cancelled; a sync answer", async () => {
    await using client = new UniversalMcpClient({ defaults: quiet });
    await client.addServer(stdio('t', '--poll-interval-ms', '100'));
    const confirm = await client.startTool('t', 'confirm_delete', {}, { input: 'manual', label: 'del' });
    expect(confirm.task).toBe(true);
    const asked = await new Promise<TaskSnapshot>((resolve) => {
      const stop = client.on('task:status', (s) => {
        if (s.id === confirm.id && s.pendingInput.length > 0) {
          stop();
          resolve(s);
        }
      });
    });
    expect(asked).toMatchObject({
      status: 'input_required',
      pendingInput: [{ key: 'confirm', method: 'elicitation/create' }],
    });
    await confirm.respond({ confirm: { action: 'accept', content: { confirm: 'yes' } } });
    expect(textOf(await confirm.result())).toBe('Deleted');

    const long = await client.startTool('t', 'long_task', { seconds: 30 });
    await long.cancel();
    await expect(long.result()).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    expect(long.snapshot().status).toBe('cancelled');

    const greet = await client.startTool('t', 'greet', { name: 'x' });
    expect(greet.task).toBe(false);
    expect(textOf(await greet.result())).toBe('Hello, x!');
    expect(client.task(long.id).snapshot().status).toBe('cancelled');
  });

  it("input 'handlers': the elicitation handler answers the task; a failed task is PROTOCOL_ERROR", async () => {
    await using client = new UniversalMcpClient({
      defaults: quiet,
      handlers: { elicitation: async () => ({ action: 'accept', content: { confirm: 'yes' } }) },
    });
    await client.addServer(stdio('t', '--poll-interval-ms', '100'));
    expect(textOf(await client.callTool('t', 'confirm_delete', {}))).toBe('Deleted');
    await expect(client.callTool('t', 'protocol_error_job', {})).rejects.toMatchObject({
      code: ErrorCode.PROTOCOL_ERROR,
      rpcCode: -32603,
      details: { reason: 'task_failed' },
    });
  });

  it('a stdio server restarted without its tasks: TASK_LOST', async () => {
    await using client = new UniversalMcpClient({ defaults: quiet });
    await client.addServer(stdio('t', '--poll-interval-ms', '100'));
    const handle = await client.startTool('t', 'long_task', { seconds: 30 });
    client.restartServer('t');
    await expect(handle.result()).rejects.toMatchObject({ code: ErrorCode.TASK_LOST });
    expect(handle.snapshot()).toMatchObject({ status: 'lost', error: { code: ErrorCode.TASK_LOST } });
  });

  it('a 2025-11-25 server: startTool asks for a task (optional tool); a required one ends isError', async () => {
    await using client = new UniversalMcpClient({ defaults: quiet });
    await client.addServer({ name: 'old', transport: 'stdio', command: process.execPath, args: [TASKS_FIXTURE_2025] });
    const handle = await client.startTool('old', 'long_task', { seconds: 1 });
    expect(handle.task).toBe(true);
    expect(textOf(await handle.result())).toBe('done after 1s');
    const failing = await client.callTool('old', 'fail_task', { seconds: 0.5 });
    expect(failing).toMatchObject({ isError: true, content: [{ text: 'job failed' }] });
  });

  describe('over HTTP with a state file', () => {
    it('polls no sooner than pollIntervalMs; deadlineMs cancels the task (TIMEOUT); detach keeps polling', async () => {
      const state = join(dir, 'fixture-a.json');
      const server = await startTasksFixtureHttp('--poll-interval-ms', '300', '--state-file', state);
      try {
        await using client = new UniversalMcpClient({ defaults: quiet });
        await client.addServer(http('h', server.url));
        await client.callTool('h', 'slow_compute', { seconds: 2 });
        const stats = (await (await fetch(server.url.replace('/mcp', '/stats'))).json()) as Record<
          string,
          { polls: number; minGapMs: number }
        >;
        const [polled] = Object.values(stats);
        expect(polled!.polls).toBeGreaterThanOrEqual(3);
        expect(polled!.minGapMs).toBeGreaterThanOrEqual(295);

        const late = await client
          .callTool('h', 'long_task', { seconds: 30 }, { deadlineMs: 1_000 })
          .catch((e: unknown) => e);
        expect(late).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'deadline' } });
        await expect
          .poll(async () => JSON.parse(await readFile(state, 'utf8')) as [string, { tool: string; status: string }][])
          .toContainEqual([expect.any(String), expect.objectContaining({ tool: 'long_task', status: 'cancelled' })]);

        const abort = new AbortController();
        const ended = new Promise<TaskSnapshot>((resolve) => client.once('task:end', resolve));
        const detached = client
          .callTool('h', 'slow_compute', { seconds: 1.5 }, { signal: abort.signal, onAbort: 'detach' })
          .catch((e: unknown) => e);
        await new Promise<void>((resolve) => client.once('task:status', () => resolve()));
        abort.abort();
        expect(await detached).toMatchObject({ code: ErrorCode.CANCELLED });
        expect(client.tasks({ server: 'h' }).some((s) => s.status === 'working')).toBe(true);
        expect(await ended).toMatchObject({ tool: 'slow_compute', status: 'completed' });
      } finally {
        await server.stop();
      }
    });

    it('a new client resumes a task from the FileTaskStore (0600) and gets its result', async () => {
      const state = join(dir, 'fixture-b.json');
      const store = join(dir, 'client', 'tasks.json');
      const server = await startTasksFixtureHttp('--poll-interval-ms', '100', '--state-file', state);
      try {
        const first = new UniversalMcpClient({ defaults: quiet, tasks: store });
        await first.addServer(http('h', server.url));
        const handle = await first.startTool('h', 'slow_compute', { seconds: 2, label: 'resumed' }, { label: 'mine' });
        await first.close();
        expect((await stat(store)).mode & 0o777).toBe(0o600);
        const saved = await readFile(store, 'utf8');
        expect(saved).toContain(handle.id);
        expect(saved).not.toContain('seconds'); // no arguments stored

        await using second = await UniversalMcpClient.fromConfig(
          { mcpServers: { h: { type: 'http', url: server.url } } },
          { defaults: quiet, tasks: store },
        );
        await expect.poll(() => second.tasks().map((s) => s.id)).toContain(handle.id);
        const resumed = second.task(handle.id);
        expect(resumed.snapshot()).toMatchObject({ label: 'mine', server: 'h', tool: 'slow_compute' });
        expect(textOf(await resumed.result())).toBe('resumed: done after 2s');
        await expect.poll(async () => (await readFile(store, 'utf8')).includes(handle.id)).toBe(false);
      } finally {
        await server.stop();
      }
    });
  });
});
