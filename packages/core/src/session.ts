import {
  Client,
  UnauthorizedError,
  specTypeSchemas,
  type CallToolResult,
  type CompleteRequest,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  type JsonSchemaValidator,
  type LoggingLevel,
  type LoggingMessageNotification,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  type SSEClientTransport,
  type ServerCapabilities,
  type StandardSchemaV1Sync,
  type StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import type { CacheScope, Catalog, CatalogKind } from './catalog.js';
import type { ServerConfig } from './config.js';
import {
  ErrorCode,
  UniversalMcpError,
  boundText,
  classifyTransportError,
  describeNetworkError,
  toUniversalError,
} from './errors.js';
import { capabilitiesFor, wireHandlers, type ClientExtensions, type ClientHandlers } from './handlers.js';
import { HttpSessionExtras } from './http-session.js';
import type { OutboundHosts } from './outbound-hosts.js';
import { describeExit, type ProcessExit } from './process-exit.js';
import { StderrTail } from './stderr-tail.js';
import { StdioProcessTransport } from './stdio-transport.js';
import { RequestChannel } from './request-channel.js';
import { checkTools, checkToolResult, toolResult, toolsPage, type ToolList } from './tool-list.js';
import { createTransport } from './transport-factory.js';
import { LazyJsonSchemaValidator } from './lazy-validator.js';
import { PROTOCOL_2025, PROTOCOL_2026, type ProtocolEra, type ProtocolSetting } from './protocol-era.js';
import { negotiationFor, pinnedEraError, priorFor, probeEndedServer, type EraVerdict } from './era-verdict.js';
import { readDiscoverResult, type DiscoverInfo } from './discover-result.js';
import { runWithInputs } from './input-required.js';
import type { EnvelopeOverride } from './request-envelope.js';
import { buildParamHeaders, type ParamHeaderDeclaration } from './mcp-param-headers.js';
import { SubscriptionStream } from './subscription-stream.js';
import { VERSION } from './version.js';

/** Why a live connection ended. */
export interface LostReason {
  /**
   * `SESSION_EXPIRED` when an HTTP server forgot the session, `AUTH_FAILED` when it stopped
   * accepting our credentials (HTTP 401), else `CONNECTION_LOST`.
   */
  readonly code: typeof ErrorCode.CONNECTION_LOST | typeof ErrorCode.SESSION_EXPIRED | typeof ErrorCode.AUTH_FAILED;
  readonly message: string;
  /** Exit code and signal, for a stdio server whose process ended. */
  readonly exit?: ProcessExit | undefined;
}

/** One MRTR round (2026-07-28 `input_required`): the server asked for input before it answers a request. */
export interface InputRound {
  /** The request waiting for the input (`tools/call`, `prompts/get`, `resources/read`). */
  readonly method: string;
  /** 1 for the first round of that request. */
  readonly round: number;
  /** What the server asked for, by its key (`elicitation/create`, `sampling/createMessage`, `roots/list`). */
  readonly requests: readonly { readonly key: string; readonly method: string }[];
}

/** What a session reports while it opens and lives. Every method is optional. */
export interface SessionListener {
  /** The session exists (before its handshake): its owner can await its close(). */
  created?(session: McpSession): void;
  /** A line the stdio server wrote to stderr. */
  stderr?(line: string): void;
  /** A transport error that did not end the connection (garbage lines, stream hiccups). */
  transportError?(err: Error): void;
  /** `notifications/resources/updated`. */
  resourceUpdated?(uri: string): void;
  /** `notifications/message` (server logging). */
  log?(params: LoggingMessageNotification['params']): void;
  /** A warning the SDK would have printed to the console. */
  warning?(message: string): void;
  /** A 2026-07-28 server asked for input (an MRTR round) before answering one of our requests. */
  inputRequired?(round: InputRound): void;
}

/** What a ready session tells the one that watches it (see {@link McpSession.watch}). */
export interface WatchListener {
  /** The connection is gone (process exit, transport closed). Called at most once. */
  lost(reason: LostReason): void;
  /** The server said one of its lists changed. */
  listChanged(kind: CatalogKind): void;
}

/** Options for {@link McpSession.open}. */
export interface OpenSessionOptions {
  /** Deadline for start-up and the `initialize` handshake. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Our name and version, sent in `initialize`. */
  readonly clientInfo?: Implementation | undefined;
  /** Answers to server-to-client requests; a capability is advertised only with its handler. The config's own win. */
  readonly handlers?: ClientHandlers | undefined;
  /** Extensions declared in the client's capabilities (at `initialize`, and in every 2026 request's `_meta`). */
  readonly extensions?: ClientExtensions | undefined;
  readonly listener?: SessionListener | undefined;
  /** The client-wide MCP revision setting (the config's `protocol` wins). @default 'auto' */
  readonly protocol?: ProtocolSetting | undefined;
  /** What an earlier session learned of this server's era: connect without probing again. */
  readonly prior?: EraVerdict | undefined;
  /** Where this session's HTTP requests may go (every redirect hop too); undefined: anywhere. */
  readonly outboundHosts?: OutboundHosts | undefined;
}

/** How fresh a list stays, and whether a shared cache may keep it (2026-07-28 `ttlMs`, `cacheScope`). */
export interface ListFreshness {
  /** Undefined when the server gave none (then only list_changed refreshes it). */
  readonly ttlMs: number | undefined;
  readonly cacheScope: CacheScope;
}

/** Which catalog part a list method fills. */
const LIST_KINDS: Readonly<Record<string, CatalogKind>> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resources',
};

/** Per-request options. */
export interface RequestOptions {
  /** Idle timeout: reset by every progress notification. */
  readonly timeoutMs: number;
  /**
   * The idle timeout the caller asked for, named in a `TIMEOUT` (`timeoutMs` may be what is left of it). @default
   * timeoutMs
   */
  readonly reportedTimeoutMs?: number | undefined;
  /** For a paginated list: a total for every page together (each page still has `timeoutMs`). */
  readonly totalMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?:
    ((progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void) | undefined;
  /** Entries for the request's `params._meta` (W3C trace context, for one). */
  readonly meta?: Readonly<Record<string, string>> | undefined;
  /** Extra HTTP headers for the request's POST. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Told the JSON-RPC id the request goes out with (a retry after a lost session: again). */
  readonly onSent?: ((requestId: string | number) => void) | undefined;
  /** Given to the handlers of this request's input rounds (2026-07-28) as `HandlerContext.caller`. */
  readonly caller?: unknown;
  /** What this 2026-07-28 request says of its client in place of the session's (ignored in 2025). */
  readonly envelope?: EnvelopeOverride | undefined;
}

const CLIENT_INFO: Implementation = { name: 'universal-mcp', version: VERSION };

/** Checks a value with one of the SDK's spec-type schemas (synchronous); throws saying what is wrong. */
function validated<T>(schema: StandardSchemaV1Sync<unknown, T>, value: unknown, what: string): T {
  const checked = schema['~standard'].validate(value);
  if (checked.issues === undefined) return checked.value;
  const issue = checked.issues[0];
  const path = (issue?.path ?? []).map((key) => String(typeof key === 'object' ? key.key : key)).join('.');
  throw new Error(`invalid ${what} result: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`);
}

/** A result checked with one of the SDK's spec-type schemas (for the requests off the hot path). */
const parsedBy =
  <T>(schema: StandardSchemaV1Sync<unknown, T>, what: string) =>
  (result: Record<string, unknown>): T =>
    validated(schema, result, what);

/** A list page checked with one of the SDK's spec-type schemas: its items (under `key`) and its cursor. */
const pageOf =
  <K extends string, T>(
    schema: StandardSchemaV1Sync<unknown, Record<K, T[]> & { nextCursor?: string | undefined }>,
    key: K,
  ) =>
  (result: Record<string, unknown>): { items: T[]; nextCursor?: string | undefined } => {
    const page = validated(schema, result, key);
    return { items: page[key], nextCursor: page.nextCursor };
  };

/** `{}`: what `resources/subscribe`, `logging/setLevel` and `ping` answer; anything else in it is ignored. */
const emptyResult = (): void => undefined;

/** A 2026-07-28 result must be complete (`resultType` missing or `complete`) unless the method is MRTR's. */
function completeOnly<T>(check: (result: Record<string, unknown>) => T): (result: Record<string, unknown>) => T {
  return (result) => {
    const type = result.resultType;
    if (type !== undefined && type !== 'complete')
      throw new UniversalMcpError(
        ErrorCode.INVALID_RESULT,
        `Result has resultType ${JSON.stringify(String(type).slice(0, 64))} where only "complete" is allowed`,
        { details: { reason: 'unsupported-result-type' } },
      );
    return check(result);
  };
}

/**
 * One connection attempt's worth of MCP on a fresh transport: the SDK `Client` runs the handshake
 * and answers the server's requests; every request of ours goes through a {@link RequestChannel}.
 * This file, transport-factory.ts and the files it uses are where the SDK is used; everything above
 * works on sessions. The SDK client and transport stay inside.
 */
export class McpSession {
  readonly server: string;
  readonly #client: Client;
  readonly #transport: Transport;
  readonly #rpc: RequestChannel;
  #protocolVersion: string | undefined;
  readonly #config: ServerConfig;
  readonly #http: HttpSessionExtras | undefined;
  readonly #stderr = new StderrTail();
  readonly #setting: ProtocolSetting;
  readonly #handlers: ClientHandlers;
  readonly #extensions: ClientExtensions | undefined;
  readonly #clientInfo: Implementation;
  readonly #listener: SessionListener | undefined;
  /** The 2026-07-28 era: no `initialize`, a `_meta` envelope on every request. Set once connected. */
  #modern = false;
  /** The 2026 log level, sent in each request's `_meta` (there is no `logging/setLevel`). */
  #logLevel: LoggingLevel | undefined;
  #subscriptions: SubscriptionStream | undefined;
  /** The listed tools' `x-mcp-header` declarations (2026-07-28). */
  #paramHeaders: ReadonlyMap<string, readonly ParamHeaderDeclaration[]> = new Map();
  readonly #freshness = new Map<CatalogKind, ListFreshness>();
  /** Output-schema validators of the listed tools, every page's (the SDK's own cache keeps only the last page's). */
  #outputValidators: ReadonlyMap<string, JsonSchemaValidator<unknown>> = new Map();
  #watcher: WatchListener | undefined;
  /**
   * Lists a server said changed before anything watched (between the first list and `ready`): told to the
   * watcher when it attaches, or a server that redefines a tool right after its first list goes unseen.
   */
  readonly #unwatchedChanges = new Set<CatalogKind>();
  #lost: LostReason | undefined;
  #closing: Promise<void> | undefined;
  #resolveClosed!: () => void;
  /** Resolves once close() has finished (process group gone, HTTP session deleted). */
  readonly closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  private constructor(config: ServerConfig, options: OpenSessionOptions, setting: ProtocolSetting) {
    this.server = config.name;
    this.#config = config;
    this.#setting = setting;
    const listener = options.listener;
    this.#listener = listener;
    this.#http = config.transport === 'stdio' ? undefined : new HttpSessionExtras(config, options.outboundHosts);
    this.#transport = createTransport(config, {
      listener: {
        stderr: (line) => {
          this.#stderr.push(line);
          listener?.stderr?.(line);
        },
        warning: (message) => listener?.warning?.(message),
      },
      fetch: this.#http?.fetch,
      outboundHosts: options.outboundHosts,
    });
    this.#rpc = new RequestChannel(this.#transport);
    // The SDK tells the transport the version it agreed on: keep it (for telemetry).
    const told = this.#transport.setProtocolVersion?.bind(this.#transport);
    this.#transport.setProtocolVersion = (version: string) => {
      this.#protocolVersion = version;
      told?.(version);
    };
    const handlers = { ...options.handlers, ...config.handlers };
    this.#handlers = handlers;
    this.#extensions = options.extensions;
    this.#clientInfo = options.clientInfo ?? CLIENT_INFO;
    this.#client = new Client(this.#clientInfo, {
      capabilities: capabilitiesFor(handlers, options.extensions),
      jsonSchemaValidator: new LazyJsonSchemaValidator(),
      // `server/discover` first (auto or pinned 2026) or the plain `initialize` (2025): see era-verdict.ts.
      versionNegotiation: negotiationFor(setting, options.timeoutMs),
    });
    wireHandlers(this.#client, handlers, this.server);
    const client = this.#client;
    if (listener?.resourceUpdated !== undefined)
      client.setNotificationHandler('notifications/resources/updated', (n) => listener.resourceUpdated?.(n.params.uri));
    if (listener?.log !== undefined)
      client.setNotificationHandler('notifications/message', (n) => listener.log?.(n.params));
    client.setNotificationHandler('notifications/tools/list_changed', () => this.#listChanged('tools'));
    client.setNotificationHandler('notifications/resources/list_changed', () => this.#listChanged('resources'));
    client.setNotificationHandler('notifications/prompts/list_changed', () => this.#listChanged('prompts'));
    client.onclose = () => this.#markLost();
    client.onerror = (err) => {
      // Closing ends the streams on purpose (a DELETE, an abort): what they report then is no fault.
      if (this.#closing !== undefined) return;
      this.#onTransportError(err);
      listener?.transportError?.(err);
    };
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
        await session.#client.connect(session.#transport, {
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
          authorized < (session.#http?.maxAuthorizations ?? 0) &&
          (await session.#authorize());
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
        throw pinnedEraError(err, config.name, setting) ?? session.#connectError(err);
      }
    }
  }

  /** After the SDK connected: the 2026 era's envelope on our channel, and its subscription stream. */
  async #settle(timeoutMs: number): Promise<void> {
    if (this.#client.getProtocolEra() !== 'modern') return;
    this.#modern = true;
    const clientCapabilities = capabilitiesFor(this.#handlers, this.#extensions);
    this.#rpc.useEnvelope(() => ({
      protocolVersion: this.#protocolVersion ?? PROTOCOL_2026,
      clientCapabilities,
      clientInfo: this.#clientInfo,
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
      (err) => this.#listener?.transportError?.(err),
    );
    this.#subscriptions = stream;
    // A server that offers list changes and then refuses the stream still serves requests: say so, go on.
    await stream.start(timeoutMs).catch((err: unknown) => {
      this.#listener?.transportError?.(err instanceof Error ? err : new Error(String(err)));
    });
  }

  #authorize(): Promise<boolean> {
    const transport = this.#transport as StreamableHTTPClientTransport | SSEClientTransport;
    return this.#http?.authorize(transport).catch(() => false) ?? Promise.resolve(false);
  }

  #connectError(err: unknown): UniversalMcpError {
    // A host refused by outboundHosts is said as such, whatever the SDK wrapped it in.
    const refused = this.#http?.takeRefusal();
    if (refused !== undefined) return refused;
    const mapped = toUniversalError(err, this.server, 'connect');
    const exit = this.exit;
    const parts: string[] = [];
    if (mapped.code === ErrorCode.TIMEOUT) parts.push('handshake timed out');
    else if (exit !== undefined) parts.push(describeExit(exit));
    else {
      // Our own spawn errors say what to fix in full; anything from elsewhere is bounded.
      // A probe that failed for another reason (refused, an HTML page) is told by that reason.
      const shown = probeEndedServer(err) && (err as Error).cause !== undefined ? (err as Error).cause : err;
      const spawnFailed = ['ENOENT', 'EACCES'].includes(String((shown as { code?: unknown } | undefined)?.code));
      const message = (shown as Error | undefined)?.message ?? String(shown);
      parts.push(describeNetworkError(shown) ?? (spawnFailed ? message : boundText(message)));
    }
    const salient = this.#stderr.salient();
    if (salient !== undefined) parts.push(salient);
    const tail = this.#stderr.last(3).filter((line) => line !== salient);
    if (tail.length > 0) parts.push(`stderr: ${tail.join(' | ')}`);
    // A refusal of our credentials stays AUTH_FAILED: retrying them unchanged is pointless.
    const code = mapped.code === ErrorCode.AUTH_FAILED ? ErrorCode.AUTH_FAILED : ErrorCode.CONNECT_FAILED;
    return new UniversalMcpError(code, `Cannot connect to "${this.server}": ${parts.join('; ')}`, {
      server: this.server,
      cause: err,
      exit,
    });
  }

  /** The stdio server's recent stderr lines (bounded by lines and bytes). */
  get stderr(): readonly string[] {
    return this.#stderr.lines();
  }

  /** The stdio server's pid. */
  get pid(): number | undefined {
    return this.#transport instanceof StdioProcessTransport ? this.#transport.pid : undefined;
  }

  /** How the stdio server's process ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.#transport instanceof StdioProcessTransport ? this.#transport.exit : undefined;
  }

  /** The MCP revision this session speaks. */
  get era(): ProtocolEra {
    return this.#modern ? PROTOCOL_2026 : PROTOCOL_2025;
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
    if (this.#setting === PROTOCOL_2025) return undefined;
    const discover = this.#client.getDiscoverResult();
    if (this.#modern) return discover === undefined ? undefined : { kind: 'modern', discover };
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
    return this.#freshness.get(kind);
  }

  /** The Streamable HTTP session id. */
  get sessionId(): string | undefined {
    return this.#transport.sessionId;
  }

  get serverVersion(): Implementation | undefined {
    return this.#client.getServerVersion();
  }

  get capabilities(): ServerCapabilities | undefined {
    return this.#client.getServerCapabilities();
  }

  /** Why the connection ended, once it has. */
  get lostReason(): LostReason | undefined {
    return this.#lost;
  }

  #listChanged(kind: CatalogKind): void {
    if (this.#watcher === undefined) this.#unwatchedChanges.add(kind);
    else this.#watcher.listChanged(kind);
  }

  /** Attaches the one watcher; if the connection is already gone it is told at once. Returns the detach. */
  watch(listener: WatchListener): () => void {
    this.#watcher = listener;
    if (this.#lost !== undefined) listener.lost(this.#lost);
    // Told after watch() returns: the watcher is still being set up while it attaches.
    const missed = [...this.#unwatchedChanges];
    this.#unwatchedChanges.clear();
    if (missed.length > 0)
      queueMicrotask(() => {
        for (const kind of missed) if (this.#watcher === listener) listener.listChanged(kind);
      });
    return () => {
      if (this.#watcher === listener) this.#watcher = undefined;
    };
  }

  /**
   * The SDK's HTTP transports report a dead server or a forgotten session only through
   * `onerror` (and `onclose` never fires), so in-flight calls would wait for their timeout.
   * A legacy SSE stream error is fatal too: EventSource would silently re-attach to a new,
   * never-initialized session. stdio errors (garbage lines) never end the connection.
   */
  #onTransportError(err: Error): void {
    if (this.#config.transport === 'stdio' || this.#closing !== undefined) return;
    const kind = classifyTransportError(err);
    // A stateless 2026 server has no session to forget: a 404 there means the endpoint is gone.
    if (kind === 'session-expired' && this.#modern)
      this.#markLost(ErrorCode.CONNECTION_LOST, `the endpoint is gone (${boundText(err.message)})`);
    else if (kind === 'session-expired')
      this.#markLost(ErrorCode.SESSION_EXPIRED, `session expired (${boundText(err.message)})`);
    else if (kind === 'unauthorized')
      this.#markLost(ErrorCode.AUTH_FAILED, `the server no longer accepts our credentials (${boundText(err.message)})`);
    // A stateless 2026 connection has nothing to lose between requests: a refused listen reopen (the
    // server restarting) ends nothing. The next request, or the health check, finds a server that stays away.
    else if (kind === 'lost' && this.#modern && this.#rpc.pending === 0) return;
    else if (kind === 'lost' || this.#config.transport === 'sse')
      this.#markLost(ErrorCode.CONNECTION_LOST, describeNetworkError(err) ?? boundText(err.message));
  }

  #markLost(code: LostReason['code'] = ErrorCode.CONNECTION_LOST, why?: string): void {
    if (this.#lost !== undefined) return;
    const exit = this.exit;
    const stdoutClosed = this.#transport instanceof StdioProcessTransport && this.#transport.stdoutClosed;
    const fallback =
      exit !== undefined
        ? describeExit(exit)
        : stdoutClosed
          ? 'the server closed its stdout (the process still ran)'
          : 'transport closed';
    this.#lost = { code, message: why ?? fallback, exit };
    this.#watcher?.lost(this.#lost);
  }

  /**
   * Sends one request on the channel (progress always requested, so the idle timer resets on
   * progress) and maps failures to typed errors. A request refused for want of authorization
   * (step-up on 403 insufficient_scope) is authorized and sent once more.
   */
  #request<T>(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions,
    check: (result: Record<string, unknown>) => T,
  ): Promise<T> {
    return this.#authorized(method, params, options, this.#modern ? completeOnly(check) : check).catch(
      (err: unknown) => {
        throw this.#requestError(err, options);
      },
    );
  }

  /** One request on the channel; refused for want of authorization (step-up), authorized and sent once more. */
  #authorized<T>(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions,
    check?: (result: Record<string, unknown>) => T,
  ): Promise<T> {
    return this.#rpc.request(method, params, options, check).catch(async (err: unknown) => {
      if (err instanceof UnauthorizedError && (await this.#authorize()))
        return this.#rpc.request(method, params, options, check);
      throw err;
    });
  }

  /**
   * Follows a list's pagination to the end, within `totalMs` for all pages when given; `read`
   * checks a page and picks its items.
   */
  async #paginate<T>(
    method: string,
    read: (result: Record<string, unknown>) => { items: T[]; nextCursor?: string | undefined },
    options: RequestOptions,
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    const seen = new Set<string>();
    const hints: Record<string, unknown>[] = [];
    const end = options.totalMs === undefined ? undefined : performance.now() + options.totalMs;
    const pastDeadline = (): UniversalMcpError =>
      new UniversalMcpError(
        ErrorCode.TIMEOUT,
        `Listing from "${this.server}" passed its ${options.totalMs} ms deadline ` +
          `after ${items.length} items (pagination does not end)`,
        {
          server: this.server,
          details: { kind: 'deadline', ms: options.totalMs ?? 0 },
        },
      );
    do {
      const left = end === undefined ? options.timeoutMs : Math.min(options.timeoutMs, end - performance.now());
      if (left <= 0) throw pastDeadline();
      // This page's timeout is what is left of the total: its timer firing is the total deadline.
      const cutByDeadline = left < options.timeoutMs;
      try {
        const params = cursor === undefined ? {} : { cursor };
        const page = await this.#request(method, params, { ...options, timeoutMs: left }, (result) => {
          hints.push(result);
          return read(result);
        });
        items.push(...page.items);
        cursor = page.nextCursor;
      } catch (err) {
        // The page ran into the total deadline rather than its own timeout: say which.
        if (cutByDeadline && err instanceof UniversalMcpError && err.code === ErrorCode.TIMEOUT) throw pastDeadline();
        throw err;
      }
      // A server that hands out the same cursor twice would loop forever.
      if (cursor !== undefined && (seen.has(cursor) || seen.size > 10_000)) break;
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    this.#noteFreshness(method, hints);
    return items;
  }

  /** Keeps a listing's `ttlMs` (the shortest of its pages) and `cacheScope` (`public` only if every page is). */
  #noteFreshness(method: string, pages: readonly Record<string, unknown>[]): void {
    const kind = LIST_KINDS[method];
    if (!this.#modern || kind === undefined) return;
    let ttlMs: number | undefined;
    let cacheScope: CacheScope = 'public';
    for (const page of pages) {
      const ttl = page.ttlMs;
      if (typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl >= 0) ttlMs = Math.min(ttlMs ?? ttl, ttl);
      if (page.cacheScope !== 'public') cacheScope = 'private';
    }
    // Templates share the resources' entry: the stricter of the two wins.
    const before = method === 'resources/templates/list' ? this.#freshness.get(kind) : undefined;
    if (before !== undefined) {
      if (before.ttlMs !== undefined) ttlMs = Math.min(ttlMs ?? before.ttlMs, before.ttlMs);
      if (before.cacheScope === 'private') cacheScope = 'private';
    }
    this.#freshness.set(kind, { ttlMs, cacheScope });
  }

  /**
   * The server's whole tool catalog, pagination followed to the end, each tool checked on its own
   * (see {@link checkTools}); every page's output schemas are enforced on calls.
   */
  async listTools(options: RequestOptions): Promise<ToolList> {
    const raw = await this.#paginate('tools/list', toolsPage, options);
    const { tools, invalid, warnings, outputValidators, paramHeaders } = checkTools(raw, {
      paramHeaders: this.#modern,
    });
    this.#outputValidators = outputValidators;
    this.#paramHeaders = paramHeaders;
    return { tools, invalid, warnings };
  }

  /** Every resource, pagination followed to the end. */
  listResources(options: RequestOptions): Promise<Resource[]> {
    return this.#paginate('resources/list', pageOf(specTypeSchemas.ListResourcesResult, 'resources'), options);
  }

  /** Every resource template, pagination followed to the end. */
  listResourceTemplates(options: RequestOptions): Promise<ResourceTemplate[]> {
    return this.#paginate(
      'resources/templates/list',
      pageOf(specTypeSchemas.ListResourceTemplatesResult, 'resourceTemplates'),
      options,
    );
  }

  /** Every prompt, pagination followed to the end. */
  listPrompts(options: RequestOptions): Promise<Prompt[]> {
    return this.#paginate('prompts/list', pageOf(specTypeSchemas.ListPromptsResult, 'prompts'), options);
  }

  /** One part of the catalog, or all of it; parts the server lacks the capability for are empty. */
  async listCatalog(kind: CatalogKind | 'all', options: RequestOptions): Promise<Partial<Catalog>> {
    const caps = this.capabilities ?? {};
    const wants = (k: CatalogKind): boolean => kind === 'all' || kind === k;
    const list = <T>(wanted: boolean, offered: unknown, read: () => Promise<T[]>): Promise<T[] | undefined> =>
      !wanted ? Promise.resolve(undefined) : offered === undefined ? Promise.resolve([]) : read();
    const [tools, prompts, resources, resourceTemplates] = await Promise.all([
      wants('tools')
        ? caps.tools === undefined
          ? Promise.resolve({ tools: [], invalid: [], warnings: [] })
          : this.listTools(options)
        : Promise.resolve(undefined),
      list(wants('prompts'), caps.prompts, () => this.listPrompts(options)),
      list(wants('resources'), caps.resources, () => this.listResources(options)),
      // Templates are optional even where resources are offered; some servers answer -32601.
      list(wants('resources'), caps.resources, () => this.listResourceTemplates(options).catch(() => [])),
    ]);
    const out: { -readonly [K in keyof Catalog]?: Catalog[K] } = {};
    if (tools !== undefined) {
      out.tools = tools.tools;
      out.invalidTools = tools.invalid;
      out.toolWarnings = tools.warnings;
    }
    if (prompts !== undefined) out.prompts = prompts;
    if (resources !== undefined) out.resources = resources;
    if (resourceTemplates !== undefined) out.resourceTemplates = resourceTemplates;
    if (this.#modern) {
      const scopes: Partial<Record<CatalogKind, CacheScope>> = {};
      for (const k of ['tools', 'prompts', 'resources'] as const) {
        const scope = wants(k) ? this.#freshness.get(k)?.cacheScope : undefined;
        if (scope !== undefined) scopes[k] = scope;
      }
      out.cacheScope = scopes;
    }
    return out;
  }

  /**
   * Calls a tool. A result with `isError: true` resolves; failures reject with a typed error. The
   * result's shape is checked cheaply (see {@link toolResult}); its structured content against the
   * tool's outputSchema, when it has one.
   */
  callTool(name: string, args: Record<string, unknown> | undefined, options: RequestOptions): Promise<CallToolResult> {
    const validate = this.#outputValidators.get(name);
    // Checked as the answer is taken (no extra promise hop); the outputSchema only where the tool has one.
    const check =
      validate === undefined
        ? toolResult
        : (raw: Record<string, unknown>): CallToolResult => {
            const result = toolResult(raw);
            const invalid = checkToolResult(this.server, name, result, validate);
            if (invalid !== undefined) throw invalid;
            return result;
          };
    const declared = this.#modern ? this.#paramHeaders.get(name) : undefined;
    const headers = declared === undefined ? undefined : buildParamHeaders(declared, args);
    return this.#requestWithInputs('tools/call', { name, arguments: args }, { ...options, headers }, check);
  }

  /**
   * A request that a 2026-07-28 server may answer `input_required` (MRTR): each round's input
   * requests go to the same handlers 2025 servers reach by request, rounds are reported to the
   * listener, and every retry goes out under a new id. In the 2025 era, a plain request.
   */
  async #requestWithInputs<T>(
    method: string,
    params: Record<string, unknown>,
    options: RequestOptions,
    check: (result: Record<string, unknown>) => T,
  ): Promise<T> {
    if (!this.#modern) return this.#request(method, params, options, check);
    try {
      const result = await runWithInputs(
        (m, p, signal) => this.#authorized(m, p, { ...options, signal }),
        { method, params },
        this.#handlers,
        {
          server: this.server,
          signal: options.signal,
          onRound: (round) => this.#listener?.inputRequired?.({ method, ...round }),
          caller: options.caller,
        },
      );
      return check(result);
    } catch (err) {
      throw this.#requestError(err, options);
    }
  }

  readResource(uri: string, options: RequestOptions): Promise<ReadResourceResult> {
    return this.#requestWithInputs(
      'resources/read',
      { uri },
      options,
      parsedBy(specTypeSchemas.ReadResourceResult, 'resources/read'),
    );
  }

  /** `resources/subscribe`; in 2026-07-28, the resource joins the session's `subscriptions/listen` stream. */
  async subscribeResource(uri: string, options: RequestOptions): Promise<void> {
    const stream = this.#subscriptions;
    if (stream === undefined) await this.#request('resources/subscribe', { uri }, options, emptyResult);
    else await stream.subscribe(uri, options.timeoutMs).catch((err: unknown) => this.#failed(err, options));
  }

  async unsubscribeResource(uri: string, options: RequestOptions): Promise<void> {
    const stream = this.#subscriptions;
    if (stream === undefined) await this.#request('resources/unsubscribe', { uri }, options, emptyResult);
    else await stream.unsubscribe(uri, options.timeoutMs).catch((err: unknown) => this.#failed(err, options));
  }

  #failed(err: unknown, options: RequestOptions): never {
    throw this.#requestError(err, options);
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options: RequestOptions): Promise<GetPromptResult> {
    return this.#requestWithInputs(
      'prompts/get',
      { name, arguments: args },
      options,
      parsedBy(specTypeSchemas.GetPromptResult, 'prompts/get'),
    );
  }

  complete(params: CompleteRequest['params'], options: RequestOptions): Promise<CompleteResult> {
    return this.#request(
      'completion/complete',
      { ...params },
      options,
      parsedBy(specTypeSchemas.CompleteResult, 'completion/complete'),
    );
  }

  /** `logging/setLevel`; in 2026-07-28 the level is kept and sent in every request's `_meta`. */
  async setLoggingLevel(level: LoggingLevel, options: RequestOptions): Promise<void> {
    if (this.#modern) this.#logLevel = level;
    else await this.#request('logging/setLevel', { level }, options, emptyResult);
  }

  /** Tells the server the client's roots changed (2025 only: 2026-07-28 has no roots list_changed). */
  async rootsChanged(): Promise<void> {
    if (!this.#modern) await this.#client.sendRootsListChanged();
  }

  /** A health round trip: `ping`, or `server/discover` in 2026-07-28 (which has no ping). */
  async ping(options: RequestOptions): Promise<void> {
    await this.#request(this.#modern ? 'server/discover' : 'ping', undefined, options, emptyResult);
  }

  /**
   * The typed error for a failed request, built once, here: the SDK's own timer firing is the idle
   * timeout; a request that shows the session or the connection is gone ends the session too.
   */
  #requestError(err: unknown, options: RequestOptions): UniversalMcpError {
    const refused = this.#http?.takeRefusal();
    if (refused !== undefined) return refused;
    let mapped = toUniversalError(err, this.server, 'request', options.signal);
    if (mapped.server === undefined) mapped = withServer(mapped, this.server);
    // A stateless 2026 server has no session to lose: its 404 means the endpoint is gone.
    if (this.#modern && mapped.code === ErrorCode.SESSION_EXPIRED) {
      this.#markLost(ErrorCode.CONNECTION_LOST, `the endpoint is gone (${boundText(mapped.message)})`);
      return new UniversalMcpError(
        ErrorCode.CONNECTION_LOST,
        `Connection to "${this.server}" lost: ${mapped.message}`,
        {
          server: this.server,
          cause: err,
        },
      );
    }
    const cause = err instanceof Error ? err.message : String(err);
    if (mapped.code === ErrorCode.TIMEOUT && mapped.details === undefined) {
      const ms = options.reportedTimeoutMs ?? options.timeoutMs;
      return new UniversalMcpError(
        ErrorCode.TIMEOUT,
        `Request to "${this.server}" had no answer or progress for ${ms} ms`,
        {
          server: this.server,
          cause: err,
          details: { kind: 'idle', ms },
        },
      );
    }
    if (mapped.code === ErrorCode.SESSION_EXPIRED) {
      this.#markLost(ErrorCode.SESSION_EXPIRED, `session expired (${boundText(cause)})`);
      return mapped;
    }
    // Revoked credentials: this session can do nothing more; a new one authorizes afresh.
    if (mapped.code === ErrorCode.AUTH_FAILED && this.#config.transport !== 'stdio') {
      this.#markLost(ErrorCode.AUTH_FAILED, `the server no longer accepts our credentials (${boundText(cause)})`);
      return mapped;
    }
    if (mapped.code !== ErrorCode.CONNECTION_LOST) return mapped;
    this.#markLost(ErrorCode.CONNECTION_LOST, describeNetworkError(err) ?? boundText(cause));
    // The transport reports a 404 or a 401 through onerror before the request itself fails, and
    // closing the session then rejects every request as "closed": keep the session's own reason.
    const lost = this.#lost;
    if (lost?.code === ErrorCode.SESSION_EXPIRED) {
      return new UniversalMcpError(
        ErrorCode.SESSION_EXPIRED,
        `Server "${this.server}" lost the session: ${lost.message}`,
        { server: this.server, cause: err },
      );
    }
    if (lost?.code === ErrorCode.AUTH_FAILED) {
      return new UniversalMcpError(ErrorCode.AUTH_FAILED, `Not authorized by "${this.server}": ${lost.message}`, {
        server: this.server,
        cause: err,
      });
    }
    return new UniversalMcpError(
      ErrorCode.CONNECTION_LOST,
      `Connection to "${this.server}" lost: ${lost?.message ?? cause}`,
      { server: this.server, cause: err, exit: this.exit },
    );
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
    const http = this.#http;
    const terminate =
      http === undefined || this.#lost !== undefined
        ? undefined
        : http.terminate(this.#transport as StreamableHTTPClientTransport);
    this.#watcher = undefined;
    await this.#subscriptions?.close();
    await this.#client.close().catch(() => undefined);
    if (this.#transport instanceof StdioProcessTransport) await this.#transport.close();
    await terminate;
    http?.destroy();
  }
}

/** The same error, told which server it concerns (a check that threw knew none). */
function withServer(err: UniversalMcpError, server: string): UniversalMcpError {
  return new UniversalMcpError(err.code, err.message, {
    server,
    cause: err.cause,
    rpcCode: err.rpcCode,
    details: err.details,
    exit: err.exit,
  });
}
