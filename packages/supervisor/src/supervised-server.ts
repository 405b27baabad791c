import type { Logger } from 'pino';
import { createActor } from 'xstate';
import { PROTOCOL_2025, type ResolvedPolicy, type UniversalMcpError } from '@universal-mcp/core';
import {
  connectionMachine,
  toUniversalError,
  unavailable,
  type ConnectionActor,
  type ConnectionSnapshot,
  type Session,
} from '@universal-mcp/core/internal';
import type {
  CallToolResult,
  Catalog,
  ConnectionState,
  ProcessExit,
  ProtocolEra,
  ServerConfig,
  Tool,
} from '@universal-mcp/core';
import { CallQueue } from './call-queue.js';
import { FirstReady } from './first-ready.js';
import type { CallOptions, RequestPath } from './request-path.js';
import { RestartRecord } from './restart-record.js';
import { ServerCatalog } from './server-catalog.js';
import { ServerEmitter } from './server-emitter.js';
import type { SupervisedServerOptions } from './supervised-server-options.js';
import type { ServerToolGate } from './tool-gate.js';
import type { ServerInfo } from './server-info.js';
import { serverSnapshot } from './server-snapshot.js';
import { givenUpError, intensityError, removedError } from './server-errors.js';
import { ServerRequests } from './server-requests.js';
import { ServerSessionListener } from './server-session-listener.js';
import { CarriedState } from './carried-state.js';
import type { Telemetry } from './telemetry.js';

export type { CallOptions } from './request-path.js';

/**
 * One server under supervision: its connection actor, its request path, and the restart policy
 * applied to it. It decides whether, when and how often to restart; the actor does the work.
 */
export class SupervisedServer {
  readonly name: string;
  readonly config: ServerConfig;
  /** Its requests (reads, subscriptions, prompts, completions, log level, roots), each waiting until it serves. */
  readonly requests: ServerRequests;
  #policy: ResolvedPolicy;
  readonly #log: Logger;
  readonly #events: ServerEmitter;
  readonly #telemetry: Telemetry | undefined;
  readonly #actor: ConnectionActor;
  readonly #queue: CallQueue;
  readonly #path: RequestPath;
  readonly #catalog: ServerCatalog;
  readonly #carriedState = new CarriedState();
  readonly #record = new RestartRecord();
  readonly #firstReady = new FirstReady();
  readonly #listener: ServerSessionListener;
  #state: ConnectionState = 'connecting';
  #attempt = 1;
  #session: Session | undefined;
  /** The era of the last ready connection: still shown while the server restarts. */
  #era: ProtocolEra | undefined;
  #protocolVersion: string | undefined;
  #readyCount = 0;
  #lastError: UniversalMcpError | undefined;
  #stopping: Promise<void> | undefined;
  /** When true, a failure before the first `ready` ends the server instead of restarting it. */
  readonly #failFirstAttempt: boolean;
  readonly #gate: ServerToolGate | undefined;
  /** The last ready connection's instructions: still known while the server restarts. */
  #instructions: string | undefined;

  constructor(options: SupervisedServerOptions) {
    const { config, policy } = options;
    this.name = config.name;
    this.config = config;
    this.#policy = policy;
    this.#log = options.logger.child({ server: config.name });
    this.#events = new ServerEmitter(this, options.emitter, options.telemetry, () => this.#lastError?.code);
    this.#telemetry = options.telemetry;
    this.#failFirstAttempt = options.failFirstAttempt;
    this.#gate = options.gate;
    this.#queue = new CallQueue(config.name, policy.queue);
    this.#listener = new ServerSessionListener({
      config,
      log: this.#log,
      emit: (event, payload) => this.#events.emit(event, payload),
      telemetry: options.telemetry,
    });
    this.#catalog = new ServerCatalog(
      (kind, catalog) => this.#events.announce(kind, catalog, (tools) => this.#offered(tools)),
      (warning) => {
        this.#log.warn(warning, 'tool definition not taken as sent');
        this.#events.emit('server:warning', { server: this.name, ...warning });
      },
      options.gate === undefined ? undefined : (tools) => options.gate?.observe(tools) ?? false,
    );
    this.requests = new ServerRequests(
      {
        name: config.name,
        target: this,
        telemetry: options.telemetry,
        catalog: this.#catalog,
        gate: options.gate,
        carriedState: this.#carriedState,
        policy: () => this.#policy,
        session: () => this.#session,
        stopping: () => this.#stopping !== undefined,
        refusal: () => this.#refusal(),
        unavailable: () => this.#unavailable(),
        offered: (tools) => this.#offered(tools),
        log: this.#log,
      },
      this.#queue,
    );
    this.#path = this.requests.path;
    this.#actor = createActor(options.machine ?? connectionMachine, {
      input: {
        config,
        connectTimeoutMs: policy.connectTimeoutMs,
        health: policy.health,
        handlers: options.handlers,
        extensions: options.extensions,
        protocol: options.protocol,
        outboundHosts: options.outboundHosts,
        listener: this.#listener,
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
    if (JSON.stringify(before.intensity) !== JSON.stringify(policy.intensity)) this.#record.restartTimes = [];
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
    return this.#record.givenUp !== undefined;
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
    if (failure !== undefined && !this.#record.restartRequested) this.#lastError = failure;
    // Listeners of a `ready` (telemetry's connect span among them) read the new session's revision and id.
    if (to === 'ready') this.#session = ctx.session;
    this.#log.info({ from, to, reason: ctx.reason, attempt: ctx.attempt, exit }, 'state');
    this.#events.emit('server:state', {
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
    this.#record.readyAt = Date.now();
    this.#readyCount += 1;
    // After a restart the catalog was listed afresh: say what changed.
    this.#catalog.set(catalog, this.#readyCount === 1 ? [] : ['tools', 'resources', 'prompts'], true);
    if (session !== undefined && this.#readyCount > 1)
      void this.#carriedState.restore(session, this.#policy.callTimeoutMs, this.#log);
    this.#events.emit('server:ready', {
      server: this.name,
      attempt,
      tools: this.#offered(catalog.tools),
      era: this.#era ?? PROTOCOL_2025,
      protocolVersion: this.#protocolVersion,
    });
    this.#firstReady.resolve();
    this.#path.ready();
  }

  /** After a failure (already recorded as lastError): does what {@link decide} says (give up, restart, or nothing). */
  #onFailed(error: UniversalMcpError, exit: ProcessExit | undefined): void {
    this.#session = undefined;
    const action = this.#record.decide(
      {
        policy: this.#policy,
        stopping: this.#stopping !== undefined,
        settled: this.#firstReady.settled,
        failFirstAttempt: this.#failFirstAttempt,
      },
      { code: error.code, exit },
      Date.now(),
    );
    switch (action.kind) {
      case 'none':
        return;
      case 'reject-first':
        this.#firstReady.reject(error);
        return;
      case 'give-up':
        this.#giveUp(action.reason === 'intensity' ? intensityError(this.name, this.#policy.intensity, error) : error);
        return;
      case 'restart':
        this.#scheduleRestart(action.delayMs, error);
    }
  }

  #scheduleRestart(delayMs: number, error: UniversalMcpError | undefined): void {
    this.#record.restarts += 1;
    // One line per attempt: the code and message say why; the stack (the same at every attempt) only at debug.
    this.#log.warn({ attempt: this.#attempt, delayMs, code: error?.code, reason: error?.message }, 'restarting');
    if (error !== undefined) this.#log.debug({ err: error }, 'restarting after');
    const event = { server: this.name, attempt: this.#attempt, delayMs, ...(error === undefined ? {} : { error }) };
    this.#events.emit('server:restarting', event);
    // The old name, for listeners written before 0.2: told after the new one, telemetry not counted twice.
    this.#events.emit('server:reconnecting', event);
    this.#actor.send({ type: 'supervisor.restart-after', delayMs });
  }

  #giveUp(error: UniversalMcpError): void {
    if (this.#record.givenUp !== undefined || this.#stopping !== undefined) return;
    this.#record.givenUp = error;
    this.#lastError = error;
    this.#log.error({ err: error }, 'given up');
    this.#events.emit('server:given-up', { server: this.name, error });
    this.#path.fail(this.#unavailable());
    this.#firstReady.rejectUnsettled(error);
  }

  /**
   * Restarts the server now, with a fresh restart window: a ready connection is ended (its
   * in-flight calls fail with `CONNECTION_LOST`) and made again; a pending backoff is cut short; a
   * given-up or failed server is brought back. A connection attempt under way is left to finish.
   */
  restart(): void {
    if (this.#stopping !== undefined) return;
    this.#record.reset();
    if (this.#state === 'ready') {
      this.#record.restartRequested = true;
      this.#actor.send({ type: 'supervisor.restart', reason: 'restart requested' });
    } else if (this.#state === 'failed' || this.#state === 'restarting') {
      this.#scheduleRestart(0, undefined);
    }
  }

  /** Why a request may not even wait for this server, if it may not. */
  #refusal(): UniversalMcpError | undefined {
    if (this.#stopping !== undefined || this.#record.givenUp !== undefined) return this.#unavailable();
    return undefined;
  }

  #unavailable(): UniversalMcpError {
    if (this.#stopping !== undefined) return removedError(this.name);
    if (this.#record.givenUp !== undefined) return givenUpError(this.name, this.#record.givenUp);
    return unavailable(this.name, this.#state, this.#lastError);
  }

  /** Calls a tool: checked against the catalog and its inputSchema, then sent through the queue. */
  callTool(tool: string, args: Record<string, unknown> | undefined, options?: CallOptions): Promise<CallToolResult> {
    return this.requests.callTool(tool, args, options);
  }

  /** A snapshot for `getServerInfo`. */
  info(): ServerInfo {
    return serverSnapshot({
      config: this.config,
      state: this.#state,
      givenUp: this.#record.givenUp !== undefined,
      session: this.#session ?? this.#actor.getSnapshot().context.session,
      catalog: this.#catalog.current,
      tools: this.tools,
      subscriptions: this.#carriedState.subscriptions,
      era: this.#era,
      protocolVersion: this.#protocolVersion,
      readyAt: this.#record.readyAt,
      attempt: this.#attempt,
      restarts: this.#record.restarts,
      lastError: this.#lastError,
      pending: this.#queue.pending,
      queued: this.#queue.queued + this.#path.waiting,
      stderr: this.#listener.stderrLines(),
    });
  }

  /** Stops for good: waiting requests are rejected, in-flight ones fail, every session is closed and awaited. */
  stop(reason = 'stop requested'): Promise<void> {
    this.#stopping ??= this.#shutdown(reason);
    return this.#stopping;
  }

  async #shutdown(reason: string): Promise<void> {
    const closed = removedError(this.name);
    this.#queue.close(closed);
    this.#path.fail(closed);
    this.#firstReady.rejectUnsettled(closed);
    this.#actor.send({ type: 'supervisor.stop', reason });
    await Promise.all([...this.#listener.sessions].map((s) => s.close()));
    this.#actor.stop();
    this.#telemetry?.serverRemoved(this.name);
  }
}
