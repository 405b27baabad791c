import { describe, expect, it } from 'vitest';
import { ErrorCode, isUniversalMcpError } from '../src/errors.js';
import { PROTOCOL_2025, PROTOCOL_2026 } from '../src/protocol-era.js';
import type { ProtocolEra } from '../src/protocol-era.js';
import {
  DEFAULT_POLL_INTERVAL_MS,
  MAX_POLL_INTERVAL_MS,
  MAX_STATUS_MESSAGE,
  MAX_TASK_ID,
  MAX_TASK_TTL_MS,
  MIN_POLL_INTERVAL_MS,
  TASKS_EXTENSION,
  clampPollInterval,
  isTerminalStatus,
} from '../src/task-status.js';
import {
  advertisesTasks,
  isTaskResult,
  readCreateTask,
  readTaskError,
  readTaskState,
  relatedTaskId,
  taskAugmentation2025,
  taskCancelRequest,
  taskGetRequest,
  taskResultRequest,
  taskUpdateRequest,
  withTasksExtension,
} from '../src/task-wire.js';

// The spec's examples (2026-07-28 extension draft; 2025-11-25 basic/utilities/tasks).
// The fields both eras name alike; the two eras differ in the ttl and interval names only.
const shared = {
  taskId: '786512e2-9e0d-44bd-8f29-789f320fe840',
  status: 'working',
  statusMessage: 'The operation is now in progress.',
  createdAt: '2025-11-25T10:30:00Z',
  lastUpdatedAt: '2025-11-25T10:40:00Z',
};
const info = { ...shared, ttlMs: 60_000, pollIntervalMs: 5_000 };
const create2026 = { resultType: 'task', ...info, _meta: { x: 1 } };
const task2025 = { ...shared, ttl: 60_000, pollInterval: 5_000 };
const toolResult = { content: [{ type: 'text', text: 'done' }], isError: false };

/** The `details.reason` of the INVALID_RESULT error `run` throws (fails when it throws anything else). */
function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    if (!isUniversalMcpError(err, ErrorCode.INVALID_RESULT)) throw err;
    return err.details?.reason;
  }
  throw new Error('did not throw');
}

const nest = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) v = { v };
  return v;
};

describe('isTaskResult', () => {
  it.each<[string, ProtocolEra, unknown, boolean]>([
    ['2026 flat task', PROTOCOL_2026, create2026, true],
    ['2026 complete result', PROTOCOL_2026, { resultType: 'complete', content: [] }, false],
    ['2026 result without resultType', PROTOCOL_2026, { content: [] }, false],
    ['2026 input_required', PROTOCOL_2026, { resultType: 'input_required', inputRequests: {} }, false],
    ['2026 nested 2025 shape is not a 2026 task', PROTOCOL_2026, { task: task2025 }, false],
    ['2025 nested task', PROTOCOL_2025, { task: task2025 }, true],
    ['2025 SDK v2 server: content and task', PROTOCOL_2025, { content: [], task: task2025 }, true],
    ['2025 flat resultType is not a 2025 task', PROTOCOL_2025, create2026, false],
    ['2025 task that is not an object', PROTOCOL_2025, { task: 'x' }, false],
    ['null', PROTOCOL_2026, null, false],
    ['array', PROTOCOL_2025, [create2026], false],
  ])('%s', (_name, era, raw, expected) => {
    expect(isTaskResult(raw, era)).toBe(expected);
  });
});

describe('readCreateTask', () => {
  it('reads both eras into the same TaskInfo', () => {
    expect(readCreateTask(create2026, PROTOCOL_2026)).toEqual(info);
    expect(readCreateTask({ task: task2025, _meta: {} }, PROTOCOL_2025)).toEqual(info);
  });

  it('reads a 2026 null ttl as unlimited and a missing poll interval as the default', () => {
    const { pollIntervalMs: _p, ...rest } = create2026;
    expect(readCreateTask({ ...rest, ttlMs: null }, PROTOCOL_2026)).toMatchObject({
      ttlMs: null,
      pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    });
  });

  it('reads a 2025 task without ttl as unlimited (2026 requires the key)', () => {
    const { ttl: _t, ...rest } = task2025;
    expect(readCreateTask({ task: rest }, PROTOCOL_2025).ttlMs).toBeNull();
    const { ttlMs: _m, ...rest26 } = create2026;
    expect(reasonOf(() => readCreateTask(rest26, PROTOCOL_2026))).toBe('invalid-task');
  });

  it.each<[string, ProtocolEra, unknown, string]>([
    ['not an object', PROTOCOL_2026, 'task', 'invalid-task'],
    ['2026 nested task wrapper', PROTOCOL_2026, { ...create2026, task: task2025 }, 'invalid-task'],
    ['2026 wrong resultType', PROTOCOL_2026, { ...create2026, resultType: 'complete' }, 'invalid-task'],
    ['2026 v1 field names only', PROTOCOL_2026, { resultType: 'task', ...task2025 }, 'invalid-task'],
    ['2025 without task', PROTOCOL_2025, { content: [] }, 'invalid-task'],
    ['unknown status', PROTOCOL_2026, { ...create2026, status: 'paused' }, 'unknown-task-status'],
    ['status of the wrong type', PROTOCOL_2026, { ...create2026, status: 3 }, 'invalid-task'],
    ['2025 unknown status', PROTOCOL_2025, { task: { ...task2025, status: 'WORKING' } }, 'unknown-task-status'],
    ['no task id', PROTOCOL_2026, { ...create2026, taskId: undefined }, 'invalid-task-id'],
    ['empty task id', PROTOCOL_2026, { ...create2026, taskId: '' }, 'invalid-task-id'],
    ['numeric task id', PROTOCOL_2025, { task: { ...task2025, taskId: 42 } }, 'invalid-task-id'],
    ['task id too long', PROTOCOL_2026, { ...create2026, taskId: 'a'.repeat(MAX_TASK_ID + 1) }, 'invalid-task-id'],
    ['task id with CRLF (header injection)', PROTOCOL_2026, { ...create2026, taskId: 'a\r\nX: y' }, 'invalid-task-id'],
    ['task id with a space', PROTOCOL_2026, { ...create2026, taskId: 'a b' }, 'invalid-task-id'],
    ['task id with non-ASCII', PROTOCOL_2026, { ...create2026, taskId: 'tâche' }, 'invalid-task-id'],
    ['missing createdAt', PROTOCOL_2026, { ...create2026, createdAt: undefined }, 'invalid-task'],
    ['createdAt not a date', PROTOCOL_2026, { ...create2026, createdAt: 'yesterday' }, 'invalid-task'],
    ['huge lastUpdatedAt', PROTOCOL_2025, { task: { ...task2025, lastUpdatedAt: '2'.repeat(10_000) } }, 'invalid-task'],
    ['negative ttl', PROTOCOL_2026, { ...create2026, ttlMs: -1 }, 'invalid-task'],
    ['ttl as a string', PROTOCOL_2025, { task: { ...task2025, ttl: '60000' } }, 'invalid-task'],
    ['ttl NaN-like', PROTOCOL_2026, { ...create2026, ttlMs: Number.NaN }, 'invalid-task'],
  ])('refuses %s', (_name, era, raw, reason) => {
    expect(reasonOf(() => readCreateTask(raw, era))).toBe(reason);
  });

  it('bounds the ttl, the status message, and keeps the id exactly at the limit', () => {
    const id = '~'.repeat(MAX_TASK_ID);
    const read = readCreateTask(
      { ...create2026, taskId: id, ttlMs: 10 * MAX_TASK_TTL_MS, statusMessage: `a\n\n${'x'.repeat(100_000)}` },
      PROTOCOL_2026,
    );
    expect(read.taskId).toBe(id);
    expect(read.ttlMs).toBe(MAX_TASK_TTL_MS);
    expect(read.statusMessage!.length).toBeLessThan(MAX_STATUS_MESSAGE + 64);
    expect(read.statusMessage!.startsWith('a x')).toBe(true);
    expect(readCreateTask({ ...create2026, statusMessage: 7 }, PROTOCOL_2026).statusMessage).toBeUndefined();
  });

  it.each([
    [0, DEFAULT_POLL_INTERVAL_MS],
    [-5, DEFAULT_POLL_INTERVAL_MS],
    [Number.POSITIVE_INFINITY, DEFAULT_POLL_INTERVAL_MS],
    ['500', DEFAULT_POLL_INTERVAL_MS],
    [null, DEFAULT_POLL_INTERVAL_MS],
    [1, MIN_POLL_INTERVAL_MS],
    [99.6, MIN_POLL_INTERVAL_MS],
    [250.4, 250],
    [86_400_000, MAX_POLL_INTERVAL_MS],
  ])('clamps a poll interval of %s to %s ms, in both eras', (asked, used) => {
    expect(clampPollInterval(asked)).toBe(used);
    expect(readCreateTask({ ...create2026, pollIntervalMs: asked }, PROTOCOL_2026).pollIntervalMs).toBe(used);
    expect(readCreateTask({ task: { ...task2025, pollInterval: asked } }, PROTOCOL_2025).pollIntervalMs).toBe(used);
  });
});

describe('readTaskState (2026 tasks/get: DetailedTask)', () => {
  const get = { resultType: 'complete', ...info };

  it.each([
    ['working', { ...get }, info],
    ['cancelled', { ...get, status: 'cancelled' }, { ...info, status: 'cancelled' }],
    ['without resultType', { ...info }, info],
    [
      'completed with its result',
      { ...get, status: 'completed', result: toolResult },
      { ...info, status: 'completed', result: toolResult },
    ],
    [
      'completed with a tool error (isError is a result, not a failure)',
      { ...get, status: 'completed', result: { content: [], isError: true } },
      { ...info, status: 'completed', result: { content: [], isError: true } },
    ],
    [
      'failed with its JSON-RPC error',
      { ...get, status: 'failed', error: { code: -32603, message: 'boom', data: { at: 'step 2' } } },
      { ...info, status: 'failed', error: { code: -32603, message: 'boom', data: { at: 'step 2' } } },
    ],
    ['failed without error', { ...get, status: 'failed' }, { ...info, status: 'failed' }],
    [
      'input_required with its requests',
      {
        ...get,
        status: 'input_required',
        inputRequests: {
          name: { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object' } } },
          roots: { method: 'roots/list' },
        },
      },
      {
        ...info,
        status: 'input_required',
        inputRequests: {
          name: { method: 'elicitation/create', params: { message: 'Name?', requestedSchema: { type: 'object' } } },
          roots: { method: 'roots/list', params: {} },
        },
      },
    ],
    [
      'a status ignores the fields of another (a working task with a result)',
      { ...get, result: toolResult, error: { code: 1, message: 'x' }, inputRequests: { a: 1 } },
      info,
    ],
  ])('%s', (_name, raw, expected) => {
    expect(readTaskState(raw, PROTOCOL_2026)).toEqual(expected);
  });

  it.each([
    ['not an object', 'x'],
    ['resultType task (a create result, not a get answer)', { ...get, resultType: 'task' }],
    ['completed without result', { ...get, status: 'completed' }],
    ['completed with a result that is not an object', { ...get, status: 'completed', result: [1] }],
    [
      'completed with an input_required result',
      { ...get, status: 'completed', result: { resultType: 'input_required' } },
    ],
    ['completed with a result nested too deep', { ...get, status: 'completed', result: { deep: nest(100) } }],
    ['failed with an error without integer code', { ...get, status: 'failed', error: { code: '1', message: 'x' } }],
    ['input_required with inputRequests not an object', { ...get, status: 'input_required', inputRequests: [] }],
    ['input_required with a request without method', { ...get, status: 'input_required', inputRequests: { a: {} } }],
    [
      'input_required with params that are not an object',
      { ...get, status: 'input_required', inputRequests: { a: { method: 'roots/list', params: 'x' } } },
    ],
    [
      'input_required with a key too long',
      { ...get, status: 'input_required', inputRequests: { ['k'.repeat(300)]: { method: 'roots/list' } } },
    ],
    [
      'input_required with too many requests',
      {
        ...get,
        status: 'input_required',
        inputRequests: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, { method: 'roots/list' }])),
      },
    ],
  ])('refuses %s', (_name, raw) => {
    expect(reasonOf(() => readTaskState(raw, PROTOCOL_2026))).toBe('invalid-task');
  });

  it('refuses an unknown status with its own reason', () => {
    expect(reasonOf(() => readTaskState({ ...get, status: 'done' }, PROTOCOL_2026))).toBe('unknown-task-status');
  });

  it('takes the input request limit from its caller', () => {
    const raw = {
      ...get,
      status: 'input_required',
      inputRequests: { a: { method: 'roots/list' }, b: { method: 'x' } },
    };
    expect(reasonOf(() => readTaskState(raw, PROTOCOL_2026, undefined, { maxInputRequests: 1 }))).toBe('invalid-task');
    expect(Object.keys(readTaskState(raw, PROTOCOL_2026).inputRequests!)).toEqual(['a', 'b']);
  });

  it("bounds a failed task's error message and data", () => {
    const read = readTaskState(
      { ...get, status: 'failed', error: { code: -32000, message: 'm'.repeat(50_000), data: { deep: nest(100) } } },
      PROTOCOL_2026,
    );
    expect(read.error!.message.length).toBeLessThan(400);
    expect(JSON.stringify(read.error!.data)).toContain('[cut:');
    expect(readTaskError({ code: 5 })).toEqual({ code: 5, message: '' });
  });
});

describe('readTaskState (2025 tasks/get, then tasks/result)', () => {
  const related = (taskId: string): Record<string, unknown> => ({
    'io.modelcontextprotocol/related-task': { taskId },
  });

  it.each([
    ['working, no payload', task2025, undefined, info],
    ['completed, no payload yet', { ...task2025, status: 'completed' }, undefined, { ...info, status: 'completed' }],
    [
      'completed with the tasks/result answer',
      { ...task2025, status: 'completed' },
      { ...toolResult, _meta: related(task2025.taskId) },
      { ...info, status: 'completed', result: { ...toolResult, _meta: related(task2025.taskId) } },
    ],
    [
      'failed with a tool error result (2025 semantics)',
      { ...task2025, status: 'failed' },
      { content: [], isError: true },
      { ...info, status: 'failed', result: { content: [], isError: true } },
    ],
    [
      'the 2025 cancel answer (the cancelled task)',
      { ...task2025, status: 'cancelled', _meta: {} },
      undefined,
      { ...info, status: 'cancelled' },
    ],
  ])('%s', (_name, raw, payload, expected) => {
    expect(readTaskState(raw, PROTOCOL_2025, payload)).toEqual(expected);
  });

  it('reads 2026 field names in a 2025 answer as absent (unlimited ttl, default interval)', () => {
    expect(readTaskState({ ...info }, PROTOCOL_2025)).toMatchObject({
      ttlMs: null,
      pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    });
  });

  it.each([
    ['an unknown status', { ...task2025, status: 'input-required' }, undefined, 'unknown-task-status'],
    [
      'a payload for another task',
      { ...task2025, status: 'completed' },
      { ...toolResult, _meta: related('other') },
      'invalid-task',
    ],
    ['a payload that is not an object', { ...task2025, status: 'completed' }, 'done', 'invalid-task'],
  ])('refuses %s', (_name, raw, payload, reason) => {
    expect(reasonOf(() => readTaskState(raw, PROTOCOL_2025, payload))).toBe(reason);
  });

  it('puts no task id in its error messages (ids are bearer tokens)', () => {
    const messageOf = (run: () => unknown): string => {
      try {
        run();
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('did not throw');
    };
    const bad = messageOf(() => readCreateTask({ ...create2026, taskId: 'secret\u00e9' }, PROTOCOL_2026));
    expect(bad).not.toContain('secret');
    const done = { ...task2025, status: 'completed' };
    const other = messageOf(() => readTaskState(done, PROTOCOL_2025, { ...toolResult, _meta: related('secret-2') }));
    expect(other).not.toContain('secret-2');
  });

  it('reads the related task id only when usable', () => {
    expect(relatedTaskId({ _meta: related('t-1') })).toBe('t-1');
    expect(relatedTaskId({ _meta: related('a\nb') })).toBeUndefined();
    expect(relatedTaskId({ _meta: { 'io.modelcontextprotocol/related-task': 'x' } })).toBeUndefined();
    expect(relatedTaskId(toolResult)).toBeUndefined();
  });
});

describe('requests', () => {
  it.each([
    ['tasks/get', () => taskGetRequest('t-1'), { method: 'tasks/get', params: { taskId: 't-1' } }],
    ['tasks/cancel', () => taskCancelRequest('t-1'), { method: 'tasks/cancel', params: { taskId: 't-1' } }],
    ['tasks/result (2025)', () => taskResultRequest('t-1'), { method: 'tasks/result', params: { taskId: 't-1' } }],
    [
      'tasks/update',
      () => taskUpdateRequest('t-1', { name: { action: 'accept', content: { input: 'Luca' } } }),
      {
        method: 'tasks/update',
        params: { taskId: 't-1', inputResponses: { name: { action: 'accept', content: { input: 'Luca' } } } },
      },
    ],
  ])('builds %s', (_name, build, expected) => {
    expect(build()).toEqual(expected);
  });

  it.each([
    ['', taskGetRequest],
    ['a\r\nb', taskCancelRequest],
    ['x'.repeat(MAX_TASK_ID + 1), taskResultRequest],
    ['a b', (id: string) => taskUpdateRequest(id, {})],
  ])('refuses the task id %j', (id, build) => {
    expect(reasonOf(() => build(id))).toBe('invalid-task-id');
  });

  it.each([
    [undefined, {}],
    [0, {}],
    [-1, {}],
    [Number.NaN, {}],
    [60_000.7, { ttl: 60_000 }],
  ])('2025 params.task for a ttl of %s', (ttl, expected) => {
    expect(taskAugmentation2025(ttl)).toEqual(expected);
  });
});

describe('the extension declaration', () => {
  it('adds Tasks to the client capabilities, keeping the rest, without touching the input', () => {
    const caps = { sampling: {}, extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html'] } } };
    const declared = withTasksExtension(caps);
    expect(declared).toEqual({
      sampling: {},
      extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html'] }, [TASKS_EXTENSION]: {} },
    });
    expect(caps.extensions).not.toHaveProperty(TASKS_EXTENSION);
    expect(withTasksExtension({})).toEqual({ extensions: { 'io.modelcontextprotocol/tasks': {} } });
  });

  it.each([
    [{ extensions: { [TASKS_EXTENSION]: {} } }, true],
    [{ extensions: { [TASKS_EXTENSION]: true } }, false],
    [{ tasks: { requests: { tools: { call: {} } } } }, false],
    [{}, false],
    [null, false],
  ])('reads a server advertising it: %j', (caps, expected) => {
    expect(advertisesTasks(caps)).toBe(expected);
  });
});

describe('statuses', () => {
  it.each([
    ['working', false],
    ['input_required', false],
    ['completed', true],
    ['failed', true],
    ['cancelled', true],
  ] as const)('%s is terminal: %s', (status, terminal) => {
    expect(isTerminalStatus(status)).toBe(terminal);
  });
});
