import { EventEmitter } from 'eventemitter3';
import { pino, type Logger } from 'pino';
import {
  ErrorCode,
  UniversalMcpError,
  parseHandlers,
  parseServerConfig,
  parseServerPolicy,
  type CallToolResult,
  type Catalog,
  type ClientHandlers,
  type CompleteRequest,
  type CompleteResult,
  type GetPromptResult,
  type LoggingLevel,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerConfig,
  type ServerPolicy,
  type Tool,
} from '@universal-mcp/core';
import type { UniversalMcpEvents } from './events.js';
import { resolvePolicy } from './restart-policy.js';
import type { ServerInfo } from './server-info.js';
import { SupervisedServer, type CallOptions } from './supervised-server.js';

/** Options for {@link UniversalMcpClient}. */
export interface UniversalMcpClientOptions {
  /** A pino logger; the client logs nothing without one. One child per server (`{ server }`). */
  readonly logger?: Logger | undefined;
  /** Policy every server takes unless its own config says otherwise. */
  readonly defaults?: ServerPolicy | undefined;
  /**
   * Answers to server-to-client requests (sampling, elicitation, roots) for every server; a
   * server's own `config.handlers` win. A capability is advertised only with its handler.
   */
  readonly handlers?: ClientHandlers | undefined;
}

/** A completion reference: a prompt by name or a resource template by URI. */
export type CompletionRef = CompleteRequest['params']['ref'];

/** Options for {@link UniversalMcpClient.addServer}. */
export interface AddServerOptions {
  /**
   * Resolve only once the server is ready, and reject (keeping nothing) if the first attempt
   * fails. With false, the server is registered at once and the supervisor keeps trying.
   * @default true
   */
  readonly waitForReady?: boolean | undefined;
}

/**
 * Many MCP servers behind one object: each connection supervised (restarts with backoff,
 * throttled calls, typed lifecycle events), each call answered or rejected with a typed error.
 */
export class UniversalMcpClient extends EventEmitter<UniversalMcpEvents> {
  readonly #servers = new Map<string, SupervisedServer>();
  readonly #logger: Logger;
  readonly #defaults: ServerPolicy;
  readonly #handlers: ClientHandlers;
  #closing: Promise<void> | undefined;

  constructor(options: UniversalMcpClientOptions = {}) {
    super();
    this.#defaults = parseServerPolicy(options.defaults);
    this.#handlers = parseHandlers(options.handlers);
    this.#logger = options.logger ?? pino({ level: 'silent' });
  }

  /**
   * Validates the config and starts supervising the server. Rejects with `CONFIG_INVALID`,
   * `SERVER_EXISTS`, or (unless `waitForReady: false`) the first attempt's `CONNECT_FAILED`.
   */
  async addServer(config: ServerConfig, options: AddServerOptions = {}): Promise<ServerInfo> {
    this.#assertOpen();
    const parsed = parseServerConfig(config);
    if (this.#servers.has(parsed.name)) {
      throw new UniversalMcpError(ErrorCode.SERVER_EXISTS, `A server named "${parsed.name}" is already registered`, { server: parsed.name });
    }
    const waitForReady = options.waitForReady ?? true;
    const server = new SupervisedServer({
      config: parsed,
      policy: resolvePolicy(this.#defaults, parsed),
      logger: this.#logger,
      emitter: this,
      failFirstAttempt: waitForReady,
      handlers: this.#handlers,
    });
    this.#servers.set(parsed.name, server);
    server.start();
    if (!waitForReady) return server.info();
    try {
      await server.firstReady;
    } catch (err) {
      if (this.#servers.get(parsed.name) === server) this.#servers.delete(parsed.name);
      await server.stop('first connection attempt failed');
      throw err;
    }
    return server.info();
  }

  /** Stops supervising the server and closes its connection; waiting calls reject with `CLOSED`. */
  async removeServer(name: string): Promise<void> {
    const server = this.#get(name);
    this.#servers.delete(name);
    await server.stop('removed');
    this.emit('server:removed', { server: name });
  }

  /** Restarts a server by hand, also one the supervisor has given up. */
  restartServer(name: string): void {
    this.#get(name).restart();
  }

  /** The registered servers' names. */
  listServers(): string[] {
    return [...this.#servers.keys()];
  }

  #catalogs<K extends keyof Catalog>(kind: K, server: string | undefined): Record<string, Catalog[K]> {
    if (server !== undefined) return { [server]: this.#get(server).catalog[kind] };
    const out: Record<string, Catalog[K]> = {};
    for (const [name, s] of this.#servers) out[name] = s.catalog[kind];
    return out;
  }

  /** The cached tool catalogs, by server; `server` narrows it to one. Refreshed on list_changed and after every reconnect. */
  listTools(server?: string): Record<string, Tool[]> {
    return this.#catalogs('tools', server);
  }

  /** The cached resource lists (pagination followed to the end), by server. */
  listResources(server?: string): Record<string, Resource[]> {
    return this.#catalogs('resources', server);
  }

  /** The cached resource templates, by server. */
  listResourceTemplates(server?: string): Record<string, ResourceTemplate[]> {
    return this.#catalogs('resourceTemplates', server);
  }

  /** The cached prompt lists, by server. */
  listPrompts(server?: string): Record<string, Prompt[]> {
    return this.#catalogs('prompts', server);
  }

  /** A snapshot of one server, or undefined when no such server is registered. */
  getServerInfo(name: string): ServerInfo | undefined {
    return this.#servers.get(name)?.info();
  }

  /**
   * Calls a tool. A result with `isError: true` resolves; every failure rejects with a
   * {@link UniversalMcpError} (`SERVER_NOT_FOUND`, `SERVER_UNAVAILABLE`, `TOOL_NOT_FOUND`,
   * `QUEUE_FULL`, `TIMEOUT`, `CANCELLED`, `CONNECTION_LOST`, `PROTOCOL_ERROR`, …).
   */
  callTool(server: string, tool: string, args?: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult> {
    const s = this.#servers.get(server);
    if (s === undefined) return Promise.reject(this.#notFound(server));
    return s.callTool(tool, args, options);
  }

  /** Reads a resource. */
  readResource(server: string, uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.#with(server, (s) => s.readResource(uri, options));
  }

  /** Subscribes to a resource; updates arrive as `resources:updated`. Re-established after every reconnect. */
  subscribeResource(server: string, uri: string, options?: CallOptions): Promise<void> {
    return this.#with(server, (s) => s.subscribeResource(uri, options));
  }

  unsubscribeResource(server: string, uri: string, options?: CallOptions): Promise<void> {
    return this.#with(server, (s) => s.unsubscribeResource(uri, options));
  }

  /** Gets a prompt with its arguments filled in. */
  getPrompt(server: string, name: string, args?: Record<string, string>, options?: CallOptions): Promise<GetPromptResult> {
    return this.#with(server, (s) => s.getPrompt(name, args, options));
  }

  /** Asks for completions of a prompt's or resource template's argument. */
  complete(
    server: string,
    ref: CompletionRef,
    argument: { name: string; value: string },
    context?: { arguments?: Record<string, string> },
    options?: CallOptions,
  ): Promise<CompleteResult> {
    return this.#with(server, (s) => s.complete({ ref, argument, ...(context === undefined ? {} : { context }) }, options));
  }

  /** Sets the level of `server:log` messages the server sends; kept across reconnects. */
  setLoggingLevel(server: string, level: LoggingLevel, options?: CallOptions): Promise<void> {
    return this.#with(server, (s) => s.setLoggingLevel(level, options));
  }

  /** Tells servers (one, or every ready one with the roots capability) that the roots changed. */
  async notifyRootsChanged(server?: string): Promise<void> {
    const targets = server === undefined ? [...this.#servers.values()].filter((s) => s.state === 'ready') : [this.#get(server)];
    await Promise.all(targets.map((s) => s.rootsChanged()));
  }

  #with<T>(server: string, fn: (s: SupervisedServer) => Promise<T>): Promise<T> {
    const s = this.#servers.get(server);
    if (s === undefined) return Promise.reject(this.#notFound(server));
    return fn(s);
  }

  /** Stops every server and waits until all are gone. Later calls reject with `CLOSED`. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const servers = [...this.#servers.keys()];
      await Promise.all(servers.map((name) => this.removeServer(name)));
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new UniversalMcpError(ErrorCode.CLOSED, 'The client is closed');
  }

  #get(name: string): SupervisedServer {
    const server = this.#servers.get(name);
    if (server === undefined) throw this.#notFound(name);
    return server;
  }

  #notFound(name: string): UniversalMcpError {
    const known = [...this.#servers.keys()];
    return new UniversalMcpError(
      ErrorCode.SERVER_NOT_FOUND,
      `Server "${name}" not found. Registered servers: ${known.length > 0 ? known.join(', ') : '(none)'}`,
      { server: name, details: { available: known } },
    );
  }
}
