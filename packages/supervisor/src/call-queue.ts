import PQueue from 'p-queue';
import { ErrorCode, UniversalMcpError, type QueuePolicy } from '@universal-mcp/core';
import { Slots } from './slots.js';

/** A rate limit is set: p-queue's interval and cap apply. */
const rateLimited = (policy: QueuePolicy): boolean => policy.intervalCap !== undefined && policy.interval !== 0;

/**
 * One server's call queue: a concurrency limit ({@link Slots}; p-queue when a rate limit is set),
 * plus a bounded backlog (a full backlog rejects at once with `QUEUE_FULL`) and a close that
 * rejects every waiting call (p-queue's own `clear()` would leave their promises pending forever).
 */
export class CallQueue {
  readonly #server: string;
  #queue: PQueue | Slots;
  #maxQueued: number;
  #policy: QueuePolicy;
  /** Waiting calls: their reject, and the timer that bounds their wait. */
  readonly #waiting = new Map<(err: unknown) => void, NodeJS.Timeout>();
  #closed: UniversalMcpError | undefined;

  constructor(server: string, policy: QueuePolicy) {
    this.#server = server;
    this.#maxQueued = policy.maxQueued;
    this.#policy = policy;
    this.#queue = CallQueue.#make(policy);
  }

  static #make(policy: QueuePolicy): PQueue | Slots {
    if (!rateLimited(policy)) return new Slots(policy.concurrency);
    return new PQueue({ concurrency: policy.concurrency, intervalCap: policy.intervalCap, interval: policy.interval });
  }

  /** Calls running now. */
  get pending(): number {
    return this.#queue.pending;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.#queue.size;
  }

  /**
   * Runs `task` when a slot is free. Rejects with `QUEUE_FULL` at once when the backlog is full,
   * and with `onWaitTimeout()` if it is still waiting after `waitTimeoutMs`.
   */
  run<T>(
    task: () => Promise<T>,
    signal: AbortSignal | undefined,
    waitTimeoutMs: number,
    onWaitTimeout: () => unknown,
  ): Promise<T> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const queue = this.#queue;
    const wouldWait = queue.size > 0 || queue.pending >= queue.concurrency || queue.isRateLimited;
    if (!wouldWait) return queue.add(task, { signal });
    if (queue.size >= this.#maxQueued) {
      return Promise.reject(
        new UniversalMcpError(
          ErrorCode.QUEUE_FULL,
          `Server "${this.#server}" has ${queue.size} calls waiting (queue.maxQueued ${this.#maxQueued})`,
          {
            server: this.#server,
            details: { pending: queue.pending, queued: queue.size },
          },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#waiting.delete(reject)) reject(onWaitTimeout());
      }, waitTimeoutMs);
      this.#waiting.set(reject, timer);
      queue
        .add(
          () => {
            clearTimeout(timer);
            if (!this.#waiting.delete(reject)) return Promise.reject(this.#closed ?? onWaitTimeout());
            return task();
          },
          { signal },
        )
        .then(resolve, (err: unknown) => {
          clearTimeout(timer);
          this.#waiting.delete(reject);
          reject(err);
        });
    });
  }

  /**
   * Applies a new queue policy live. Concurrency and the backlog bound change in place; a new
   * rate limit (or none) takes a fresh limiter for calls from now on (p-queue cannot change its
   * interval), while calls already in the old one finish there.
   */
  update(policy: QueuePolicy): void {
    this.#maxQueued = policy.maxQueued;
    if (policy.intervalCap !== this.#policy.intervalCap || policy.interval !== this.#policy.interval)
      this.#queue = CallQueue.#make(policy);
    else this.#queue.concurrency = policy.concurrency;
    this.#policy = policy;
  }

  /** Rejects every waiting call with `error` and refuses new ones. Running calls are left to finish or fail. */
  close(error: UniversalMcpError): void {
    this.#closed = error;
    for (const [reject, timer] of this.#waiting) {
      clearTimeout(timer);
      reject(error);
    }
    this.#waiting.clear();
    this.#queue.clear();
  }
}
