// The Task fields both eras share (MCP Tasks: the 2026-07-28 extension `io.modelcontextprotocol/tasks`
// and 2025-11-25's experimental tasks), read from hostile input into bounded values. The two eras name
// two fields differently (`ttlMs`/`pollIntervalMs` against `ttl`/`pollInterval`); everything else is
// the same, so one reader takes the field names as an argument. task-wire.ts builds on it.
import { ErrorCode, UniversalMcpError, boundText } from './errors.js';

/** The extension identifier a 2026-07-28 client declares and a server advertises. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Where a task is. `completed`, `failed` and `cancelled` are terminal: the status never changes again. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** Every {@link TaskStatus}, in lifecycle order. */
export const TASK_STATUSES: readonly TaskStatus[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];

/** True for the statuses a task never leaves. */
export function isTerminalStatus(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/**
 * The most characters of a task id. Ids are server-generated, opaque bearer-like tokens (a UUID is 36);
 * we keep them in memory, in the supervisor's task file and in the `Mcp-Name` HTTP header, so a
 * server must not make us hold or send a megabyte for each.
 */
export const MAX_TASK_ID = 256;

/**
 * The fastest we poll, whatever the server asks: a hostile or buggy `pollIntervalMs: 0` must not turn
 * the client into a busy loop against the server (at most 10 polls a second per task). 100 ms still
 * lets a test or a fast tool finish without a noticeable wait.
 */
export const MIN_POLL_INTERVAL_MS = 100;

/**
 * The slowest we poll, whatever the server asks: an interval of a day would make a finished task look
 * hung; once a minute notices the end (and a forgotten task) soon enough and costs nothing.
 */
export const MAX_POLL_INTERVAL_MS = 60_000;

/** The interval when the server gives none (the field is optional in both eras). */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/**
 * The longest retention we believe. `ttlMs` says how long the server keeps the task after `createdAt`;
 * the client keeps the id (durably, in the supervisor) as long: a year-long ttl must not pin an entry
 * forever. Past 30 days we treat the task as gone (a longer ttl is read as 30 days).
 */
export const MAX_TASK_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The most characters of a task's `statusMessage` (the only progress text 2026 tasks have). */
export const MAX_STATUS_MESSAGE = 1_000;

/** The most characters of an ISO-8601 timestamp (`2025-11-25T10:30:00.123456789+05:30` is 35). */
const MAX_TIMESTAMP = 64;

/**
 * A task's own fields, normalised across both eras (2025's `ttl`/`pollInterval` are read into
 * `ttlMs`/`pollIntervalMs`).
 */
export interface TaskInfo {
  /** The server's id: 1 to {@link MAX_TASK_ID} visible ASCII characters, never parsed. */
  readonly taskId: string;
  readonly status: TaskStatus;
  /** Bounded to {@link MAX_STATUS_MESSAGE} characters, whitespace folded. */
  readonly statusMessage?: string | undefined;
  /** ISO-8601, as the server sent it. */
  readonly createdAt: string;
  /** ISO-8601, as the server sent it. */
  readonly lastUpdatedAt: string;
  /** How long after `createdAt` the server keeps the task; `null`: no limit. At most {@link MAX_TASK_TTL_MS}. */
  readonly ttlMs: number | null;
  /** When to poll next, clamped to [{@link MIN_POLL_INTERVAL_MS}, {@link MAX_POLL_INTERVAL_MS}]; defaulted. */
  readonly pollIntervalMs: number;
}

/** Why a task (or its answer) could not be read: `details.reason` of the `INVALID_RESULT` error. */
export type TaskWireReason =
  /** Not a task, a required field is missing or of the wrong type, or the wrong era's shape. */
  | 'invalid-task'
  /** A `status` outside {@link TaskStatus}. */
  | 'unknown-task-status'
  /** The task id is empty, too long or has characters outside visible ASCII. */
  | 'invalid-task-id';

/** The `INVALID_RESULT` error every reader here throws; never echoes more than a short cut of server text. */
export function taskWireError(reason: TaskWireReason, message: string): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.INVALID_RESULT, message, { details: { reason } });
}

/** A plain object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A server value shown in an error message: short and quoted. */
export const shown = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v) : typeof v;

// Visible ASCII only: the id goes into the `Mcp-Name` header (no CR/LF, no spaces) and into files and logs.
const TASK_ID = /^[\x21-\x7e]+$/;

/** `id`, if it is a usable task id; else the `invalid-task-id` error. Also checks ids the caller passes. */
export function checkTaskId(id: unknown): string {
  if (typeof id !== 'string') throw taskWireError('invalid-task-id', `Task id is ${typeof id}, not a string`);
  if (id.length === 0 || id.length > MAX_TASK_ID)
    throw taskWireError('invalid-task-id', `Task id has ${id.length} characters (1 to ${MAX_TASK_ID} allowed)`);
  // The id itself stays out of the message (ids are bearer tokens, and messages reach logs and snapshots).
  if (!TASK_ID.test(id)) throw taskWireError('invalid-task-id', 'Task id has characters outside visible ASCII');
  return id;
}

/** `status`, if it is one of {@link TASK_STATUSES}. */
export function readStatus(status: unknown): TaskStatus {
  if (typeof status !== 'string') throw taskWireError('invalid-task', `Task status is ${shown(status)}`);
  if (!(TASK_STATUSES as readonly string[]).includes(status))
    throw taskWireError('unknown-task-status', `Unknown task status ${shown(status)}`);
  return status as TaskStatus;
}

/** The poll interval a server asked for, clamped; the default when missing or not a positive number. */
export function clampPollInterval(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return DEFAULT_POLL_INTERVAL_MS;
  return Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, Math.round(ms)));
}

/** A ttl: `null` is unlimited; a non-negative number is capped at {@link MAX_TASK_TTL_MS}; else an error. */
function readTtl(ttl: unknown, field: string): number | null {
  if (ttl === null) return null;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)
    throw taskWireError('invalid-task', `Task ${field} is ${typeof ttl === 'number' ? String(ttl) : shown(ttl)}`);
  return Math.min(MAX_TASK_TTL_MS, Math.floor(ttl));
}

function readTimestamp(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > MAX_TIMESTAMP || !Number.isFinite(Date.parse(value)))
    throw taskWireError('invalid-task', `Task ${field} is not an ISO-8601 timestamp: ${shown(value)}`);
  return value;
}

/** The names a wire era gives the two renamed fields, and whether the ttl key must be present. */
export interface TaskFieldNames {
  readonly ttl: 'ttlMs' | 'ttl';
  readonly pollInterval: 'pollIntervalMs' | 'pollInterval';
  /** 2026 requires the `ttlMs` key (`null` for unlimited); 2025 servers that leave `ttl` out mean no limit. */
  readonly ttlRequired: boolean;
}

/** The 2026-07-28 extension's names. */
export const FIELDS_2026: TaskFieldNames = { ttl: 'ttlMs', pollInterval: 'pollIntervalMs', ttlRequired: true };
/** 2025-11-25's names. */
export const FIELDS_2025: TaskFieldNames = { ttl: 'ttl', pollInterval: 'pollInterval', ttlRequired: false };

/** The task fields of `raw`, checked and bounded; throws `INVALID_RESULT` naming what is wrong. */
export function readTaskInfo(raw: Record<string, unknown>, names: TaskFieldNames): TaskInfo {
  const taskId = checkTaskId(raw.taskId);
  const status = readStatus(raw.status);
  const createdAt = readTimestamp(raw.createdAt, 'createdAt');
  const lastUpdatedAt = readTimestamp(raw.lastUpdatedAt, 'lastUpdatedAt');
  if (names.ttlRequired && !(names.ttl in raw)) throw taskWireError('invalid-task', `Task has no ${names.ttl}`);
  const ttlMs = readTtl(raw[names.ttl] ?? null, names.ttl);
  const pollIntervalMs = clampPollInterval(raw[names.pollInterval]);
  const message = raw.statusMessage;
  const info: TaskInfo = { taskId, status, createdAt, lastUpdatedAt, ttlMs, pollIntervalMs };
  return typeof message === 'string' ? { ...info, statusMessage: boundText(message, MAX_STATUS_MESSAGE) } : info;
}
