// What the supervisor does with a session's tasks (core's Session.startTool / getTask / updateTask / answerTask /
// cancelTask): one exchange on the server's request path, and which failures are worth another try.
import {
  ErrorCode,
  UniversalMcpError,
  type TaskState,
  type TaskStatus,
  type ToolOutcome,
  type UniversalMcpErrorOptions,
} from '@universal-mcp/core';
import type { RequestOptions, Session } from '@universal-mcp/core/internal';
import type { RequestPath } from './request-path.js';

export type { TaskState, TaskStatus, ToolOutcome };

/** True when the session's server makes tool tasks (and so a tool call goes through startTool). */
export function makesTasks(session: Session): boolean {
  return session.tasks;
}

/** One exchange about a task (a poll, an answer, a cancel). */
export type TaskOp<T> = (session: Session, options: RequestOptions) => Promise<T>;

/** The session, if it serves tasks; else `TASK_LOST` (reason `unsupported`): no poll can ever answer. */
function taskSessionOf(session: Session, server: string): Session {
  if (makesTasks(session)) return session;
  throw new UniversalMcpError(ErrorCode.TASK_LOST, `Server "${server}" no longer serves tasks`, {
    server,
    details: { reason: 'unsupported' } as UniversalMcpErrorOptions['details'],
  });
}

/**
 * One task exchange on the server's request path: it waits for a restarting server within the task's per-exchange
 * timeout, holds a call slot only while it runs, and is retried once on a new session (it is safe to repeat).
 */
export function taskExchange<T>(
  path: RequestPath,
  server: string,
  task: { readonly timeoutMs?: number | undefined; readonly caller?: unknown },
  signal: AbortSignal,
  op: TaskOp<T>,
): Promise<T> {
  try {
    const budget = path.budget({ timeoutMs: task.timeoutMs, caller: task.caller, signal });
    return path.send((session, o) => op(taskSessionOf(session, server), o), budget, true);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Codes of a failed exchange that may well work later (the server restarting, slow, busy). */
const TRANSIENT: ReadonlySet<string> = new Set([
  ErrorCode.TIMEOUT,
  ErrorCode.CONNECTION_LOST,
  ErrorCode.SESSION_EXPIRED,
  ErrorCode.SERVER_UNAVAILABLE,
  ErrorCode.QUEUE_FULL,
  ErrorCode.CLOSED,
]);

/** True for a code of an exchange worth trying again later. */
export function isTransient(code: string): boolean {
  return TRANSIENT.has(code);
}
