import type { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import { createActor } from 'xstate';
import {
  ArgumentValidator,
  EMPTY_CATALOG,
  ErrorCode,
  UniversalMcpError,
  connectionMachine,
  redactConfig,
  toUniversalError,
  unavailable,
  type CallToolResult,
  type Catalog,
  type CatalogKind,
  type ClientHandlers,
  type CompleteRequest,
  type CompleteResult,
  type ConnectionActor,
  type ConnectionSnapshot,
  type ConnectionState,
  type GetPromptResult,
  type LoggingLevel,
  type LoggingMessageNotification,
  type McpSession,
  type ProcessExit,
  type ReadResourceResult,
  type RequestOptions,
  type ServerConfig,
  type Tool,
} from '@universal-mcp/core';
import { CallQueue } from './call-queue.js';
import type { UniversalMcpEvents } from './events.js';
import { LogThrottle } from './log-throttle.js';
import { RestartIntensity, backoffDelay, shouldRestart, type ResolvedPolicy } from './restart-policy.js';
import type { ServerInfo } from './server-info.js';

/** Per-request options (tool calls and every other request). */
export interface CallOptions {
  /**
   * Idle timeout: the request fails with `TIMEOUT` after this long without an answer or a
   * progress notification (queue wait included). @default the server's `callTimeoutMs`
   */
  readonly timeoutMs?: number | undefined;
  /** Hard total deadline, progress or not. @default the server's `callDeadlineMs` (none) */
  readonly deadlineMs?: number | undefined;
  /** Aborting rejects the request with `CANCELLED` and sends `notifications/cancelled`. */
  readonly signal?: AbortSignal | undefined;
  /** Progress notifications from the server; they also reset the idle timeout. */
  readonly onProgress?: RequestOptions['onProgress'];
}

/** How a request is sent: whether it may be retried after a lost session, and the tool it calls (for events). */
interface SendPlan {
  readonly safe: boolean;
  readonly tool?: string | undefined;
}

type Operation<T> = (session: McpSession, options: RequestOptions) => Promise<T>;

const STDERR_KEEP = 20;
const PINO_LEVEL: Record<LoggingLevel, 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
  alert: 'fatal',
  emergency: 'fatal',
};

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

const names = (items: readonly { name?: string; uri?: string; uriTemplate?: string }[]): string =>
  items.map((i) => i.name ?? i.uri ?? i.uriTemplate).join('\n');

/**
 * One server under supervision: its connection actor, its request queue, and the restart policy
 * applied to it. It decides whether, when and how often to restart; the actor does the work.
 */
export class SupervisedServer {
  readonly name: string;
  readonly config: ServerConfig;
  #policy: ResolvedPolicy;
  readonly #log: Logger;
  readonly #emitter: EventEmitter<UniversalMcpEvents>;
  readonly #actor: ConnectionActor;
  readonly #queue: CallQueue;
  #intensity: RestartIntensity;
  readonly #sessions = new Set<McpSession>();
  readonly #firstReady = deferred();
  readonly #noisyTransport: LogThrottle;
  readonly #stderr: string[] = [];
  readonly #validator = new ArgumentValidator();
  /** Requests waiting for the next `ready` (a safe retry after a lost session). */
  readonly #readyWaiters = new Set<{ resolve(): void; reject(err: UniversalMcpError): void }>();
  readonly #subscriptions = new Set<string>();
  #logLevel: LoggingLevel | undefined;
  #state: ConnectionState = 'connecting';
  #attempt = 1;
  #session: McpSession | undefined;
  #catalog: Catalog = EMPTY_CATALOG;
  #tools = new Map<string, Tool>();
  #safeTools = new Set<string>();
  #readyAt: number | undefined;
  #readyCount = 0;
  #failures = 0;
  #restarts = 0;
  #lastError: UniversalMcpError | undefined;
  #givenUp: UniversalMcpError | undefined;
  #settledOnce = false;
  #stopping: Promise<void> | undefined;
  /** When true, a failure before the first `ready` ends the server instead of restarting it. */
  readonly #failFirstAttempt: boolean;

  constructor(options: {
    config: ServerConfig;
    policy: ResolvedPolicy;
    logger: Logger;
    emitter: EventEmitter<UniversalMcpEvents>;
    failFirstAttempt: boolean;
    handlers?: ClientHandlers | undefined;
  }) {
    const { config, policy } = options;
    this.name = config.name;
    this.config = config;
    this.#policy = policy;
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
          resourceUpdated: (uri) => this.#emit('resources:updated', { server: this.name, uri }),
          log: (params) => this.#onServerLog(params),
          handlers: options.handlers,
        },
      },
    });
    this.#actor.subscribe({
      next: (snapshot) => this.#onSnapshot(snapshot),
      error: (err) => this.#onActorError(err),
    });
    this.#actor.on('catalog.changed', (event) => this.#setCatalog(event.catalog, [event.kind]));
  }

  /** The policy in force. */
  get policy(): ResolvedPolicy {
    return this.#policy;
  }

  /**
   * Applies a new policy without a restart: restart type, backoff, timeouts and argument checks
   * at once; the queue live (see CallQueue.update); intensity with a fresh window; health and the
   * connect timeout through the machine (the watcher restarts with the new health settings).
   */
  updatePolicy(policy: ResolvedPolicy): void {
    const before = this.#policy;
    this.#policy = policy;
    this.#queue.update(policy.queue);
    if (JSON.stringify(before.intensity) !== JSON.stringify(policy.intensity)) this.#intensity = new RestartIntensity(policy.intensity);
    if (JSON.stringify(before.health) !== JSON.stringify(policy.health) || before.connectTimeoutMs !== policy.connectTimeoutMs) {
      this.#actor.send({ type: 'supervisor.configure', health: policy.health, connectTimeoutMs: policy.connectTimeoutMs, requestTimeoutMs: policy.connectTimeoutMs });
    }
    this.#log.info({ policy }, 'policy updated');
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

  get catalog(): Catalog {
    return this.#catalog;
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

  #onServerLog(params: LoggingMessageNotification['params']): void {
    this.#log[PINO_LEVEL[params.level] ?? 'info']({ logger: params.logger, data: params.data }, 'server log');
    this.#emit('server:log', { server: this.name, level: params.level, logger: params.logger, data: params.data });
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
    // Listeners of this event may call getServerInfo: it must already show why.
    const failure = to === 'failed' ? (ctx.error ?? unavailable(this.name, 'failed')) : undefined;
    if (failure !== undefined) this.#lastError = failure;
    this.#log.info({ from, to, reason: ctx.reason, attempt: ctx.attempt, exit }, 'state');
    this.#emit('server:state', { server: this.name, from, to, reason: ctx.reason, attempt: ctx.attempt, ...(exit === undefined ? {} : { exit }) });
    if (to === 'ready') this.#onReady(ctx.session, ctx.catalog, ctx.attempt);
    else if (failure !== undefined) this.#onFailed(failure, ctx.exit);
    else this.#session = undefined;
  }

  #onReady(session: McpSession | undefined, catalog: Catalog, attempt: number): void {
    this.#session = session;
    this.#readyAt = Date.now();
    this.#readyCount += 1;
    // After a reconnect the catalog was listed afresh: say what changed.
    this.#setCatalog(catalog, this.#readyCount === 1 ? [] : ['tools', 'resources', 'prompts'], true);
    if (session !== undefined && this.#readyCount > 1) void this.#restoreSessionState(session);
    this.#emit('server:ready', { server: this.name, attempt, tools: catalog.tools });
    this.#settledOnce = true;
    this.#firstReady.resolve();
    for (const waiter of this.#readyWaiters) waiter.resolve();
  }

  /** A new session knows nothing of the old one's subscriptions and log level: tell it again. */
  async #restoreSessionState(session: McpSession): Promise<void> {
    const options = { timeoutMs: this.#policy.callTimeoutMs };
    try {
      if (this.#logLevel !== undefined && session.capabilities?.logging !== undefined) await session.setLoggingLevel(this.#logLevel, options);
      await Promise.all([...this.#subscriptions].map((uri) => session.subscribeResource(uri, options)));
    } catch (err) {
      this.#log.warn({ err }, 'could not restore subscriptions or log level after reconnect');
    }
  }

  /** After a failure (already recorded as lastError): give up, or schedule a restart. */
  #onFailed(error: UniversalMcpError, exit: ProcessExit | undefined): void {
    this.#session = undefined;
    if (this.#stopping !== undefined) return;
    if (!this.#settledOnce && this.#failFirstAttempt) {
      this.#settledOnce = true;
      this.#firstReady.reject(error);
      return;
    }
    const now = Date.now();
    // A live server that forgot our session is re-initialized at once, not after a backoff.
    const immediate = error.code === ErrorCode.SESSION_EXPIRED && this.#readyAt !== undefined;
    if (this.#readyAt !== undefined && now - this.#readyAt >= this.#policy.backoff.resetAfterMs) this.#failures = 0;
    this.#readyAt = undefined;
    if (!immediate) this.#failures += 1;
    if (!shouldRestart(this.#policy.restart, exit)) {
      this.#giveUp(error);
      return;
    }
    if (!this.#intensity.allow(now)) {
      const { maxRestarts, windowMs } = this.#policy.intensity;
      this.#giveUp(
        new UniversalMcpError(ErrorCode.SERVER_UNAVAILABLE, `Server "${this.name}" was given up: more than ${maxRestarts} restarts in ${windowMs} ms`, {
          server: this.name,
          cause: error,
        }),
      );
      return;
    }
    const delayMs = immediate ? 0 : backoffDelay(this.#failures, this.#policy.backoff);
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

  /** Takes a new catalog; `announce` lists the kinds to emit change events for (only if they differ, when `onlyIfDifferent`). */
  #setCatalog(catalog: Catalog, announce: readonly CatalogKind[], onlyIfDifferent = false): void {
    const before = this.#catalog;
    this.#catalog = catalog;
    if (catalog.tools !== before.tools) {
      this.#tools = new Map(catalog.tools.map((t) => [t.name, t]));
      this.#safeTools = new Set(catalog.tools.filter((t) => t.annotations?.readOnlyHint === true || t.annotations?.idempotentHint === true).map((t) => t.name));
    }
    const differs = (kind: CatalogKind): boolean =>
      !onlyIfDifferent ||
      (kind === 'tools'
        ? names(before.tools) !== names(catalog.tools)
        : kind === 'prompts'
          ? names(before.prompts) !== names(catalog.prompts)
          : names(before.resources) !== names(catalog.resources) || names(before.resourceTemplates) !== names(catalog.resourceTemplates));
    for (const kind of announce) {
      if (!differs(kind)) continue;
      if (kind === 'tools') this.#emit('tools:changed', { server: this.name, tools: catalog.tools });
      else if (kind === 'prompts') this.#emit('prompts:changed', { server: this.name, prompts: catalog.prompts });
      else this.#emit('resources:changed', { server: this.name, resources: catalog.resources, resourceTemplates: catalog.resourceTemplates });
    }
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

  #notReady(): boolean {
    return this.#session === undefined || this.#givenUp !== undefined || this.#stopping !== undefined;
  }

  /** Calls a tool: checked against the catalog and its inputSchema, then sent through the queue. */
  callTool(tool: string, args: Record<string, unknown> | undefined, options: CallOptions = {}): Promise<CallToolResult> {
    if (this.#notReady()) return Promise.reject(this.#unavailable());
    const known = this.#tools.get(tool);
    if (known === undefined) return this.#callUnlisted(tool, args, options);
    if (this.#policy.validateArguments) {
      const invalid = this.#validator.check(this.name, known, args);
      if (invalid !== undefined) return Promise.reject(invalid);
    }
    return this.#send((s, o) => s.callTool(tool, args, o), options, { safe: this.#safeTools.has(tool), tool });
  }

  /** Reads a resource. */
  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return this.#guarded((s, o) => s.readResource(uri, o), options);
  }

  /** Subscribes to a resource's updates (`resources:updated`); kept across reconnects. */
  async subscribeResource(uri: string, options: CallOptions = {}): Promise<void> {
    await this.#guarded((s, o) => s.subscribeResource(uri, o), options);
    this.#subscriptions.add(uri);
  }

  async unsubscribeResource(uri: string, options: CallOptions = {}): Promise<void> {
    this.#subscriptions.delete(uri);
    await this.#guarded((s, o) => s.unsubscribeResource(uri, o), options);
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options: CallOptions = {}): Promise<GetPromptResult> {
    return this.#guarded((s, o) => s.getPrompt(name, args, o), options);
  }

  complete(params: CompleteRequest['params'], options: CallOptions = {}): Promise<CompleteResult> {
    return this.#guarded((s, o) => s.complete(params, o), options);
  }

  /** Sets the server's log level; re-applied after every reconnect. */
  async setLoggingLevel(level: LoggingLevel, options: CallOptions = {}): Promise<void> {
    this.#logLevel = level;
    await this.#guarded((s, o) => s.setLoggingLevel(level, o), options);
  }

  /** Tells the server the client's roots changed. */
  async rootsChanged(): Promise<void> {
    if (this.#notReady()) throw this.#unavailable();
    await this.#session!.rootsChanged();
  }

  /** Reads, lists and gets are safe to retry once after a lost session. */
  #guarded<T>(op: Operation<T>, options: CallOptions): Promise<T> {
    if (this.#notReady()) return Promise.reject(this.#unavailable());
    return this.#send(op, options, { safe: true });
  }

  /** Sends one request through the queue, within its timeouts, with events for tool calls. */
  #send<T>(op: Operation<T>, options: CallOptions, plan: SendPlan): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#policy.callTimeoutMs;
    const deadlineMs = options.deadlineMs ?? this.#policy.callDeadlineMs;
    const tool = plan.tool;
    const listening = tool !== undefined && this.#emitter.listenerCount('call:start') + this.#emitter.listenerCount('call:end') > 0;
    const started = performance.now();
    if (listening) this.#emit('call:start', { server: this.name, tool });
    const run = (): Promise<T> => {
      const session = this.#session;
      if (session === undefined) return Promise.reject(this.#unavailable());
      const remaining = timeoutMs - (performance.now() - started);
      if (remaining <= 0) return Promise.reject(this.#timeout(timeoutMs));
      if (deadlineMs === undefined && !plan.safe) return op(session, { timeoutMs: remaining, signal: options.signal, onProgress: options.onProgress });
      return this.#sendGuarded(session, op, options, plan.safe, timeoutMs, deadlineMs, started);
    };
    const waitMs = Math.min(timeoutMs, deadlineMs ?? Infinity);
    const result = this.#queue.run(run, options.signal, waitMs, () => this.#timeout(waitMs));
    if (!listening) return result.catch((err: unknown) => Promise.reject(this.#requestError(err, options.signal, timeoutMs)));
    return result.then(
      (value) => {
        this.#emit('call:end', { server: this.name, tool, durationMs: performance.now() - started, ok: true });
        return value;
      },
      (err: unknown) => {
        const error = this.#requestError(err, options.signal, timeoutMs);
        this.#emit('call:end', { server: this.name, tool, durationMs: performance.now() - started, ok: false, error });
        throw error;
      },
    );
  }

  /**
   * The slower path, for requests with a hard deadline or that may be retried: the deadline
   * aborts the request (the server receives notifications/cancelled), and a safe request whose
   * session expired is retried once on the new session.
   */
  async #sendGuarded<T>(
    session: McpSession,
    op: Operation<T>,
    options: CallOptions,
    safe: boolean,
    timeoutMs: number,
    deadlineMs: number | undefined,
    started: number,
  ): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let signal = options.signal;
    if (deadlineMs !== undefined) {
      const deadline = new AbortController();
      const left = deadlineMs - (performance.now() - started);
      timer = setTimeout(() => deadline.abort(this.#timeout(deadlineMs, 'deadline')), Math.max(0, left));
      signal = options.signal === undefined ? deadline.signal : AbortSignal.any([options.signal, deadline.signal]);
    }
    const attempt = (s: McpSession): Promise<T> => op(s, { timeoutMs: Math.max(1, timeoutMs - (performance.now() - started)), signal, onProgress: options.onProgress });
    try {
      try {
        return await attempt(session);
      } catch (err) {
        if (!(safe && err instanceof UniversalMcpError && err.code === ErrorCode.SESSION_EXPIRED)) throw err;
        this.#log.info('session expired; retrying a safe request once');
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

  /** The typed error a request rejects with; the SDK's own timer firing is our idle timeout. */
  #requestError(err: unknown, signal: AbortSignal | undefined, timeoutMs: number): UniversalMcpError {
    const error = toUniversalError(err, this.name, 'request', signal);
    return error.code === ErrorCode.TIMEOUT && error.details === undefined ? this.#timeout(timeoutMs) : error;
  }

  #timeout(ms: number, kind: 'idle' | 'deadline' = 'idle'): UniversalMcpError {
    const what = kind === 'idle' ? `had no answer or progress for ${ms} ms` : `passed its ${ms} ms deadline`;
    return new UniversalMcpError(ErrorCode.TIMEOUT, `Request to "${this.name}" ${what}`, { server: this.name, details: { kind, ms } });
  }

  async #callUnlisted(tool: string, args: Record<string, unknown> | undefined, options: CallOptions): Promise<CallToolResult> {
    const session = this.#session;
    if (session !== undefined && session.capabilities?.tools !== undefined) {
      try {
        const tools = await session.listTools({ timeoutMs: options.timeoutMs ?? this.#policy.callTimeoutMs, signal: options.signal });
        if (this.#session === session) this.#setCatalog({ ...this.#catalog, tools }, ['tools'], true);
      } catch (err) {
        throw toUniversalError(err, this.name, 'request', options.signal);
      }
    }
    if (this.#tools.has(tool)) return this.callTool(tool, args, options);
    const available = [...this.#tools.keys()];
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
      tools: this.#catalog.tools,
      resources: this.#catalog.resources,
      resourceTemplates: this.#catalog.resourceTemplates,
      prompts: this.#catalog.prompts,
      subscriptions: [...this.#subscriptions],
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

  /** Stops for good: waiting requests are rejected, in-flight ones fail, every session is closed and awaited. */
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
