import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { RequestOptions as SdkRequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  ToolSchema,
  type CallToolResult,
  type ClientCapabilities,
  type CompleteRequest,
  type CompleteResult,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type LoggingMessageNotification,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { AuthorizationCodeProvider, authProviderFor } from './auth-providers.js';
import type { Catalog, CatalogKind, InvalidTool } from './catalog.js';
import type { ServerConfig } from './config.js';
import type { ClientHandlers } from './handlers.js';
import { ErrorCode, UniversalMcpError, boundText, classifyTransportError, describeNetworkError, toUniversalError } from './errors.js';
import { createNodeFetch, type NodeFetch } from './node-fetch.js';
import { StderrTail } from './stderr-tail.js';
import { StdioProcessTransport, exitDetails, type ProcessExit } from './stdio-transport.js';
import { createTransport } from './transport-factory.js';

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

/** What a session reports to its watcher while it lives. */
export interface SessionListener {
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
  readonly onStderr?: ((line: string) => void) | undefined;
  /** Non-fatal transport errors (garbage lines, stream hiccups). */
  readonly onTransportError?: ((err: Error) => void) | undefined;
  /** Told of the session as soon as it exists, before the handshake. */
  readonly onCreated?: ((session: McpSession) => void) | undefined;
  /** Our name and version, sent in `initialize`. */
  readonly clientInfo?: Implementation | undefined;
  /** Answers to server-to-client requests; a capability is advertised only with its handler. */
  readonly handlers?: ClientHandlers | undefined;
  /** `notifications/resources/updated`. */
  readonly onResourceUpdated?: ((uri: string) => void) | undefined;
  /** `notifications/message` (server logging). */
  readonly onLog?: ((params: LoggingMessageNotification['params']) => void) | undefined;
  /** Warnings the SDK would print to the console. */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** Per-request options. */
export interface RequestOptions {
  /** Idle timeout: reset by every progress notification. */
  readonly timeoutMs: number;
  /** For a paginated list: a total for every page together (each page still has `timeoutMs`). */
  readonly totalMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void) | undefined;
}

const CLIENT_INFO: Implementation = { name: 'universal-mcp', version: '0.1.0' };
const DELETE_TIMEOUT_MS = 1000;
/** The default `maxMessageBytes`, for every transport. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** A page of `tools/list`, read loosely so that one broken tool does not fail the whole list. */
const LooseToolsPage = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });

/** What {@link McpSession.listTools} found. */
export interface ToolList {
  readonly tools: Tool[];
  readonly invalid: InvalidTool[];
}

/**
 * One connection attempt's worth of MCP: an SDK `Client` on a fresh transport. This file and
 * transport-factory.ts are where the SDK is used; everything above works on sessions.
 */
export class McpSession {
  readonly server: string;
  readonly client: Client;
  readonly transport: Transport;
  readonly #config: ServerConfig;
  readonly #stderr = new StderrTail();
  /** The session's own fetch (its own sockets, destroyed at close), unless the config brings one. */
  readonly #fetch: FetchLike | undefined;
  readonly #ownFetch: NodeFetch | undefined;
  /** Output-schema validators of the listed tools, every page's (the SDK's own cache keeps only the last page's). */
  #outputValidators = new Map<string, JsonSchemaValidator<unknown>>();
  #listener: SessionListener | undefined;
  #lost: LostReason | undefined;
  #closing: Promise<void> | undefined;
  #resolveClosed!: () => void;
  /** Resolves once close() has finished (process group gone, HTTP session deleted). */
  readonly closed: Promise<void> = new Promise((resolve) => (this.#resolveClosed = resolve));

  private constructor(config: ServerConfig, options: OpenSessionOptions) {
    this.server = config.name;
    this.#config = config;
    if (config.transport !== 'stdio') {
      this.#ownFetch = config.fetch === undefined ? createNodeFetch({ maxMessageBytes: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES }) : undefined;
      this.#fetch = config.fetch ?? this.#ownFetch;
    }
    this.transport = createTransport(config, {
      onStderr: (line) => {
        this.#stderr.push(line);
        options.onStderr?.(line);
      },
      onWarning: options.onWarning,
      fetch: this.#fetch,
    });
    const handlers = { ...options.handlers, ...config.handlers };
    this.client = new Client(options.clientInfo ?? CLIENT_INFO, { capabilities: capabilitiesFor(handlers) });
    this.#wireHandlers(handlers);
    if (options.onResourceUpdated !== undefined) {
      const onUpdated = options.onResourceUpdated;
      this.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => onUpdated(n.params.uri));
    }
    if (options.onLog !== undefined) {
      const onLog = options.onLog;
      this.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => onLog(n.params));
    }
    this.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => this.#listener?.listChanged('resources'));
    this.client.setNotificationHandler(PromptListChangedNotificationSchema, () => this.#listener?.listChanged('prompts'));
    this.client.onclose = () => this.#markLost();
    const onTransportError = options.onTransportError;
    this.client.onerror = (err) => {
      this.#onTransportError(err);
      onTransportError?.(err);
    };
    this.client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.#listener?.listChanged('tools'));
  }

  #wireHandlers(handlers: ClientHandlers): void {
    const context = (signal: AbortSignal) => ({ server: this.server, signal });
    const { sampling, elicitation, roots } = handlers;
    if (sampling !== undefined) this.client.setRequestHandler(CreateMessageRequestSchema, (req, extra) => sampling(req.params, context(extra.signal)));
    if (elicitation !== undefined) this.client.setRequestHandler(ElicitRequestSchema, (req, extra) => elicitation(req.params, context(extra.signal)));
    if (roots !== undefined) this.client.setRequestHandler(ListRootsRequestSchema, (req, extra) => roots(req.params, context(extra.signal)));
  }

  /**
   * Starts the transport and runs the `initialize` handshake. Rejects with `CONNECT_FAILED`
   * saying why (command not found, connection refused, process exited, handshake failed);
   * nothing is left running then.
   */
  static async open(config: ServerConfig, options: OpenSessionOptions): Promise<McpSession> {
    const auth = config.transport === 'stdio' ? undefined : config.auth;
    const maxAuth = auth?.type === 'authorization_code' ? (auth.maxAttempts ?? 3) : 0;
    for (let authorized = 0; ; authorized += 1) {
      const session = new McpSession(config, options);
      options.onCreated?.(session);
      try {
        await session.client.connect(session.transport, { timeout: options.timeoutMs, signal: options.signal });
        return session;
      } catch (err) {
        // The authorization-code flow: the SDK asked to send the user somewhere; get the code,
        // hand it to this transport, and connect again on a fresh one (same provider, so its tokens).
        const code = err instanceof UnauthorizedError && authorized < maxAuth ? await session.#authorize().catch(() => undefined) : undefined;
        await session.close();
        if (code === true) continue;
        if (options.signal?.aborted) throw toUniversalError(err, config.name, 'connect', options.signal);
        throw session.#connectError(err);
      }
    }
  }

  /** Runs the redirect handler for a pending authorization URL and finishes the auth on this transport. */
  async #authorize(): Promise<boolean> {
    if (this.#config.transport === 'stdio' || this.#config.auth?.type !== 'authorization_code') return false;
    const provider = authProviderFor(this.#config.auth);
    const url = provider instanceof AuthorizationCodeProvider ? provider.takeAuthorizationUrl() : undefined;
    if (url === undefined) return false;
    const code = await this.#config.auth.onAuthorize(url);
    const transport = this.transport as StreamableHTTPClientTransport | SSEClientTransport;
    await transport.finishAuth(code);
    return true;
  }

  #connectError(err: unknown): UniversalMcpError {
    const mapped = toUniversalError(err, this.server, 'connect');
    const exit = this.exit;
    const parts: string[] = [];
    if (mapped.code === ErrorCode.TIMEOUT) parts.push('handshake timed out');
    else if (exit !== undefined) parts.push(describeExit(exit));
    else {
      // Our own spawn errors say what to fix in full; anything from elsewhere is bounded.
      const spawnFailed = ['ENOENT', 'EACCES'].includes(String((err as { code?: unknown } | undefined)?.code));
      const message = (err as Error | undefined)?.message ?? String(err);
      parts.push(describeNetworkError(err) ?? (spawnFailed ? message : boundText(message)));
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
      details: exitDetails(exit),
    });
  }

  /** The stdio server's recent stderr lines (bounded by lines and bytes). */
  get stderr(): readonly string[] {
    return this.#stderr.lines();
  }

  /** The stdio server's pid. */
  get pid(): number | undefined {
    return this.transport instanceof StdioProcessTransport ? this.transport.pid : undefined;
  }

  /** How the stdio server's process ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.transport instanceof StdioProcessTransport ? this.transport.exit : undefined;
  }

  /** The Streamable HTTP session id. */
  get sessionId(): string | undefined {
    return this.transport.sessionId;
  }

  get serverVersion(): Implementation | undefined {
    return this.client.getServerVersion();
  }

  get capabilities(): ServerCapabilities | undefined {
    return this.client.getServerCapabilities();
  }

  /** Why the connection ended, once it has. */
  get lostReason(): LostReason | undefined {
    return this.#lost;
  }

  /** Attaches the one listener; if the connection is already gone it is told at once. Returns the detach. */
  watch(listener: SessionListener): () => void {
    this.#listener = listener;
    if (this.#lost !== undefined) listener.lost(this.#lost);
    return () => {
      if (this.#listener === listener) this.#listener = undefined;
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
    if (kind === 'session-expired') this.#markLost(ErrorCode.SESSION_EXPIRED, `session expired (${boundText(err.message)})`);
    else if (kind === 'unauthorized') this.#markLost(ErrorCode.AUTH_FAILED, `the server no longer accepts our credentials (${boundText(err.message)})`);
    else if (kind === 'lost' || this.#config.transport === 'sse') this.#markLost(ErrorCode.CONNECTION_LOST, describeNetworkError(err) ?? boundText(err.message));
  }

  #markLost(code: LostReason['code'] = ErrorCode.CONNECTION_LOST, why?: string): void {
    if (this.#lost !== undefined) return;
    const exit = this.exit;
    const stdoutClosed = this.transport instanceof StdioProcessTransport && this.transport.stdoutClosed;
    const fallback = exit !== undefined ? describeExit(exit) : stdoutClosed ? 'the server closed its stdout (the process still ran)' : 'transport closed';
    this.#lost = { code, message: why ?? fallback, exit };
    this.#listener?.lost(this.#lost);
  }

  /**
   * Sends one request with our options mapped to the SDK's (progress always requested, so the
   * idle timer resets on progress), and maps failures to typed errors. A request refused for
   * want of authorization (step-up on 403 insufficient_scope) is authorized and sent once more.
   */
  async #request<T>(send: (options: SdkRequestOptions) => Promise<T>, options: RequestOptions): Promise<T> {
    const sdkOptions: SdkRequestOptions = {
      timeout: options.timeoutMs,
      signal: options.signal,
      onprogress: options.onProgress ?? ignoreProgress,
      resetTimeoutOnProgress: true,
    };
    try {
      return await send(sdkOptions);
    } catch (err) {
      if (err instanceof UnauthorizedError && (await this.#authorize().catch(() => false))) {
        try {
          return await send(sdkOptions);
        } catch (again) {
          throw this.#requestError(again, options.signal);
        }
      }
      throw this.#requestError(err, options.signal);
    }
  }

  /**
   * Follows a list's pagination to the end, within `totalMs` for all pages when given. Each page
   * gets a signal of its own (linked to the caller's): the SDK adds an abort listener to a
   * request's signal and never removes it, so one signal for 50 pages would collect 50.
   */
  async #paginate<T>(page: (cursor: string | undefined, options: SdkRequestOptions) => Promise<{ items: T[]; nextCursor?: string | undefined }>, options: RequestOptions): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    const seen = new Set<string>();
    const end = options.totalMs === undefined ? undefined : performance.now() + options.totalMs;
    const pastDeadline = (): UniversalMcpError =>
      new UniversalMcpError(ErrorCode.TIMEOUT, `Listing from "${this.server}" passed its ${options.totalMs} ms deadline after ${items.length} items (pagination does not end)`, {
        server: this.server,
        details: { kind: 'deadline', ms: options.totalMs },
      });
    do {
      const left = end === undefined ? options.timeoutMs : Math.min(options.timeoutMs, end - performance.now());
      if (left <= 0) throw pastDeadline();
      const outer = options.signal;
      const pageSignal = outer === undefined ? undefined : new AbortController();
      const relay = (): void => pageSignal?.abort(outer?.reason);
      outer?.addEventListener('abort', relay, { once: true });
      if (outer?.aborted) relay();
      try {
        const result = await this.#request((o) => page(cursor, o), { ...options, timeoutMs: left, signal: pageSignal?.signal });
        items.push(...result.items);
        cursor = result.nextCursor;
      } catch (err) {
        // The page ran into the total deadline rather than its own timeout: say which.
        if (end !== undefined && err instanceof UniversalMcpError && err.code === ErrorCode.TIMEOUT && performance.now() >= end - 1) throw pastDeadline();
        throw err;
      } finally {
        outer?.removeEventListener('abort', relay);
      }
      // A server that hands out the same cursor twice would loop forever.
      if (cursor !== undefined && (seen.has(cursor) || seen.size > 10_000)) break;
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    return items;
  }

  /**
   * The server's whole tool catalog, pagination followed to the end. Each tool is checked on its
   * own: one with a broken definition (an inputSchema that is not an object schema, an outputSchema
   * that does not compile) is set aside in `invalid` with the reason, and the rest stay usable.
   * Output schemas of every page are then handed to the SDK for result validation.
   */
  async listTools(options: RequestOptions): Promise<ToolList> {
    const raw = await this.#paginate(async (cursor, o) => {
      const r = await this.client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, LooseToolsPage, o);
      return { items: r.tools, nextCursor: r.nextCursor };
    }, options);
    const tools: Tool[] = [];
    const invalid: InvalidTool[] = [];
    const validators = new Map<string, JsonSchemaValidator<unknown>>();
    const ajv = new AjvJsonSchemaValidator();
    raw.forEach((item, index) => {
      const rawName = (item as { name?: unknown } | null)?.name;
      const name = typeof rawName === 'string' ? rawName : `#${index}`;
      const parsed = ToolSchema.safeParse(item);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        invalid.push({ name, reason: boundText(`${issue?.path.join('.') || '(tool)'}: ${issue?.message ?? 'invalid'}`, 200) });
        return;
      }
      const tool = parsed.data as Tool;
      if (tool.outputSchema !== undefined) {
        try {
          validators.set(tool.name, ajv.getValidator(tool.outputSchema as JsonSchemaType));
        } catch (err) {
          invalid.push({ name, reason: boundText(`outputSchema does not compile: ${(err as Error).message}`, 200) });
          return;
        }
      }
      tools.push(tool);
    });
    this.#outputValidators = validators;
    return { tools, invalid };
  }

  /** Every resource, pagination followed to the end. */
  listResources(options: RequestOptions): Promise<Resource[]> {
    return this.#paginate(async (cursor, o) => {
      const r = await this.client.listResources(cursor === undefined ? {} : { cursor }, o);
      return { items: r.resources, nextCursor: r.nextCursor };
    }, options);
  }

  /** Every resource template, pagination followed to the end. */
  listResourceTemplates(options: RequestOptions): Promise<ResourceTemplate[]> {
    return this.#paginate(async (cursor, o) => {
      const r = await this.client.listResourceTemplates(cursor === undefined ? {} : { cursor }, o);
      return { items: r.resourceTemplates, nextCursor: r.nextCursor };
    }, options);
  }

  /** Every prompt, pagination followed to the end. */
  listPrompts(options: RequestOptions): Promise<Prompt[]> {
    return this.#paginate(async (cursor, o) => {
      const r = await this.client.listPrompts(cursor === undefined ? {} : { cursor }, o);
      return { items: r.prompts, nextCursor: r.nextCursor };
    }, options);
  }

  /** One part of the catalog, or all of it; parts the server lacks the capability for are empty. */
  async listCatalog(kind: CatalogKind | 'all', options: RequestOptions): Promise<Partial<Catalog>> {
    const caps = this.capabilities ?? {};
    const wants = (k: CatalogKind): boolean => kind === 'all' || kind === k;
    const list = <T>(wanted: boolean, offered: unknown, read: () => Promise<T[]>): Promise<T[] | undefined> =>
      !wanted ? Promise.resolve(undefined) : offered === undefined ? Promise.resolve([]) : read();
    const [tools, prompts, resources, resourceTemplates] = await Promise.all([
      wants('tools') ? (caps.tools === undefined ? Promise.resolve({ tools: [], invalid: [] }) : this.listTools(options)) : Promise.resolve(undefined),
      list(wants('prompts'), caps.prompts, () => this.listPrompts(options)),
      list(wants('resources'), caps.resources, () => this.listResources(options)),
      // Templates are optional even where resources are offered; some servers answer -32601.
      list(wants('resources'), caps.resources, () => this.listResourceTemplates(options).catch(() => [])),
    ]);
    const out: { -readonly [K in keyof Catalog]?: Catalog[K] } = {};
    if (tools !== undefined) {
      out.tools = tools.tools;
      out.invalidTools = tools.invalid;
    }
    if (prompts !== undefined) out.prompts = prompts;
    if (resources !== undefined) out.resources = resources;
    if (resourceTemplates !== undefined) out.resourceTemplates = resourceTemplates;
    return out;
  }

  /** Calls a tool. A result with `isError: true` resolves; failures reject with a typed error. */
  async callTool(name: string, args: Record<string, unknown> | undefined, options: RequestOptions): Promise<CallToolResult> {
    const result = (await this.#request((o) => this.client.callTool({ name, arguments: args }, undefined, o), options)) as CallToolResult;
    const validate = this.#outputValidators.get(name);
    if (validate === undefined || result.isError === true) return result;
    // A tool with an outputSchema must answer with structuredContent that fits it.
    const fail = (why: string): UniversalMcpError =>
      new UniversalMcpError(ErrorCode.INVALID_RESULT, `Tool result from "${this.server}" breaks its output schema: ${why}`, { server: this.server, details: { tool: name } });
    if (result.structuredContent === undefined) throw fail(`tool ${name} has an output schema but did not return structured content`);
    const check = validate(result.structuredContent);
    if (!check.valid) throw fail(`structured content does not match the tool's output schema: ${boundText(check.errorMessage ?? 'invalid')}`);
    return result;
  }

  readResource(uri: string, options: RequestOptions): Promise<ReadResourceResult> {
    return this.#request((o) => this.client.readResource({ uri }, o), options);
  }

  async subscribeResource(uri: string, options: RequestOptions): Promise<void> {
    await this.#request((o) => this.client.subscribeResource({ uri }, o), options);
  }

  async unsubscribeResource(uri: string, options: RequestOptions): Promise<void> {
    await this.#request((o) => this.client.unsubscribeResource({ uri }, o), options);
  }

  getPrompt(name: string, args: Record<string, string> | undefined, options: RequestOptions): Promise<GetPromptResult> {
    return this.#request((o) => this.client.getPrompt({ name, arguments: args }, o), options);
  }

  complete(params: CompleteRequest['params'], options: RequestOptions): Promise<CompleteResult> {
    return this.#request((o) => this.client.complete(params, o), options);
  }

  async setLoggingLevel(level: LoggingLevel, options: RequestOptions): Promise<void> {
    await this.#request((o) => this.client.setLoggingLevel(level, o), options);
  }

  /** Tells the server the client's roots changed (`notifications/roots/list_changed`). */
  async rootsChanged(): Promise<void> {
    await this.client.sendRootsListChanged();
  }

  /** A `ping` round trip. */
  async ping(options: RequestOptions): Promise<void> {
    await this.#request((o) => this.client.ping(o), options);
  }

  #requestError(err: unknown, signal: AbortSignal | undefined): UniversalMcpError {
    const mapped = toUniversalError(err, this.server, 'request', signal);
    const cause = err instanceof Error ? err.message : String(err);
    // A request that shows the session or the connection is gone ends the session too.
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
    // The transport reports a 404 through onerror before the request itself fails, and closing the
    // session then rejects every request as "closed": keep the session's own reason.
    if (this.#lost?.code === ErrorCode.SESSION_EXPIRED) {
      return new UniversalMcpError(ErrorCode.SESSION_EXPIRED, `Server "${this.server}" lost the session: ${this.#lost.message}`, { server: this.server, cause: err });
    }
    if (this.#lost?.code === ErrorCode.AUTH_FAILED) {
      return new UniversalMcpError(ErrorCode.AUTH_FAILED, `Not authorized by "${this.server}": ${this.#lost.message}`, { server: this.server, cause: err });
    }
    const exit = this.exit;
    return new UniversalMcpError(ErrorCode.CONNECTION_LOST, `Connection to "${this.server}" lost: ${this.#lost?.message ?? cause}`, {
      server: this.server,
      cause: err,
      details: exitDetails(exit),
    });
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
    const terminate = this.#terminateHttpSession();
    this.#listener = undefined;
    await this.client.close().catch(() => undefined);
    if (this.transport instanceof StdioProcessTransport) await this.transport.close();
    await terminate;
    this.#ownFetch?.destroy();
  }

  /**
   * DELETE the HTTP session ourselves (the SDK's terminateSession shares the abort signal close()
   * fires), through the same fetch as every other request and with the same credentials.
   */
  async #terminateHttpSession(): Promise<void> {
    if (this.#config.transport !== 'streamable_http' || this.#lost !== undefined) return;
    const transport = this.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId;
    if (sessionId === undefined) return;
    const headers: Record<string, string> = { ...this.#config.headers, 'mcp-session-id': sessionId };
    if (transport.protocolVersion !== undefined) headers['mcp-protocol-version'] = transport.protocolVersion;
    try {
      const auth = this.#config.auth;
      const tokens = auth === undefined ? undefined : await authProviderFor(auth).tokens();
      if (tokens !== undefined) headers.authorization = `${tokens.token_type.toLowerCase() === 'bearer' ? 'Bearer' : tokens.token_type} ${tokens.access_token}`;
      const res = await (this.#fetch ?? fetch)(this.#config.url, { method: 'DELETE', headers, signal: AbortSignal.timeout(DELETE_TIMEOUT_MS) });
      await res.body?.cancel();
    } catch {
      // The server is gone or slow: the session dies with it. Nothing to report to the caller.
    }
  }
}

const ignoreProgress = (): void => undefined;

/** Capabilities follow the handlers: nothing is advertised that nobody answers. */
function capabilitiesFor(handlers: ClientHandlers): ClientCapabilities {
  const caps: ClientCapabilities = {};
  if (handlers.sampling !== undefined) caps.sampling = {};
  if (handlers.elicitation !== undefined) caps.elicitation = { form: { applyDefaults: true }, url: {} };
  if (handlers.roots !== undefined) caps.roots = { listChanged: true };
  return caps;
}

/** "process exited with code 1" / "process killed by SIGKILL". */
export function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `process killed by ${exit.signal}` : `process exited with code ${exit.code}`;
}
