import { pino, type Logger } from 'pino';
import {
  APPS_CLIENT_CAPABILITY,
  APPS_EXTENSION,
  ErrorCode,
  PROTOCOL_2025,
  PROTOCOL_2026,
  UniversalMcpError,
  loadConfig,
  parseServerConfig,
  parseServerPolicy,
  type CallToolResult,
  type Catalog,
  type ClientExtensions,
  type ClientHandlers,
  type CompleteRequest,
  type CompleteResult,
  type GetPromptResult,
  type LoadedConfig,
  type LoggingLevel,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ConfigFile,
  type ServerConfig,
  type ServerConfigInput,
  type ServerPolicy,
  type ProtocolSetting,
  type Tool,
  type ToolPolicy,
} from '@universal-mcp/core';
import {
  POLICY_KEYS,
  didYouMean,
  didYouMeanText,
  parseHandlers,
  OutboundHosts,
  type connectionMachine,
} from '@universal-mcp/core/internal';
import type { UniversalMcpEvents } from './events.js';
import { EventHub, type Unsubscribe } from './event-hub.js';
import { resolvePolicy } from './restart-policy.js';
import type { ServerInfo } from './server-info.js';
import type { CallOptions } from './call-options.js';
import { SupervisedServer } from './supervised-server.js';
import { ToolGate, type ToolAccess, type ToolChange } from './tool-gate.js';
import type { PinStore } from './pin-store.js';

/** The most of a server's `instructions` that {@link UniversalMcpClient.instructions} gives (cut text ends `…`). */
export const MAX_INSTRUCTIONS_CHARS = 4000;
import { Telemetry, type RequestExtras, type TelemetryOptions } from './telemetry.js';

/** Options for {@link UniversalMcpClient.whenReady}. */
export interface WhenReadyOptions {
  /** How long to wait for every server. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /** Aborting rejects the wait with `CANCELLED`. */
  readonly signal?: AbortSignal | undefined;
}

/** Options for {@link UniversalMcpClient.fromConfig}. */
export interface FromConfigOptions extends UniversalMcpClientOptions {
  /**
   * Resolve once every server is ready, and reject (closing everything) if one cannot start. With
   * false it resolves at once; {@link UniversalMcpClient.whenReady} then waits.
   * @default true
   */
  readonly waitForReady?: boolean | undefined;
}

/**
 * The connection machine a client's servers run, swapped by this repo's unit tests (actors faked
 * with `machine.provide()`). Not part of the public API.
 * @internal
 */
export const MACHINE: unique symbol = Symbol('universal-mcp.machine');
/** fromConfig's way to hand the file's `tools` apart from the `tools` option (which wins, then and on reloads). */
const FILE_TOOLS: unique symbol = Symbol('universal-mcp.file-tools');

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
  /**
   * Declare the MCP Apps extension (`io.modelcontextprotocol/ui`, HTML `text/html;profile=mcp-app`) to every
   * server: set it when the application renders Apps (a tool's `_meta.ui.resourceUri`), so a server that
   * adapts to hosts without them gives it its App-backed tools. It changes nothing else: tools are listed
   * and `_meta.ui` read the same either way.
   * @default false
   */
  readonly apps?: boolean | undefined;
  /**
   * The MCP revision every server is spoken to in, unless its own config's `protocol` says otherwise:
   * `'auto'` probes with `server/discover` and falls back to `initialize` (the verdict is kept across
   * restarts); `'2026-07-28'` or `'2025-11-25'` pins it, and a server that does not offer it is given
   * up with `UNSUPPORTED_PROTOCOL_VERSION`.
   * @default 'auto'
   */
  readonly protocol?: ProtocolSetting | undefined;
  /**
   * OpenTelemetry: spans and metrics by the MCP semantic conventions (see docs/monitoring.md).
   * By default the global providers of `@opentelemetry/api`, which cost
   * nothing until an SDK registers; pass providers to use others.
   */
  readonly telemetry?: TelemetryOptions | undefined;
  /**
   * Outbound HTTP guard: the hosts HTTP and SSE servers, their OAuth endpoints and every redirect hop may be
   * reached at. `host` (any port), `host:port`, `*.example.com` (subdomains only), `[::1]`; case-insensitive.
   * A server URL not in it is refused by `addServer` (`HOST_NOT_ALLOWED`, nothing started); a request to
   * any other host fails with `HOST_NOT_ALLOWED` before it is sent, and a server refused so while
   * connecting is given up. Not the listeners' `allowedHosts` (the Host header they accept).
   * @default undefined (no restriction)
   */
  readonly outboundHosts?: readonly string[] | undefined;
  /**
   * The client-wide tool policy: which tools are offered and which calls need approval, beneath each
   * server's own `tools` (see {@link ToolPolicy}). It wins over a config file's top-level `tools`, in
   * `fromConfig` and on every `applyConfig`.
   */
  readonly tools?: ToolPolicy | undefined;
  /**
   * Where pinned tool definitions persist: a file path (written 0600, its directory 0700, atomically) or a
   * {@link PinStore}. Unset: in memory, for the client's life. An unreadable file fails the constructor
   * with `CONFIG_INVALID`.
   */
  readonly pins?: string | PinStore | undefined;
}

/** The options with telemetry's `_meta` entries and id listener added. */
function withMeta(options: CallOptions | undefined, extra: RequestExtras | undefined): CallOptions | undefined {
  if (extra === undefined) return options;
  const { meta, onSent } = extra;
  const told = options?.onSent;
  return {
    ...options,
    ...(meta === undefined ? {} : { meta: { ...options?.meta, ...meta } }),
    ...(onSent === undefined
      ? {}
      : {
          onSent: (id: string | number) => {
            onSent(id);
            told?.(id);
          },
        }),
  };
}

/** The extensions every connection declares, from the facade's options. */
function extensionsOf(options: UniversalMcpClientOptions): ClientExtensions | undefined {
  if (options.apps !== undefined && typeof options.apps !== 'boolean')
    throw new UniversalMcpError(
      ErrorCode.CONFIG_INVALID,
      `Invalid option apps: expected true or false, got ${JSON.stringify(options.apps)}`,
      { details: { field: 'apps' } },
    );
  return options.apps === true ? { [APPS_EXTENSION]: APPS_CLIENT_CAPABILITY } : undefined;
}

const PROTOCOL_SETTINGS: readonly string[] = ['auto', PROTOCOL_2026, PROTOCOL_2025];

/** The client's `protocol` option, checked as a server config's is (a typo must not silently mean `auto`). */
function parseProtocol(value: unknown): ProtocolSetting | undefined {
  if (value === undefined || PROTOCOL_SETTINGS.includes(value as string)) return value as ProtocolSetting | undefined;
  const guess = typeof value === 'string' ? didYouMeanText(value, PROTOCOL_SETTINGS, "'") : '';
  const expected = PROTOCOL_SETTINGS.map((v) => `'${v}'`).join(', ');
  throw new UniversalMcpError(
    ErrorCode.CONFIG_INVALID,
    `Invalid option protocol: expected one of ${expected}, got ${JSON.stringify(value)}${guess}`,
    { details: { field: 'protocol' } },
  );
}

/** What {@link UniversalMcpClient.applyConfig} did, by server name. */
export interface ApplyConfigResult {
  /** New in the config: started. */
  readonly added: string[];
  /** Gone from the config: stopped. */
  readonly removed: string[];
  /** Connection fields changed: stopped and started again. */
  readonly restarted: string[];
  /** Only policy changed: applied live, no restart. */
  readonly updated: string[];
  /** Nothing changed. */
  readonly unchanged: string[];
}

/** The policy fields of a server config (everything else is about the connection). */
const POLICY_FIELDS = new Set<string>([...POLICY_KEYS, 'tools', 'trusted']);

function split(config: ServerConfig): { connection: string; policy: string } {
  const connection: Record<string, unknown> = {};
  const policy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b)))
    (POLICY_FIELDS.has(k) ? policy : connection)[k] = v;
  return { connection: JSON.stringify(connection), policy: JSON.stringify(policy) };
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

/** True for what `loadConfig` returned (as opposed to a file path or a config file's contents). */
function isLoaded(input: unknown): input is LoadedConfig {
  return (
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as LoadedConfig).servers) &&
    'defaults' in input &&
    'disabled' in input
  );
}

/**
 * Many MCP servers behind one object: each connection supervised (restarts with backoff and
 * jitter, a restart-intensity limit), its calls throttled and bounded by timeouts, every
 * lifecycle change a typed event, every failure a {@link UniversalMcpError} with a code.
 * @example
 * await using client = new UniversalMcpClient({ logger: pino() });
 * await client.addServer({ name: 'notes', transport: 'stdio', command: 'node', args: ['notes.js'] });
 * const result = await client.callTool('notes', 'add_note', { title: 'hi' });
 */
export class UniversalMcpClient {
  // Owned, not inherited: only the client emits, and no caller can detach another's listeners.
  readonly #events: EventHub<UniversalMcpEvents>;
  readonly #servers = new Map<string, SupervisedServer>();
  readonly #logger: Logger;
  #defaults: ServerPolicy;
  readonly #handlers: ClientHandlers;
  readonly #extensions: ClientExtensions | undefined;
  readonly #protocol: ProtocolSetting | undefined;
  readonly #outboundHosts: OutboundHosts | undefined;
  readonly #machine: typeof connectionMachine | undefined;
  readonly #telemetry: Telemetry;
  readonly #gate: ToolGate;
  readonly #optionTools: ToolPolicy | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: UniversalMcpClientOptions = {}) {
    this.#defaults = parseServerPolicy(options.defaults);
    this.#handlers = parseHandlers(options.handlers);
    this.#extensions = extensionsOf(options);
    this.#protocol = parseProtocol(options.protocol);
    this.#outboundHosts = options.outboundHosts === undefined ? undefined : new OutboundHosts(options.outboundHosts);
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.#events = new EventHub((err, event) => this.#logger.error({ err, event }, 'event listener threw'));
    this.#optionTools = options.tools;
    this.#gate = new ToolGate({
      policy: options.tools ?? (options as { [FILE_TOOLS]?: ToolPolicy })[FILE_TOOLS],
      pins: options.pins,
      changed: (change) => {
        this.#logger.warn({ ...change }, 'tool definition changed');
        this.#events.emit('tool:changed', change);
      },
      saveFailed: (err) => this.#logger.error({ err }, 'pins not saved'),
    });
    this.#machine = (options as { [MACHINE]?: typeof connectionMachine })[MACHINE];
    this.#telemetry = new Telemetry(options.telemetry ?? {}, {
      servers: () =>
        [...this.#servers.values()].map((s) => {
          const info = s.info();
          return { name: s.name, state: info.state, pending: info.pending, queued: info.queued };
        }),
    });
  }

  /**
   * A client for every server in a config file (or an object in the same formats, or what
   * `loadConfig` returned). The file's `defaults` apply under `options.defaults`. Servers are
   * started in parallel. As with {@link addServer}, it waits: it resolves once every server is
   * ready and rejects (closing everything) if one cannot start. With `waitForReady: false` it
   * resolves at once and the supervisor keeps trying; {@link whenReady} then waits for them.
   * @example
   * // Claude Desktop, Claude Code, Cursor or VS Code format, our policy keys beside theirs
   * const client = await UniversalMcpClient.fromConfig('.mcp.json', { logger });
   */
  static async fromConfig(
    input: string | ConfigFile | LoadedConfig,
    options: FromConfigOptions = {},
  ): Promise<UniversalMcpClient> {
    const loaded = isLoaded(input) ? input : await loadConfig(input);
    const client = new UniversalMcpClient({
      ...options,
      defaults: { ...loaded.defaults, ...options.defaults },
      outboundHosts: options.outboundHosts ?? loaded.outboundHosts,
      [FILE_TOOLS]: loaded.tools,
      pins: options.pins ?? loaded.pins,
    } as UniversalMcpClientOptions);
    try {
      await Promise.all(
        loaded.servers.map((config) => client.addServer(config, { waitForReady: options.waitForReady ?? true })),
      );
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  /**
   * Moves to a new set of servers (hot reload): servers only in `next` are started, servers no
   * longer in it are stopped, servers whose connection fields changed are restarted, and servers
   * whose policy alone changed (or the client's `defaults`) take it live, without a restart.
   * Everything is validated first: an invalid set changes nothing.
   * @example
   * const { added, removed, restarted, updated } = await client.applyConfig(await loadConfig('.mcp.json'));
   */
  async applyConfig(next: string | ConfigFile | LoadedConfig): Promise<ApplyConfigResult> {
    this.#assertOpen();
    const loaded = isLoaded(next) ? next : await loadConfig(next);
    const defaults = parseServerPolicy(loaded.defaults);
    for (const config of loaded.servers) this.#checkHosts(config);
    const wanted = new Map(loaded.servers.map((c) => [c.name, c]));
    const result: ApplyConfigResult = { added: [], removed: [], restarted: [], updated: [], unchanged: [] };
    const defaultsChanged = JSON.stringify(defaults) !== JSON.stringify(this.#defaults);
    this.#defaults = defaults;
    // The `tools` option wins over the file's, on a reload as in fromConfig.
    const tools = this.#optionTools ?? loaded.tools;
    const toolsChanged = JSON.stringify(tools) !== JSON.stringify(this.#gate.clientPolicy);
    this.#gate.setClientPolicy(tools);
    const jobs: Promise<unknown>[] = [];
    for (const [name, server] of this.#servers) {
      const config = wanted.get(name);
      if (config === undefined) {
        result.removed.push(name);
        jobs.push(this.removeServer(name));
        continue;
      }
      const before = split(server.config);
      const after = split(config);
      if (before.connection !== after.connection) {
        result.restarted.push(name);
        jobs.push(this.removeServer(name).then(() => this.addServer(config, { waitForReady: false })));
      } else if (before.policy !== after.policy || defaultsChanged || toolsChanged) {
        result.updated.push(name);
        server.updatePolicy(resolvePolicy(defaults, config));
        const rules = this.#gate.rules(name);
        const rulesChanged =
          toolsChanged ||
          JSON.stringify(rules.server) !== JSON.stringify(config.tools) ||
          rules.trusted !== config.trusted;
        this.#gate.setServer(name, config.tools, config.trusted);
        // What is offered may differ now: toolsets refresh on this.
        if (rulesChanged) this.#events.emit('tools:changed', { server: name, tools: server.tools });
      } else {
        result.unchanged.push(name);
      }
    }
    for (const [name, config] of wanted) {
      if (this.#servers.has(name) || result.restarted.includes(name)) continue;
      result.added.push(name);
      jobs.push(this.addServer(config, { waitForReady: false }));
    }
    await Promise.all(jobs);
    this.#logger.info({ ...result }, 'config applied');
    return result;
  }

  /**
   * Validates the config and starts supervising the server. Rejects with `CONFIG_INVALID`,
   * `SERVER_EXISTS`, or (unless `waitForReady: false`) the first attempt's `CONNECT_FAILED` or
   * `AUTH_FAILED`, keeping nothing. Takes our spelling (`transport`) or the hosts' (`type`).
   * @example
   * await client.addServer({ name: 'files', transport: 'stdio', command: 'node', args: ['server.js'] });
   * await client.addServer({ name: 'search', type: 'http', url: 'https://search.internal/mcp', restart: 'transient' });
   */
  async addServer(config: ServerConfigInput, options: AddServerOptions = {}): Promise<ServerInfo> {
    this.#assertOpen();
    const parsed = parseServerConfig(config);
    if (this.#servers.has(parsed.name)) {
      throw new UniversalMcpError(ErrorCode.SERVER_EXISTS, `A server named "${parsed.name}" is already registered`, {
        server: parsed.name,
      });
    }
    this.#checkHosts(parsed);
    const waitForReady = options.waitForReady ?? true;
    this.#gate.setServer(parsed.name, parsed.tools, parsed.trusted);
    const server = new SupervisedServer({
      config: parsed,
      policy: resolvePolicy(this.#defaults, parsed),
      logger: this.#logger,
      emitter: this.#events,
      failFirstAttempt: waitForReady,
      handlers: this.#handlers,
      extensions: this.#extensions,
      protocol: this.#protocol,
      outboundHosts: this.#outboundHosts,
      machine: this.#machine,
      telemetry: this.#telemetry,
      gate: this.#gate.forServer(parsed.name),
    });
    this.#servers.set(parsed.name, server);
    server.start();
    if (!waitForReady) return server.info();
    try {
      await server.firstReady;
    } catch (err) {
      if (this.#servers.get(parsed.name) === server) {
        this.#servers.delete(parsed.name);
        this.#gate.removeServer(parsed.name);
      }
      await server.stop('first connection attempt failed');
      throw err;
    }
    return server.info();
  }

  /** The config's own URLs (the server's, a cross-app access IdP's) against `outboundHosts`, before anything starts. */
  #checkHosts(config: ServerConfig): void {
    const hosts = this.#outboundHosts;
    if (hosts === undefined || config.transport === 'stdio') return;
    hosts.check(config.url, config.name);
    if (config.auth?.type === 'cross_app_access') hosts.check(config.auth.idpTokenEndpoint, config.name);
  }

  /** Stops supervising the server and closes its connection; waiting calls reject with `CLOSED`. */
  async removeServer(name: string): Promise<void> {
    await this.#remove(name, this.#get(name));
  }

  async #remove(name: string, server: SupervisedServer): Promise<void> {
    if (this.#servers.get(name) === server) {
      this.#servers.delete(name);
      this.#gate.removeServer(name);
    }
    await server.stop('removed');
    this.#events.emit('server:removed', { server: name });
  }

  /**
   * Restarts a server now, with a fresh restart window: a ready connection is ended (in-flight
   * calls fail with `CONNECTION_LOST`) and made again, a pending backoff is cut short, and a
   * server the supervisor gave up is brought back.
   */
  restartServer(name: string): void {
    this.#get(name).restart();
  }

  /**
   * Resolves when the named servers (default: every registered one) are ready. Rejects at once
   * with `SERVER_NOT_FOUND` for a name not registered; with `SERVER_UNAVAILABLE` as soon as one is
   * given up; with `TIMEOUT` after `timeoutMs`; with `CLOSED` if one is removed. The message names
   * every server that is not ready and why, and `details.servers` holds each one's state and error.
   * @example
   * const client = await UniversalMcpClient.fromConfig('mcp.json', { waitForReady: false });
   * await client.whenReady(['search', 'files'], { timeoutMs: 10_000 });
   */
  whenReady(names?: readonly string[], options: WhenReadyOptions = {}): Promise<void> {
    try {
      this.#assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    const wanted = names === undefined ? [...this.#servers.keys()] : [...new Set(names)];
    const missing = wanted.find((n) => !this.#servers.has(n));
    if (missing !== undefined) return Promise.reject(this.#notFound(missing));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const report = (code: ErrorCode, why: string): UniversalMcpError => {
      const pending = wanted.filter((n) => this.#servers.get(n)?.state !== 'ready');
      const servers = Object.fromEntries(
        pending.map((n) => {
          const s = this.#servers.get(n);
          return [n, { state: s === undefined ? 'removed' : s.givenUp ? 'given up' : s.state, error: s?.lastError }];
        }),
      );
      const list = pending.map((n) => {
        const { state, error } = servers[n] ?? { state: 'removed', error: undefined };
        return `${n} (${state}${error === undefined ? '' : `: ${error.message}`})`;
      });
      const details = code === ErrorCode.TIMEOUT ? { kind: 'deadline' as const, ms: timeoutMs, servers } : { servers };
      return new UniversalMcpError(code, `${why}: ${list.join('; ')}`, { details });
    };
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (wanted.some((n) => !this.#servers.has(n)))
          return finish(report(ErrorCode.CLOSED, 'A server was removed before it was ready'));
        if (wanted.some((n) => this.#servers.get(n)?.givenUp === true))
          return finish(report(ErrorCode.SERVER_UNAVAILABLE, 'A server was given up'));
        if (wanted.every((n) => this.#servers.get(n)?.state === 'ready')) finish(undefined);
      };
      const onAbort = (): void =>
        finish(new UniversalMcpError(ErrorCode.CANCELLED, 'Waiting for servers was cancelled'));
      const timer = setTimeout(
        () => finish(report(ErrorCode.TIMEOUT, `Servers not ready within ${timeoutMs} ms`)),
        Math.min(timeoutMs, 2 ** 31 - 1),
      );
      const finish = (err: UniversalMcpError | undefined): void => {
        clearTimeout(timer);
        this.off('server:ready', check);
        this.off('server:given-up', check);
        this.off('server:removed', check);
        options.signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        else reject(err);
      };
      this.on('server:ready', check);
      this.on('server:given-up', check);
      this.on('server:removed', check);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /** The registered servers' names. */
  listServers(): string[] {
    return [...this.#servers.keys()];
  }

  #catalogs<K extends keyof Catalog>(kind: K, server: string | undefined): Catalog[K] | Record<string, Catalog[K]> {
    if (server !== undefined) return this.#get(server).catalog[kind];
    // Own data properties only (Object.fromEntries): a server may be called "__proto__".
    return Object.fromEntries([...this.#servers].map(([name, s]) => [name, s.catalog[kind]])) as Record<
      string,
      Catalog[K]
    >;
  }

  /**
   * The offered tools of the cached catalogs: one server's, or every server's by name. Refreshed on
   * `tools/list_changed` and after every reconnect. A tool the tool policy does not offer, or whose
   * changed definition is held or blocked, is left out (see {@link toolAccess}).
   * @example
   * client.listTools('search');   // Tool[]
   * client.listTools();           // { search: Tool[], files: Tool[] }
   */
  listTools(server: string): Tool[];
  listTools(): Record<string, Tool[]>;
  listTools(server?: string): Tool[] | Record<string, Tool[]> {
    if (server !== undefined) return this.#get(server).tools;
    this.#assertOpen();
    return Object.fromEntries([...this.#servers].map(([name, s]) => [name, s.tools]));
  }

  /**
   * Whether a tool the server lists is offered, why not, and whether its calls need approval;
   * undefined when the server does not list it.
   * @example
   * const access = client.toolAccess('files', 'delete_file');
   * if (access?.needsApproval && !(await askUser(access))) return;
   */
  toolAccess(server: string, tool: string): ToolAccess | undefined {
    const known = this.#get(server).catalog.tools.find((t) => t.name === tool);
    return known === undefined ? undefined : this.#gate.access(server, known);
  }

  /** Every tool change not yet accepted: redefined tools and shadowing ones, whatever their action. */
  toolChanges(): ToolChange[] {
    return this.#gate.changes();
  }

  /**
   * Pins the tool's current definition (persisted before it resolves; rejects, nothing accepted, when the pins
   * could not be written): the change is cleared, the tool is offered again, and `tool:accepted` and
   * `tools:changed` are emitted. False when there was nothing to accept, or when `sha256` (a `ToolChange`'s)
   * is given and the current definition is another.
   * @param sha256 the fingerprint of the definition that was reviewed
   */
  async acceptToolChange(server: string, tool: string, sha256?: string): Promise<boolean> {
    const s = this.#get(server);
    if (!(await this.#gate.accept(server, tool, sha256))) return false;
    this.#events.emit('tool:accepted', { server, tool });
    this.#events.emit('tools:changed', { server, tools: s.tools });
    return true;
  }

  /**
   * The server's `instructions`, only when the server is `trusted` (an untrusted server's text is not
   * passed to a model), cut to {@link MAX_INSTRUCTIONS_CHARS}.
   */
  instructions(server: string): string | undefined {
    const s = this.#get(server);
    const text = s.instructions;
    if (text === undefined || this.#gate.rules(server).trusted !== true) return undefined;
    return text.length > MAX_INSTRUCTIONS_CHARS ? `${text.slice(0, MAX_INSTRUCTIONS_CHARS - 1)}…` : text;
  }

  /** The cached resource lists (pagination followed to the end): one server's, or every server's by name. */
  listResources(server: string): Resource[];
  listResources(): Record<string, Resource[]>;
  listResources(server?: string): Resource[] | Record<string, Resource[]> {
    return this.#catalogs('resources', server);
  }

  /** The cached resource templates: one server's, or every server's by name. */
  listResourceTemplates(server: string): ResourceTemplate[];
  listResourceTemplates(): Record<string, ResourceTemplate[]>;
  listResourceTemplates(server?: string): ResourceTemplate[] | Record<string, ResourceTemplate[]> {
    return this.#catalogs('resourceTemplates', server);
  }

  /** The cached prompt lists: one server's, or every server's by name. */
  listPrompts(server: string): Prompt[];
  listPrompts(): Record<string, Prompt[]>;
  listPrompts(server?: string): Prompt[] | Record<string, Prompt[]> {
    return this.#catalogs('prompts', server);
  }

  /**
   * A snapshot of one server, or undefined when no such server is registered.
   * @example
   * const { state, restarts, lastError, pending, queued } = client.getServerInfo('files') ?? {};
   */
  getServerInfo(name: string): ServerInfo | undefined {
    return this.#servers.get(name)?.info();
  }

  /**
   * Calls a tool. A result with `isError: true` resolves; every failure rejects with a
   * {@link UniversalMcpError} (`SERVER_NOT_FOUND`, `SERVER_UNAVAILABLE`, `TOOL_NOT_FOUND`,
   * `QUEUE_FULL`, `TIMEOUT`, `CANCELLED`, `CONNECTION_LOST`, `PROTOCOL_ERROR`, …).
   * @example
   * try {
   *   const result = await client.callTool('files', 'read_file', { path: 'a.txt' }, { timeoutMs: 5000, signal });
   *   if (result.isError) console.warn(result.content);
   * } catch (err) {
   *   if (isUniversalMcpError(err, ErrorCode.TIMEOUT)) console.warn(`no answer for ${err.details?.ms} ms`);
   * }
   */
  callTool(
    server: string,
    tool: string,
    args?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallToolResult> {
    // Every call gets one call:start and one call:end, whatever ends it (not found, not ready, full, invalid…).
    const call = (s: SupervisedServer): Promise<CallToolResult> =>
      this.#telemetry.request(s, { method: 'tools/call', tool }, (meta) =>
        s.callTool(tool, args, withMeta(options, meta)),
      );
    if (this.#events.listenerCount('call:start') + this.#events.listenerCount('call:end') === 0)
      return this.#with(server, call);
    const started = performance.now();
    this.#events.emit('call:start', { server, tool });
    return this.#with(server, call).then(
      (result) => {
        this.#events.emit('call:end', { server, tool, durationMs: performance.now() - started, ok: true });
        return result;
      },
      (error: UniversalMcpError) => {
        this.#events.emit('call:end', { server, tool, durationMs: performance.now() - started, ok: false, error });
        throw error;
      },
    );
  }

  /** Reads a resource. */
  readResource(server: string, uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.#with(server, (s) =>
      this.#telemetry.request(s, { method: 'resources/read', uri }, (meta) =>
        s.readResource(uri, withMeta(options, meta)),
      ),
    );
  }

  /** Subscribes to a resource; updates arrive as `resource:updated`. Re-established after every reconnect. */
  subscribeResource(server: string, uri: string, options?: CallOptions): Promise<void> {
    return this.#with(server, (s) =>
      this.#telemetry.request(s, { method: 'resources/subscribe', uri }, (meta) =>
        s.subscribeResource(uri, withMeta(options, meta)),
      ),
    );
  }

  /** Ends a subscription made with {@link subscribeResource}. */
  unsubscribeResource(server: string, uri: string, options?: CallOptions): Promise<void> {
    return this.#with(server, (s) =>
      this.#telemetry.request(s, { method: 'resources/unsubscribe', uri }, (meta) =>
        s.unsubscribeResource(uri, withMeta(options, meta)),
      ),
    );
  }

  /** Gets a prompt with its arguments filled in. */
  getPrompt(
    server: string,
    name: string,
    args?: Record<string, string>,
    options?: CallOptions,
  ): Promise<GetPromptResult> {
    return this.#with(server, (s) =>
      this.#telemetry.request(s, { method: 'prompts/get', prompt: name }, (meta) =>
        s.getPrompt(name, args, withMeta(options, meta)),
      ),
    );
  }

  /** Asks for completions of a prompt's or resource template's argument. */
  complete(
    server: string,
    ref: CompletionRef,
    argument: { name: string; value: string },
    context?: { arguments?: Record<string, string> },
    options?: CallOptions,
  ): Promise<CompleteResult> {
    const prompt = ref.type === 'ref/prompt' ? ref.name : undefined;
    return this.#with(server, (s) =>
      this.#telemetry.request(s, { method: 'completion/complete', prompt }, (meta) =>
        s.complete({ ref, argument, ...(context === undefined ? {} : { context }) }, withMeta(options, meta)),
      ),
    );
  }

  /** Sets the level of `server:log` messages the server sends; kept across reconnects. */
  setLoggingLevel(server: string, level: LoggingLevel, options?: CallOptions): Promise<void> {
    return this.#with(server, (s) =>
      this.#telemetry.request(s, { method: 'logging/setLevel' }, (meta) =>
        s.setLoggingLevel(level, withMeta(options, meta)),
      ),
    );
  }

  /** Tells servers (one, or every ready one with the roots capability) that the roots changed. */
  async notifyRootsChanged(server?: string): Promise<void> {
    this.#assertOpen();
    const targets =
      server === undefined ? [...this.#servers.values()].filter((s) => s.state === 'ready') : [this.#get(server)];
    await Promise.all(targets.map((s) => s.rootsChanged()));
  }

  #with<T>(server: string, fn: (s: SupervisedServer) => Promise<T>): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(this.#closed());
    const s = this.#servers.get(server);
    if (s === undefined) return Promise.reject(this.#notFound(server));
    return fn(s);
  }

  /**
   * Stops every server and waits until all are gone, whatever event listeners do. Later calls
   * reject with `CLOSED`.
   * @example
   * process.once('SIGTERM', () => void client.close());
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#servers].map(([name, server]) => this.#remove(name, server)));
      await this.#gate.flush();
    })();
    return this.#closing;
  }

  /**
   * Calls `listener` on every `event` until the returned function is called (or {@link off}).
   * A listener that throws is logged and never breaks supervision or another listener.
   * @example
   * const stop = client.on('server:ready', ({ server }) => console.log(server, 'ready'));
   * stop();
   */
  on<K extends keyof UniversalMcpEvents>(event: K, listener: UniversalMcpEvents[K]): Unsubscribe {
    return this.#events.on(event, listener);
  }

  /** Calls `listener` on the next `event` only; the returned function takes it back before then. */
  once<K extends keyof UniversalMcpEvents>(event: K, listener: UniversalMcpEvents[K]): Unsubscribe {
    return this.#events.once(event, listener);
  }

  /** Removes `listener` from `event` (the same as calling what {@link on} returned). */
  off<K extends keyof UniversalMcpEvents>(event: K, listener: UniversalMcpEvents[K]): void {
    this.#events.off(event, listener);
  }

  /** `await using client = new UniversalMcpClient()`: {@link close} at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw this.#closed();
  }

  #closed(): UniversalMcpError {
    return new UniversalMcpError(ErrorCode.CLOSED, 'The client is closed');
  }

  #get(name: string): SupervisedServer {
    this.#assertOpen();
    const server = this.#servers.get(name);
    if (server === undefined) throw this.#notFound(name);
    return server;
  }

  #notFound(name: string): UniversalMcpError {
    const known = [...this.#servers.keys()];
    const guess = didYouMean(name, known);
    return new UniversalMcpError(
      ErrorCode.SERVER_NOT_FOUND,
      `Server "${name}" not found${guess === undefined ? '' : ` (did you mean "${guess}"?)`}. ` +
        `Registered servers: ${known.length > 0 ? known.join(', ') : '(none)'}`,
      { server: name, details: { available: known, didYouMean: guess } },
    );
  }
}
