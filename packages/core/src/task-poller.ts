// `callTool` on a server that made a task of the call: poll it to its end, one exchange at a time, at the
// interval the server asked for (measured from the previous answer), answering its input with the session's
// handlers, each key once. Small on purpose: the supervisor keeps its own, durable poller (startTool + getTask).
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ErrorCode, UniversalMcpError, isUniversalMcpError } from './errors.js';
import { pause } from './input-required.js';
import { PROTOCOL_2026 } from './protocol-era.js';
import type { RequestOptions, Session, TaskStateWithResult } from './session-types.js';
import type { TaskInputRequest, TaskState } from './task-wire.js';

/** What the poller needs of a session. */
export type TaskPollSession = Pick<Session, 'server' | 'era' | 'getTask' | 'answerTask' | 'cancelTask'>;

/**
 * Polls `task` (as `tools/call` of `tool` created it) until it ends: resolves with the completed task's
 * result (`isError: true` included). A failed task rejects `PROTOCOL_ERROR` (`rpcCode`, `details.taskId`), a
 * cancelled one `CANCELLED`, a forgotten one (or one past its `ttlMs`) `TASK_LOST`. `options.timeoutMs` bounds
 * each exchange; the signal aborts the wait, cancels the task (best effort) and rejects as an aborted request
 * does. Any other failure cancels the task too: no one else can reach it.
 */
export async function pollTask(
  session: TaskPollSession,
  task: TaskState,
  tool: string,
  options: RequestOptions,
): Promise<CallToolResult> {
  const { signal } = options;
  const answered = new Set<string>();
  /** 2025: the open `tasks/result` (aborted when the poll ends), if any. */
  let result2025: AbortController | undefined;
  let state: TaskStateWithResult = task as TaskStateWithResult;
  const createdAt = Date.now();
  let answeredAt = createdAt;
  /** The task ended (or the server forgot it): nothing is left to cancel. */
  let over = false;
  try {
    for (;;) {
      const end = ended(session.server, state);
      over = end !== undefined;
      if (end !== undefined) return end();
      // The retention backstop, on our clock (the server's may differ): past it the task is gone for good.
      if (state.ttlMs !== null && Date.now() - createdAt > state.ttlMs) throw expired(session.server, state);
      if (state.status === 'input_required') {
        if (session.era === PROTOCOL_2026) {
          const fresh = unanswered(state.inputRequests, answered);
          if (fresh !== undefined) {
            await session.answerTask(state.taskId, fresh, options);
            for (const key of Object.keys(fresh)) answered.add(key);
          }
        } else if (result2025 === undefined) {
          // 2025: one `tasks/result` carries every input request of the task, and the server holds it open
          // until the task ends: in the background, never awaited here (awaited, it would outlast the
          // per-exchange timeout and its TIMEOUT would cancel a task that is only running long). Whether it
          // fails (a timeout, a lost connection) or not, the polls tell how the task is.
          const opened = new AbortController();
          const stop = (): void => opened.abort(signal?.reason);
          signal?.addEventListener('abort', stop, { once: true });
          result2025 = opened;
          void session
            .answerTask(state.taskId, {}, { ...options, signal: opened.signal })
            .catch(() => {
              // Answered, it stays opened (the task ended); failed, the next input_required opens another.
              if (result2025 === opened) result2025 = undefined;
            })
            .finally(() => signal?.removeEventListener('abort', stop));
        }
      }
      // A task that says completed without its result (a create answer): fetch it at once.
      const wait = state.status === 'completed' ? 0 : answeredAt + state.pollIntervalMs - Date.now();
      await pause(wait, signal);
      if (signal?.aborted) throw abortError(session.server, signal);
      state = await session.getTask(task.taskId, tool, options);
      answeredAt = Date.now();
    }
  } catch (err) {
    // Nobody else holds this task's id: a call that fails (aborted, a poll timed out, input that could not be
    // given) cancels it, best effort and bounded, so the server does not work on for no one.
    if (!over && !isUniversalMcpError(err, ErrorCode.TASK_LOST))
      await session.cancelTask(task.taskId, { timeoutMs: options.timeoutMs }).catch(() => undefined);
    throw err;
  } finally {
    // The poll is over (the task ended, or the call failed): nothing waits for that tasks/result any more.
    result2025?.abort();
  }
}

/** TASK_LOST (`expired`): the task outlived the retention the server gave it, counted from its creation. */
function expired(server: string, state: TaskState): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.TASK_LOST, `A task on "${server}" outlived its ttlMs`, {
    server,
    details: { taskId: state.taskId, server, reason: 'expired' },
  });
}

/** How a terminal state ends the poll (undefined while the task runs). */
function ended(server: string, state: TaskStateWithResult): (() => CallToolResult) | undefined {
  switch (state.status) {
    case 'completed':
      return state.result === undefined ? undefined : () => state.result as CallToolResult;
    case 'failed':
      return () => {
        throw new UniversalMcpError(
          ErrorCode.PROTOCOL_ERROR,
          `A task on "${server}" failed${state.error === undefined ? '' : `: ${state.error.message}`}`,
          { server, rpcCode: state.error?.code, details: { reason: 'task_failed', taskId: state.taskId } },
        );
      };
    case 'cancelled':
      return () => {
        throw new UniversalMcpError(ErrorCode.CANCELLED, `A task on "${server}" was cancelled`, {
          server,
        });
      };
    default:
      return undefined;
  }
}

/** The requests whose keys were not answered yet (keys are never reused in a task's life); undefined: none. */
function unanswered(
  requests: Readonly<Record<string, TaskInputRequest>> | undefined,
  answered: ReadonlySet<string>,
): Record<string, TaskInputRequest> | undefined {
  if (requests === undefined) return undefined;
  const fresh = Object.entries(requests).filter(([key]) => !answered.has(key));
  return fresh.length === 0 ? undefined : Object.fromEntries(fresh);
}

/** What an aborted poll rejects with: the abort's own typed reason (a deadline's TIMEOUT), else CANCELLED. */
function abortError(server: string, signal: AbortSignal): UniversalMcpError {
  const reason: unknown = signal.reason;
  if (reason instanceof UniversalMcpError) return reason;
  return new UniversalMcpError(ErrorCode.CANCELLED, `Request to "${server}" was cancelled`, { server, cause: reason });
}
