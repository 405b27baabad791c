// One timer for every task of a client: a min-heap of (time, key), so 1,000 tasks cost one pending setTimeout,
// not 1,000. A key scheduled again replaces its earlier time (the stale heap entry is skipped when it surfaces).

/** The longest wait between polls of a task whose polls fail. */
const MAX_BACKOFF_MS = 60_000;
/** The longest delay a Node timer holds: past it Node fires after 1 ms (a timer that would spin). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The wait before the next poll of a task whose last `failures` polls failed: doubling, at most a minute. */
export function backoffMs(intervalMs: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(failures, 10));
}

interface Item {
  readonly at: number;
  readonly key: string;
}

/** Keys due at times (epoch ms, `now`'s clock); `due` is called with each key whose time came, earliest first. */
export class TaskSchedule {
  readonly #heap: Item[] = [];
  /** The time each scheduled key is due: the heap's other entries for a key are stale. */
  readonly #at = new Map<string, number>();
  readonly #due: (key: string) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #closed = false;

  constructor(due: (key: string) => void, now: () => number = Date.now) {
    this.#due = due;
    this.#now = now;
  }

  /** Makes `key` due at `at` (replacing any earlier time). */
  set(key: string, at: number): void {
    if (this.#closed) return;
    this.#at.set(key, at);
    this.#push({ at, key });
    this.#arm();
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#at.delete(key);
  }

  has(key: string): boolean {
    return this.#at.has(key);
  }

  /** Keys scheduled. */
  get size(): number {
    return this.#at.size;
  }

  /** Stops the timer for good. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#heap.length = 0;
    this.#at.clear();
  }

  #arm(): void {
    const top = this.#heap[0];
    if (top === undefined || top.at >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = top.at;
    // Clamped: a far time (a deadline of weeks) fires early once, finds nothing due and re-arms; unref'd: a
    // scheduled poll never keeps the process alive on its own.
    this.#timer = setTimeout(() => this.#fire(), Math.min(MAX_TIMER_MS, Math.max(0, top.at - this.#now())));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#now();
    const due: string[] = [];
    for (let top = this.#heap[0]; top !== undefined && top.at <= now; top = this.#heap[0]) {
      this.#pop();
      if (this.#at.get(top.key) !== top.at) continue; // stale: scheduled again, or deleted
      this.#at.delete(top.key);
      due.push(top.key);
    }
    this.#arm();
    for (const key of due) this.#due(key);
  }

  #push(item: Item): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as Item;
      if (above.at <= item.at) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = item;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = heap[2 * i + 1];
      const right = heap[2 * i + 2];
      if (left === undefined) break;
      const [child, at] = right !== undefined && right.at < left.at ? [right, 2 * i + 2] : [left, 2 * i + 1];
      if (child.at >= last.at) break;
      heap[i] = child;
      i = at;
    }
    heap[i] = last;
  }
}
