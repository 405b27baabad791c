import type {
  CallToolResult,
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  LoggingMessageNotification,
  ReadResourceResult,
  ServerCapabilities,
} from '@modelcontextprotocol/client';
import type { CacheScope, Catalog, CatalogKind } from './catalog.js';
import type { ErrorCode } from './errors.js';
import type { ClientExtensions, ClientHandlers } from './handlers.js';
import type { OutboundHosts } from './outbound-hosts.js';
import type { ProcessExit } from './process-exit.js';
import type { ProtocolEra, ProtocolSetting } from './protocol-era.js';
import type { EraVerdict } from './era-verdict.js';
import type { EnvelopeOverride } from './request-envelope.js';
import type { ToolList } from './tool-list.js';
import type { TaskInputRequest, TaskState } from './task-wire.js';

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
  created?(session: Session): void;
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

/** What a ready session tells the one that watches it (see {@link Session.watch}). */
export interface WatchListener {
  /** The connection is gone (process exit, transport closed). Called at most once. */
  lost(reason: LostReason): void;
  /** The server said one of its lists changed. */
  listChanged(kind: CatalogKind): void;
}

/** Options for opening a session (`McpSession.open`). */
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
  /**
   * Declare the Tasks extension (`io.modelcontextprotocol/tasks`) on every 2026-07-28 request, so the
   * server may answer `tools/call` with a task. Off: no task is ever seen. @default true
   */
  readonly tasks?: boolean | undefined;
}

/** How fresh a list stays, and whether a shared cache may keep it (2026-07-28 `ttlMs`, `cacheScope`). */
export interface ListFreshness {
  /** Undefined when the server gave none (then only list_changed refreshes it). */
  readonly ttlMs: number | undefined;
  readonly cacheScope: CacheScope;
}

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

/** How one `tools/call` exchange ended: a result, or a task the server runs on (see {@link Session.startTool}). */
export type ToolOutcome =
  { readonly kind: 'complete'; readonly result: CallToolResult } | { readonly kind: 'task'; readonly task: TaskState };

/** A completed task's result, checked like a `tools/call` result. */
export type TaskStateWithResult = TaskState & { readonly result?: CallToolResult | undefined };

/** Options of {@link Session.startTool}. */
export interface StartToolOptions extends RequestOptions {
  /**
   * 2025 era only: ask for a task (`params.task`) when the tool's `execution.taskSupport` is `optional`
   * (`required` always asks; 2026 servers decide alone and ignore this).
   */
  readonly wantTask?: boolean | undefined;
  /** 2025 era: the retention asked for (`params.task.ttl`). */
  readonly ttlMs?: number | undefined;
}

/**
 * A live MCP session as the connection machine and the supervisor use it: what it serves, what it
 * learned of its server, and how it ends. `McpSession` is the real one; tests fake this, not the class.
 */
export interface Session {
  /** The server's name (from its config). */
  readonly server: string;
  /** Resolves once close() has finished (process group gone, HTTP session deleted). */
  readonly closed: Promise<void>;
  /** The MCP revision this session speaks. */
  readonly era: ProtocolEra;
  /** The protocol version agreed on (`initialize`'s, or the 2026 revision `server/discover` offered). */
  readonly protocolVersion: string | undefined;
  /** What this session learned of the server's era, to connect the next session with. */
  readonly verdict: EraVerdict | undefined;
  /** The server's instructions (from `initialize`, or from `server/discover`). */
  readonly instructions: string | undefined;
  /** The Streamable HTTP session id. */
  readonly sessionId: string | undefined;
  /** The server's name and version, as it gave them. */
  readonly serverVersion: Implementation | undefined;
  /** What the server offers. */
  readonly capabilities: ServerCapabilities | undefined;
  /** The stdio server's pid. */
  readonly pid: number | undefined;
  /** How the stdio server's process ended, once it has. */
  readonly exit: ProcessExit | undefined;
  /** How fresh the last listing of `kind` stays (2026-07-28 `ttlMs`/`cacheScope`); undefined before one. */
  freshness(kind: CatalogKind): ListFreshness | undefined;
  /** Attaches the one watcher; if the connection is already gone it is told at once. Returns the detach. */
  watch(listener: WatchListener): () => void;
  /** One part of the catalog, or all of it; parts the server lacks the capability for are empty. */
  listCatalog(kind: CatalogKind | 'all', options: RequestOptions): Promise<Partial<Catalog>>;
  /** The server's whole tool catalog, pagination followed to the end, each tool checked on its own. */
  listTools(options: RequestOptions): Promise<ToolList>;
  /**
   * The server can make tool tasks: 2026 = `server/discover` advertises the Tasks extension (and the
   * session declares it); 2025 = `capabilities.tasks.requests.tools.call`.
   */
  readonly tasks: boolean;
  /** One `tools/call` exchange (MRTR rounds included; a task ends them) that may end in a task; never polls. */
  startTool(name: string, args: Record<string, unknown> | undefined, options: StartToolOptions): Promise<ToolOutcome>;
  /**
   * `tasks/get` (2025: then `tasks/result` once terminal, for the result or error). A completed task's
   * result is checked like a `tools/call` result of `tool`. An unknown id (-32602) → `TASK_LOST`.
   */
  getTask(taskId: string, tool: string, options: RequestOptions): Promise<TaskStateWithResult>;
  /** `tasks/update` with these input responses, by key (2026 only; 2025 rejects: use answerTask). */
  updateTask(taskId: string, responses: Readonly<Record<string, unknown>>, options: RequestOptions): Promise<void>;
  /**
   * Answers a task's input requests with the session's own handlers (the code MRTR uses; `options.caller`
   * → `HandlerContext.caller`), then sends `tasks/update`. 2025: opens `tasks/result`, so the server's
   * requests reach the handlers. Pass only keys not answered before.
   */
  answerTask(
    taskId: string,
    requests: Readonly<Record<string, TaskInputRequest>>,
    options: RequestOptions,
  ): Promise<void>;
  /** `tasks/cancel`; resolves on the ack (cooperative: the task may still end otherwise). */
  cancelTask(taskId: string, options: RequestOptions): Promise<void>;
  /**
   * Calls a tool. A result with `isError: true` resolves; failures reject with a typed error. A task the
   * server makes of it is polled to its end.
   */
  callTool(name: string, args: Record<string, unknown> | undefined, options: RequestOptions): Promise<CallToolResult>;
  /** `resources/read`. */
  readResource(uri: string, options: RequestOptions): Promise<ReadResourceResult>;
  /** `resources/subscribe` (in 2026-07-28, through the session's `subscriptions/listen` stream). */
  subscribeResource(uri: string, options: RequestOptions): Promise<void>;
  /** `resources/unsubscribe` (in 2026-07-28, through the session's `subscriptions/listen` stream). */
  unsubscribeResource(uri: string, options: RequestOptions): Promise<void>;
  /** `prompts/get`. */
  getPrompt(name: string, args: Record<string, string> | undefined, options: RequestOptions): Promise<GetPromptResult>;
  /** `completion/complete`. */
  complete(params: CompleteRequest['params'], options: RequestOptions): Promise<CompleteResult>;
  /** The server's log level (`logging/setLevel`, or every 2026-07-28 request's `_meta`). */
  setLoggingLevel(level: LoggingLevel, options: RequestOptions): Promise<void>;
  /** Tells the server the client's roots changed (2025 only). */
  rootsChanged(): Promise<void>;
  /** A health round trip: `ping`, or `server/discover` in 2026-07-28. */
  ping(options: RequestOptions): Promise<void>;
  /** Ends the session: in-flight requests reject at once. Idempotent. */
  close(): Promise<void>;
}
