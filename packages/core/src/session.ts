import {
  UnauthorizedError,
  specTypeSchemas,
  type CallToolResult,
  type Client,
  type CompleteRequest,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type ReadResourceResult,
  type ServerCapabilities,
  type StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { Catalog, CatalogKind } from './catalog.js';
import type { CatalogListing } from './catalog-listing.js';
import type { ServerConfig } from './config.js';
import { connectError } from './connect-error.js';
import type { ConnectionLoss } from './connection-loss.js';
import { toUniversalError } from './errors.js';
import { capabilitiesFor } from './handlers.js';
import type { ProcessExit } from './process-exit.js';
import { StdioProcessTransport } from './stdio-transport.js';
import type { ToolList } from './tool-list.js';
import { PROTOCOL_2025, PROTOCOL_2026, type ProtocolEra, type ProtocolSetting } from './protocol-era.js';
import { pinnedEraError, priorFor, probeEndedServer, type EraVerdict } from './era-verdict.js';
import { readDiscoverResult, type DiscoverInfo } from './discover-result.js';
import { emptyResult, parsedBy } from './result-checks.js';
import type { SessionChannel } from './session-channel.js';
import { assembleSession, exitOf, type SessionParts } from './session-parts.js';
import type {
  ListFreshness,
  LostReason,
  OpenSessionOptions,
  RequestOptions,
  Session,
  StartToolOptions,
  TaskStateWithResult,
  ToolOutcome,
  WatchListener,
} from './session-types.js';
import { SubscriptionStream } from './subscription-stream.js';
import { pollTask } from './task-poller.js';
import { TaskCalls } from './task-session.js';
import { withTasksExtension, type TaskInputRequest } from './task-wire.js';

export type {
  InputRound,
  ListFreshness,
  LostReason,
  OpenSessionOptions,
  RequestOptions,
  Session,
  SessionListener,
  StartToolOptions,
  TaskStateWithResult,
  ToolOutcome,
  WatchListener,
} from './session-types.js';

/**
 * One connection attempt's worth of MCP on a fresh transport: the SDK `Client` runs the handshake
 * and answers the server's requests; every request of ours goes through a {@link SessionChannel}.
 * This class coordinates: requests and their errors live in session-channel.ts, listings in
 * catalog-listing.ts, the end of the connection in connection-loss.ts. This file,
 * transport-factory.ts and the files they use are where the SDK is used; everything above works
 * on {@link Session}s. The SDK client and transport stay inside.
 */
export class McpSession implements Session {
  readonly server: string;
  readonly #parts: SessionParts;
  readonly #client: Client;
  readonly #channel: SessionChannel;
  readonly #lists: CatalogListing;
  readonly #loss: ConnectionLoss;
  readonly #tasks: TaskCalls;
  /** Declare the Tasks extension on 2026 requests (OpenSessionOptions.tasks). */
  readonly #declareTasks: boolean;
  #protocolVersion: string | undefined;
  /** The 2026 log level, sent in each request's `_meta` (there is no `logging/setLevel`). */
  #logLevel: LoggingLevel | undefined;
  #subscriptions: SubscriptionStream | undefined;
  #closing: Promise<void> | undefined;
  #resolveClosed!: () => void;
  /** Resolves once close() has finished (process group gone, HTTP session deleted). */
  readonly closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  private constructor(config: ServerConfig, options: OpenSessionOptions, setting: ProtocolSetting) {
    this.server = config.name;
    this.#parts = assembleSession(config, options, setting, {
      protocolVersion: (version) => (this.#protocolVersion = version),
      closing: () => this.#closing !== undefined,
    });
    this.#client = this.#parts.client;
    this.#channel = this.#parts.channel;
    this.#lists = this.#parts.lists;
    this.#loss = this.#parts.loss;
    this.#declareTasks = options.tasks !== false;
    this.#tasks = new TaskCalls({
      server: this.server,
      channel: this.#channel,
      lists: this.#lists,
      handlers: this.#parts.handlers,
      declared: this.#declareTasks,
      capabilities: () => this.capabilities,
    });
  }

  /**
   * Starts the transport and runs the `initialize` handshake. Rejects with `CONNECT_FAILED`
   * saying why (command not found, connection refused, process exited, handshake failed), or
   * `AUTH_FAILED`; nothing is left running then.
   */
  static async open(config: ServerConfig, options: OpenSessionOptions): Promise<McpSession> {
    const setting: ProtocolSetting = config.protocol ?? options.protocol ?? 'auto';
    let prior = priorFor(setting, options.prior);
    for (let authorized = 0; ;) {
      const session = new McpSession(config, options, setting);
      options.listener?.created?.(session);
      try {
        await session.#client.connect(session.#parts.transport, {
          timeout: options.timeoutMs,
          signal: options.signal,
          ...(prior === undefined ? {} : { prior }),
        });
        await session.#settle(options.timeoutMs);
        return session;
      } catch (err) {
        // The authorization-code flow: the SDK asked to send the user somewhere; get the code,
        // hand it to this transport, and connect again on a fresh one (same provider, so its tokens).
        const again =
          err instanceof UnauthorizedError &&
          authorized < (session.#parts.http?.maxAuthorizations ?? 0) &&
          (await session.#channel.authorize());
        await session.close();
        if (again) {
          authorized += 1;
          continue;
        }
        if (options.signal?.aborted) throw toUniversalError(err, config.name, 'connect', options.signal);
        // A 2025 stdio server that exits (or closes its stdout) on `server/discover`: it is a legacy
        // one. Start it again for `initialize` alone: one process at a time, never an SDK sibling.
        if (setting === 'auto' && prior === undefined && config.transport === 'stdio' && probeEndedServer(err)) {
          prior = { kind: 'legacy' };
          continue;
        }
        throw (
          pinnedEraError(err, config.name, setting) ??
          connectError(err, {
            server: session.server,
            refused: session.#parts.http?.takeRefusal(),
            exit: session.exit,
            stderr: session.#parts.stderr,
          })
        );
      }
    }
  }

  /** After the SDK connected: the 2026 era's envelope on our channel, and its subscription stream. */
  async #settle(timeoutMs: number): Promise<void> {
    if (this.#client.getProtocolEra() !== 'modern') return;
    this.#channel.modern = true;
    const { handlers, extensions, clientInfo, listener } = this.#parts;
    // Tasks: a server may answer a task only to a request that declares the extension (in its own `_meta`).
    const declared = capabilitiesFor(handlers, extensions);
    const clientCapabilities = this.#declareTasks ? withTasksExtension(declared) : declared;
    this.#parts.rpc.useEnvelope(() => ({
      protocolVersion: this.#protocolVersion ?? PROTOCOL_2026,
      clientCapabilities,
      clientInfo,
      logLevel: this.#logLevel,
    }));
    const caps = this.capabilities ?? {};
    const stream = new SubscriptionStream(
      this.#client,
      {
        tools: caps.tools?.listChanged === true,
        prompts: caps.prompts?.listChanged === true,
        resources: caps.resources?.listChanged === true,
      },
      (err) => listener?.transportError?.(err),
    );
    this.#subscriptions = stream;
    // A server that offers list changes and then refuses the stream still serves requests: say so, go on.
    await stream.start(timeoutMs).catch((err: unknown) => {
      listener?.transportError?.(err instanceof Error ? err : new Error(String(err)));
    });
  }

  /** The stdio server's recent stderr lines (bounded by lines and bytes). */
  get stderr(): readonly string[] {
    return this.#parts.stderr.lines();
  }

  /** The stdio server's pid. */
  get pid(): number | undefined {
    const transport = this.#parts.transport;
    return transport instanceof StdioProcessTransport ? transport.pid : undefined;
  }

  /** How the stdio server's process ended, once it has. */
  get exit(): ProcessExit | undefined {
    return exitOf(this.#parts.transport);
  }

  /** The MCP revision this session speaks. */
  get era(): ProtocolEra {
    return this.#channel.modern ? PROTOCOL_2026 : PROTOCOL_2025;
  }

  /** The protocol version agreed on (`initialize`'s, or the 2026 revision `server/discover` offered). */
  get protocolVersion(): string | undefined {
    return this.#protocolVersion ?? this.#client.getNegotiatedProtocolVersion();
  }

  /**
   * What this session learned of the server's era, to connect the next session with (see
   * {@link OpenSessionOptions.prior}); undefined when the setting pinned 2025 (nothing was learned).
   */
  get verdict(): EraVerdict | undefined {
    if (this.#parts.setting === PROTOCOL_2025) return undefined;
    const discover = this.#client.getDiscoverResult();
    if (this.#channel.modern) return discover === undefined ? undefined : { kind: 'modern', discover };
    return this.#client.getProtocolEra() === 'legacy' ? { kind: 'legacy' } : undefined;
  }

  /** The server's `server/discover` answer, read and bounded (2026-07-28 only). */
  get discover(): DiscoverInfo | undefined {
    const read = readDiscoverResult(this.#client.getDiscoverResult());
    return read.ok ? read.discover : undefined;
  }

  /** The server's instructions (from `initialize`, or from `server/discover`). */
  get instructions(): string | undefined {
    return this.#client.getInstructions();
  }

  /** How fresh the last listing of `kind` stays (2026-07-28 `ttlMs`/`cacheScope`); undefined before one. */
  freshness(kind: CatalogKind): ListFreshness | undefined {
    return this.#lists.freshness(kind);
  }

  /** The Streamable HTTP session id. */
  get sessionId(): string | undefined {
    return this.#parts.transport.sessionId;
  }

  get serverVersion(): Implementation | undefined {
    return this.#client.getServerVersion();
  }

  get capabilities(): ServerCapabilities | undefined {
    return this.#client.getServerCapabilities();
  }

  /** Why the connection ended, once it has. */
  get lostReason(): LostReason | undefined {
    return this.#loss.reason;
  }

  /** Attaches the one watcher; if the connection is already gone it is told at once. Returns the detach. */
  watch(listener: WatchListener): () => void {
    return this.#loss.watch(listener);
  }

  /** The server's whole tool catalog (see {@link CatalogListing.listTools}); output schemas are enforced on calls. */
  async listTools(options: RequestOptions): Promise<ToolList> {
    const list = await this.#lists.listTools(options);
    this.#tasks.remember(list.tools);
    return list;
  }

  /** One part of the catalog, or all of it; parts the server lacks the capability for are empty. */
  async listCatalog(kind: CatalogKind | 'all', options: RequestOptions): Promise<Partial<Catalog>> {
    const catalog = await this.#lists.listCatalog(kind, this.capabilities ?? {}, options);
    this.#tasks.remember(catalog.tools);
    return catalog;
  }

  /**
   * Calls a tool. A result with `isError: true` resolves; failures reject with a typed error. The result is
   * checked as task-session.ts says. A task the server makes of the call is polled to its end (task-poller.ts).
   */
  async callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: RequestOptions,
  ): Promise<CallToolResult> {
    const outcome = await this.#tasks.startTool(name, args, options);
    return outcome.kind === 'complete' ? outcome.result : pollTask(this, outcome.task, name, options);
  }

  /** The server can make tool tasks (2026: it advertises the Tasks extension; 2025: `capabilities.tasks`). */
  get tasks(): boolean {
    return this.#tasks.tasks;
  }

  /** One `tools/call` exchange that may end in a task (MRTR rounds included); never polls. */
  startTool(name: string, args: Record<string, unknown> | undefined, options: StartToolOptions): Promise<ToolOutcome> {
    return this.#tasks.startTool(name, args, options);
  }

  /** `tasks/get` (2025: and `tasks/result` once terminal); -32602 → `TASK_LOST`. */
  getTask(taskId: string, tool: string, options: RequestOptions): Promise<TaskStateWithResult> {
    return this.#tasks.getTask(taskId, tool, options);
  }

  /** `tasks/update` (2026 only). */
  updateTask(taskId: string, responses: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<void> {
    return this.#tasks.updateTask(taskId, responses, options);
  }

  /** Answers the task's input requests with this session's handlers, then `tasks/update` (2025: `tasks/result`). */
  answerTask(
    taskId: string,
    requests: Readonly<Record<string, TaskInputRequest>>,
    options: RequestOptions,
  ): Promise<void> {
    return this.#tasks.answerTask(taskId, requests, options);
  }

  /** `tasks/cancel`; resolves on the ack. */
  cancelTask(taskId: string, options: RequestOptions): Promise<void> {
    return this.#tasks.cancelTask(taskId, options);
  }

  readResource(uri: string, options: RequestOptions): Promise<ReadResourceResult> {
    const check = parsedBy(specTypeSchemas.ReadResourceResult, 'resources/read');
    return this.#channel.requestWithInputs('resources/read', { uri }, options, check);
  }

  /** `resources/subscribe`; in 2026-07-28, the resource joins the session's `subscriptions/listen` stream. */
  async subscribeResource(uri: string, options: RequestOptions): Promise<void> {
    const stream = this.#subscriptions;
    if (stream === undefined) await this.#channel.request('resources/subscribe', { uri }, options, emptyResult);
    else await stream.subscribe(uri, options.timeoutMs).catch((err: unknown) => this.#failed(err, options));
  }

  async unsubscribeResource(uri: string, options: RequestOptions): Promise<void> {
    const stream = this.#subscriptions;
    if (stream === undefined) await this.#channel.request('resources/unsubscribe', { uri }, options, emptyResult);
    else await stream.unsubscribe(uri, options.timeoutMs).catch((err: unknown) => this.#failed(err, options));
  }

  #failed(err: unknown, options: RequestOptions): never {
    throw this.#channel.error(err, options);
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options: RequestOptions): Promise<GetPromptResult> {
    const check = parsedBy(specTypeSchemas.GetPromptResult, 'prompts/get');
    return this.#channel.requestWithInputs('prompts/get', { name, arguments: args }, options, check);
  }

  complete(params: CompleteRequest['params'], options: RequestOptions): Promise<CompleteResult> {
    const check = parsedBy(specTypeSchemas.CompleteResult, 'completion/complete');
    return this.#channel.request('completion/complete', { ...params }, options, check);
  }

  /** `logging/setLevel`; in 2026-07-28 the level is kept and sent in every request's `_meta`. */
  async setLoggingLevel(level: LoggingLevel, options: RequestOptions): Promise<void> {
    if (this.#channel.modern) this.#logLevel = level;
    else await this.#channel.request('logging/setLevel', { level }, options, emptyResult);
  }

  /** Tells the server the client's roots changed (2025 only: 2026-07-28 has no roots list_changed). */
  async rootsChanged(): Promise<void> {
    if (!this.#channel.modern) await this.#client.sendRootsListChanged();
  }

  /** A health round trip: `ping`, or `server/discover` in 2026-07-28 (which has no ping). */
  async ping(options: RequestOptions): Promise<void> {
    await this.#channel.request(this.#channel.modern ? 'server/discover' : 'ping', undefined, options, emptyResult);
  }

  /**
   * Ends the session: in-flight requests reject at once; an HTTP session gets its DELETE; a stdio
   * server's process group is ended (bounded by the kill ladder). Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown().finally(this.#resolveClosed);
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const { http, transport } = this.#parts;
    const terminate =
      http === undefined || this.#loss.reason !== undefined
        ? undefined
        : http.terminate(transport as StreamableHTTPClientTransport);
    this.#loss.detach();
    await this.#subscriptions?.close();
    // Closing: a client that fails to close is gone all the same; the session's end was already told.
    await this.#client.close().catch(() => undefined);
    if (transport instanceof StdioProcessTransport) await transport.close();
    await terminate;
    http?.destroy();
  }
}
