/**
 * A server's first `ready`, as a promise settled once: resolved at the first ready connection, or
 * rejected with the first attempt's error (`failFirstAttempt`), when given up, or when stopped first.
 */
export class FirstReady {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (err: unknown) => void;
  #settled = false;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.promise.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  }

  /** True once resolved or rejected. */
  get settled(): boolean {
    return this.#settled;
  }

  resolve(): void {
    this.#settled = true;
    this.#resolve();
  }

  reject(err: unknown): void {
    this.#settled = true;
    this.#reject(err);
  }

  /** Rejects with `err` unless already settled. */
  rejectUnsettled(err: unknown): void {
    if (!this.#settled) this.reject(err);
  }
}
