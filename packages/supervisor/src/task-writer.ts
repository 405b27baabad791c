import type { Logger } from 'pino';
import { taskTag, type TaskEntry } from './task-record.js';
import type { TaskStore } from './task-store.js';

/**
 * A client's writes to its task store: a task's record on create, on a status change and on answered input (never
 * per poll), its removal at the end. A failed write is logged, never thrown (the task goes on, only less durable);
 * `settled()` lets a new task's start and `close()` wait for what was written so far.
 */
export class TaskWriter {
  readonly #store: TaskStore;
  readonly #log: Logger;
  readonly #writes = new Set<Promise<void>>();

  constructor(store: TaskStore, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  /** Writes the task's record (a task the server answered at once, or a lost one, has none). */
  put(entry: TaskEntry): void {
    const record = entry.record();
    if (record !== undefined) this.#track(this.#store.put(record), entry, 'task not stored');
  }

  /** Removes the task's record. */
  forget(entry: TaskEntry): void {
    const { server, taskId } = entry.start;
    if (taskId !== undefined) this.#track(this.#store.delete(server, taskId), entry, 'task not removed from the store');
  }

  /** Resolves once every write made so far has ended. */
  settled(): Promise<void> {
    return Promise.all(this.#writes).then(() => undefined);
  }

  #track(write: Promise<unknown>, entry: TaskEntry, failed: string): void {
    const done = write.then(
      () => undefined,
      (err: unknown) => this.#log.error({ err, task: taskTag(entry.id) }, failed),
    );
    this.#writes.add(done);
    void done.finally(() => this.#writes.delete(done));
  }
}
