import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, UniversalMcpError, isUniversalMcpError } from '../src/errors.js';
import type { TaskStateWithResult } from '../src/session-types.js';
import { pollTask, type TaskPollSession } from '../src/task-poller.js';
import type { TaskInputRequest } from '../src/task-wire.js';

// The poller's arithmetic with fake timers and a scripted session (the real-server paths are in
// task-session.test.ts): when it polls, what it answers, how it ends.

const base: TaskStateWithResult = {
  taskId: 't-1',
  status: 'working',
  createdAt: '2026-12-05T00:00:00Z',
  lastUpdatedAt: '2026-12-05T00:00:00Z',
  ttlMs: 60_000,
  pollIntervalMs: 1_000,
};
const done: TaskStateWithResult = { ...base, status: 'completed', result: { content: [{ type: 'text', text: 'ok' }] } };

/** A session answering each tasks/get with the next scripted state, after `latencyMs`; records when polls go out. */
function scripted(states: TaskStateWithResult[], latencyMs = 0, era: '2026-07-28' | '2025-11-25' = '2026-07-28') {
  const polls: number[] = [];
  const answers: Readonly<Record<string, TaskInputRequest>>[] = [];
  const cancelled: string[] = [];
  const session: TaskPollSession = {
    server: 'fake',
    era,
    getTask: vi.fn(async () => {
      polls.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const next = states.shift();
      if (next === undefined) throw new Error('no more states');
      return next;
    }),
    answerTask: vi.fn(async (_id: string, requests: Readonly<Record<string, TaskInputRequest>>) => {
      answers.push(requests);
    }),
    cancelTask: vi.fn(async (id: string) => {
      cancelled.push(id);
    }),
  };
  return { session, polls, answers, cancelled };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('pollTask', () => {
  it('polls no sooner than pollIntervalMs after the previous answer (the interval may change)', async () => {
    const { session, polls } = scripted([base, { ...base, pollIntervalMs: 3_000 }, base, done], 400);
    const result = pollTask(session, base, 'tool', { timeoutMs: 500 });
    await vi.runAllTimersAsync();
    expect((await result).content).toEqual([{ type: 'text', text: 'ok' }]);
    // First poll 1 s after the create answer (t=0); each answer comes 400 ms after its poll.
    expect(polls).toEqual([1_000, 2_400, 5_800, 7_200]);
  });

  it('passes the per-exchange timeout to every poll', async () => {
    const { session } = scripted([done]);
    const result = pollTask(session, base, 'tool', { timeoutMs: 500 });
    await vi.runAllTimersAsync();
    await result;
    expect(session.getTask).toHaveBeenCalledWith('t-1', 'tool', expect.objectContaining({ timeoutMs: 500 }));
  });

  it('answers input_required with only the keys not answered before', async () => {
    const ask = (keys: string[]): TaskStateWithResult => ({
      ...base,
      status: 'input_required',
      inputRequests: Object.fromEntries(keys.map((k) => [k, { method: 'elicitation/create', params: {} }])),
    });
    const { session, answers } = scripted([ask(['a', 'b']), ask(['b', 'c']), done]);
    const result = pollTask(session, ask(['a']), 'tool', { timeoutMs: 500 });
    await vi.runAllTimersAsync();
    await result;
    expect(answers.map((a) => Object.keys(a))).toEqual([['a'], ['b'], ['c']]);
  });

  it('2025: input_required opens tasks/result once (answerTask with no keys)', async () => {
    const waiting: TaskStateWithResult = { ...base, status: 'input_required' };
    const { session, answers } = scripted([waiting, done], 0, '2025-11-25');
    const result = pollTask(session, waiting, 'tool', { timeoutMs: 500 });
    await vi.runAllTimersAsync();
    await result;
    expect(answers).toEqual([{}]);
  });

  it('2025: a tasks/result that outlasts timeoutMs does not cancel the task: polling goes on to the end', async () => {
    const waiting: TaskStateWithResult = { ...base, status: 'input_required' };
    const { session, cancelled, polls } = scripted([waiting, base, base, done], 0, '2025-11-25');
    const signals: (AbortSignal | undefined)[] = [];
    // The server holds tasks/result open until the task ends: the request path times it out first.
    (session.answerTask as ReturnType<typeof vi.fn>).mockImplementation(
      (_id: string, _r: unknown, options: { timeoutMs?: number; signal?: AbortSignal }) => {
        signals.push(options.signal);
        const timeout = new UniversalMcpError(ErrorCode.TIMEOUT, 'idle', { details: { kind: 'idle', ms: 500 } });
        return new Promise((_resolve, reject) => {
          // The first times out; the second stays open until the poll, over, aborts it.
          if (signals.length === 1) setTimeout(() => reject(timeout), options.timeoutMs);
          else options.signal?.addEventListener('abort', () => reject(options.signal?.reason as Error));
        });
      },
    );
    const result = pollTask(session, waiting, 'tool', { timeoutMs: 500 });
    await vi.runAllTimersAsync();
    expect((await result).content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(cancelled).toEqual([]);
    expect(polls).toEqual([1_000, 2_000, 3_000, 4_000]);
    // Reopened once the first timed out and the task asked again; the open one aborted once the poll was over.
    expect(signals.map((s) => s?.aborted)).toEqual([false, true]);
  });

  it('error messages carry no task id (a bearer token): details.taskId does', async () => {
    const failed = scripted([{ ...base, status: 'failed', error: { code: -32603, message: 'boom' } }]);
    const a = pollTask(failed.session, base, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    const cancelled = scripted([{ ...base, status: 'cancelled' }]);
    const b = pollTask(cancelled.session, base, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    const short: TaskStateWithResult = { ...base, ttlMs: 1_500 };
    const expiring = scripted([short, short, short]);
    const c = pollTask(expiring.session, short, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    for (const err of [await a, await b, await c]) {
      expect(err).toBeInstanceOf(UniversalMcpError);
      expect((err as UniversalMcpError).message).not.toContain('t-1');
    }
    expect(((await a) as UniversalMcpError).details).toMatchObject({ taskId: 't-1' });
    expect(((await c) as UniversalMcpError).details).toMatchObject({ taskId: 't-1' });
  });

  it('failed → PROTOCOL_ERROR with the rpcCode and the task id; cancelled → CANCELLED', async () => {
    const failed = scripted([{ ...base, status: 'failed', error: { code: -32603, message: 'boom' } }]);
    const a = pollTask(failed.session, base, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    const cancelled = scripted([{ ...base, status: 'cancelled' }]);
    const b = pollTask(cancelled.session, base, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const err = await a;
    expect(isUniversalMcpError(err, ErrorCode.PROTOCOL_ERROR) && err.rpcCode).toBe(-32603);
    expect((err as UniversalMcpError).details).toEqual({ reason: 'task_failed', taskId: 't-1' });
    expect(isUniversalMcpError(await b, ErrorCode.CANCELLED)).toBe(true);
    expect([...failed.cancelled, ...cancelled.cancelled]).toEqual([]);
  });

  it('an abort during the wait cancels the task (best effort) and rejects with the abort', async () => {
    const { session, cancelled, polls } = scripted([base, base, done]);
    const controller = new AbortController();
    const result = pollTask(session, base, 'tool', { timeoutMs: 500, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1_500);
    controller.abort();
    await vi.runAllTimersAsync();
    expect(isUniversalMcpError(await result, ErrorCode.CANCELLED)).toBe(true);
    expect(cancelled).toEqual(['t-1']);
    expect(polls).toEqual([1_000]);
  });

  it('an abort with a typed reason (a deadline) rejects with that reason', async () => {
    const { session, cancelled } = scripted([base, done]);
    const controller = new AbortController();
    const result = pollTask(session, base, 'tool', { timeoutMs: 500, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    const deadline = new UniversalMcpError(ErrorCode.TIMEOUT, 'deadline', { details: { kind: 'deadline', ms: 1 } });
    controller.abort(deadline);
    await vi.runAllTimersAsync();
    expect(await result).toBe(deadline);
    expect(cancelled).toEqual(['t-1']);
  });

  it('a poll that fails (a timeout) cancels the task: no one else holds its id', async () => {
    const { session, cancelled } = scripted([base]);
    const timeout = new UniversalMcpError(ErrorCode.TIMEOUT, 'idle', { details: { kind: 'idle', ms: 500 } });
    (session.getTask as ReturnType<typeof vi.fn>).mockRejectedValueOnce(timeout);
    const result = pollTask(session, base, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBe(timeout);
    expect(cancelled).toEqual(['t-1']);
  });

  it('past its ttlMs (on our clock, from the create answer) the task is TASK_LOST (expired)', async () => {
    const short: TaskStateWithResult = { ...base, ttlMs: 2_500 };
    const { session, polls } = scripted([short, short, short, short]);
    const result = pollTask(session, short, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const err = await result;
    expect(isUniversalMcpError(err, ErrorCode.TASK_LOST) && err.details).toEqual({
      taskId: 't-1',
      server: 'fake',
      reason: 'expired',
    });
    expect(polls).toEqual([1_000, 2_000, 3_000]);
  });

  it('a lost task ends the poll with TASK_LOST, leaving no timer and cancelling nothing', async () => {
    const { session, cancelled } = scripted([base]);
    (session.getTask as ReturnType<typeof vi.fn>).mockRejectedValueOnce(
      new UniversalMcpError(ErrorCode.TASK_LOST, 'lost', { details: { taskId: 't-1', reason: 'not-found' } }),
    );
    const result = pollTask(session, base, 'tool', { timeoutMs: 500 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(isUniversalMcpError(await result, ErrorCode.TASK_LOST)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(cancelled).toEqual([]);
  });
});
