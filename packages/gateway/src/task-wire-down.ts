// The Tasks extension's shapes as the gateway answers them downstream (2026-07-28 flat, 2025-11-25 nested),
// made from the supervisor's TaskSnapshot: the gateway's own id (the client's opaque one, never an upstream's)
// and the upstream's state as last polled.
import { ProtocolErrorCode, type StandardSchemaV1 } from '@modelcontextprotocol/server';
import { TASKS_EXTENSION } from '@universal-mcp/core';
import { META_CLIENT_CAPABILITIES } from '@universal-mcp/core/internal';
import type { TaskSnapshot } from '@universal-mcp/supervisor';
import { boundResult } from './response-guard.js';
import { WireError } from './wire-error.js';

/** Longest task id taken from a downstream request (the gateway's own are UUIDs). */
const MAX_TASK_ID = 256;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a 2026 request's envelope declares the Tasks extension in its client capabilities. */
export function declaresTasks(envelope: Readonly<Record<string, unknown>> | undefined): boolean {
  const capabilities = envelope?.[META_CLIENT_CAPABILITIES];
  return (
    isObject(capabilities) &&
    isObject(capabilities['extensions']) &&
    isObject(capabilities['extensions'][TASKS_EXTENSION])
  );
}

/** Whether a server's capabilities (either era) say it can make tool tasks. */
export function offersTasks(capabilities: unknown): boolean {
  if (!isObject(capabilities)) return false;
  const extensions = capabilities['extensions'];
  if (isObject(extensions) && isObject(extensions[TASKS_EXTENSION])) return true;
  const tasks = capabilities['tasks'];
  const requests = isObject(tasks) ? tasks['requests'] : undefined;
  const tools = isObject(requests) ? requests['tools'] : undefined;
  return isObject(tools) && isObject(tools['call']);
}

/** -32021 for a tasks/* request that did not declare the extension (spec: MUST). */
export function undeclared(): WireError {
  return new WireError(
    ProtocolErrorCode.MissingRequiredClientCapability,
    `Missing required client capability: ${TASKS_EXTENSION}`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  );
}

/**
 * -32602 "Task not found": the same answer for an unknown id, another principal's id and a task its upstream
 * forgot, so an id tells a caller nothing about tasks that are not theirs.
 */
export function taskNotFound(): WireError {
  return new WireError(ProtocolErrorCode.InvalidParams, 'Failed to retrieve task: Task not found');
}

/** The `taskId` of a tasks/* request's params (bounded), and the other params as they came. */
export interface TaskParams {
  readonly taskId: string;
  readonly [key: string]: unknown;
}

/** A Standard Schema for tasks/* params (the SDK's 3-argument handlers validate with one): a bounded `taskId`. */
export const TASK_PARAMS: StandardSchemaV1<unknown, TaskParams> = {
  '~standard': {
    version: 1,
    vendor: 'universal-mcp',
    validate: (value) =>
      isObject(value) && typeof value['taskId'] === 'string' && value['taskId'].length <= MAX_TASK_ID
        ? { value: value as TaskParams }
        : { issues: [{ message: `taskId must be a string of at most ${MAX_TASK_ID} characters`, path: ['taskId'] }] },
  },
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** The task's time to live from its creation (the spec's `ttlMs`), or null for unlimited. */
function ttlOf(s: TaskSnapshot): number | null {
  return s.expiresAt === null ? null : Math.max(1, Math.round(s.expiresAt - s.createdAt));
}

/**
 * What a downstream client sees of a task's status: `lost` (the upstream forgot it) is not one of the
 * spec's, and such a task is answered as not found before this is asked.
 */
type WireStatus = Exclude<TaskSnapshot['status'], 'lost'>;

/** The `Task` fields, under each revision's names for the time to live and the poll interval. */
function taskFields(s: TaskSnapshot, ttl: 'ttlMs' | 'ttl', pollInterval: 'pollIntervalMs' | 'pollInterval') {
  return {
    taskId: s.id,
    status: s.status as WireStatus,
    ...(s.statusMessage === undefined ? {} : { statusMessage: s.statusMessage }),
    createdAt: iso(s.createdAt),
    lastUpdatedAt: iso(s.updatedAt),
    [ttl]: ttlOf(s),
    ...(s.pollIntervalMs === undefined ? {} : { [pollInterval]: Math.max(1, Math.round(s.pollIntervalMs)) }),
  };
}

/** The 2026 `Task` fields (flat, `ttlMs`/`pollIntervalMs`). */
const task2026 = (s: TaskSnapshot): Record<string, unknown> => taskFields(s, 'ttlMs', 'pollIntervalMs');

/** A 2026 `tools/call` answer that made a task: `CreateTaskResult`, flat, no result/error/input. */
export function createTaskResult(s: TaskSnapshot): Record<string, unknown> {
  return { resultType: 'task', ...task2026(s) };
}

/** The error a failed task carries: the upstream's JSON-RPC code when it gave one, else internal. */
function errorOf(s: TaskSnapshot): { code: number; message: string } {
  return { code: s.error?.rpcCode ?? ProtocolErrorCode.InternalError, message: s.error?.message ?? 'Task failed' };
}

/** A 2026 `tasks/get` answer: `DetailedTask`, with the result, error or input requests of its status inlined. */
export function detailedTask(s: TaskSnapshot): Record<string, unknown> {
  const base = { resultType: 'complete', ...task2026(s) };
  if (s.status === 'completed' && s.result !== undefined) return { ...base, result: boundResult(s.result) };
  if (s.status === 'failed') return { ...base, error: errorOf(s) };
  if (s.status === 'input_required')
    return {
      ...base,
      inputRequests: boundResult(
        Object.fromEntries(s.pendingInput.map((r) => [r.key, { method: r.method, params: r.params }])),
      ),
    };
  return base;
}

/** The 2025-11-25 `Task` (nested under `task` in a create result; `ttl`/`pollInterval`). */
export function task2025(s: TaskSnapshot): Record<string, unknown> {
  return taskFields(s, 'ttl', 'pollInterval');
}

/** A failed task's error as the 2025 `tasks/result` JSON-RPC error. */
export function failedError(s: TaskSnapshot): WireError {
  const { code, message } = errorOf(s);
  return new WireError(code, message);
}
