// What the client remembers about the tasks servers made for it, so that a restarted client can poll them again
// (2026 servers keep no task list: a client that forgets an id has lost the task). Only what polling needs is
// kept: never the call's arguments, its result or anything a caller typed in — those can hold secrets.
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';

/** Which task protocol made the task: the 2025-11-25 experimental tasks or the 2026-07-28 extension. */
export type TaskEra = '2025-11-25' | '2026-07-28';

/** A task's status, as both eras name them. */
export type TaskRecordStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** The statuses a task record may hold. */
export const TASK_RECORD_STATUSES: readonly TaskRecordStatus[] = [
  'working',
  'input_required',
  'completed',
  'failed',
  'cancelled',
];

/** One task the client knows of. Keyed by `server` and `taskId` together. */
export interface TaskRecord {
  /** The client's own id for the task (what `client.task(id)` takes): opaque, unique. */
  readonly id: string;
  /** The configured server name the task runs on. */
  readonly server: string;
  /** The server's task id (a bearer token by spec: the store file is 0600). */
  readonly taskId: string;
  /** Which protocol made it. */
  readonly era: TaskEra;
  /** The tool called. */
  readonly tool: string;
  /** When the client learnt of the task (epoch ms, this machine's clock). */
  readonly createdAt: number;
  /** When a poll last answered for it (epoch ms). */
  readonly lastSeenAt: number;
  /**
   * When the record stops being useful (epoch ms): receipt time plus the server's ttl, by this machine's clock
   * (the server's own clock may be skewed). Null: no ttl.
   */
  readonly expiresAt: number | null;
  /** The last status seen. */
  readonly status: TaskRecordStatus;
  /** The caller's own label for the task (for lists), if it gave one. */
  readonly label?: string | undefined;
  /** Who the task is for (a gateway's principal), if the caller said. */
  readonly owner?: string | undefined;
  /** Who answers its input: the client's handlers (the default) or `respond()` (`'manual'`). */
  readonly input?: 'handlers' | 'manual' | undefined;
  /** The input request keys already answered: a resumed client never asks for them again. */
  readonly answeredKeys?: readonly string[] | undefined;
}

/**
 * Where task records persist (the client's `tasks` option will take a file path or one of these). Every method
 * may throw `CONFIG_INVALID` when what is stored is unreadable; `put` throws `QUEUE_FULL` when the store holds
 * its maximum of live records, and `INVALID_RESULT` for a record out of bounds. Expired records are never
 * returned, and dropped.
 */
export interface TaskStore {
  /** Adds or replaces the record for `record.server` and `record.taskId`; resolves once it is stored. */
  put(record: TaskRecord): Promise<void>;
  /** The record, or undefined when there is none (or it expired). */
  get(server: string, taskId: string): Promise<TaskRecord | undefined>;
  /** Removes the record; true when there was one. */
  delete(server: string, taskId: string): Promise<boolean>;
  /** Every live record, oldest first; only `server`'s when given. */
  list(server?: string): Promise<TaskRecord[]>;
}

/** Records a store holds at most (unless told otherwise). */
export const MAX_TASK_RECORDS = 10_000;
/** Longest task id kept: a longer one is refused (a server's id, so hostile input). */
export const MAX_TASK_ID_LENGTH = 512;
/** Longest server name, tool name, label, client id and input key kept. */
export const MAX_TASK_NAME_LENGTH = 256;
/** Longest owner kept (a gateway principal). */
export const MAX_TASK_OWNER_LENGTH = 1024;
/** Most answered input keys kept per task. */
export const MAX_ANSWERED_KEYS = 1024;

/** Options shared by the task stores. */
export interface TaskStoreOptions {
  /** Live records held at most; default {@link MAX_TASK_RECORDS}. */
  readonly maxRecords?: number | undefined;
  /** The clock (epoch ms); default `Date.now`. For tests. */
  readonly now?: (() => number) | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/**
 * Checks a record and copies only its known fields (a caller's object may carry more: arguments, results — those
 * must never reach the store). Throws an `Error` saying what is wrong.
 */
export function parseTaskRecord(value: unknown): TaskRecord {
  if (!isRecord(value)) throw new Error('a task record must be an object');
  const { id, server, taskId, era, tool, createdAt, lastSeenAt, expiresAt, status, label } = value;
  if (!isText(id, MAX_TASK_NAME_LENGTH)) throw new Error(`id must be 1-${MAX_TASK_NAME_LENGTH} characters`);
  if (!isText(server, MAX_TASK_NAME_LENGTH)) throw new Error(`server must be 1-${MAX_TASK_NAME_LENGTH} characters`);
  if (!isText(taskId, MAX_TASK_ID_LENGTH)) throw new Error(`taskId must be 1-${MAX_TASK_ID_LENGTH} characters`);
  if (era !== '2025-11-25' && era !== '2026-07-28') throw new Error('era must be "2025-11-25" or "2026-07-28"');
  if (!isText(tool, MAX_TASK_NAME_LENGTH)) throw new Error(`tool must be 1-${MAX_TASK_NAME_LENGTH} characters`);
  if (!isTime(createdAt) || !isTime(lastSeenAt)) throw new Error('createdAt and lastSeenAt must be epoch ms');
  if (expiresAt !== null && !isTime(expiresAt)) throw new Error('expiresAt must be epoch ms or null');
  if (!TASK_RECORD_STATUSES.includes(status as TaskRecordStatus)) throw new Error('status is not a task status');
  if (label !== undefined && !isText(label, MAX_TASK_NAME_LENGTH))
    throw new Error(`label must be 1-${MAX_TASK_NAME_LENGTH} characters`);
  const record: TaskRecord = {
    id,
    server,
    taskId,
    era,
    tool,
    createdAt,
    lastSeenAt,
    expiresAt,
    status: status as TaskRecordStatus,
  };
  return { ...record, ...(label === undefined ? {} : { label }), ...parseTaskExtras(value) };
}

/** The optional fields of a record past the label: owner, input mode, answered keys. */
function parseTaskExtras(value: Record<string, unknown>): Pick<TaskRecord, 'owner' | 'input' | 'answeredKeys'> {
  const { owner, input, answeredKeys } = value;
  if (owner !== undefined && !isText(owner, MAX_TASK_OWNER_LENGTH))
    throw new Error(`owner must be 1-${MAX_TASK_OWNER_LENGTH} characters`);
  if (input !== undefined && input !== 'handlers' && input !== 'manual')
    throw new Error('input must be "handlers" or "manual"');
  if (
    answeredKeys !== undefined &&
    (!Array.isArray(answeredKeys) ||
      answeredKeys.length > MAX_ANSWERED_KEYS ||
      !answeredKeys.every((k) => isText(k, MAX_TASK_NAME_LENGTH)))
  )
    throw new Error(`answeredKeys must be at most ${MAX_ANSWERED_KEYS} keys of 1-${MAX_TASK_NAME_LENGTH} characters`);
  return {
    ...(owner === undefined ? {} : { owner }),
    ...(input === undefined ? {} : { input }),
    ...(answeredKeys === undefined ? {} : { answeredKeys: [...(answeredKeys as string[])] }),
  };
}

const keyOf = (server: string, taskId: string): string => `${server}\u0000${taskId}`;

/**
 * The records of a store, in memory: bounds, expiry and the full check. {@link MemoryTaskStore} is this alone;
 * {@link FileTaskStore} adds the file.
 */
export class TaskRecords {
  readonly #records = new Map<string, TaskRecord>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: TaskStoreOptions = {}) {
    this.#max = options.maxRecords ?? MAX_TASK_RECORDS;
    this.#now = options.now ?? Date.now;
  }

  /** Stores a checked copy of `record`; throws `INVALID_RESULT` or `QUEUE_FULL`. */
  put(record: TaskRecord): void {
    let checked: TaskRecord;
    try {
      checked = parseTaskRecord(record);
    } catch (err) {
      throw new UniversalMcpError(ErrorCode.INVALID_RESULT, `Task record refused: ${(err as Error).message}`, {
        server: typeof record?.server === 'string' ? record.server.slice(0, MAX_TASK_NAME_LENGTH) : undefined,
        cause: err,
        details: { reason: 'task-record-invalid' },
      });
    }
    const key = keyOf(checked.server, checked.taskId);
    if (!this.#records.has(key) && this.#records.size >= this.#max) {
      this.dropExpired();
      if (this.#records.size >= this.#max)
        throw new UniversalMcpError(
          ErrorCode.QUEUE_FULL,
          `Task store is full (${this.#max} tasks); wait for tasks to end or remove some`,
          { server: checked.server, details: { queued: this.#records.size } },
        );
    }
    // Delete first so that a replaced record moves to the end: `list` is oldest write first.
    this.#records.delete(key);
    this.#records.set(key, checked);
  }

  get(server: string, taskId: string): TaskRecord | undefined {
    const record = this.#records.get(keyOf(server, taskId));
    if (record === undefined || !this.#expired(record)) return record;
    this.#records.delete(keyOf(server, taskId));
    return undefined;
  }

  delete(server: string, taskId: string): boolean {
    return this.#records.delete(keyOf(server, taskId));
  }

  list(server?: string): TaskRecord[] {
    this.dropExpired();
    const all = [...this.#records.values()];
    return server === undefined ? all : all.filter((r) => r.server === server);
  }

  /** Drops expired records; true when any was dropped. */
  dropExpired(): boolean {
    let dropped = false;
    for (const [key, record] of this.#records)
      if (this.#expired(record)) {
        this.#records.delete(key);
        dropped = true;
      }
    return dropped;
  }

  #expired(record: TaskRecord): boolean {
    return record.expiresAt !== null && record.expiresAt <= this.#now();
  }
}

/** A {@link TaskStore} in memory only: tasks are forgotten with the process. */
export class MemoryTaskStore implements TaskStore {
  readonly #records: TaskRecords;

  constructor(options: TaskStoreOptions = {}) {
    this.#records = new TaskRecords(options);
  }

  put(record: TaskRecord): Promise<void> {
    return new Promise((resolve) => {
      this.#records.put(record);
      resolve();
    });
  }

  get(server: string, taskId: string): Promise<TaskRecord | undefined> {
    return Promise.resolve(this.#records.get(server, taskId));
  }

  delete(server: string, taskId: string): Promise<boolean> {
    return Promise.resolve(this.#records.delete(server, taskId));
  }

  list(server?: string): Promise<TaskRecord[]> {
    return Promise.resolve(this.#records.list(server));
  }
}
