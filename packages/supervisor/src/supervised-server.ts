import type { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import { createActor } from 'xstate';
import {
  ErrorCode,
  UniversalMcpError,
  connectionMachine,
  redactConfig,
  toUniversalError,
  unavailable,
  type CallToolResult,
  type ConnectionActor,
  type ConnectionSnapshot,
  type ConnectionState,
  type McpSession,
  type ServerConfig,
  type Tool,
} from '@universal-mcp/core';
import { CallQueue } from './call-queue.js';
import type { UniversalMcpEvents } from './events.js';
import { LogThrottle } from './log-throttle.js';
import { RestartIntensity, backoffDelay, shouldRestart, type ResolvedPolicy } from './restart-policy.js';
import type { ServerInfo } from './server-info.js';

/** Per-call options. */
export interface CallOptions {
  /**
   * Idle timeout: the call fails with `TIMEOUT` after this long without an answer or a progress
   * notification (queue wait included). @default the server's `callTimeoutMs`
   */
  readonly timeoutMs?: number | undefined;
  /** Hard total deadline, progress or not. @default the server's `callDeadlineMs` (none) */
  readonly deadlineMs?: number | undefined;
  /** Aborting rejects the call with `CANCELLED` and sends `notifications/cancelled`. */
  readonly signal?: AbortSignal | undefined;
  /** Progress notifications from the server; also resets the SDK's idle timer. */
  readonly onProgress?: ((progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void) | undefined;
}

const STDERR_KEEP = 20;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  return { promise, resolve, reject };
}

/**
 * One server under supervision: its connection actor, its call queue, and the restart policy
 * applied to it. It decides whether, when and how often to restart; the actor does the work.
 */
export class SupervisedServer {
  readonly name: string;
  readonly config: ServerConfig;
  readonly policy: ResolvedPolicy;
  readonly #log: Logger;
  readonly #emitter: EventEmitter<UniversalMcpEvents>;
  readonly #actor: ConnectionActor;
  readonly #queue: CallQueue;
  readonly #intensity: RestartIntensity;
  readonly #sessions = new Set<McpSession>();
  readonly #firstReady = deferred();
  readonly #noisyTransport: LogThrottle;
  readonly #stderr: string[] = [];
  #state: ConnectionState = 'connecting';
  #attempt = 1;
  #session: McpSession | undefined;
  #tools: Tool[] = [];
  #toolNames = new Set<string>();
  #readyAt: number | undefined;
  #failures = 0;
  #restarts = 0;
  #lastError: UniversalMcpError | undefined;
  #givenUp: UniversalMcpError | undefined;
  #settledOnce = false;
  /** Calls waiting for the next `ready` (a safe retry after a lost session). */
  readonly #readyWaiters = new Set<{ resolve(): void; reject(err: UniversalMcpError): void }>();
  #safeTools = new Set<string>();
  #stopping: Promise<void> | undefined;
  /** When true, a failure before the first `ready` ends the server instead of restarting it. */
  #failFirstAttempt: boolean;

  constructor(options: { config: ServerConfig; policy: ResolvedPolicy; logger: Logger; emitter: EventEmitter<UniversalMcpEvents>; failFirstAttempt: boolean }) {
    const { config, policy } = options;
    this.name = config.name;
    this.config = config;
    this.policy = policy;
    this.#log = options.logger.child({ server: config.name });
    this.#emitter = options.emitter;
    this.#failFirstAttempt = options.failFirstAttempt;
    this.#queue = new CallQueue(config.name, policy.queue);
    this.#intensity = new RestartIntensity(policy.intensity);
    this.#noisyTransport = new LogThrottle(10, 60_000);
    this.#actor = createActor(connectionMachine, {
      input: {
        config,
        connectTimeoutMs: policy.connectTimeoutMs,
        requestTimeoutMs: policy.connectTimeoutMs,
        health: policy.health,
        sink: {
          sessionOpened: (session) => this.#track(session),
          stderr: (line) => this.#onStderr(line),
          transportError: (err) => this.#onTransportError(err),
        },
      },
    });
    this.#actor.subscribe({
      next: (snapshot) => this.#onSnapshot(snapshot),
      error: (err) => this.#onActorError(err),
    });
    this.#actor.on('tools.changed', (event) => this.#setTools(event.tools, true));
  }

  /** Starts connecting. */
  start(): void {
    this.#actor.start();
  }

  /** Resolves at the first `ready`; rejects with the first attempt's error when `failFirstAttempt` is set. */
  get firstReady(): Promise<void> {
    return this.#firstReady.promise;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get tools(): Tool[] {
    return this.#tools;
  }

  #track(session: McpSession): void {
    this.#sessions.add(session);
    void session.closed.then(() => this.#sessions.delete(session));
  }

  #onStderr(line: string): void {
    if (this.#stderr.push(line) > STDERR_KEEP) this.#stderr.shift();
    this.#log.debug({ line }, 'stderr');
    this.#emit('server:stderr', { server: this.name, line });
  }

  #onTransportError(err: Error): void {
    const suppressed = this.#noisyTransport.take(Date.now());
    if (suppressed !== false) this.#log.warn({ err, suppressed }, 'transport error');
  }

  #onActorError(err: unknown): void {
    // The machine's own actors report through events; an actor error here is a bug. Give up loudly.
    const error = toUniversalError(err, this.name, 'request');
    this.#log.error({ err: error }, 'connection actor crashed');
    this.#giveUp(error);
  }

  #onSnapshot(snapshot: ConnectionSnapshot): void {
    const to = snapshot.value as ConnectionState;
    if (to === this.#state) return;
    const from = this.#state;
    const ctx = snapshot.context;
    this.#state = to;
    this.#attempt = ctx.attempt;
    const exit = to === 'failed' && ctx.exit !== undefined ? ctx.exit : undefined;
    this.#log.info({ from, to, reason: ctx.reason, attempt: ctx.attempt, exit }, 'state');
    this.#emit('server:state', { server: this.name, from, to, reason: ctx.reason, attempt: ctx.attempt, ...(exit === undefined ? {} : { exit }) });
    if (to === 'ready') this.#onReady(ctx.session, ctx.tools, ctx.attempt);
    else if (to === 'failed') this.#onFailed(ctx.error ?? unavailable(this.name, 'failed'), ctx.exit);
    else this.#session = undefined;
  }

  #onReady(session: McpSession | undefined, tools: Tool[], attempt: number): void {
    this.#session = session;
    this.#readyAt = Date.now();
    this.#setTools(tools, false);
    this.#emit('server:ready', { server: this.name, attempt, tools });
    this.#settledOnce = true;
    this.#firstReady.resolve();
    for (const waiter of this.#readyWaiters) waiter.resolve();
  }

  #onFailed(error: UniversalMcpError, exit: { code: number | null; signal: NodeJS.Signals | null } | undefined): void {
    this.#session = undefined;
    this.#lastError = error;
    if (this.#stopping !== undefined) return;
    if (!this.#settledOnce && this.#failFirstAttempt) {
      this.#settledOnce = true;
      this.#firstReady.reject(error);
      return;
    }
    const now = Date.now();
    // A live server that forgot our session is re-initialized at once, not after a backoff.
    const immediate = error.code === ErrorCode.SESSION_EXPIRED && this.#readyAt !== undefined;
    if (this.#readyAt !== undefined && now - this.#readyAt >= this.policy.backoff.resetAfterMs) this.#failures = 0;
    this.#readyAt = undefined;
    if (!immediate) this.#failures += 1;
    if (!shouldRestart(this.policy.restart, exit)) {
      this.#giveUp(error);
      return;
    }
    if (!this.#intensity.allow(now)) {
      const { maxRestarts, windowMs } = this.policy.intensity;
      this.#giveUp(
        new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, `Server "${this.name}" was given up: more than ${maxRestarts} restarts in ${windowMs} ms`, {
          server: this.name,
          cause: error,
        }),
      );
      return;
    }
    const delayMs = immediate ? 0 : backoffDelay(this.#failures, this.policy.backoff);
    this.#restarts += 1;
    this.#log.warn({ attempt: this.#attempt + 1, delayMs, err: error }, 'reconnecting');
    this.#emit('server:reconnecting', { server: this.name, attempt: this.#attempt + 1, delayMs, error });
    this.#actor.send({ type: 'supervisor.retry', delayMs });
  }

  #giveUp(error: UniversalMcpError): void {
    if (this.#givenUp !== undefined || this.#stopping !== undefined) return;
    this.#givenUp = error;
    this.#lastError = error;
    this.#log.error({ err: error }, 'given up');
    this.#emit('server:failed', { server: this.name, error });
    for (const waiter of this.#readyWaiters) waiter.reject(this.#unavailable());
    if (!this.#settledOnce) {
      this.#settledOnce = true;
      this.#firstReady.reject(error);
    }
  }

  /** Brings a given-up or failed server back: the restart count window starts afresh. */
  restart(): void {
    if (this.#stopping !== undefined) return;
    this.#givenUp = undefined;
    this.#intensity.reset();
    this.#failures = 0;
    if (this.#state === 'failed') {
      this.#restarts += 1;
      this.#emit('server:reconnecting', { server: this.name, attempt: this.#attempt + 1, delayMs: 0 });
      this.#actor.send({ type: 'supervisor.retry', delayMs: 0 });
    }
  }

  #setTools(tools: Tool[], announce: boolean): void {
    this.#tools = tools;
    this.#toolNames = new Set(tools.map((t) => t.name));
    this.#safeTools = new Set(tools.filter((t) => t.annotations?.readOnlyHint === true || t.annotations?.idempotentHint === true).map((t) => t.name));
    if (announce) this.#emit('tools:changed', { server: this.name, tools });
  }

  #emit<E extends keyof UniversalMcpEvents>(event: E, payload: Parameters<UniversalMcpEvents[E]>[0]): void {
    try {
      (this.#emitter.emit as (e: E, p: unknown) => boolean)(event, payload);
    } catch (err) {
      this.#log.error({ err, event }, 'event listener threw');
    }
  }

  #unavailable(): UniversalMcpError {
    if (this.#stopping !== undefined) return new UniversalMcpError(ErrorCode.CLOSED, `Server "${this.name}" is being removed`, { server: this.name });
    if (this.#givenUp !== undefined) {
      return new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, `Server "${this.name}" was given up: ${this.#givenUp.message}`, { server: this.name, cause: this.#givenUp });
    }
    return unavailable(this.name, this.#state, this.#lastError);
  }

  /** Calls a tool through the queue, within the call's timeouts. */
  callTool(tool: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<CallToolResult> {
    if (this.#session === undefined || this.#givenUp !== undefined || this.#stopping !== undefined) return Promise.reject(this.#unavailable());
    if (!this.#toolNames.has(tool)) return this.#callUnlisted(tool, args, options);
    const timeoutMs = options.timeoutMs ?? this.policy.callTimeoutMs;
    const deadlineMs = options.deadlineMs ?? this.policy.callDeadlineMs;
    const listening = this.#emitter.listenerCount('call:start') + this.#emitter.listenerCount('call:end') > 0;
    const started = performance.now();
    if (listening) this.#emit('call:start', { server: this.name, tool });
    const run = (): Promise<CallToolResult> => {
      const session = this.#session;
      if (session === undefined) return Promise.reject(this.#unavailable());
      const remaining = timeoutMs - (performance.now() - started);
      if (remaining <= 0) return Promise.reject(this.#timeout(timeoutMs));
      if (deadlineMs === undefined && !this.#safeTools.has(tool)) {
        return session.callTool(tool, args, { timeoutMs: remaining, signal: options.signal, onProgress: options.onProgress });
      }
      return this.#callGuarded(session, tool, args, options, timeoutMs, deadlineMs, started);
    };
    const waitMs = Math.min(timeoutMs, deadlineMs ?? Infinity);
    const result = this.#queue.run(run, options.signal, waitMs, () => this.#timeout(waitMs));
    if (!listening) return result.catch((err: unknown) => Promise.reject(this.#callError(err, options.signal, timeoutMs)));
    return result.then(
      (value) => {
        this.#emit('call:end', { server: this.name, tool, durationMs: performance.now() - started, ok: true });
        return value;
      },
      (err: unknown) => {
        const error = this.#callError(err, options.signal, timeoutMs);
        this.#emit('call:end', { server: this.name, tool, durationMs: performance.now() - started, ok: false, error });
        throw error;
      },
    );
  }

  /**
   * The slower path, for calls with a hard deadline or that may be retried: the deadline aborts
   * the request (the server receives notifications/cancelled), and a safe tool (annotated
   * readOnlyHint or idempotentHint) whose session expired is retried once on the new session.
   */
  async #callGuarded(
    session: McpSession,
    tool: string,
    args: Record<string, unknown> | undefined,
    options: CallOptions,
    timeoutMs: number,
    deadlineMs: number | undefined,
    started: number,
  ): Promise<CallToolResult> {
    let timer: NodeJS.Timeout | undefined;
    let signal = options.signal;
    if (deadlineMs !== undefined) {
      const deadline = new AbortController();
      const left = deadlineMs - (performance.now() - started);
      timer = setTimeout(() => deadline.abort(this.#timeout(deadlineMs, 'deadline')), Math.max(0, left));
      signal = options.signal === undefined ? deadline.signal : AbortSignal.any([options.signal, deadline.signal]);
    }
    const attempt = (s: McpSession): Promise<CallToolResult> =>
      s.callTool(tool, args, { timeoutMs: Math.max(1, timeoutMs - (performance.now() - started)), signal, onProgress: options.onProgress });
    try {
      try {
        return await attempt(session);
      } catch (err) {
        if (!(err instanceof UniversalMcpError && err.code === ErrorCode.SESSION_EXPIRED && this.#safeTools.has(tool))) throw err;
        this.#log.info({ tool }, 'session expired; retrying a safe call once');
        const next = await this.#whenReady(timeoutMs - (performance.now() - started), signal);
        return await attempt(next);
      }
    } catch (err) {
      throw toUniversalError(err, this.name, 'request', signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves with the session once the server is ready again; rejects on give-up, stop, abort or timeout. */
  #whenReady(timeoutMs: number, signal: AbortSignal | undefined): Promise<McpSession> {
    if (this.#session !== undefined) return Promise.resolve(this.#session);
    return new Promise<McpSession>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          done();
          if (this.#session !== undefined) resolve(this.#session);
          else reject(this.#unavailable());
        },
        reject: (err: UniversalMcpError) => {
          done();
          reject(err);
        },
      };
      const onAbort = (): void => waiter.reject(toUniversalError(signal?.reason, this.name, 'request', signal));
      const timer = setTimeout(() => waiter.reject(this.#timeout(timeoutMs)), Math.max(0, timeoutMs));
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#readyWaiters.delete(waiter);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#readyWaiters.add(waiter);
    });
  }

  /** The typed error a call rejects with; the SDK's own timer firing is our idle timeout. */
  #callError(err: unknown, signal: AbortSignal | undefined, timeoutMs: number): UniversalMcpError {
    const error = toUniversalError(err, this.name, 'request', signal);
    return error.code === ErrorCode.TIMEOUT && error.details === undefined ? this.#timeout(timeoutMs) : error;
  }

  #timeout(ms: number, kind: 'idle' | 'deadline' = 'idle'): UniversalMcpError {
    const what = kind === 'idle' ? `had no answer or progress for ${ms} ms` : `passed its ${ms} ms deadline`;
    return new UniversalMcpError(ErrorCode.TIMEOUT, `Call to "${this.name}" ${what}`, { server: this.name, details: { kind, ms } });
  }

  async #callUnlisted(tool: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<CallToolResult> {
    const session = this.#session;
    if (session !== undefined && this.#session?.capabilities?.tools !== undefined) {
      try {
        const tools = await session.listTools({ timeoutMs: options.timeoutMs ?? this.policy.callTimeoutMs, signal: options.signal });
        if (this.#session === session) this.#setTools(tools, tools.length !== this.#tools.length || tools.some((t) => !this.#toolNames.has(t.name)));
      } catch (err) {
        throw toUniversalError(err, this.name, 'request', options.signal);
      }
    }
    if (this.#toolNames.has(tool)) return this.callTool(tool, args, options);
    const available = [...this.#toolNames];
    throw new UniversalMcpError(
      ErrorCode.TOOL_NOT_FOUND,
      `Tool "${tool}" not found on server "${this.name}". Available tools: ${available.length > 0 ? available.join(', ') : '(none)'}`,
      { server: this.name, details: { tool, available } },
    );
  }

  /** A snapshot for `getServerInfo`. */
  info(): ServerInfo {
    const snapshot = this.#actor.getSnapshot();
    const session = this.#session ?? snapshot.context.session;
    return {
      name: this.name,
      config: redactConfig(this.config),
      transport: this.config.transport,
      state: this.#state,
      givenUp: this.#givenUp !== undefined,
      tools: this.#tools,
      serverVersion: session?.serverVersion,
      capabilities: session?.capabilities,
      connectedAt: this.#state === 'ready' && this.#readyAt !== undefined ? new Date(this.#readyAt) : undefined,
      attempt: this.#attempt,
      restarts: this.#restarts,
      lastError: this.#lastError,
      pid: session?.pid,
      sessionId: session?.sessionId,
      pending: this.#queue.pending,
      queued: this.#queue.queued,
      stderr: [...this.#stderr],
    };
  }

  /** Stops for good: waiting calls are rejected, in-flight calls fail, every session is closed and awaited. */
  stop(reason = 'stop requested'): Promise<void> {
    this.#stopping ??= this.#shutdown(reason);
    return this.#stopping;
  }

  async #shutdown(reason: string): Promise<void> {
    const closed = new UniversalMcpError(ErrorCode.CLOSED, `Server "${this.name}" was removed`, { server: this.name });
    this.#queue.close(closed);
    for (const waiter of this.#readyWaiters) waiter.reject(closed);
    if (!this.#settledOnce) {
      this.#settledOnce = true;
      this.#firstReady.reject(closed);
    }
    this.#actor.send({ type: 'supervisor.stop', reason });
    await Promise.all([...this.#sessions].map((s) => s.close()));
    this.#actor.stop();
  }
}
