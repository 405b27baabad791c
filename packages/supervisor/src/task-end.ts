// The tasks that ended, as `tasks()` and `task(id)` still show them: bounded in count and in the total size of
// the results they hold (each result may be as large as a message), oldest dropped first.
import type { TaskEntry } from './task-record.js';

/** Ended tasks `tasks()` still lists, most recent last. */
export const MAX_ENDED_TASKS = 1000;
/** The total size (JSON characters) of the results the ended tasks keep. */
export const MAX_ENDED_RESULT_CHARS = 64 * 1024 * 1024;

/** Recently ended tasks by id; `dropped` hears of each one let go (so the store can forget it too). */
export class EndedTasks {
  readonly #entries = new Map<string, { readonly entry: TaskEntry; readonly size: number }>();
  readonly #dropped: (entry: TaskEntry) => void;
  readonly #maxChars: number;
  #chars = 0;

  constructor(dropped: (entry: TaskEntry) => void, maxChars = MAX_ENDED_RESULT_CHARS) {
    this.#dropped = dropped;
    this.#maxChars = maxChars;
  }

  get(id: string): TaskEntry | undefined {
    return this.#entries.get(id)?.entry;
  }

  values(): TaskEntry[] {
    return [...this.#entries.values()].map((e) => e.entry);
  }

  /** Keeps it, dropping the oldest past either bound. */
  add(entry: TaskEntry): void {
    const size = entry.result === undefined ? 0 : JSON.stringify(entry.result).length;
    this.#entries.set(entry.id, { entry, size });
    this.#chars += size;
    for (const [id, kept] of this.#entries) {
      if (this.#entries.size <= MAX_ENDED_TASKS && this.#chars <= this.#maxChars) break;
      this.#entries.delete(id);
      this.#chars -= kept.size;
      this.#dropped(kept.entry);
    }
  }
}
