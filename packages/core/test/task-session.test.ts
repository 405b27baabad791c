import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, isUniversalMcpError, UniversalMcpError } from '../src/errors.js';
import type { ClientHandlers } from '../src/handlers.js';
import { requestHeaders } from '../src/request-envelope.js';
import { completeOnly } from '../src/result-checks.js';
import { McpSession } from '../src/session.js';
import type { ServerConfig } from '../src/config.js';
import type { OpenSessionOptions, RequestOptions, TaskStateWithResult } from '../src/session-types.js';

// Session tasks against the repo's real task fixtures over stdio: test/fixtures/tasks-server.mjs (SDK v2,
// the 2026-07-28 Tasks extension) and tasks-server-2025.mjs (SDK v1, 2025-11-25 experimental tasks).

const fixture = (file: string): string => fileURLToPath(new URL(`../../../test/fixtures/${file}`, import.meta.url));
const TASKS_FIXTURE = fixture('tasks-server.mjs');
const TASKS_FIXTURE_2025 = fixture('tasks-server-2025.mjs');
const TIMEOUT = 15_000;
const request: RequestOptions = { timeoutMs: TIMEOUT };
let sessions: McpSession[] = [];
let children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  sessions = [];
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
  children = [];
});

/** The 2026 fixture over Streamable HTTP on 127.0.0.1 (it prints its URL); stopped after the test. */
async function startHttpFixture(): Promise<string> {
  const child = spawn(process.execPath, [TASKS_FIXTURE, '--http'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  let out = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    out += chunk.toString();
    const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out)?.[1];
    if (url !== undefined) {
      child.stdout?.resume();
      return url;
    }
  }
  throw new Error(`the fixture printed no URL: ${out}`);
}

async function open(
  entry: string,
  options: Partial<OpenSessionOptions> = {},
  args: readonly string[] = [],
): Promise<McpSession> {
  const config = {
    name: 'tasks',
    transport: 'stdio',
    command: process.execPath,
    args: [entry, ...args],
  } as ServerConfig;
  const session = await McpSession.open(config, { timeoutMs: TIMEOUT, ...options });
  sessions.push(session);
  return session;
}

/** Polls until the task leaves `working` (or `input_required`, when `through` says so), at the task's interval. */
async function until(
  session: McpSession,
  taskId: string,
  tool: string,
  done: (state: TaskStateWithResult) => boolean,
): Promise<TaskStateWithResult> {
  for (let i = 0; i < 200; i += 1) {
    const state = await session.getTask(taskId, tool, request);
    if (done(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, state.pollIntervalMs));
  }
  throw new Error(`task ${taskId} never got there`);
}

const textOf = (result: { content: unknown[] } | undefined): string =>
  (result?.content as { type: string; text?: string }[] | undefined)?.map((c) => c.text ?? '').join('') ?? '';

const confirmYes: ClientHandlers = {
  elicitation: async () => ({ action: 'accept', content: { confirm: 'yes', name: 'Luca' } }),
};

describe('2026-07-28 tasks (tasks-server.mjs over stdio)', () => {
  it('declares the Tasks extension on its requests: a task-only tool runs as a task', async () => {
    const session = await open(TASKS_FIXTURE);
    expect(session.tasks).toBe(true);
    const outcome = await session.startTool('failing_job', {}, request);
    expect(outcome.kind).toBe('task');
  });

  it('without the declaration (tasks: false) the server refuses a task-only tool (-32021)', async () => {
    const session = await open(TASKS_FIXTURE, { tasks: false });
    expect(session.tasks).toBe(false);
    const err = await session.startTool('failing_job', {}, request).catch((e: unknown) => e);
    expect(isUniversalMcpError(err, ErrorCode.PROTOCOL_ERROR) && err.rpcCode).toBe(-32021);
  });

  it('startTool answers a task; getTask follows it to completed with the checked result', async () => {
    const session = await open(TASKS_FIXTURE);
    const outcome = await session.startTool('slow_compute', { seconds: 0.3, label: 'sum' }, request);
    if (outcome.kind !== 'task') throw new Error('expected a task');
    expect(outcome.task.status).toBe('working');
    const done = await until(session, outcome.task.taskId, 'slow_compute', (s) => s.status !== 'working');
    expect(done.status).toBe('completed');
    expect(textOf(done.result)).toBe('sum: done after 0.3s');
  });

  it('a synchronous tool still answers complete', async () => {
    const session = await open(TASKS_FIXTURE);
    const outcome = await session.startTool('greet', { name: 'Ada' }, request);
    expect(outcome.kind === 'complete' && textOf(outcome.result)).toBe('Hello, Ada!');
  });

  it('answerTask answers input_required with the session handlers, then tasks/update', async () => {
    const seen: unknown[] = [];
    const session = await open(TASKS_FIXTURE, {
      handlers: {
        elicitation: async (params, context) => {
          seen.push({ message: params.message, key: context.inputKey, caller: context.caller });
          return { action: 'accept', content: { confirm: 'yes' } };
        },
      },
    });
    const outcome = await session.startTool('confirm_delete', {}, request);
    if (outcome.kind !== 'task') throw new Error('expected a task');
    const waiting = await until(session, outcome.task.taskId, 'confirm_delete', (s) => s.status !== 'working');
    expect(waiting.status).toBe('input_required');
    expect(Object.keys(waiting.inputRequests ?? {})).toEqual(['confirm']);
    await session.answerTask(outcome.task.taskId, waiting.inputRequests ?? {}, { ...request, caller: 'alice' });
    expect(seen).toEqual([{ message: 'Delete it? (yes/no)', key: 'confirm', caller: 'alice' }]);
    const done = await until(session, outcome.task.taskId, 'confirm_delete', (s) => s.status === 'completed');
    expect(textOf(done.result)).toBe('Deleted');
  });

  it('cancelTask is acknowledged and the task ends cancelled', async () => {
    const session = await open(TASKS_FIXTURE);
    const outcome = await session.startTool('long_task', { seconds: 30 }, request);
    if (outcome.kind !== 'task') throw new Error('expected a task');
    await session.cancelTask(outcome.task.taskId, request);
    const done = await until(session, outcome.task.taskId, 'long_task', (s) => s.status !== 'working');
    expect(done.status).toBe('cancelled');
  });

  it('a task id the server does not know is TASK_LOST', async () => {
    const session = await open(TASKS_FIXTURE);
    const err = await session.getTask('tasks-conformance-nonexistent-12345', 'greet', request).catch((e: unknown) => e);
    expect(isUniversalMcpError(err, ErrorCode.TASK_LOST)).toBe(true);
    expect((err as UniversalMcpError).details).toEqual({
      taskId: 'tasks-conformance-nonexistent-12345',
      server: 'tasks',
      reason: 'not-found',
    });
    // The id is a bearer token: it stays out of the message (which reaches logs and snapshots).
    expect((err as UniversalMcpError).message).not.toContain('nonexistent');
  });

  it('callTool polls a 2-second task to its end through a 500 ms timeout per exchange', async () => {
    const session = await open(TASKS_FIXTURE);
    const result = await session.callTool('long_task', { seconds: 2, label: 'long' }, { timeoutMs: 500 });
    expect(textOf(result)).toBe('long: done after 2s');
  });

  it('callTool: a failed task rejects PROTOCOL_ERROR with its rpcCode and the task id', async () => {
    const session = await open(TASKS_FIXTURE);
    const err = await session.callTool('protocol_error_job', {}, request).catch((e: unknown) => e);
    expect(isUniversalMcpError(err, ErrorCode.PROTOCOL_ERROR) && err.rpcCode).toBe(-32603);
    expect((err as UniversalMcpError).details).toMatchObject({ reason: 'task_failed' });
  });

  it('callTool: an MRTR round, then a task (test_tool_with_task)', async () => {
    const session = await open(TASKS_FIXTURE, { handlers: confirmYes });
    const result = await session.callTool('test_tool_with_task', {}, request);
    expect(textOf(result)).toBe('Hello, Luca! Task done.');
  });

  it('callTool answers task input with the handlers, each key once (multi_input)', async () => {
    const keys: (string | undefined)[] = [];
    const session = await open(TASKS_FIXTURE, {
      handlers: {
        elicitation: async (_params, context) => {
          keys.push(context.inputKey);
          return { action: 'accept', content: { name: 'Ada', color: 'blue' } };
        },
      },
    });
    const result = await session.callTool('multi_input', {}, request);
    expect(textOf(result)).toContain('answers:');
    expect(keys.sort()).toEqual(['color', 'name']);
  });

  it('callTool: an aborted signal cancels the task and rejects CANCELLED', async () => {
    const session = await open(TASKS_FIXTURE);
    const controller = new AbortController();
    const call = session.callTool('long_task', { seconds: 30 }, { ...request, signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const err = await call.catch((e: unknown) => e);
    expect(isUniversalMcpError(err, ErrorCode.CANCELLED)).toBe(true);
  });
});

describe('2026-07-28 tasks over Streamable HTTP (the server checks Mcp-Name on tasks/*)', () => {
  it('callTool polls, answers input and cancels through tasks/* with the task id as Mcp-Name', async () => {
    const url = await startHttpFixture();
    const config = { name: 'tasks', transport: 'streamable_http', url } as ServerConfig;
    const session = await McpSession.open(config, { timeoutMs: TIMEOUT, handlers: confirmYes });
    sessions.push(session);
    expect(textOf(await session.callTool('slow_compute', { seconds: 0.3, label: 'h' }, request))).toBe(
      'h: done after 0.3s',
    );
    expect(textOf(await session.callTool('confirm_delete', {}, request))).toBe('Deleted');
    const outcome = await session.startTool('long_task', { seconds: 30 }, request);
    if (outcome.kind !== 'task') throw new Error('expected a task');
    await session.cancelTask(outcome.task.taskId, request);
    const err = await session.getTask('no-such-task', 'greet', request).catch((e: unknown) => e);
    expect(isUniversalMcpError(err, ErrorCode.TASK_LOST)).toBe(true);
  });
});

describe('2025-11-25 tasks (tasks-server-2025.mjs over stdio)', () => {
  it('startTool asks for a task for an optional tool only when wanted, and getTask fetches the result', async () => {
    const session = await open(TASKS_FIXTURE_2025);
    expect(session.tasks).toBe(true);
    await session.listTools(request);
    const sync = await session.startTool('long_task', { seconds: 0 }, request);
    expect(sync.kind).toBe('complete');
    const outcome = await session.startTool('long_task', { seconds: 0.3 }, { ...request, wantTask: true });
    if (outcome.kind !== 'task') throw new Error('expected a task');
    const done = await until(session, outcome.task.taskId, 'long_task', (s) => s.status !== 'working');
    expect(done.status).toBe('completed');
    expect(done.result?.content.length).toBeGreaterThan(0);
  });

  it('answerTask opens tasks/result, which ends with the task (2025 servers send input requests on it)', async () => {
    const session = await open(TASKS_FIXTURE_2025);
    await session.listTools(request);
    const outcome = await session.startTool('long_task', { seconds: 0.5 }, { ...request, wantTask: true });
    if (outcome.kind !== 'task') throw new Error('expected a task');
    await session.answerTask(outcome.task.taskId, {}, request);
    const state = await session.getTask(outcome.task.taskId, 'long_task', request);
    expect(state.status).toBe('completed');
    await expect(session.updateTask(outcome.task.taskId, { k: {} }, request)).rejects.toThrow(/answerTask/);
  });

  it('greet (taskSupport forbidden) never becomes a task; a required tool always does (callTool polls)', async () => {
    const session = await open(TASKS_FIXTURE_2025);
    await session.listTools(request);
    const greet = await session.startTool('greet', { name: 'Ada' }, { ...request, wantTask: true });
    expect(greet.kind).toBe('complete');
    const off = await open(TASKS_FIXTURE_2025, { tasks: false });
    await off.listTools(request);
    expect(off.tasks).toBe(false);
    const plain = await off.startTool('long_task', { seconds: 0 }, { ...request, wantTask: true });
    expect(plain.kind).toBe('complete');
    expect(greet.kind).toBe('complete');
    const result = await session.callTool('fail_task', { seconds: 0.2 }, request);
    expect(result.isError).toBe(true);
  });
});

describe('the wire of tasks', () => {
  it('tasks/get|update|cancel carry Mcp-Name: the task id', () => {
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const headers = requestHeaders({
        method,
        params: { taskId: 't-1', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
      });
      expect(headers['Mcp-Name']).toBe('t-1');
    }
  });

  it('a task answer is taken for tools/call only: any other method gets INVALID_RESULT', () => {
    const task = { resultType: 'task', taskId: 't' };
    expect(completeOnly((r) => r, 'tools/call')(task)).toBe(task);
    expect(() => completeOnly((r) => r, 'prompts/get')(task)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_RESULT }),
    );
  });
});
