// How many polls of one server run at once: at most `max`; the others wait in order for a slot. 1,000 tasks on one
// server due in the same second then make `max` requests at a time, not 1,000.

/** Per-server slots for task polls. */
export class PollSlots {
  readonly #max: number;
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, (() => void)[]>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Runs `poll` now if `server` has a free slot, else once one frees; the slot is held until `poll` settles. */
  run(server: string, poll: () => Promise<void>): void {
    const running = this.#running.get(server) ?? 0;
    if (running >= this.#max) {
      const queue = this.#waiting.get(server) ?? [];
      queue.push(() => this.run(server, poll));
      this.#waiting.set(server, queue);
      return;
    }
    this.#running.set(server, running + 1);
    void poll().finally(() => {
      const left = (this.#running.get(server) ?? 1) - 1;
      if (left === 0) this.#running.delete(server);
      else this.#running.set(server, left);
      const queue = this.#waiting.get(server);
      const next = queue?.shift();
      if (queue?.length === 0) this.#waiting.delete(server);
      next?.();
    });
  }

  /** Polls of `server` running now. */
  running(server: string): number {
    return this.#running.get(server) ?? 0;
  }
}
