// One task the client polls: what it knows of it (the snapshot's fields), what it remembers across restarts (the
// store's record) and the one promise of its end. The manager (task-manager.ts) moves it; this holds it.
import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode, UniversalMcpError, type CallToolResult, type UniversalMcpErrorOptions } from '@universal-mcp/core';
import type { StartToolOptions } from './call-options.js';
import type { TaskFailure, TaskPendingInput, TaskPhase, TaskSnapshot } from './task-handle.js';
import {
  MAX_ANSWERED_KEYS,
  MAX_TASK_NAME_LENGTH,
  MAX_TASK_OWNER_LENGTH,
  type TaskEra,
  type TaskRecord,
  type TaskRecordStatus,
} from './task-store.js';
import type { TaskState } from './task-session.js';

/** What a task is started with, or resumed from. */
export interface TaskStart {
  readonly id: string;
  readonly server: string;
  readonly tool: string;
  /** The server's task id; undefined when the server answered at once. */
  readonly taskId: string | undefined;
  readonly era: TaskEra;
  readonly createdAt: number;
  readonly input: 'handlers' | 'manual';
  readonly owner?: string | undefined;
  readonly label?: string | undefined;
  readonly answeredKeys?: readonly string[] | undefined;
  /** The per-exchange idle timeout (polls, answers); undefined: the server's `callTimeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** Given back to the handlers answering its input (`HandlerContext.caller`). */
  readonly caller?: unknown;
  readonly onStatus?: ((snapshot: TaskSnapshot) => void) | undefined;
}

/** A task's state in the client, live or ended. */
export class TaskEntry {
  readonly start: TaskStart;
  status: TaskPhase = 'working';
  statusMessage: string | undefined;
  updatedAt: number;
  lastSeenAt: number;
  pollIntervalMs: number | undefined;
  expiresAt: number | null = null;
  /** The input requests of the last poll, by key (answered ones included). */
  requests: NonNullable<TaskState['inputRequests']> = {};
  readonly answered: Set<string>;
  /** Keys the handlers could not answer (no handler, or it failed): left to `respond()`, never asked again. */
  readonly unanswerable = new Set<string>();
  result: CallToolResult | undefined;
  error: UniversalMcpError | undefined;
  /** Consecutive polls that failed (the backoff grows with them). */
  failures = 0;
  /** A poll, an answer or a cancel of it is in flight. */
  polling = false;
  answering = false;
  cancelling: Promise<void> | undefined;
  /** No caller waits (an aborted `onAbort: 'detach'` call, or a resumed task). */
  detached = false;
  /** The store no longer holds it (its result was delivered, or it ended otherwise). */
  forgotten = false;
  /** Set while its server is given up: callers waiting for its end reject with it (the task stays stored). */
  unavailable: UniversalMcpError | undefined;
  #outage = outage();
  readonly #done: Promise<CallToolResult>;
  #settle!: { resolve(result: CallToolResult): void; reject(err: UniversalMcpError): void };

  constructor(start: TaskStart, now: number) {
    this.start = start;
    this.updatedAt = now;
    this.lastSeenAt = now;
    this.answered = new Set(start.answeredKeys);
    this.#done = new Promise<CallToolResult>((resolve, reject) => (this.#settle = { resolve, reject }));
    // Nobody may ever ask for the result (a detached task): its rejection is not an unhandled one.
    this.#done.catch(() => undefined);
  }

  get id(): string {
    return this.start.id;
  }

  get ended(): boolean {
    return this.status !== 'working' && this.status !== 'input_required';
  }

  /** Remembers answered keys: the last {@link MAX_ANSWERED_KEYS} (a server's keys are never reused). */
  answer(keys: readonly string[]): void {
    for (const key of keys) {
      this.answered.delete(key);
      this.answered.add(key.slice(0, MAX_TASK_NAME_LENGTH));
    }
    for (const key of this.answered) {
      if (this.answered.size <= MAX_ANSWERED_KEYS) break;
      this.answered.delete(key);
    }
  }

  /** Input requests not answered yet. */
  pending(): TaskPendingInput[] {
    return Object.entries(this.requests)
      .filter(([key]) => !this.answered.has(key))
      .map(([key, r]) => ({ key, method: r.method, params: r.params }));
  }

  /** Its server was given up: the callers waiting now, and those that ask until it is back, reject `err`. */
  interrupt(err: UniversalMcpError): void {
    this.unavailable = err;
    this.#outage.reject(err);
  }

  /** Its server is back: callers wait for the end again. */
  resume(): void {
    if (this.unavailable === undefined) return;
    this.unavailable = undefined;
    this.#outage = outage();
  }

  /** Rejects while its server is given up (see {@link interrupt}); never resolves. */
  outage(): Promise<never> {
    return this.unavailable === undefined ? this.#outage.promise : Promise.reject(this.unavailable);
  }

  /** The task's end, as `TaskHandle.result()` gives it. */
  done(): Promise<CallToolResult> {
    return this.#done;
  }

  /** Ends it: `result` for `completed`, `error` otherwise. Only the first end counts. */
  end(status: Exclude<TaskPhase, 'working' | 'input_required'>, outcome: CallToolResult | UniversalMcpError): boolean {
    if (this.ended) return false;
    this.status = status;
    this.requests = {};
    if (outcome instanceof UniversalMcpError) {
      this.error = outcome;
      this.#settle.reject(outcome);
    } else {
      this.result = outcome;
      this.#settle.resolve(outcome);
    }
    return true;
  }

  snapshot(): TaskSnapshot {
    const { id, server, tool, taskId, createdAt, owner, label } = this.start;
    const error: TaskFailure | undefined =
      this.error === undefined
        ? undefined
        : {
            code: this.error.code,
            message: this.error.message,
            ...(this.error.rpcCode === undefined ? {} : { rpcCode: this.error.rpcCode }),
          };
    return Object.freeze({
      id,
      server,
      tool,
      task: taskId !== undefined,
      status: this.status,
      ...(this.statusMessage === undefined ? {} : { statusMessage: this.statusMessage }),
      createdAt,
      updatedAt: this.updatedAt,
      ...(this.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.pollIntervalMs }),
      expiresAt: this.expiresAt,
      pendingInput: Object.freeze(this.pending()),
      ...(this.result === undefined ? {} : { result: this.result }),
      ...(error === undefined ? {} : { error }),
      ...(owner === undefined ? {} : { owner }),
      ...(label === undefined ? {} : { label }),
    });
  }

  /** What the store keeps of it (no arguments, no result, no input given; the store copies known fields only). */
  record(): TaskRecord | undefined {
    const {
      taskId,
      timeoutMs: _timeout,
      caller: _caller,
      onStatus: _onStatus,
      answeredKeys: _keys,
      ...kept
    } = this.start;
    if (taskId === undefined || this.status === 'lost') return undefined;
    const { lastSeenAt, expiresAt } = this;
    return {
      ...kept,
      taskId,
      lastSeenAt,
      expiresAt,
      status: this.status as TaskRecordStatus,
      answeredKeys: [...this.answered],
    };
  }
}

/** A promise that rejects when told (a server given up); nobody may be waiting then: not an unhandled one. */
function outage(): { readonly promise: Promise<never>; readonly reject: (err: UniversalMcpError) => void } {
  let reject!: (err: UniversalMcpError) => void;
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined);
  return { promise, reject };
}

/**
 * What a log line calls a task: a short sha256 prefix of its id. The id itself is a bearer token (whoever has it
 * may read, answer and cancel the task), so it never reaches a log.
 */
export function taskTag(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}

/** The error a task that ended without a result rejects with. */
export function taskError(
  entry: TaskEntry,
  code: ErrorCode,
  message: string,
  more: {
    readonly details?: Record<string, unknown>;
    readonly rpcCode?: number | undefined;
    readonly cause?: unknown;
  } = {},
): UniversalMcpError {
  const { server, tool, id, taskId } = entry.start;
  const details = { tool, id, taskId, ...more.details } as UniversalMcpErrorOptions['details'];
  return new UniversalMcpError(code, message, { server, details, rpcCode: more.rpcCode, cause: more.cause });
}

/** `task(id)` of an id this client does not know. The id is a bearer token: in details, never in the message. */
export function notFoundError(id: string): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.TASK_NOT_FOUND, 'No task with this id in this client', {
    details: { id: id.slice(0, 256) } as UniversalMcpErrorOptions['details'],
  });
}

/** How a task ends whose server is no longer configured. */
export function removedError(entry: TaskEntry): UniversalMcpError {
  const { tool, server } = entry.start;
  const message = `Task of "${tool}" lost: server "${server}" is no longer configured`;
  return taskError(entry, ErrorCode.TASK_LOST, message, { details: { reason: 'server-removed' } });
}

/** What callers waiting for a task of a given-up server reject with (the task stays stored and resumes). */
export function givenUpError(entry: TaskEntry, cause: UniversalMcpError): UniversalMcpError {
  const { tool, server } = entry.start;
  const message = `Task of "${tool}" is not polled: server "${server}" was given up`;
  return taskError(entry, ErrorCode.SERVER_UNAVAILABLE, message, { cause, details: { reason: 'given-up' } });
}

/** A new task's start: a fresh id, the caller's options, the era of the server's connection now. */
export function taskStart(
  server: { readonly name: string; info(): { readonly era?: string | undefined } },
  tool: string,
  taskId: string | undefined,
  createdAt: number,
  o: StartToolOptions,
): TaskStart {
  return {
    id: randomUUID(),
    server: server.name,
    tool,
    taskId,
    era: server.info().era === '2026-07-28' ? '2026-07-28' : '2025-11-25',
    createdAt,
    input: o.input ?? 'handlers',
    owner: o.owner,
    label: o.label,
    timeoutMs: o.timeoutMs,
    caller: o.caller,
    onStatus: o.onTaskStatus,
  };
}

/** A stored task, to be polled again by this client: nobody waits for it (yet). */
export function resumedEntry(record: TaskRecord, now: number): TaskEntry {
  const { id, server, tool, taskId, era, createdAt, owner, label, input, answeredKeys } = record;
  const start: TaskStart = {
    id,
    server,
    tool,
    taskId,
    era,
    createdAt,
    owner,
    label,
    answeredKeys,
    input: input ?? 'handlers',
  };
  const entry = new TaskEntry(start, now);
  entry.detached = true;
  entry.lastSeenAt = record.lastSeenAt;
  entry.expiresAt = record.expiresAt;
  // A completed record's result was never delivered: the next poll fetches it again.
  if (record.status === 'input_required') entry.status = 'input_required';
  return entry;
}

/** How a poll's terminal answer ends the task; undefined while it runs. */
export function endOf(
  entry: TaskEntry,
  state: TaskState & { result?: CallToolResult },
): [Exclude<TaskPhase, 'working' | 'input_required'>, CallToolResult | UniversalMcpError] | undefined {
  const { tool } = entry.start;
  switch (state.status) {
    case 'completed':
      if (state.result !== undefined) return ['completed', state.result];
      return ['failed', taskError(entry, ErrorCode.INVALID_RESULT, `Task of "${tool}" completed without a result`)];
    case 'failed': {
      const rpcCode = state.error?.code;
      const message = `Task of "${tool}" failed: ${state.error?.message ?? 'no error given'}`;
      return [
        'failed',
        taskError(entry, ErrorCode.PROTOCOL_ERROR, message, { rpcCode, details: { reason: 'task_failed' } }),
      ];
    }
    case 'cancelled':
      return ['cancelled', taskError(entry, ErrorCode.CANCELLED, `Task of "${tool}" was cancelled`)];
    default:
      return undefined;
  }
}

/** Refuses a label, owner or input mode the store could not keep (`CONFIG_INVALID`, before anything is sent). */
export function checkTaskOptions(o: StartToolOptions): void {
  const limits = { label: MAX_TASK_NAME_LENGTH, owner: MAX_TASK_OWNER_LENGTH } as const;
  for (const field of ['label', 'owner'] as const) {
    const v: unknown = o[field];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0 || v.length > limits[field]))
      throw new UniversalMcpError(
        ErrorCode.CONFIG_INVALID,
        `Invalid option ${field}: expected 1-${limits[field]} characters`,
        {
          details: { field },
        },
      );
  }
  if (o.input !== undefined && o.input !== 'handlers' && o.input !== 'manual')
    throw new UniversalMcpError(ErrorCode.CONFIG_INVALID, `Invalid option input: expected 'handlers' or 'manual'`, {
      details: { field: 'input' },
    });
}
