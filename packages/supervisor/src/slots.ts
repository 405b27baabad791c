/** A task waiting for a slot. */
interface Waiting {
  readonly task: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * A first-in first-out concurrency limit: what p-queue does when there is no rate limit, without
 * its per-task promise wrappers, ids and events. A task that finds a free slot runs at once and its
 * own promise is handed back; one that does not waits in line. A task given a signal settles with
 * the signal's reason when it is aborted, waiting or running (its slot is free then), as in p-queue.
 */
export class Slots {
  #concurrency: number;
  #running = 0;
  #waiting: (Waiting | undefined)[] = [];
  /** Index of the first live entry in #waiting (a moving head instead of shift()). */
  #head = 0;
  readonly isRateLimited = false;
  readonly #release = (): void => {
    this.#running -= 1;
    this.#next();
  };

  constructor(concurrency: number) {
    this.#concurrency = concurrency;
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  /** A higher limit starts waiting tasks at once; a lower one lets running tasks finish. */
  set concurrency(value: number) {
    this.#concurrency = value;
    this.#next();
  }

  /** Tasks running now. */
  get pending(): number {
    return this.#running;
  }

  /** Tasks waiting for a slot. */
  get size(): number {
    return this.#waiting.length - this.#head;
  }

  add<T>(task: () => Promise<T>, options: { signal?: AbortSignal | undefined } = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.size === 0 && this.#running < this.#concurrency) return this.#start(task, signal);
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: signal === undefined ? undefined : () => this.#abandon(entry),
      };
      if (entry.onAbort !== undefined) signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  /** Drops every waiting task without settling it (the caller settles what it handed in). */
  clear(): void {
    for (let i = this.#head; i < this.#waiting.length; i += 1) {
      const entry = this.#waiting[i];
      if (entry?.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
    }
    this.#waiting = [];
    this.#head = 0;
  }

  #start<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    this.#running += 1;
    let running: Promise<T>;
    try {
      running = task();
    } catch (err) {
      running = Promise.reject(err);
    }
    if (signal !== undefined) running = this.#raceAbort(running, signal);
    running.then(this.#release, this.#release);
    return running;
  }

  /** The task's outcome, or the signal's reason if it is aborted first. */
  #raceAbort<T>(running: Promise<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal.removeEventListener('abort', onAbort);
      running.then(
        (value) => {
          done();
          resolve(value);
        },
        (err: unknown) => {
          done();
          reject(err);
        },
      );
    });
  }

  #next(): void {
    while (this.#running < this.#concurrency && this.#head < this.#waiting.length) {
      const entry = this.#waiting[this.#head];
      this.#waiting[this.#head] = undefined;
      this.#head += 1;
      if (this.#head === this.#waiting.length) {
        this.#waiting = [];
        this.#head = 0;
      } else if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      if (entry === undefined) continue;
      if (entry.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
      this.#start(entry.task, entry.signal).then(entry.resolve, entry.reject);
    }
  }

  /** A waiting task's signal fired: out of line, rejected with the reason. */
  #abandon(entry: Waiting): void {
    const at = this.#waiting.indexOf(entry, this.#head);
    if (at === -1) return;
    this.#waiting.splice(at, 1);
    entry.reject(entry.signal?.reason);
  }
}
