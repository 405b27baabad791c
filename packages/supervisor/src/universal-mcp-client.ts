import {
  loadConfig,
  parseServerConfig,
  type CallToolResult,
  type Catalog,
  type CompleteResult,
  type ConfigFile,
  type GetPromptResult,
  type LoadedConfig,
  type LoggingLevel,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerConfigInput,
  type Tool,
} from '@universal-mcp/core';
import type { CallOptions, StartToolOptions } from './call-options.js';
import { withCallEvents } from './call-events.js';
import { isLoaded, optionsWithFile } from './client-config-checks.js';
import {
  type AddServerOptions,
  type ApplyConfigResult,
  type CompletionRef,
  type FromConfigOptions,
  type UniversalMcpClientOptions,
  type WhenReadyOptions,
} from './client-options.js';
import { clientParts } from './client-parts.js';
import { ClientEvents } from './client-events.js';
import type { EventHub } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';
import type { ServerInfo } from './server-info.js';
import { whenServersReady } from './server-readiness.js';
import { ServerRegistry } from './server-registry.js';
import type { ServerLifecycle } from './server-lifecycle.js';
import type { SupervisedServer } from './supervised-server.js';
import type { TaskFilter, TaskHandle, TaskSnapshot } from './task-handle.js';
import type { TaskManager } from './task-manager.js';
import { withMeta, type RequestSubject, type Telemetry } from './telemetry.js';
import type { ToolAccess, ToolChange, ToolGate } from './tool-gate.js';

// With the options now; this repo's unit tests take them from the client's module.
export { MACHINE, type UniversalMcpClientOptions } from './client-options.js';
/** One request on a server, its options with the trace context. */
type Run<T> = (s: SupervisedServer, options: CallOptions | undefined) => Promise<T>;
/** The most of a server's `instructions` that {@link UniversalMcpClient.instructions} gives (cut text ends `…`). */
export const MAX_INSTRUCTIONS_CHARS = 4000;

/**
 * Many MCP servers behind one object: each connection supervised (restarts with backoff and
 * jitter, a restart-intensity limit), its calls throttled and bounded by timeouts, every
 * lifecycle change a typed event, every failure a {@link UniversalMcpError} with a code.
 * @example
 * await using client = new UniversalMcpClient({ logger: pino() });
 * await client.addServer({ name: 'notes', transport: 'stdio', command: 'node', args: ['notes.js'] });
 * const result = await client.callTool('notes', 'add_note', { title: 'hi' });
 */
export class UniversalMcpClient extends ClientEvents {
  readonly #events: EventHub<UniversalMcpEvents>;
  readonly #servers: ServerRegistry;
  readonly #lifecycle: ServerLifecycle;
  readonly #telemetry: Telemetry;
  readonly #gate: ToolGate;
  readonly #tasks: TaskManager;
  #closing: Promise<void> | undefined;
  /** Resolves once the `tasks` store is read and its tasks are in {@link tasks} and {@link task}; never rejects. */
  whenTasksLoaded(): Promise<void> {
    return this.#tasks.loaded;
  }

  constructor(options: UniversalMcpClientOptions = {}) {
    const servers = new ServerRegistry();
    const parts = clientParts(options, servers);
    super(parts.events);
    this.#servers = servers;
    ({ events: this.#events, gate: this.#gate, telemetry: this.#telemetry, lifecycle: this.#lifecycle } = parts);
    this.#tasks = parts.tasks;
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
    const client = new UniversalMcpClient(optionsWithFile(options, loaded));
    try {
      await Promise.all(
        loaded.servers.map((config) => client.addServer(config, { waitForReady: options.waitForReady ?? true })),
      );
    } catch (err) {
      await client.close();
      throw err;
    }
    void client.#tasks.reconcile(); // stored tasks of servers not in the config end lost
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
    this.#servers.assertOpen();
    const loaded = isLoaded(next) ? next : await loadConfig(next);
    const result = await this.#lifecycle.reload(loaded, {
      add: (config) => this.addServer(config, { waitForReady: false }),
      remove: (name) => this.#lifecycle.stop(name, this.#servers.get(name)),
    });
    await this.#tasks.reconcile();
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
    this.#servers.assertOpen();
    return this.#lifecycle.start(parseServerConfig(config), options.waitForReady ?? true);
  }

  /** Stops supervising the server and closes its connection; waiting calls reject `CLOSED`, its tasks end lost. */
  async removeServer(name: string): Promise<void> {
    await this.#lifecycle.stop(name, this.#servers.get(name));
    await this.#tasks.reconcile(name);
  }

  /**
   * Restarts a server now, with a fresh restart window: a ready connection is ended (in-flight
   * calls fail with `CONNECTION_LOST`) and made again, a pending backoff is cut short, and a
   * server the supervisor gave up is brought back.
   */
  restartServer(name: string): void {
    this.#servers.get(name).restart();
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
    return whenServersReady(this.#servers, this.#events, names, options);
  }

  /** The registered servers' names. */
  listServers(): string[] {
    return this.#servers.names();
  }

  #catalogs<K extends keyof Catalog>(kind: K, server: string | undefined): Catalog[K] | Record<string, Catalog[K]> {
    if (server !== undefined) return this.#servers.get(server).catalog[kind];
    return this.#servers.byName((s) => s.catalog[kind]);
  }

  /**
   * The offered tools of the cached catalogs: one server's, or every server's by name. Refreshed on
   * `tools/list_changed` and after every restart. A tool the tool policy does not offer, or whose
   * changed definition is held or blocked, is left out (see {@link toolAccess}).
   * @example
   * client.listTools('search');   // Tool[]
   * client.listTools();           // { search: Tool[], files: Tool[] }
   */
  listTools(server: string): Tool[];
  listTools(): Record<string, Tool[]>;
  listTools(server?: string): Tool[] | Record<string, Tool[]> {
    if (server !== undefined) return this.#servers.get(server).tools;
    this.#servers.assertOpen();
    return this.#servers.byName((s) => s.tools);
  }

  /**
   * Whether a tool the server lists is offered, why not, and whether its calls need approval;
   * undefined when the server does not list it.
   * @example
   * const access = client.toolAccess('files', 'delete_file');
   * if (access?.needsApproval && !(await askUser(access))) return;
   */
  toolAccess(server: string, tool: string): ToolAccess | undefined {
    const known = this.#servers.get(server).catalog.tools.find((t) => t.name === tool);
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
    const s = this.#servers.get(server);
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
    const text = this.#servers.get(server).instructions;
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
    return this.#servers.find(name)?.info();
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
    const call = (): Promise<CallToolResult> =>
      this.#request(server, { method: 'tools/call', tool }, options, (s, o) => this.#tasks.call(s, tool, args, o));
    return withCallEvents(this.#events, server, tool, call);
  }

  /**
   * Calls a tool; resolves once the server answered, with a handle to the task it made (polled by the client, kept
   * in the `tasks` store) or to the result it gave at once (`task: false`). E.g. `(await startTool(…)).result()`.
   */
  startTool(
    server: string,
    tool: string,
    args?: Record<string, unknown>,
    options?: StartToolOptions,
  ): Promise<TaskHandle> {
    return this.#request(server, { method: 'tools/call', tool }, options, (s, o) =>
      this.#tasks.start(s, tool, args, o),
    );
  }

  /** The handle of a live or recently ended task by its id; throws `TASK_NOT_FOUND`. */
  task(id: string): TaskHandle {
    return this.#tasks.handle(id);
  }

  /** Live tasks and the last 1,000 ended ones, oldest first; one server's or owner's. */
  tasks(filter?: TaskFilter): TaskSnapshot[] {
    return this.#tasks.list(filter);
  }

  /** Reads a resource. */
  readResource(server: string, uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.#request(server, { method: 'resources/read', uri }, options, (s, o) => s.requests.readResource(uri, o));
  }

  /** Subscribes to a resource; updates arrive as `resource:updated`. Re-established after every restart. */
  subscribeResource(server: string, uri: string, options?: CallOptions): Promise<void> {
    return this.#request(server, { method: 'resources/subscribe', uri }, options, (s, o) =>
      s.requests.subscribeResource(uri, o),
    );
  }

  /** Ends a subscription made with {@link subscribeResource}. */
  unsubscribeResource(server: string, uri: string, options?: CallOptions): Promise<void> {
    return this.#request(server, { method: 'resources/unsubscribe', uri }, options, (s, o) =>
      s.requests.unsubscribeResource(uri, o),
    );
  }

  /** Gets a prompt with its arguments filled in. */
  getPrompt(
    server: string,
    name: string,
    args?: Record<string, string>,
    options?: CallOptions,
  ): Promise<GetPromptResult> {
    return this.#request(server, { method: 'prompts/get', prompt: name }, options, (s, o) =>
      s.requests.getPrompt(name, args, o),
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
    return this.#request(server, { method: 'completion/complete', prompt }, options, (s, o) =>
      s.requests.complete({ ref, argument, ...(context === undefined ? {} : { context }) }, o),
    );
  }

  /** Sets the level of `server:log` messages the server sends; kept across restarts. */
  setLoggingLevel(server: string, level: LoggingLevel, options?: CallOptions): Promise<void> {
    return this.#request(server, { method: 'logging/setLevel' }, options, (s, o) =>
      s.requests.setLoggingLevel(level, o),
    );
  }

  /** Tells servers (one, or every ready one with the roots capability) that the roots changed. */
  async notifyRootsChanged(server?: string): Promise<void> {
    this.#servers.assertOpen();
    const targets =
      server === undefined ? this.#servers.servers().filter((s) => s.state === 'ready') : [this.#servers.get(server)];
    await Promise.all(targets.map((s) => s.requests.rootsChanged()));
  }

  /** Runs one request on the server inside its telemetry span, the trace context added to its options. */
  #request<T>(server: string, subject: RequestSubject, options: CallOptions | undefined, run: Run<T>): Promise<T> {
    return this.#servers.with(server, (s) =>
      this.#telemetry.request(s, subject, (meta) => run(s, withMeta(options, meta))),
    );
  }

  /**
   * Stops every server and waits until all are gone, whatever event listeners do. Later calls
   * reject with `CLOSED`.
   * @example
   * process.once('SIGTERM', () => void client.close());
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closing = Promise.all([this.#tasks.close(), this.#lifecycle.stopAll()]).then(() => undefined);
      this.#servers.close();
    }
    return this.#closing;
  }

  /** `await using client = new UniversalMcpClient()`: {@link close} at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
