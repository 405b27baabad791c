import type { Logger } from 'pino';
import { createActor } from 'xstate';
import { ErrorCode, PROTOCOL_2025, UniversalMcpError, redactConfig, type ResolvedPolicy } from '@universal-mcp/core';
import {
  ArgumentValidator,
  StderrTail,
  classifyTransportError,
  connectionMachine,
  didYouMean,
  toUniversalError,
  unavailable,
  type ConnectionActor,
  type ConnectionSnapshot,
  type OutboundHosts,
  type Session,
  type ToolList,
} from '@universal-mcp/core/internal';
import type {
  CallToolResult,
  Catalog,
  CatalogKind,
  ClientExtensions,
  ClientHandlers,
  CompleteRequest,
  CompleteResult,
  ConnectionState,
  GetPromptResult,
  LoggingLevel,
  LoggingMessageNotification,
  InputRound,
  ProcessExit,
  ProtocolEra,
  ProtocolSetting,
  ReadResourceResult,
  ServerConfig,
  Tool,
} from '@universal-mcp/core';
import { CallQueue } from './call-queue.js';
import type { ServerReconnectingEvent, ServerStateEvent, UniversalMcpEvents } from './events.js';
import type { EventHub } from './event-hub.js';
import { LogThrottle } from './log-throttle.js';
import { RequestPath, type Budget, type CallOptions, type Operation } from './request-path.js';
import { decide } from './restart-decision.js';
import { ServerCatalog } from './server-catalog.js';
import type { ServerToolGate } from './tool-gate.js';
import type { ServerInfo } from './server-info.js';
import { SessionState } from './session-state.js';
import type { RequestExtras, Telemetry } from './telemetry.js';

export type { CallOptions } from './request-path.js';

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
/**
 * The SDK reports a message for a request that already ended (a late answer, progress after a timeout): expected, not
 * a fault.
 */
const LATE_MESSAGE = /unknown (?:token|message ID)|for an unknown|after (?:the )?request/i;

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
 * One server under supervision: its connection actor, its request path, and the restart policy
 * applied to it. It decides whether, when and how often to restart; the actor does the work.
 */
export class SupervisedServer {
  readonly name: string;
  readonly config: ServerConfig;
  #policy: ResolvedPolicy;
  readonly #log: Logger;
  readonly #emitter: EventHub<UniversalMcpEvents>;
  readonly #telemetry: Telemetry | undefined;
  readonly #actor: ConnectionActor;
  readonly #queue: CallQueue;
  readonly #path: RequestPath;
  readonly #catalog: ServerCatalog;
  readonly #sessionState = new SessionState();
  /** Restart times in the intensity window (see recordRestart). */
  #restartTimes: readonly number[] = [];
  readonly #sessions = new Set<Session>();
  readonly #firstReady = deferred();
  readonly #noisyTransport: LogThrottle;
  readonly #stderr = new StderrTail();
  readonly #validator = new ArgumentValidator();
  #state: ConnectionState = 'connecting';
  #attempt = 1;
  #session: Session | undefined;
  /** The era of the last ready connection: still shown while the server reconnects. */
  #era: ProtocolEra | undefined;
  #protocolVersion: string | undefined;
  #readyAt: number | undefined;
  #readyCount = 0;
  #failures = 0;
  #restarts = 0;
  #lastError: UniversalMcpError | undefined;
  #givenUp: UniversalMcpError | undefined;
  #settledOnce = false;
  /** Set by restart() on a live connection: the failure that follows is ours, not the server's. */
  #restartRequested = false;
  #stopping: Promise<void> | undefined;
  /** When true, a failure before the first `ready` ends the server instead of restarting it. */
  readonly #failFirstAttempt: boolean;
  readonly #gate: ServerToolGate | undefined;
  /** The last ready connection's instructions: still known while the server reconnects. */
  #instructions: string | undefined;

  constructor(options: {
    config: ServerConfig;
    policy: ResolvedPolicy;
    logger: Logger;
    emitter: EventHub<UniversalMcpEvents>;
    failFirstAttempt: boolean;
    handlers?: ClientHandlers | undefined;
    /** Extensions every session declares (the facade's `apps`). */
    extensions?: ClientExtensions | undefined;
    /** The client-wide protocol setting (the config's own `protocol` wins). @default 'auto' */
    protocol?: ProtocolSetting | undefined;
    /** Where HTTP requests may go (the client's `outboundHosts`). */
    outboundHosts?: OutboundHosts | undefined;
    /** The connection machine, for tests that swap its actors. @default connectionMachine */
    machine?: typeof connectionMachine | undefined;
    /** Spans and metrics of this server's lifecycle. */
    telemetry?: Telemetry | undefined;
    /** Which tools are offered (policy, pins); every tool when unset. */
    gate?: ServerToolGate | undefined;
  }) {
    const { config, policy } = options;
    this.name = config.name;
    this.config = config;
    this.#policy = policy;
    this.#log = options.logger.child({ server: config.name });
    this.#emitter = options.emitter;
    this.#telemetry = options.telemetry;
    this.#failFirstAttempt = options.failFirstAttempt;
    this.#gate = options.gate;
    this.#queue = new CallQueue(config.name, policy.queue);
    this.#noisyTransport = new LogThrottle(10, 60_000);
    this.#catalog = new ServerCatalog(
      (kind, catalog) => this.#announce(kind, catalog),
      (warning) => {
        this.#log.warn(warning, 'tool definition not taken as sent');
        this.#emit('server:warning', { server: this.name, ...warning });
      },
      options.gate === undefined ? undefined : (tools) => options.gate?.observe(tools) ?? false,
    );
    this.#path = new RequestPath(
      {
        name: config.name,
        policy: () => this.#policy,
        session: () => this.#session,
        refusal: () => this.#refusal(),
        unavailable: () => this.#unavailable(),
        log: this.#log,
      },
      this.#queue,
    );
    this.#actor = createActor(options.machine ?? connectionMachine, {
      input: {
        config,
        connectTimeoutMs: policy.connectTimeoutMs,
        health: policy.health,
        handlers: options.handlers,
        extensions: options.extensions,
        protocol: options.protocol,
        outboundHosts: options.outboundHosts,
        listener: {
          created: (session) => this.#track(session),
          stderr: (line) => this.#onStderr(line),
          transportError: (err) => this.#onTransportError(err),
          resourceUpdated: (uri) => this.#emit('resource:updated', { server: this.name, uri }),
          log: (params) => this.#onServerLog(params),
          warning: (message) => this.#log.warn({ warning: message }, 'SDK warning'),
          inputRequired: (round) => this.#onInputRequired(round),
        },
      },
    });
    this.#actor.subscribe({
      next: (snapshot) => this.#onSnapshot(snapshot),
      error: (err) => this.#onActorError(err),
    });
    this.#actor.on('catalog.changed', (event) => this.#catalog.set(event.catalog, [event.kind]));
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
    // A new intensity starts with a fresh window.
    if (JSON.stringify(before.intensity) !== JSON.stringify(policy.intensity)) this.#restartTimes = [];
    if (
      JSON.stringify(before.health) !== JSON.stringify(policy.health) ||
      before.connectTimeoutMs !== policy.connectTimeoutMs
    ) {
      this.#actor.send({
        type: 'supervisor.configure',
        health: policy.health,
        connectTimeoutMs: policy.connectTimeoutMs,
      });
    }
    this.#log.info({ policy }, 'policy updated');
  }

  /** Starts connecting. */
  start(): void {
    this.#telemetry?.serverAdded(this);
    this.#actor.start();
  }

  /** The Streamable HTTP session id of the ready connection. */
  get sessionId(): string | undefined {
    return this.#session?.sessionId;
  }

  /** The protocol version the ready connection agreed on. */
  get protocolVersion(): string | undefined {
    return this.#session?.protocolVersion;
  }

  /** Resolves at the first `ready`; rejects with the first attempt's error when `failFirstAttempt` is set. */
  get firstReady(): Promise<void> {
    return this.#firstReady.promise;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** True once the supervisor has given the server up. */
  get givenUp(): boolean {
    return this.#givenUp !== undefined;
  }

  /** Why the server is not ready: its last error, or its state. */
  get lastError(): UniversalMcpError | undefined {
    return this.#lastError;
  }

  get catalog(): Catalog {
    return this.#catalog.current;
  }

  /** The offered tools of the catalog (all of them without a gate). */
  get tools(): Tool[] {
    return this.#offered(this.#catalog.current.tools);
  }

  /** The server's instructions, as the last ready connection gave them. */
  get instructions(): string | undefined {
    return this.#instructions;
  }

  #offered(tools: Tool[]): Tool[] {
    return this.#gate === undefined ? tools : this.#gate.offered(tools);
  }

  #track(session: Session): void {
    this.#sessions.add(session);
    void session.closed.then(() => this.#sessions.delete(session));
  }

  #onStderr(line: string): void {
    this.#stderr.push(line);
    this.#log.debug({ line }, 'stderr');
    this.#emit('server:stderr', { server: this.name, line });
  }

  #onTransportError(err: Error): void {
    if (LATE_MESSAGE.test(err.message)) {
      this.#log.debug({ reason: err.message }, 'late message ignored');
      return;
    }
    // An error that ends the connection (on legacy SSE, every error does) is told once, by the state change and the
    // reconnect line that follow it.
    const transport = this.config.transport;
    if (transport === 'sse' || (transport === 'streamable_http' && classifyTransportError(err) !== 'other')) {
      this.#log.debug({ reason: err.message }, 'transport error');
      return;
    }
    const suppressed = this.#noisyTransport.take(Date.now());
    if (suppressed !== false) this.#log.warn({ reason: err.message, suppressed }, 'transport error');
  }

  #onServerLog(params: LoggingMessageNotification['params']): void {
    this.#log[PINO_LEVEL[params.level] ?? 'info']({ logger: params.logger, data: params.data }, 'server log');
    this.#emit('server:log', { server: this.name, level: params.level, logger: params.logger, data: params.data });
  }

  #onInputRequired(round: InputRound): void {
    // The server chose the method names: bounded like any other text it sends before they reach logs and events.
    const event = {
      server: this.name,
      method: round.method.slice(0, 128),
      round: round.round,
      requests: round.requests.slice(0, 64).map((r) => ({ key: r.key.slice(0, 128), method: r.method.slice(0, 128) })),
    };
    this.#log.debug({ method: event.method, round: event.round, requests: event.requests }, 'input required');
    this.#telemetry?.inputRequired(event);
    this.#emit('server:input-required', event);
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
    const exit = to === 'failed' ? ctx.error?.exit : undefined;
    // Listeners of this event may call getServerInfo: it must already show why.
    const failure = to === 'failed' ? (ctx.error ?? unavailable(this.name, 'failed')) : undefined;
    if (failure !== undefined && !this.#restartRequested) this.#lastError = failure;
    // Listeners of a `ready` (telemetry's connect span among them) read the new session's revision and id.
    if (to === 'ready') this.#session = ctx.session;
    this.#log.info({ from, to, reason: ctx.reason, attempt: ctx.attempt, exit }, 'state');
    this.#emit('server:state', {
      server: this.name,
      from,
      to,
      reason: ctx.reason,
      attempt: ctx.attempt,
      ...(exit === undefined ? {} : { exit }),
    });
    if (to === 'ready') this.#onReady(ctx.session, ctx.catalog, ctx.attempt);
    else if (failure !== undefined) this.#onFailed(failure, failure.exit);
    else this.#session = undefined;
  }

  #onReady(session: Session | undefined, catalog: Catalog, attempt: number): void {
    this.#session = session;
    this.#era = session?.era;
    this.#protocolVersion = session?.protocolVersion;
    this.#instructions = session?.instructions;
    this.#readyAt = Date.now();
    this.#readyCount += 1;
    // After a reconnect the catalog was listed afresh: say what changed.
    this.#catalog.set(catalog, this.#readyCount === 1 ? [] : ['tools', 'resources', 'prompts'], true);
    if (session !== undefined && this.#readyCount > 1)
      void this.#sessionState.restore(session, this.#policy.callTimeoutMs, this.#log);
    this.#emit('server:ready', {
      server: this.name,
      attempt,
      tools: this.#offered(catalog.tools),
      era: this.#era ?? PROTOCOL_2025,
      protocolVersion: this.#protocolVersion,
    });
    this.#settledOnce = true;
    this.#firstReady.resolve();
    this.#path.ready();
  }

  /** After a failure (already recorded as lastError): does what {@link decide} says (give up, restart, or nothing). */
  #onFailed(error: UniversalMcpError, exit: ProcessExit | undefined): void {
    this.#session = undefined;
    const { action, state } = decide(
      {
        policy: this.#policy,
        stopping: this.#stopping !== undefined,
        restartRequested: this.#restartRequested,
        settled: this.#settledOnce,
        failFirstAttempt: this.#failFirstAttempt,
        readyAt: this.#readyAt,
        failures: this.#failures,
        restartTimes: this.#restartTimes,
      },
      { code: error.code, exit },
      Date.now(),
    );
    this.#restartRequested = state.restartRequested;
    this.#readyAt = state.readyAt;
    this.#failures = state.failures;
    this.#restartTimes = state.restartTimes;
    switch (action.kind) {
      case 'none':
        return;
      case 'reject-first':
        this.#settledOnce = true;
        this.#firstReady.reject(error);
        return;
      case 'give-up':
        this.#giveUp(action.reason === 'intensity' ? this.#passedIntensity(error) : error);
        return;
      case 'restart':
        this.#scheduleRestart(action.delayMs, error);
    }
  }

  #passedIntensity(error: UniversalMcpError): UniversalMcpError {
    const { maxRestarts, windowMs } = this.#policy.intensity;
    return new UniversalMcpError(
      ErrorCode.SERVER_UNAVAILABLE,
      `Server "${this.name}" was given up: more than ${maxRestarts} restarts in ${windowMs} ms`,
      { server: this.name, cause: error },
    );
  }

  #scheduleRestart(delayMs: number, error: UniversalMcpError | undefined): void {
    this.#restarts += 1;
    // One line per attempt: the code and message say why; the stack (the same at every attempt) only at debug.
    this.#log.warn({ attempt: this.#attempt, delayMs, code: error?.code, reason: error?.message }, 'reconnecting');
    if (error !== undefined) this.#log.debug({ err: error }, 'reconnecting after');
    this.#emit('server:reconnecting', {
      server: this.name,
      attempt: this.#attempt,
      delayMs,
      ...(error === undefined ? {} : { error }),
    });
    this.#actor.send({ type: 'supervisor.retry', delayMs });
  }

  #giveUp(error: UniversalMcpError): void {
    if (this.#givenUp !== undefined || this.#stopping !== undefined) return;
    this.#givenUp = error;
    this.#lastError = error;
    this.#log.error({ err: error }, 'given up');
    this.#emit('server:given-up', { server: this.name, error });
    this.#path.fail(this.#unavailable());
    if (!this.#settledOnce) {
      this.#settledOnce = true;
      this.#firstReady.reject(error);
    }
  }

  /**
   * Restarts the server now, with a fresh restart window: a ready connection is ended (its
   * in-flight calls fail with `CONNECTION_LOST`) and made again; a pending backoff is cut short; a
   * given-up or failed server is brought back. A connection attempt under way is left to finish.
   */
  restart(): void {
    if (this.#stopping !== undefined) return;
    this.#givenUp = undefined;
    this.#restartTimes = [];
    this.#failures = 0;
    if (this.#state === 'ready') {
      this.#restartRequested = true;
      this.#actor.send({ type: 'supervisor.restart', reason: 'restart requested' });
    } else if (this.#state === 'failed' || this.#state === 'reconnecting') {
      this.#scheduleRestart(0, undefined);
    }
  }

  #announce(kind: CatalogKind, catalog: Catalog): void {
    if (kind === 'tools') this.#emit('tools:changed', { server: this.name, tools: this.#offered(catalog.tools) });
    else if (kind === 'prompts') this.#emit('prompts:changed', { server: this.name, prompts: catalog.prompts });
    else
      this.#emit('resources:changed', {
        server: this.name,
        resources: catalog.resources,
        resourceTemplates: catalog.resourceTemplates,
      });
  }

  #emit<E extends keyof UniversalMcpEvents>(event: E, payload: Parameters<UniversalMcpEvents[E]>[0]): void {
    if (this.#telemetry !== undefined) {
      if (event === 'server:state')
        this.#telemetry.stateChanged(this, payload as ServerStateEvent, this.#lastError?.code);
      else if (event === 'server:reconnecting') {
        const e = payload as ServerReconnectingEvent;
        this.#telemetry.restarting(this, e.delayMs, e.error?.code);
      }
    }
    (this.#emitter.emit as (e: E, p: unknown) => boolean)(event, payload);
  }

  /** Why a request may not even wait for this server, if it may not. */
  #refusal(): UniversalMcpError | undefined {
    if (this.#stopping !== undefined || this.#givenUp !== undefined) return this.#unavailable();
    return undefined;
  }

  #unavailable(): UniversalMcpError {
    if (this.#stopping !== undefined)
      return new UniversalMcpError(ErrorCode.CLOSED, `Server "${this.name}" was removed`, { server: this.name });
    if (this.#givenUp !== undefined) {
      return new UniversalMcpError(
        ErrorCode.SERVER_UNAVAILABLE,
        `Server "${this.name}" was given up: ${this.#givenUp.message}`,
        { server: this.name, cause: this.#givenUp },
      );
    }
    return unavailable(this.name, this.#state, this.#lastError);
  }

  /** Runs `next` with the request's budget once the server serves requests (at once when it is ready). */
  #whenServing<T>(options: CallOptions | undefined, next: (budget: Budget) => Promise<T>): Promise<T> {
    let budget: Budget;
    try {
      budget = this.#path.budget(options);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#session !== undefined && this.#stopping === undefined) return next(budget);
    return this.#path.serving(budget).then(() => next(budget));
  }

  /** Calls a tool: checked against the catalog and its inputSchema, then sent through the queue. */
  callTool(tool: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<CallToolResult> {
    return this.#whenServing(options, (budget) => this.#callTool(tool, args, budget, true));
  }

  #callTool(
    tool: string,
    args: Record<string, unknown> | undefined,
    budget: Budget,
    mayRefresh: boolean,
  ): Promise<CallToolResult> {
    const known = this.#catalog.tool(tool);
    if (known === undefined) {
      const reason = this.#catalog.invalidReason(tool);
      if (reason !== undefined) {
        return Promise.reject(
          new UniversalMcpError(
            ErrorCode.TOOL_INVALID,
            `Tool "${tool}" on "${this.name}" has a broken definition and cannot be called: ${reason}`,
            {
              server: this.name,
              details: { tool, reason },
            },
          ),
        );
      }
      return mayRefresh ? this.#callUnlisted(tool, args, budget) : Promise.reject(this.#toolNotFound(tool));
    }
    // Before the arguments are checked or anything is queued: a tool not offered is not called at all.
    const denied = this.#gate?.denial(known);
    if (denied !== undefined) return Promise.reject(denied);
    if (this.#policy.validateArguments) {
      const invalid = this.#validator.check(this.name, known, args);
      if (invalid !== undefined) return Promise.reject(invalid);
    }
    return this.#path.send((s, o) => s.callTool(tool, args, o), budget, this.#catalog.isSafe(tool));
  }

  /**
   * A tool not in the catalog: list the tools once more (through the queue, within the call's budget), then call or
   * say it is not there. The listing is a request of its own: its own span, trace context and id, not the call's
   * (the call's `onSent` and span tell the id of the `tools/call` alone, and only if one is sent).
   */
  async #callUnlisted(
    tool: string,
    args: Record<string, unknown> | undefined,
    budget: Budget,
  ): Promise<CallToolResult> {
    const session = this.#session;
    if (session?.capabilities?.tools !== undefined) {
      const list = (extra: RequestExtras | undefined): Promise<ToolList> =>
        this.#path.send(
          (s, o) => s.listTools(o),
          { ...budget, onProgress: undefined, meta: extra?.meta, onSent: extra?.onSent },
          true,
        );
      const listed = await (this.#telemetry?.request(this, { method: 'tools/list' }, list) ?? list(undefined));
      if (this.#session === session)
        this.#catalog.set(
          {
            ...this.#catalog.current,
            tools: listed.tools,
            invalidTools: listed.invalid,
            toolWarnings: listed.warnings,
          },
          ['tools'],
          true,
        );
    }
    return this.#callTool(tool, args, budget, false);
  }

  #toolNotFound(tool: string): UniversalMcpError {
    const available = this.#offered(this.#catalog.current.tools).map((t) => t.name);
    const guess = didYouMean(tool, available);
    return new UniversalMcpError(
      ErrorCode.TOOL_NOT_FOUND,
      `Tool "${tool}" not found on server "${this.name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}. ` +
        `Available tools: ${available.length > 0 ? available.join(', ') : '(none)'}`,
      { server: this.name, details: { tool, available, didYouMean: guess } },
    );
  }

  /** Any other request: safe to retry once after a lost session. */
  #request<T>(op: Operation<T>, options: CallOptions | undefined): Promise<T> {
    return this.#whenServing(options, (budget) => this.#path.send(op, budget, true));
  }

  /** Reads a resource. */
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.#request((s, o) => s.readResource(uri, o), options);
  }

  /** Subscribes to a resource's updates (`resource:updated`); kept across reconnects. */
  async subscribeResource(uri: string, options?: CallOptions): Promise<void> {
    await this.#request((s, o) => s.subscribeResource(uri, o), options);
    this.#sessionState.subscriptions.add(uri);
  }

  async unsubscribeResource(uri: string, options?: CallOptions): Promise<void> {
    this.#sessionState.subscriptions.delete(uri);
    await this.#request((s, o) => s.unsubscribeResource(uri, o), options);
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options?: CallOptions): Promise<GetPromptResult> {
    return this.#request((s, o) => s.getPrompt(name, args, o), options);
  }

  complete(params: CompleteRequest['params'], options?: CallOptions): Promise<CompleteResult> {
    return this.#request((s, o) => s.complete(params, o), options);
  }

  /** Sets the server's log level; re-applied after every reconnect. */
  async setLoggingLevel(level: LoggingLevel, options?: CallOptions): Promise<void> {
    this.#sessionState.logLevel = level;
    await this.#request((s, o) => s.setLoggingLevel(level, o), options);
  }

  /** Tells the server the client's roots changed. */
  async rootsChanged(): Promise<void> {
    const session = this.#session;
    if (session === undefined || this.#refusal() !== undefined) throw this.#unavailable();
    await session.rootsChanged();
  }

  /** A snapshot for `getServerInfo`. */
  info(): ServerInfo {
    const snapshot = this.#actor.getSnapshot();
    const session = this.#session ?? snapshot.context.session;
    const catalog = this.#catalog.current;
    return {
      name: this.name,
      config: redactConfig(this.config),
      transport: this.config.transport,
      state: this.#state,
      givenUp: this.#givenUp !== undefined,
      tools: this.#offered(catalog.tools),
      invalidTools: catalog.invalidTools,
      resources: catalog.resources,
      resourceTemplates: catalog.resourceTemplates,
      prompts: catalog.prompts,
      subscriptions: [...this.#sessionState.subscriptions],
      era: session?.era ?? this.#era,
      protocolVersion: session?.protocolVersion ?? this.#protocolVersion,
      serverVersion: session?.serverVersion,
      capabilities: session?.capabilities,
      connectedAt: this.#state === 'ready' && this.#readyAt !== undefined ? new Date(this.#readyAt) : undefined,
      attempt: this.#attempt,
      restarts: this.#restarts,
      lastError: this.#lastError,
      pid: session?.pid,
      sessionId: session?.sessionId,
      freshness: freshnessOf(session),
      pending: this.#queue.pending,
      queued: this.#queue.queued + this.#path.waiting,
      stderr: this.#stderr.lines(),
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
    this.#path.fail(closed);
    if (!this.#settledOnce) {
      this.#settledOnce = true;
      this.#firstReady.reject(closed);
    }
    this.#actor.send({ type: 'supervisor.stop', reason });
    await Promise.all([...this.#sessions].map((s) => s.close()));
    this.#actor.stop();
    this.#telemetry?.serverRemoved(this.name);
  }
}

/** What a session knows of its lists' freshness (a 2026-07-28 server's `ttlMs` and `cacheScope`). */
function freshnessOf(session: Session | undefined): ServerInfo['freshness'] {
  const out: { -readonly [K in CatalogKind]?: ServerInfo['freshness'][K] } = {};
  for (const kind of ['tools', 'prompts', 'resources'] as const) {
    const f = session?.freshness(kind);
    if (f !== undefined) out[kind] = f;
  }
  return out;
}
