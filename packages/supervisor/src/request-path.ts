import type { Logger } from 'pino';
import { ErrorCode, UniversalMcpError, isUniversalMcpError, type ResolvedPolicy } from '@universal-mcp/core';
import { MAX_TIMER_MS, toUniversalError, type RequestOptions, type Session } from '@universal-mcp/core/internal';
import type { CallOptions } from './call-options.js';
import type { CallQueue } from './call-queue.js';

export type { CallOptions } from './call-options.js';

/** A request's time budget, fixed when it is made: waiting for the server and for a queue slot count against it. */
export interface Budget {
  readonly started: number;
  readonly timeoutMs: number;
  readonly deadlineMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: RequestOptions['onProgress'];
  readonly meta: RequestOptions['meta'];
  readonly onSent: RequestOptions['onSent'];
  readonly caller: unknown;
  readonly envelope: RequestOptions['envelope'];
}

/** What the request path needs to know of its server. */
export interface RequestHost {
  readonly name: string;
  /** The policy in force now. */
  policy(): ResolvedPolicy;
  /** The ready session; undefined while the server is not ready. */
  session(): Session | undefined;
  /** Why a request may not even wait for the server (given up, being removed); undefined when it may. */
  refusal(): UniversalMcpError | undefined;
  /** The error for a request that does not wait (`whileReconnecting: 'fail'`). */
  unavailable(): UniversalMcpError;
  readonly log: Logger;
}

/** One request to a session. */
export type Operation<T> = (session: Session, options: RequestOptions) => Promise<T>;

interface Waiter {
  resolve(): void;
  reject(err: UniversalMcpError): void;
}

/**
 * A time in ms a timer can hold: a positive number, `Infinity` and anything past 2^31-1 mean "as long as a timer
 * waits".
 */
function timerMs(value: number, field: string, server: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new UniversalMcpError(
      ErrorCode.CONFIG_INVALID,
      `${field} must be a positive number of milliseconds, got ${String(value)}`,
      { server, details: { field } },
    );
  }
  return Math.min(value, MAX_TIMER_MS);
}

/**
 * One server's request path: the wait for a (re)connecting server, the queue, the idle timeout
 * and the hard deadline, the one safe retry after a lost session, and the typed error a request
 * rejects with. Every MCP request through the facade goes this way.
 */
export class RequestPath {
  readonly #host: RequestHost;
  readonly #queue: CallQueue;
  /** Requests waiting for the server to be ready. */
  readonly #waiters = new Set<Waiter>();

  constructor(host: RequestHost, queue: CallQueue) {
    this.#host = host;
    this.#queue = queue;
  }

  /** Fixes a request's budget from its options and the policy. Throws `CONFIG_INVALID` for a bad time. */
  budget(options: CallOptions = {}): Budget {
    const policy = this.#host.policy();
    const deadline = options.deadlineMs ?? policy.callDeadlineMs;
    return {
      started: performance.now(),
      timeoutMs: timerMs(options.timeoutMs ?? policy.callTimeoutMs, 'timeoutMs', this.#host.name),
      deadlineMs: deadline === undefined ? undefined : timerMs(deadline, 'deadlineMs', this.#host.name),
      signal: options.signal,
      onProgress: options.onProgress,
      meta: options.meta,
      onSent: options.onSent,
      caller: options.caller,
      envelope:
        options.clientCapabilities === undefined && options.logLevel === undefined
          ? undefined
          : { clientCapabilities: options.clientCapabilities, logLevel: options.logLevel },
    };
  }

  /** How long the request may still wait before its idle timeout or its deadline, and which comes first. */
  #left(budget: Budget): { ms: number; kind: 'idle' | 'deadline'; limit: number } {
    const elapsed = performance.now() - budget.started;
    const idle = budget.timeoutMs - elapsed;
    if (budget.deadlineMs !== undefined && budget.deadlineMs - elapsed < idle)
      return { ms: budget.deadlineMs - elapsed, kind: 'deadline', limit: budget.deadlineMs };
    return { ms: idle, kind: 'idle', limit: budget.timeoutMs };
  }

  /**
   * Resolves once the server serves requests. A server that is (re)connecting is waited for
   * within the budget (`whileReconnecting: 'wait'`); a given-up or stopping one rejects at once, as
   * does any not-ready server under `'fail'`, and a wait when `queue.maxQueued` requests already wait.
   */
  serving(budget: Budget): Promise<void> {
    if (this.#host.session() !== undefined) return Promise.resolve();
    const refusal = this.#host.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    if (this.#host.policy().whileReconnecting === 'fail') return Promise.reject(this.#host.unavailable());
    if (this.#waiters.size >= this.#host.policy().queue.maxQueued) {
      return Promise.reject(
        new UniversalMcpError(
          ErrorCode.QUEUE_FULL,
          `Server "${this.#host.name}" has ${this.#waiters.size} calls waiting for it to be ready (queue.maxQueued)`,
          {
            server: this.#host.name,
            details: { waiting: this.#waiters.size },
          },
        ),
      );
    }
    return this.#waitReady(budget);
  }

  /** Sends one request through the queue, within its budget. */
  send<T>(op: Operation<T>, budget: Budget, safe: boolean): Promise<T> {
    const run = (): Promise<T> => {
      // The connection may have dropped while the request waited for its slot.
      if (this.#host.session() === undefined) return this.serving(budget).then(() => this.#run(op, budget, safe));
      return this.#run(op, budget, safe);
    };
    const left = this.#left(budget);
    return this.#queue
      .run(run, budget.signal, Math.max(0, left.ms), () => this.timeout(left.limit, left.kind))
      .catch((err: unknown) => Promise.reject(toUniversalError(err, this.#host.name, 'request', budget.signal)));
  }

  #run<T>(op: Operation<T>, budget: Budget, safe: boolean): Promise<T> {
    const session = this.#host.session();
    if (session === undefined) return Promise.reject(this.#host.unavailable());
    const left = this.#left(budget);
    if (left.ms <= 0) return Promise.reject(this.timeout(left.limit, left.kind));
    if (budget.deadlineMs === undefined && !safe) {
      return op(session, {
        timeoutMs: left.ms,
        reportedTimeoutMs: budget.timeoutMs,
        signal: budget.signal,
        onProgress: budget.onProgress,
        meta: budget.meta,
        onSent: budget.onSent,
        caller: budget.caller,
        envelope: budget.envelope,
      });
    }
    return this.#runGuarded(session, op, budget, safe);
  }

  /**
   * The slower path, for requests with a hard deadline or that may be retried: the deadline
   * aborts the request (the server receives notifications/cancelled), and a safe request whose
   * session expired is retried once on the new session.
   */
  async #runGuarded<T>(session: Session, op: Operation<T>, budget: Budget, safe: boolean): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let signal = budget.signal;
    const deadlineMs = budget.deadlineMs;
    if (deadlineMs !== undefined) {
      const deadline = new AbortController();
      const left = deadlineMs - (performance.now() - budget.started);
      timer = setTimeout(() => deadline.abort(this.timeout(deadlineMs, 'deadline')), Math.max(0, left));
      signal = budget.signal === undefined ? deadline.signal : AbortSignal.any([budget.signal, deadline.signal]);
    }
    const attempt = (s: Session): Promise<T> =>
      op(s, {
        timeoutMs: Math.max(1, budget.timeoutMs - (performance.now() - budget.started)),
        reportedTimeoutMs: budget.timeoutMs,
        signal,
        onProgress: budget.onProgress,
        meta: budget.meta,
        onSent: budget.onSent,
        caller: budget.caller,
        envelope: budget.envelope,
      });
    try {
      try {
        return await attempt(session);
      } catch (err) {
        if (!(safe && err instanceof UniversalMcpError && err.code === ErrorCode.SESSION_EXPIRED)) throw err;
        this.#host.log.info('session expired; retrying a safe request once');
        await this.#waitReady({ ...budget, signal });
        const next = this.#host.session();
        if (next === undefined) throw this.#host.unavailable();
        return await attempt(next);
      }
    } catch (err) {
      throw toUniversalError(err, this.#host.name, 'request', signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once the server is ready; rejects on give-up, stop, abort or the budget running out. */
  #waitReady(budget: Budget): Promise<void> {
    if (this.#host.session() !== undefined) return Promise.resolve();
    const { signal } = budget;
    return new Promise<void>((resolve, reject) => {
      const left = this.#left(budget);
      const waiter: Waiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (err) => {
          done();
          reject(err);
        },
      };
      const onAbort = (): void => waiter.reject(toUniversalError(signal?.reason, this.#host.name, 'request', signal));
      const timer = setTimeout(() => waiter.reject(this.#notServed(left.limit)), Math.max(0, left.ms));
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** The server is ready: every waiting request goes on. */
  ready(): void {
    for (const waiter of this.#waiters) waiter.resolve();
  }

  /** The server will not be ready (given up, removed): every waiting request fails with `error`. */
  fail(error: UniversalMcpError): void {
    for (const waiter of this.#waiters) waiter.reject(error);
  }

  /** Requests waiting for the server to be ready. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * A request whose budget ran out while it waited for the server: it was never sent, so it is the server being
   * down (`SERVER_UNAVAILABLE`, with its state and last error), not a slow answer (`TIMEOUT`).
   */
  #notServed(ms: number): UniversalMcpError {
    const down = this.#host.unavailable();
    const { name } = this.#host;
    const servers = isUniversalMcpError(down, ErrorCode.SERVER_UNAVAILABLE) ? down.details?.servers : undefined;
    const state = servers?.[name]?.state ?? 'not ready';
    const last = servers?.[name]?.error;
    return new UniversalMcpError(
      ErrorCode.SERVER_UNAVAILABLE,
      `Server "${name}" was not ready within ${ms} ms (${state}${last === undefined ? '' : `: ${last.message}`}); ` +
        'the request was not sent',
      { server: name, cause: last, details: { servers: { [name]: { state, error: last } } } },
    );
  }

  timeout(ms: number, kind: 'idle' | 'deadline' = 'idle'): UniversalMcpError {
    const what = kind === 'idle' ? `had no answer or progress for ${ms} ms` : `passed its ${ms} ms deadline`;
    return new UniversalMcpError(ErrorCode.TIMEOUT, `Request to "${this.#host.name}" ${what}`, {
      server: this.#host.name,
      details: { kind, ms },
    });
  }
}
