import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { MACHINE, UniversalMcpClient, type UniversalMcpClientOptions } from '../src/universal-mcp-client.js';
import { MemoryTaskStore, type TaskRecord, type TaskStore } from '../src/task-store.js';
import { MAX_POLLS_PER_SERVER } from '../src/task-manager.js';
import type { TaskSnapshot } from '../src/task-handle.js';
import { fakeConnection, flush, type FakeConnection } from './fake-connection.js';
import { FakeTaskServer } from './task-fake-server.js';

// The task manager through the facade: the connection machine's actors faked, a fake 2026 task server behind
// them, time faked (poll arithmetic). The real fixture over stdio and HTTP is in task-facade.test.ts.

interface Harness {
  client: UniversalMcpClient;
  fake: FakeConnection;
  server: FakeTaskServer;
}

async function harness(
  options: UniversalMcpClientOptions = {},
  ready = true,
  config: Record<string, unknown> = {},
): Promise<Harness> {
  const fake = fakeConnection();
  const server = new FakeTaskServer(fake);
  const client = new UniversalMcpClient({
    ...options,
    defaults: { health: { intervalMs: 0 }, backoff: { jitter: 0, initialDelayMs: 10 }, ...options.defaults },
    [MACHINE]: fake.machine,
  } as UniversalMcpClientOptions);
  if (ready) {
    const adding = client.addServer({ name: 'a', transport: 'stdio', command: 'unused', ...config });
    await flush();
    fake.attempts[0]!.resolve();
    await adding;
  }
  return { client, fake, server };
}

const text = (t: string) => ({ content: [{ type: 'text', text: t }] });

describe('TaskManager (through the facade)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('callTool over a task: polled to its end past a shorter timeoutMs; one call:start/end spans it', async () => {
    const { client, server } = await harness();
    const calls: string[] = [];
    client.on('call:start', () => calls.push('start'));
    client.on('call:end', (e) => calls.push(`end ${e.ok}`));
    const seen: TaskSnapshot[] = [];
    const call = client.callTool('a', 'echo', { text: 'x' }, { timeoutMs: 100, onTaskStatus: (s) => seen.push(s) });
    await flush();
    expect(server.tasks.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000); // ten times the timeout: each poll is its own exchange
    expect(calls).toEqual(['start']);
    expect(server.calls('tasks/get').length).toBeGreaterThanOrEqual(4);
    server.finish('t1', 'late');
    await vi.advanceTimersByTimeAsync(200);
    await expect(call).resolves.toEqual(text('late'));
    expect(calls).toEqual(['start', 'end true']);
    expect(seen.map((s) => s.status)).toEqual(['working', 'completed']);
    expect(seen[1]).toMatchObject({ task: true, server: 'a', tool: 'echo', result: text('late') });
    await client.close();
  });

  it('polls no sooner than the pollIntervalMs of the previous answer, and follows its changes', async () => {
    const { client, server } = await harness();
    server.pollIntervalMs = 300;
    const handle = await client.startTool('a', 'echo', { text: 'x' });
    await vi.advanceTimersByTimeAsync(1_500);
    server.pollIntervalMs = 700;
    await vi.advanceTimersByTimeAsync(3_000);
    server.finish('t1');
    await vi.advanceTimersByTimeAsync(700);
    await expect(handle.result()).resolves.toEqual(text('done'));
    const times = server.calls('tasks/get').map((s) => s.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.slice(0, 4).every((g) => g >= 300)).toBe(true);
    expect(gaps.slice(-3).every((g) => g >= 700)).toBe(true);
    await client.close();
  });

  it("input 'manual': pendingInput until respond() (tasks/update), then the result; owner filters", async () => {
    const { client, server } = await harness();
    const handle = await client.startTool('a', 'echo', { text: 'x' }, { input: 'manual', owner: 'alice', label: 'L' });
    expect(handle).toMatchObject({ server: 'a', tool: 'echo', task: true });
    expect(handle.snapshot()).toMatchObject({ status: 'working', owner: 'alice', label: 'L', pendingInput: [] });
    server.ask('t1', { k1: { method: 'elicitation/create', params: { message: 'name?' } } });
    await vi.advanceTimersByTimeAsync(200);
    expect(handle.snapshot()).toMatchObject({
      status: 'input_required',
      pendingInput: [{ key: 'k1', method: 'elicitation/create', params: { message: 'name?' } }],
    });
    expect(server.calls('answer')).toEqual([]);
    await handle.respond({ k1: { action: 'accept', content: { name: 'x' } } });
    expect(server.calls('tasks/update').map((s) => s.keys)).toEqual([['k1']]);
    expect(handle.snapshot().pendingInput).toEqual([]);
    server.finish('t1');
    await vi.advanceTimersByTimeAsync(200);
    await expect(handle.result()).resolves.toEqual(text('done'));
    expect(client.tasks({ owner: 'alice' }).map((s) => s.id)).toEqual([handle.id]);
    expect(client.tasks({ owner: 'bob' })).toEqual([]);
    expect(client.task(handle.id).snapshot().status).toBe('completed');
    await client.close();
  });

  it("input 'handlers': the handlers answer each key once, across polls", async () => {
    const { client, server } = await harness();
    const handle = await client.startTool('a', 'echo', {});
    const k1 = { method: 'elicitation/create', params: { message: 'one' } };
    server.ask('t1', { k1 });
    await vi.advanceTimersByTimeAsync(200);
    await vi.advanceTimersByTimeAsync(400); // the server still lists k1 (slow): not answered again
    server.ask('t1', { k1, k2: { method: 'elicitation/create', params: { message: 'two' } } });
    await vi.advanceTimersByTimeAsync(400);
    expect(server.calls('answer').map((s) => s.keys)).toEqual([['k1'], ['k2']]);
    await handle.cancel();
    await client.close();
  });

  it('cancel() sends tasks/cancel once and ends the task cancelled (CANCELLED), task:end once', async () => {
    const { client, server } = await harness();
    const ends: TaskSnapshot[] = [];
    client.on('task:end', (s) => ends.push(s));
    const handle = await client.startTool('a', 'echo', {});
    const result = handle.result().catch((e: unknown) => e);
    await handle.cancel();
    await handle.cancel();
    expect(server.calls('tasks/cancel')).toHaveLength(1);
    expect(await result).toMatchObject({ code: ErrorCode.CANCELLED });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ status: 'cancelled', error: { code: ErrorCode.CANCELLED } });
    expect(server.calls('tasks/get')).toHaveLength(0);
    await client.close();
  });

  it('a failed task rejects PROTOCOL_ERROR with its rpcCode', async () => {
    const { client, server } = await harness();
    const handle = await client.startTool('a', 'echo', {});
    server.fail('t1', -32000, 'boom');
    await vi.advanceTimersByTimeAsync(200);
    await expect(handle.result()).rejects.toMatchObject({ code: ErrorCode.PROTOCOL_ERROR, rpcCode: -32000 });
    expect(handle.snapshot()).toMatchObject({ status: 'failed', error: { rpcCode: -32000 } });
    await client.close();
  });

  it('deadlineMs bounds the whole task: TIMEOUT, and tasks/cancel is sent', async () => {
    const { client, server } = await harness();
    const call = client.callTool('a', 'echo', {}, { deadlineMs: 1_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await call).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'deadline' } });
    expect(server.calls('tasks/cancel')).toHaveLength(1);
    expect(client.tasks()[0]).toMatchObject({ status: 'cancelled', error: { code: ErrorCode.TIMEOUT } });
    await client.close();
  });

  it("aborting cancels the task; with onAbort 'detach' it keeps running, polled and listed", async () => {
    const { client, server } = await harness();
    const cancelling = new AbortController();
    const cancelled = client.callTool('a', 'echo', {}, { signal: cancelling.signal }).catch((e: unknown) => e);
    await flush();
    cancelling.abort();
    expect(await cancelled).toMatchObject({ code: ErrorCode.CANCELLED });
    await flush();
    expect(server.calls('tasks/cancel').map((s) => s.taskId)).toEqual(['t1']);

    const detaching = new AbortController();
    const detached = client
      .callTool('a', 'echo', {}, { signal: detaching.signal, onAbort: 'detach' })
      .catch((e: unknown) => e);
    await flush();
    detaching.abort();
    expect(await detached).toMatchObject({ code: ErrorCode.CANCELLED });
    const before = server.calls('tasks/get').filter((s) => s.taskId === 't2').length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls('tasks/get').filter((s) => s.taskId === 't2').length).toBeGreaterThan(before);
    expect(server.calls('tasks/cancel').map((s) => s.taskId)).toEqual(['t1']);
    const listed = client.tasks().find((s) => s.status === 'working');
    expect(listed).toMatchObject({ tool: 'echo', task: true });
    server.finish('t2');
    await vi.advanceTimersByTimeAsync(200);
    await expect(client.task(listed!.id).result()).resolves.toEqual(text('done'));
    await client.close();
  });

  it('a sync answer gives a completed handle (task: false); an unknown id is TASK_NOT_FOUND', async () => {
    const { client } = await harness();
    const handle = await client.startTool('a', 'read', {});
    expect(handle.task).toBe(false);
    expect(handle.snapshot()).toMatchObject({ status: 'completed', task: false, result: text('at once') });
    await expect(handle.result()).resolves.toEqual(text('at once'));
    await expect(client.callTool('a', 'read', {})).resolves.toEqual(text('at once'));
    expect(() => client.task('nope')).toThrow(expect.objectContaining({ code: ErrorCode.TASK_NOT_FOUND }));
    await client.close();
  });

  it('after a restart the task is polled on the new session; a server that kept nothing: TASK_LOST', async () => {
    const { client, fake, server } = await harness();
    const kept = await client.startTool('a', 'echo', {});
    client.restartServer('a');
    await vi.advanceTimersByTimeAsync(50);
    fake.attempts[1]!.resolve();
    await vi.advanceTimersByTimeAsync(200); // polled pollIntervalMs after the last answer, on the new session
    expect(server.calls('tasks/get').at(-1)).toMatchObject({ taskId: 't1', session: 1 });
    server.finish('t1');
    await vi.advanceTimersByTimeAsync(200);
    await expect(kept.result()).resolves.toEqual(text('done'));

    const lost = await client.startTool('a', 'echo', {});
    client.restartServer('a');
    server.forget();
    await vi.advanceTimersByTimeAsync(50);
    fake.attempts[2]!.resolve();
    await vi.advanceTimersByTimeAsync(200);
    const err = (await lost.result().catch((e: unknown) => e)) as UniversalMcpError;
    expect(err).toMatchObject({ code: ErrorCode.TASK_LOST });
    expect(lost.snapshot()).toMatchObject({ status: 'lost', error: { code: ErrorCode.TASK_LOST } });
    await client.close();
  });

  it('a new client resumes a stored task (answered keys kept) and the store forgets it once delivered', async () => {
    const store = new MemoryTaskStore();
    const first = await harness({ tasks: store });
    const handle = await first.client.startTool('a', 'echo', {}, { label: 'mine', owner: 'o' });
    first.server.ask('t1', { k1: { method: 'elicitation/create', params: {} } });
    await vi.advanceTimersByTimeAsync(200);
    await first.client.close();
    const [record] = await store.list();
    expect(record).toMatchObject({
      id: handle.id,
      server: 'a',
      taskId: 't1',
      tool: 'echo',
      label: 'mine',
      owner: 'o',
      status: 'input_required',
      answeredKeys: ['k1'],
    });
    expect(Object.keys(record!)).not.toContain('result');

    const second = await harness({ tasks: store }, false);
    // The same server's tasks (2026 HTTP: they outlive the client), as the first client left them.
    for (const [id, task] of first.server.tasks) second.server.tasks.set(id, task);
    const adding = second.client.addServer({ name: 'a', transport: 'stdio', command: 'unused' });
    await flush();
    second.fake.attempts[0]!.resolve();
    await adding;
    await vi.advanceTimersByTimeAsync(0);
    const resumed = second.client.task(handle.id);
    expect(resumed.snapshot()).toMatchObject({ label: 'mine', owner: 'o' });
    await vi.advanceTimersByTimeAsync(400);
    expect(second.server.calls('answer')).toEqual([]); // k1 was answered by the first client
    second.server.finish('t1');
    await vi.advanceTimersByTimeAsync(200);
    await expect(resumed.result()).resolves.toEqual(text('done'));
    await flush();
    expect(await store.list()).toEqual([]);
    await second.client.close();
  });

  it("a removed server's tasks end lost (server-removed) and leave the store", async () => {
    const store = new MemoryTaskStore();
    const { client } = await harness({ tasks: store });
    const handle = await client.startTool('a', 'echo', {});
    await client.removeServer('a');
    await expect(handle.result()).rejects.toMatchObject({
      code: ErrorCode.TASK_LOST,
      details: { reason: 'server-removed' },
    });
    await flush();
    expect(await store.list()).toEqual([]);
    await client.close();
  });

  it('writes the store on create and status changes only, never per poll', async () => {
    const inner = new MemoryTaskStore();
    const puts: TaskRecord['status'][] = [];
    const store: TaskStore = {
      put: (r) => (puts.push(r.status), inner.put(r)),
      get: (s, t) => inner.get(s, t),
      delete: (s, t) => inner.delete(s, t),
      list: (s) => inner.list(s),
    };
    const { client, server } = await harness({ tasks: store });
    const handle = await client.startTool('a', 'echo', {}, { input: 'manual' });
    server.say('t1', 'step 1');
    await vi.advanceTimersByTimeAsync(2_000); // ten polls, a message change
    expect(puts).toEqual(['working']);
    server.ask('t1', { k: { method: 'elicitation/create', params: {} } });
    await vi.advanceTimersByTimeAsync(200);
    expect(puts).toEqual(['working', 'input_required']);
    await handle.cancel();
    await client.close();
  });

  it(`keeps at most ${MAX_POLLS_PER_SERVER} polls of a server in flight`, async () => {
    const { client, server } = await harness({ defaults: { queue: { concurrency: 100 } } });
    // Every exchange listens on the client's one closing signal: more than 10 at once must not make Node print
    // a MaxListenersExceededWarning on the user's stderr (the listeners are removed; it is not a leak).
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    server.getDelayMs = 150;
    const handles = await Promise.all(Array.from({ length: 40 }, () => client.startTool('a', 'echo', {})));
    await vi.advanceTimersByTimeAsync(2_000);
    await new Promise((r) => process.nextTick(r));
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    expect(server.maxInFlight).toBe(MAX_POLLS_PER_SERVER);
    const polled = new Set(server.calls('tasks/get').map((s) => s.taskId));
    expect(polled.size).toBe(40);
    await Promise.all(handles.map((h) => h.cancel()));
    await client.close();
  });

  it('refuses a label or owner the store cannot keep; a server that stops serving tasks ends them lost', async () => {
    const { client, fake, server } = await harness();
    await expect(client.startTool('a', 'echo', {}, { label: 'x'.repeat(300) })).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
      details: { field: 'label' },
    });
    expect(server.calls('tools/call')).toEqual([]);
    const handle = await client.startTool('a', 'echo', {});
    fake.era = { era: '2026-07-28', protocolVersion: '2026-07-28' }; // the next connection has no tasks
    client.restartServer('a');
    await vi.advanceTimersByTimeAsync(50);
    fake.attempts[1]!.resolve();
    await vi.advanceTimersByTimeAsync(200);
    await expect(handle.result()).rejects.toMatchObject({
      code: ErrorCode.TASK_LOST,
      details: { reason: 'unsupported' },
    });
    await client.close();
  });

  it('a stored task whose server is not in the config ends lost (server-removed) when fromConfig starts', async () => {
    const store = new MemoryTaskStore();
    const record: TaskRecord = {
      id: 'local-1',
      server: 'gone',
      taskId: 't9',
      era: '2026-07-28',
      tool: 'echo',
      createdAt: Date.now(),
      lastSeenAt: Date.now(),
      expiresAt: null,
      status: 'working',
    };
    await store.put(record);
    const fake = fakeConnection();
    const client = await UniversalMcpClient.fromConfig({ mcpServers: { a: { command: 'unused' } } }, {
      tasks: store,
      waitForReady: false,
      [MACHINE]: fake.machine,
    } as never);
    await flush();
    expect(client.task('local-1').snapshot()).toMatchObject({
      status: 'lost',
      error: { code: ErrorCode.TASK_LOST },
    });
    expect(await store.list()).toEqual([]);
    await client.close();
  });

  it('input the handlers cannot answer is asked once, then waits in pendingInput for respond()', async () => {
    const { client, server } = await harness();
    server.answerError = new UniversalMcpError(ErrorCode.INVALID_RESULT, 'no elicitation handler', {
      details: { reason: 'missing-handler' },
    });
    const handle = await client.startTool('a', 'echo', {});
    server.ask('t1', { k: { method: 'elicitation/create', params: {} } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls('answer')).toHaveLength(1);
    expect(handle.snapshot()).toMatchObject({ status: 'input_required', pendingInput: [{ key: 'k' }] });
    await handle.respond({ k: { action: 'decline' } });
    expect(server.calls('tasks/update').map((s) => s.keys)).toEqual([['k']]);
    await handle.cancel();
    await client.close();
  });

  it('a given-up server: waiting callers reject SERVER_UNAVAILABLE; the task stays stored and resumes', async () => {
    const store = new MemoryTaskStore();
    const { client, fake, server } = await harness({ tasks: store }, true, { restart: 'transient' });
    const call = client.callTool('a', 'echo', {}).catch((e: unknown) => e);
    await flush();
    const handle = await client.startTool('a', 'echo', {});
    const exit = { code: 0, signal: null };
    fake.lose({ type: 'connection.lost', error: new UniversalMcpError(ErrorCode.CONNECTION_LOST, 'gone', { exit }) });
    await vi.advanceTimersByTimeAsync(100);
    expect(await call).toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE, details: { reason: 'given-up' } });
    await expect(handle.result()).rejects.toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE });
    expect((await store.list()).map((r) => r.taskId).sort()).toEqual(['t1', 't2']);
    client.restartServer('a');
    await vi.advanceTimersByTimeAsync(50);
    fake.attempts[1]!.resolve();
    await flush();
    const result = handle.result();
    server.finish('t2');
    await vi.advanceTimersByTimeAsync(400);
    await expect(result).resolves.toEqual(text('done'));
    await client.close();
  });

  it("a 2025 task in input 'manual' opens tasks/result (answerTask) and its caller: the server asks then", async () => {
    const { client, fake, server } = await harness({}, false);
    Object.assign(fake.era, { era: '2025-11-25', protocolVersion: '2025-11-25' });
    const adding = client.addServer({ name: 'a', transport: 'stdio', command: 'unused' });
    await flush();
    fake.attempts[0]!.resolve();
    await adding;
    const handle = await client.startTool('a', 'echo', {}, { input: 'manual', caller: 'alice' });
    server.ask('t1', {}); // 2025: input_required, the requests come over tasks/result
    await vi.advanceTimersByTimeAsync(200);
    expect(server.calls('answer')[0]).toMatchObject({ taskId: 't1', caller: 'alice' });
    await handle.cancel();
    await client.close();
  });

  it('a completed task whose snapshot was read leaves the store (the gateway reads snapshots only)', async () => {
    const store = new MemoryTaskStore();
    const { client, server } = await harness({ tasks: store });
    const handle = await client.startTool('a', 'echo', {}, { input: 'manual' });
    server.finish('t1');
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(await store.list()).toHaveLength(1); // ended, result not read yet: still resumable
    expect(client.task(handle.id).snapshot()).toMatchObject({ status: 'completed', result: text('done') });
    await flush();
    expect(await store.list()).toEqual([]);
    await client.close();
  });

  it('no task id in a log line or an error message (ids are bearer tokens)', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const { client, server } = await harness({ logger });
    const onTaskStatus = (): void => {
      throw new Error('listener bug');
    };
    const handle = await client.startTool('a', 'echo', {}, { onTaskStatus });
    server.say('t1', 'step 2');
    await vi.advanceTimersByTimeAsync(200);
    expect(lines.filter((l) => l.includes('onTaskStatus threw'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes(handle.id))).toEqual([]);
    const err = (() => {
      try {
        client.task('secret-task-id');
      } catch (e) {
        return e as UniversalMcpError;
      }
    })();
    expect(err).toMatchObject({ code: ErrorCode.TASK_NOT_FOUND, details: { id: 'secret-task-id' } });
    expect(err?.message).not.toContain('secret-task-id');
    await client.close();
  });

  it('an answer costs no extra poll (tasks/get waits pollIntervalMs); unasked keys are not sent', async () => {
    const { client, server } = await harness();
    const handle = await client.startTool('a', 'echo', {}, { input: 'manual' });
    server.ask('t1', { k1: { method: 'elicitation/create', params: {} } });
    await vi.advanceTimersByTimeAsync(200);
    const polls = server.calls('tasks/get').length;
    await handle.respond({ nope: { action: 'decline' } });
    expect(server.calls('tasks/update')).toEqual([]);
    await handle.respond({ k1: { action: 'decline' } });
    await flush();
    expect(server.calls('tasks/update').map((s) => s.keys)).toEqual([['k1']]);
    expect(server.calls('tasks/get')).toHaveLength(polls);
    await vi.advanceTimersByTimeAsync(200);
    expect(server.calls('tasks/get')).toHaveLength(polls + 1);
    await handle.cancel();
    await client.close();
  });

  it('removing a server leaves the stored tasks of servers not added yet alone', async () => {
    const store = new MemoryTaskStore();
    const now = Date.now();
    const base = { era: '2026-07-28', tool: 'echo', createdAt: now, lastSeenAt: now, expiresAt: null } as const;
    await store.put({ ...base, id: 'local-c', server: 'c', taskId: 't9', status: 'working' });
    const { client } = await harness({ tasks: store });
    await client.removeServer('a');
    expect(client.task('local-c').snapshot().status).toBe('working');
    expect((await store.list()).map((r) => r.id)).toEqual(['local-c']);
    await client.close();
  });
});
