// What the supervisor needs of a session's tasks (contract of issue 30). Core's Session gains these members on
// h30/core; until that is merged this file states them, and a session without them is served by callTool alone.
// TODO(issue 30): replace with core's Session, ToolOutcome and TaskState once h30/core is on main.
import { ErrorCode, UniversalMcpError, type CallToolResult, type UniversalMcpErrorOptions } from '@universal-mcp/core';
import type { RequestOptions, Session } from '@universal-mcp/core/internal';
import type { RequestPath } from './request-path.js';

/** A task's status on the wire (both eras). */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** What a poll learns (core's TaskState). */
export interface TaskState {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string | undefined;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
  readonly ttlMs: number | null;
  readonly pollIntervalMs: number;
  readonly result?: Record<string, unknown> | undefined;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown } | undefined;
  readonly inputRequests?:
    Readonly<Record<string, { readonly method: string; readonly params: Record<string, unknown> }>> | undefined;
}

/** How a tools/call exchange ended. */
export type ToolOutcome =
  { readonly kind: 'complete'; readonly result: CallToolResult } | { readonly kind: 'task'; readonly task: TaskState };

/** Core's StartToolOptions. */
export interface SessionStartToolOptions extends RequestOptions {
  readonly wantTask?: boolean | undefined;
  readonly ttlMs?: number | undefined;
}

/** A session that can make and poll tasks. */
export interface TaskSession extends Session {
  readonly tasks: boolean;
  startTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: SessionStartToolOptions,
  ): Promise<ToolOutcome>;
  getTask(taskId: string, tool: string, options: RequestOptions): Promise<TaskState & { result?: CallToolResult }>;
  updateTask(taskId: string, responses: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<void>;
  answerTask(taskId: string, requests: NonNullable<TaskState['inputRequests']>, options: RequestOptions): Promise<void>;
  cancelTask(taskId: string, options: RequestOptions): Promise<void>;
}

/** The session as a task session. */
export function asTaskSession(session: Session): TaskSession {
  return session as TaskSession;
}

/** The session, if it serves tasks; else `TASK_LOST` (reason `unsupported`): no poll can ever answer. */
function taskSessionOf(session: Session, server: string): TaskSession {
  if (makesTasks(session)) return session as TaskSession;
  throw new UniversalMcpError(ErrorCode.TASK_LOST, `Server "${server}" no longer serves tasks`, {
    server,
    details: { reason: 'unsupported' } as UniversalMcpErrorOptions['details'],
  });
}

/** True when the session can answer a tools/call with a task (and so must be called through startTool). */
export function makesTasks(session: Session): boolean {
  const s = session as Partial<TaskSession>;
  return s.tasks === true && typeof s.startTool === 'function';
}

/** One exchange about a task (a poll, an answer, a cancel). */
export type TaskOp<T> = (session: TaskSession, options: RequestOptions) => Promise<T>;

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
