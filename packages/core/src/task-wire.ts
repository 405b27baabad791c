// The wire codec of MCP Tasks for both eras, pure (no I/O). 2026-07-28 (the `io.modelcontextprotocol/tasks`
// extension): the server alone decides to answer `tools/call` with a flat `resultType: "task"`; `tasks/get`
// answers the task with its result, error or input requests inlined; input goes back with `tasks/update`.
// 2025-11-25 (experimental): the client asks with `params.task`, the answer nests the task under `task`,
// `tasks/get` answers the task only, and the result comes from a separate, blocking `tasks/result`.
// Both are read into one shape (TaskInfo / TaskState) so the poller and the supervisor have one path.
import type { ClientCapabilities } from '@modelcontextprotocol/client';
import { boundJson } from './bounded-json.js';
import { boundText } from './errors.js';
import type { ProtocolEra } from './protocol-era.js';
import { PROTOCOL_2026 } from './protocol-era.js';
import type { TaskInfo } from './task-status.js';
import {
  FIELDS_2025,
  FIELDS_2026,
  TASKS_EXTENSION,
  checkTaskId,
  isObject,
  readTaskInfo,
  shown,
  taskWireError,
} from './task-status.js';

/** An input request of a task waiting for input (2026): the MRTR `{ method, params }` shape. */
export interface TaskInputRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** A failed task's JSON-RPC error (2026 `tasks/get`; 2025: what `tasks/result` rejected with). */
export interface TaskError {
  readonly code: number;
  /** Bounded text. */
  readonly message: string;
  /** Bounded JSON (depth and size). */
  readonly data?: unknown;
}

/** What a poll learns: the task, and by status its result (`completed`), error (`failed`) or input requests. */
export interface TaskState extends TaskInfo {
  /** The `tools/call` result, unchecked beyond being an object of bounded depth (the sync path's checks apply). */
  readonly result?: Record<string, unknown> | undefined;
  readonly error?: TaskError | undefined;
  /** By key; at most `maxInputRequests` (2026 only: 2025 servers send requests on the `tasks/result` stream). */
  readonly inputRequests?: Readonly<Record<string, TaskInputRequest>> | undefined;
}

/** Limits of {@link readTaskState}. */
export interface TaskStateLimits {
  /** The most input requests one answer may list (as MRTR's `maxRequestsPerRound`). @default 32 */
  readonly maxInputRequests?: number | undefined;
}

/** The JSON-RPC methods of tasks. `result` is 2025-11-25 only (2026 servers answer -32601). */
export const TaskMethod = {
  get: 'tasks/get',
  update: 'tasks/update',
  cancel: 'tasks/cancel',
  result: 'tasks/result',
} as const;

/** A request ready for the session's channel (which adds the `_meta` envelope and the `Mcp-Name` header). */
export interface TaskRequest {
  readonly method: (typeof TaskMethod)[keyof typeof TaskMethod];
  readonly params: Record<string, unknown>;
}

/** The `_meta` key a 2025 `tasks/result` answer carries to say which task it is for. */
export const META_RELATED_TASK = 'io.modelcontextprotocol/related-task';

/** The most characters of an input request key (keys are server-chosen and echoed back in `tasks/update`). */
const MAX_INPUT_KEY = 256;
/** How deep a task's result may nest; as deep as JSON.stringify and our logs are happy with. */
const MAX_RESULT_DEPTH = 64;
/** A failed task's `error.data` is diagnostics only: small. */
const ERROR_DATA_BOUNDS = { maxDepth: 16, maxChars: 8 * 1024 } as const;

/**
 * True when a `tools/call` answer is a task rather than a result: in 2026 `resultType: "task"`; in 2025 an
 * object under `task` (only ever sent to a request that carried `params.task`). The answer may still be a
 * malformed task: {@link readCreateTask} says.
 */
export function isTaskResult(raw: unknown, era: ProtocolEra): boolean {
  if (!isObject(raw)) return false;
  return era === PROTOCOL_2026 ? raw.resultType === 'task' : isObject(raw.task);
}

/**
 * The task a `tools/call` answer created (see {@link isTaskResult}). 2026: flat, `resultType: "task"`, the
 * `ttlMs` key required, a nested `task` wrapper refused (the spec's conformance fails it). 2025: the task
 * under `task`, with `ttl`/`pollInterval`. Throws `INVALID_RESULT` (`details.reason`: see `TaskWireReason`).
 */
export function readCreateTask(raw: unknown, era: ProtocolEra): TaskInfo {
  if (!isObject(raw)) throw taskWireError('invalid-task', 'The task result is not an object');
  if (era !== PROTOCOL_2026) {
    if (!isObject(raw.task)) throw taskWireError('invalid-task', 'The 2025-11-25 task result has no "task" object');
    return readTaskInfo(raw.task, FIELDS_2025);
  }
  if (raw.resultType !== 'task')
    throw taskWireError('invalid-task', `The task result has resultType ${shown(raw.resultType)}, not "task"`);
  if ('task' in raw) throw taskWireError('invalid-task', 'The 2026-07-28 task result nests a "task" (must be flat)');
  return readTaskInfo(raw, FIELDS_2026);
}

/**
 * What a `tasks/get` answer says. 2026: a DetailedTask (`resultType` absent or `complete`) whose `result`
 * (required when `completed`), `error` (when `failed`) and `inputRequests` (when `input_required`) are read
 * for their status only. 2025: the task alone; pass the `tasks/result` answer as `payload` once the task is
 * terminal (it is exactly the tool's result) — a JSON-RPC error there goes in with {@link readTaskError}
 * instead. Throws `INVALID_RESULT`.
 */
export function readTaskState(
  raw: unknown,
  era: ProtocolEra,
  payload?: unknown,
  limits: TaskStateLimits = {},
): TaskState {
  if (!isObject(raw)) throw taskWireError('invalid-task', 'The tasks/get result is not an object');
  if (era !== PROTOCOL_2026) {
    const info = readTaskInfo(raw, FIELDS_2025);
    if (payload === undefined) return info;
    const related = relatedTaskId(payload);
    if (related !== undefined && related !== info.taskId)
      throw taskWireError('invalid-task', 'The tasks/result answer is for another task');
    return { ...info, result: readResult(payload) };
  }
  if (raw.resultType !== undefined && raw.resultType !== 'complete')
    throw taskWireError('invalid-task', `The tasks/get result has resultType ${shown(raw.resultType)}`);
  const info = readTaskInfo(raw, FIELDS_2026);
  switch (info.status) {
    case 'completed':
      if (!('result' in raw)) throw taskWireError('invalid-task', 'The completed task has no "result"');
      return { ...info, result: readResult(raw.result) };
    case 'failed':
      return raw.error === undefined ? info : { ...info, error: readTaskError(raw.error) };
    case 'input_required':
      return raw.inputRequests === undefined
        ? info
        : { ...info, inputRequests: readInputRequests(raw.inputRequests, limits.maxInputRequests ?? 32) };
    default:
      return info;
  }
}

/** A task's tool result: an object, not itself a task or an input request, of bounded depth. */
function readResult(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw taskWireError('invalid-task', "The task's result is not an object");
  const type = raw.resultType;
  if (type !== undefined && type !== 'complete')
    throw taskWireError('invalid-task', `The task's result has resultType ${shown(type)}`);
  // Only the depth is bounded here: the size was bounded by the transport's message limit, and cutting
  // content out of a result would hand the caller a different result than the tool returned.
  if (boundJson(raw, { maxDepth: MAX_RESULT_DEPTH, maxChars: Infinity }).cut)
    throw taskWireError('invalid-task', `The task's result nests deeper than ${MAX_RESULT_DEPTH}`);
  return raw;
}

/** A JSON-RPC error object (a failed 2026 task's `error`; a 2025 `tasks/result` rejection), bounded. */
export function readTaskError(raw: unknown): TaskError {
  if (!isObject(raw) || typeof raw.code !== 'number' || !Number.isInteger(raw.code))
    throw taskWireError('invalid-task', 'The failed task\'s "error" is not a JSON-RPC error with an integer code');
  const message = boundText(typeof raw.message === 'string' ? raw.message : '');
  if (raw.data === undefined) return { code: raw.code, message };
  return { code: raw.code, message, data: boundJson(raw.data, ERROR_DATA_BOUNDS).value };
}

/** The outstanding input requests, by key, at most `max`; the method is checked by the code that answers. */
function readInputRequests(raw: unknown, max: number): Record<string, TaskInputRequest> {
  if (!isObject(raw)) throw taskWireError('invalid-task', '"inputRequests" is not an object');
  const keys = Object.keys(raw);
  if (keys.length > max)
    throw taskWireError('invalid-task', `The task asks for ${keys.length} inputs at once (at most ${max})`);
  const out: Record<string, TaskInputRequest> = {};
  for (const key of keys) {
    const entry = raw[key];
    if (key.length === 0 || key.length > MAX_INPUT_KEY)
      throw taskWireError('invalid-task', `An input request key has ${key.length} characters`);
    if (!isObject(entry) || typeof entry.method !== 'string' || entry.method.length > MAX_INPUT_KEY)
      throw taskWireError('invalid-task', `Input request ${shown(key)} is not a request with a method`);
    if (entry.params !== undefined && !isObject(entry.params))
      throw taskWireError('invalid-task', `Input request ${shown(key)} has params that are not an object`);
    out[key] = { method: entry.method, params: entry.params ?? {} };
  }
  return out;
}

/** `tasks/get` for a task (both eras). */
export function taskGetRequest(taskId: string): TaskRequest {
  return { method: TaskMethod.get, params: { taskId: checkTaskId(taskId) } };
}

/** `tasks/cancel` for a task (both eras; 2026 acks with nothing, 2025 answers the cancelled task). */
export function taskCancelRequest(taskId: string): TaskRequest {
  return { method: TaskMethod.cancel, params: { taskId: checkTaskId(taskId) } };
}

/** `tasks/update` answering some of a task's input requests by key (2026 only; keys as `inputRequests` gave). */
export function taskUpdateRequest(taskId: string, inputResponses: Readonly<Record<string, unknown>>): TaskRequest {
  return { method: TaskMethod.update, params: { taskId: checkTaskId(taskId), inputResponses: { ...inputResponses } } };
}

/** `tasks/result` for a task (2025-11-25 only): blocks until the task ends and answers its result. */
export function taskResultRequest(taskId: string): TaskRequest {
  return { method: TaskMethod.result, params: { taskId: checkTaskId(taskId) } };
}

/**
 * The 2025-11-25 `params.task` that asks a server to run `tools/call` as a task, with the retention the
 * client would like (the server may choose another). 2026 has no such parameter (the server decides).
 */
export function taskAugmentation2025(ttlMs?: number): { ttl?: number } {
  return ttlMs === undefined || !Number.isFinite(ttlMs) || ttlMs <= 0 ? {} : { ttl: Math.floor(ttlMs) };
}

/**
 * The task id a 2025 `tasks/result` answer says it belongs to (`_meta["io.modelcontextprotocol/related-task"]`),
 * or `undefined` when it says none (or nothing usable).
 */
export function relatedTaskId(raw: unknown): string | undefined {
  if (!isObject(raw) || !isObject(raw._meta)) return undefined;
  const related = raw._meta[META_RELATED_TASK];
  if (!isObject(related) || typeof related.taskId !== 'string') return undefined;
  try {
    return checkTaskId(related.taskId);
  } catch {
    return undefined;
  }
}

/**
 * `capabilities` with the Tasks extension declared (`extensions["io.modelcontextprotocol/tasks"] = {}`), for
 * a 2026 request's `_meta["io.modelcontextprotocol/clientCapabilities"]`: a server may only answer a task to a
 * request that declares it. A copy; the other extensions are kept.
 */
export function withTasksExtension(capabilities: ClientCapabilities): ClientCapabilities {
  const extensions = { ...(capabilities.extensions ?? {}), [TASKS_EXTENSION]: {} };
  return { ...capabilities, extensions };
}

/** True when a 2026 `server/discover` answer's capabilities advertise the Tasks extension. */
export function advertisesTasks(capabilities: unknown): boolean {
  return (
    isObject(capabilities) && isObject(capabilities.extensions) && isObject(capabilities.extensions[TASKS_EXTENSION])
  );
}
