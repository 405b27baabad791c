import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Implementation,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from './config.js';
import { ErrorCode, UniversalMcpError, classifyTransportError, toUniversalError } from './errors.js';
import { StdioProcessTransport, type ProcessExit } from './stdio-transport.js';
import { createTransport } from './transport-factory.js';

/** Why a live connection ended. */
export interface LostReason {
  /** `SESSION_EXPIRED` when an HTTP server forgot the session, else `CONNECTION_LOST`. */
  readonly code: typeof ErrorCode.CONNECTION_LOST | typeof ErrorCode.SESSION_EXPIRED;
  readonly message: string;
  /** Exit code and signal, for a stdio server whose process ended. */
  readonly exit?: ProcessExit | undefined;
}

/** What a session reports while it lives. */
export interface SessionListener {
  /** The connection is gone (process exit, transport closed). Called at most once. */
  lost(reason: LostReason): void;
  /** The server said its tool list changed. */
  toolsChanged(): void;
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
}

/** Per-request options. */
export interface RequestOptions {
  /** Idle timeout: reset by every progress notification. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void) | undefined;
}

const CLIENT_INFO: Implementation = { name: 'universal-mcp', version: '0.1.0' };
const STDERR_TAIL = 5;
const DELETE_TIMEOUT_MS = 1000;

/**
 * One connection attempt's worth of MCP: an SDK `Client` on a fresh transport. This file and
 * transport-factory.ts are where the SDK is used; everything above works on sessions.
 */
export class McpSession {
  readonly server: string;
  readonly client: Client;
  readonly transport: Transport;
  readonly #config: ServerConfig;
  readonly #stderrTail: string[] = [];
  #listener: SessionListener | undefined;
  #lost: LostReason | undefined;
  #closing: Promise<void> | undefined;
  #resolveClosed!: () => void;
  /** Resolves once close() has finished (process group gone, HTTP session deleted). */
  readonly closed: Promise<void> = new Promise((resolve) => (this.#resolveClosed = resolve));

  private constructor(config: ServerConfig, options: OpenSessionOptions) {
    this.server = config.name;
    this.#config = config;
    this.transport = createTransport(config, {
      onStderr: (line) => {
        if (this.#stderrTail.push(line) > STDERR_TAIL) this.#stderrTail.shift();
        options.onStderr?.(line);
      },
    });
    this.client = new Client(options.clientInfo ?? CLIENT_INFO, { capabilities: {} });
    this.client.onclose = () => this.#markLost();
    const onTransportError = options.onTransportError;
    this.client.onerror = (err) => {
      this.#onTransportError(err);
      onTransportError?.(err);
    };
    this.client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.#listener?.toolsChanged());
  }

  /**
   * Starts the transport and runs the `initialize` handshake. Rejects with `CONNECT_FAILED`
   * saying why (command not found, connection refused, process exited, handshake failed);
   * nothing is left running then.
   */
  static async open(config: ServerConfig, options: OpenSessionOptions): Promise<McpSession> {
    const session = new McpSession(config, options);
    options.onCreated?.(session);
    try {
      await session.client.connect(session.transport, { timeout: options.timeoutMs, signal: options.signal });
      return session;
    } catch (err) {
      await session.close();
      if (options.signal?.aborted) throw toUniversalError(err, config.name, 'connect', options.signal);
      throw session.#connectError(err);
    }
  }

  #connectError(err: unknown): UniversalMcpError {
    const mapped = toUniversalError(err, this.server, 'connect');
    const exit = this.exit;
    const parts: string[] = [];
    if (mapped.code === ErrorCode.TIMEOUT) parts.push('handshake timed out');
    else if (exit !== undefined) parts.push(describeExit(exit));
    else parts.push((err as Error | undefined)?.message ?? String(err));
    if (this.#stderrTail.length > 0) parts.push(`stderr: ${this.#stderrTail.join(' | ')}`);
    return new UniversalMcpError(ErrorCode.CONNECT_FAILED, `Cannot connect to "${this.server}": ${parts.join('; ')}`, {
      server: this.server,
      cause: err,
      details: exit === undefined ? undefined : { pid: exit.pid, exitCode: exit.code, signal: exit.signal },
    });
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
    if (kind === 'session-expired') this.#markLost(ErrorCode.SESSION_EXPIRED, `session expired (${err.message})`);
    else if (kind === 'lost' || this.#config.transport === 'sse') this.#markLost(ErrorCode.CONNECTION_LOST, err.message);
  }

  #markLost(code: LostReason['code'] = ErrorCode.CONNECTION_LOST, why?: string): void {
    if (this.#lost !== undefined) return;
    const exit = this.exit;
    this.#lost = { code, message: why ?? (exit === undefined ? 'transport closed' : describeExit(exit)), exit };
    this.#listener?.lost(this.#lost);
  }

  /** The server's whole tool catalog, pagination followed to the end. */
  async listTools(options: RequestOptions): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.client.listTools(cursor === undefined ? {} : { cursor }, { timeout: options.timeoutMs, signal: options.signal });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    } catch (err) {
      throw this.#requestError(err, options.signal);
    }
    return tools;
  }

  /** Calls a tool. A result with `isError: true` resolves; failures reject with a typed error. */
  async callTool(name: string, args: Record<string, unknown> | undefined, options: RequestOptions): Promise<CallToolResult> {
    try {
      // Always ask for progress: the SDK only resets its timer on progress when onprogress is set.
      return (await this.client.callTool({ name, arguments: args }, undefined, {
        timeout: options.timeoutMs,
        signal: options.signal,
        onprogress: options.onProgress ?? ignoreProgress,
        resetTimeoutOnProgress: true,
      })) as CallToolResult;
    } catch (err) {
      throw this.#requestError(err, options.signal);
    }
  }

  /** A `ping` round trip. */
  async ping(options: RequestOptions): Promise<void> {
    try {
      await this.client.ping({ timeout: options.timeoutMs, signal: options.signal });
    } catch (err) {
      throw this.#requestError(err, options.signal);
    }
  }

  #requestError(err: unknown, signal: AbortSignal | undefined): UniversalMcpError {
    const mapped = toUniversalError(err, this.server, 'request', signal);
    const cause = err instanceof Error ? err.message : String(err);
    // A request that shows the session or the connection is gone ends the session too.
    if (mapped.code === ErrorCode.SESSION_EXPIRED) {
      this.#markLost(ErrorCode.SESSION_EXPIRED, `session expired (${cause})`);
      return mapped;
    }
    if (mapped.code !== ErrorCode.CONNECTION_LOST) return mapped;
    this.#markLost(ErrorCode.CONNECTION_LOST, cause);
    // The transport reports a 404 through onerror before the request itself fails, and closing the
    // session then rejects every request as "closed": keep the session's own reason.
    if (this.#lost?.code === ErrorCode.SESSION_EXPIRED) {
      return new UniversalMcpError(ErrorCode.SESSION_EXPIRED, `Server "${this.server}" lost the session: ${this.#lost.message}`, { server: this.server, cause: err });
    }
    const exit = this.exit;
    return new UniversalMcpError(ErrorCode.CONNECTION_LOST, `Connection to "${this.server}" lost: ${this.#lost?.message ?? cause}`, {
      server: this.server,
      cause: err,
      details: exit === undefined ? undefined : { exitCode: exit.code, signal: exit.signal },
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
  }

  /** DELETE the HTTP session ourselves: the SDK's terminateSession shares the abort signal close() fires. */
  async #terminateHttpSession(): Promise<void> {
    if (this.#config.transport !== 'streamable_http' || this.#lost !== undefined) return;
    const transport = this.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId;
    if (sessionId === undefined) return;
    const headers: Record<string, string> = { ...this.#config.headers, 'mcp-session-id': sessionId };
    if (transport.protocolVersion !== undefined) headers['mcp-protocol-version'] = transport.protocolVersion;
    try {
      const res = await fetch(this.#config.url, { method: 'DELETE', headers, signal: AbortSignal.timeout(DELETE_TIMEOUT_MS) });
      await res.body?.cancel();
    } catch {
      // The server is gone or slow: the session dies with it. Nothing to report to the caller.
    }
  }
}

const ignoreProgress = (): void => undefined;

/** "process exited with code 1" / "process killed by SIGKILL". */
export function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `process killed by ${exit.signal}` : `process exited with code ${exit.code}`;
}
