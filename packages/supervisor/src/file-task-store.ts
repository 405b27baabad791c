// Task records in one JSON file, like the pins file (pin-store.ts): written 0600 in a 0700 directory through a
// temporary file and a rename, bounded in size, and a corrupt file is an error, never silently reset (a reset
// would lose the only copy of task ids a 2026 server will never list again). Processes may share the file: each
// write applies only this store's own changes to what is on disk, under a lock file (file-lock.ts).
import { open } from 'node:fs/promises';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { writeFileAtomic } from './atomic-file.js';
import { withFileLock } from './file-lock.js';
import {
  MAX_TASK_RECORDS,
  TaskRecords,
  parseTaskRecord,
  type TaskRecord,
  type TaskStore,
  type TaskStoreOptions,
} from './task-store.js';

/** A tasks file larger than this is refused rather than read into memory (and never written). */
export const MAX_TASKS_BYTES = 32 * 1024 * 1024;

/** The tasks file's format. */
interface TasksFile {
  readonly version: 1;
  readonly tasks: readonly TaskRecord[];
}

async function readBounded(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_TASKS_BYTES) throw new Error(`larger than ${MAX_TASKS_BYTES} bytes`);
    // Read at most one byte past the size seen: a file growing meanwhile is refused, not read without bound.
    const buffer = Buffer.alloc(size + 1);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read > size) throw new Error('changed while being read');
    return buffer.toString('utf8', 0, read);
  } finally {
    await handle.close();
  }
}

function parseTasksFile(value: unknown, maxRecords: number): TaskRecord[] {
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1)
    throw new Error('expected { "version": 1, "tasks": [...] }');
  const tasks = (value as { tasks?: unknown }).tasks;
  if (!Array.isArray(tasks)) throw new Error('"tasks" must be an array');
  if (tasks.length > maxRecords) throw new Error(`more than ${maxRecords} tasks`);
  return tasks.map((task, i) => {
    try {
      return parseTaskRecord(task);
    } catch (err) {
      throw new Error(`tasks[${i}]: ${(err as Error).message}`, { cause: err });
    }
  });
}

/** One change of this store's, not yet in the file: a record put, or (null) deleted. */
interface Change {
  readonly server: string;
  readonly taskId: string;
  readonly record: TaskRecord | null;
}

const keyOf = (server: string, taskId: string): string => `${server}\u0000${taskId}`;

/**
 * A {@link TaskStore} in a JSON file. The file is read on first use; records that expired are dropped then.
 * Writes are serialized and coalesced: puts made while a write runs share the next write, so no record is lost
 * and a burst of puts costs two writes, not one each. Several stores (in several processes) may share a file:
 * a write takes the file's lock, reads it, applies the records this store put or deleted since its last write,
 * and writes the result, so nobody's records are lost. A store's own `list()` shows what it read plus its changes.
 */
export class FileTaskStore implements TaskStore {
  /** The tasks file's path. */
  readonly path: string;
  readonly #options: TaskStoreOptions;
  #loaded: Promise<TaskRecords> | undefined;
  /** The write running or last run (never rejects: its callers see the error). */
  #writing: Promise<void> = Promise.resolve();
  /** The write queued behind it, not started yet: later changes join it. */
  #queued: Promise<void> | undefined;
  /** What this store put (the record) or deleted (null) since its last write, by server and task id. */
  #changes = new Map<string, Change>();

  constructor(path: string, options: TaskStoreOptions = {}) {
    this.path = path;
    this.#options = options;
  }

  /** Reads the file (once); throws `CONFIG_INVALID` when it is unreadable, and on every later use too. */
  load(): Promise<TaskRecords> {
    this.#loaded ??= this.#read();
    return this.#loaded;
  }

  async put(record: TaskRecord): Promise<void> {
    const records = await this.load();
    records.put(record);
    this.#changes.set(keyOf(record.server, record.taskId), { server: record.server, taskId: record.taskId, record });
    await this.#persist();
  }

  async get(server: string, taskId: string): Promise<TaskRecord | undefined> {
    return (await this.load()).get(server, taskId);
  }

  async delete(server: string, taskId: string): Promise<boolean> {
    const records = await this.load();
    const deleted = records.delete(server, taskId);
    if (!deleted) return false;
    this.#changes.set(keyOf(server, taskId), { server, taskId, record: null });
    await this.#persist();
    return deleted;
  }

  async list(server?: string): Promise<TaskRecord[]> {
    return (await this.load()).list(server);
  }

  /** The file's records (none when there is no file); `CONFIG_INVALID` when it is unreadable. */
  async #read(): Promise<TaskRecords> {
    const records = new TaskRecords(this.#options);
    try {
      const text = await readBounded(this.path);
      if (text === undefined) return records;
      const max = this.#options.maxRecords ?? MAX_TASK_RECORDS;
      for (const record of parseTasksFile(JSON.parse(text), max)) records.put(record);
    } catch (err) {
      throw new UniversalMcpError(
        ErrorCode.CONFIG_INVALID,
        `Tasks file ${this.path} is unreadable (${(err as Error).message}); fix or remove it`,
        { cause: err, details: { field: 'tasks', file: this.path } },
      );
    }
    // The expired ones stay in the file until the next write (a read never writes).
    records.dropExpired();
    return records;
  }

  #persist(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const next = this.#writing.then(() => {
      // From here on, a change needs a write of its own: this one may have taken the changes before it.
      this.#queued = undefined;
      return withFileLock(this.path, () => this.#merge());
    });
    this.#queued = next;
    this.#writing = next.catch(() => undefined);
    return next;
  }

  /** Applies this store's changes to the file as it is now (the lock is held). */
  async #merge(): Promise<void> {
    const changes = this.#changes;
    this.#changes = new Map();
    try {
      const disk = await this.#read();
      for (const { server, taskId, record } of changes.values())
        if (record === null) disk.delete(server, taskId);
        else disk.put(record);
      await this.#write(disk.list());
    } catch (err) {
      // Not written: the next write carries these changes again, unless a newer change replaced them.
      for (const [key, change] of changes) if (!this.#changes.has(key)) this.#changes.set(key, change);
      throw err;
    }
  }

  async #write(tasks: readonly TaskRecord[]): Promise<void> {
    const file: TasksFile = { version: 1, tasks };
    const text = `${JSON.stringify(file)}\n`;
    // A file the loader would refuse would stop the next start: keep the old one instead.
    if (Buffer.byteLength(text) > MAX_TASKS_BYTES)
      throw new UniversalMcpError(
        ErrorCode.CONFIG_INVALID,
        `Tasks not written to ${this.path}: larger than ${MAX_TASKS_BYTES} bytes`,
        { details: { field: 'tasks', file: this.path } },
      );
    await writeFileAtomic(this.path, text);
  }
}
