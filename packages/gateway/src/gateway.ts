import { randomUUID } from 'node:crypto';
import { InMemoryServerEventBus, type Server, type ServerEventBus, type Transport } from '@modelcontextprotocol/server';
import { serveStdio, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import type { ServerLogEvent, UniversalMcpClient } from '@universal-mcp/supervisor';
import { cacheHintOf } from './cache-hint.js';
import { GatewayCatalog, type GatewayCatalogOptions } from './gateway-catalog.js';
import type { GatewayHost } from './gateway-host.js';
import { sessionCaller } from './downstream-caller.js';
import { startHttpListener } from './http-listener.js';
import type { HttpListener, ListenOptions } from './listen-options.js';
import { RequestRouter } from './request-router.js';
import { boundResult } from './response-guard.js';
import { checkRevisions, versionsOf, type Revision } from './revisions.js';
import { InputBroker } from './input-broker.js';
import { createSessionServer, type Era } from './session-server.js';
import { Subscriptions } from './subscriptions.js';
import { ToolView } from './tool-view.js';
import { TaskRelay } from './task-relay.js';
import { refusingModern } from './unsupported-version.js';
import { silentLogger, type Logger, type ToolPolicy } from '@universal-mcp/core';
import { GatewayError, GatewayErrorCode, failureCode } from './gateway-errors.js';

/** Options for {@link createGateway}. */
export interface GatewayOptions extends GatewayCatalogOptions {
  /**
   * Sends the upstream servers' sampling, elicitation and roots requests to the downstream
   * session whose call caused them; its `handlers` must be the client's. Without one, the
   * gateway answers none of them (the client's own handlers, if any, do).
   */
  readonly router?: RequestRouter | undefined;
  /**
   * The MCP revisions served downstream (on stdio, and the default of every listener):
   * `2026-07-28` (stateless requests) and `2025-11-25` (sessions; it stands for every 2025-era
   * version and 2024-11-05). A client of a revision left out gets the unsupported-version answer
   * naming the ones served. @default both
   */
  readonly revisions?: readonly Revision[] | undefined;
  /**
   * This gateway's name among replicas (1 to 64 letters, digits, `-`, `_`): the `requestState`
   * of a 2026 client's input round names it, so a retry that reaches another replica is forwarded
   * here (the listener's `peers`). @default random
   */
  readonly replica?: string | undefined;
  /** How long a 2026 call waits for its client's retry with the answers of an input round. @default 10 minutes */
  readonly answerTimeoutMs?: number | undefined;
  /**
   * Where the gateway logs the failures it does not throw (an upstream subscription that could not be made or
   * ended, a roots change not relayed). Lines name the server and the error's code, never its message, tokens,
   * headers, arguments or resource URIs; a request the gateway answers with 500 is logged with its own error.
   * A pino logger fits (e.g. the one given to the client).
   * @default silent
   */
  readonly logger?: Logger | undefined;
}

/**
 * Every server of a `UniversalMcpClient` as one MCP server, for any number of downstream
 * clients of either revision: 2025-era sessions (Streamable HTTP, legacy SSE, stdio, any SDK
 * transport) and 2026-07-28 requests, each answered by a server instance of its own. Each gets the
 * merged catalog and its `list_changed` notifications; each call goes through the client, so a
 * fault upstream stays there and comes back as a tool error result naming its code.
 */
export class Gateway implements GatewayHost {
  readonly #client: UniversalMcpClient;
  readonly #catalog: GatewayCatalog;
  readonly #router: RequestRouter;
  readonly #subscriptions: Subscriptions;
  readonly #revisions: readonly Revision[];
  readonly #broker: InputBroker;
  /** Where the catalog's changes go for 2026 clients (their `subscriptions/listen` streams). */
  readonly bus: ServerEventBus = new InMemoryServerEventBus();
  readonly #sessions = new Set<Server>();
  readonly #listeners = new Set<HttpListener>();
  readonly #stdio = new Set<StdioServerHandle>();
  /** 2026 instances pinned to a stdio connection: their list_changed goes onto its listen streams. */
  readonly #pinned = new Set<Server>();
  /** The listeners' further endpoints' views of the tools (each told only of its own changes). */
  readonly #views = new Set<ToolView>();
  readonly #detach: () => void;
  readonly #log: Logger;
  readonly #relay: TaskRelay;
  #closed = false;

  constructor(client: UniversalMcpClient, options: GatewayOptions = {}) {
    this.#client = client;
    this.#catalog = new GatewayCatalog(client, options);
    this.#router = options.router ?? new RequestRouter();
    this.#log = options.logger ?? silentLogger;
    this.#subscriptions = new Subscriptions(client, this.#log);
    this.#revisions = checkRevisions(options.revisions);
    this.#broker = new InputBroker({ replica: options.replica, answerTimeoutMs: options.answerTimeoutMs });
    this.#relay = new TaskRelay(client);
    const each = (kind: 'tools' | 'prompts' | 'resources', send: (s: Server) => Promise<void>) => () => {
      // Prompts and resources are the same on every endpoint; tools, each endpoint's view of them.
      const told = [...this.#views].filter((v) => kind !== 'tools' || v.changed());
      for (const bus of [this.bus, ...told.map((v) => v.bus)]) bus.publish({ kind: `${kind}_list_changed` });
      const viewed = new Set([...this.#views].flatMap((v) => [...v.sessions]));
      const sessions = [
        ...[...this.#sessions].filter((s) => !viewed.has(s)),
        ...told.flatMap((v) => [...v.sessions]),
        ...this.#pinned,
      ];
      // A session going away is not our fault; a 2025 one not yet initialized is told nothing (it lists when it is).
      for (const s of sessions)
        if (this.#pinned.has(s) || s.getClientVersion() !== undefined) void send(s).catch(() => undefined);
    };
    this.#catalog.on(
      'tools:changed',
      each('tools', (s) => s.sendToolListChanged()),
    );
    this.#catalog.on(
      'prompts:changed',
      each('prompts', (s) => s.sendPromptListChanged()),
    );
    this.#catalog.on(
      'resources:changed',
      each('resources', (s) => s.sendResourceListChanged()),
    );
    const log = (e: ServerLogEvent): void => {
      const logger = e.logger === undefined ? e.server : `${e.server}/${e.logger}`;
      for (const s of this.#sessions)
        // With its session id, the level that session set (logging/setLevel) applies.
        void s
          .sendLoggingMessage({ level: e.level, logger, data: boundResult(e.data) }, s.transport?.sessionId)
          // The session closed meanwhile: there is no one left to tell.
          .catch(() => undefined);
    };
    this.#detach = client.on('server:log', log);
  }

  /** How many downstream sessions (2025 era) are connected. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** This gateway's name among replicas (see {@link GatewayOptions.replica}). */
  get replica(): string {
    return this.#broker.replica;
  }

  /** The revisions served (see {@link GatewayOptions.revisions}). */
  get revisions(): readonly Revision[] {
    return this.#revisions;
  }

  /**
   * A 2026 client's `subscriptions/listen` stream wants updates of `uris`: the gateway's own
   * resources among them are subscribed upstream (shared, ref-counted) until the returned
   * function is called (when the stream closes).
   */
  async subscribeStream(uris: readonly string[], signal: AbortSignal): Promise<() => void> {
    const stream = {};
    await Promise.all(
      uris.map(async (uri) => {
        const ref = this.#catalog.resolveUri(uri);
        // One that cannot be subscribed upstream is never updated; the stream is served all the same.
        if (ref !== undefined)
          await this.#subscriptions
            .subscribe(stream, this.#updated, ref, uri, signal)
            .catch((err: unknown) =>
              this.#log.warn({ code: failureCode(err), server: ref.server }, 'resource not subscribed upstream'),
            );
      }),
    );
    return () => this.#subscriptions.leave(stream);
  }

  /** Tells the 2026 listen streams (the bus filters by the URIs each asked for). */
  readonly #updated = (uri: string): void => this.bus.publish({ kind: 'resource_updated', uri });

  /**
   * A server instance of one era: `legacy`, a 2025-era session (it is counted, told of changes
   * and log messages, and leaves when it closes); `modern`, for 2026-07-28 requests. With `view`
   * (see {@link toolView}), it lists, calls and hears of that view's tools only.
   */
  createServer(
    era: Era,
    revisions: readonly Revision[] = this.#revisions,
    view?: ToolView,
    principal?: string,
  ): Server {
    if (this.#closed) throw new GatewayError(GatewayErrorCode.CLOSED, 'The gateway is closed');
    const server = createSessionServer(era, this.#client, {
      catalog: this.#catalog,
      tools: view,
      router: this.#router,
      subscriptions: this.#subscriptions,
      versions: versionsOf(revisions),
      cacheHint: (kind) => cacheHintOf(this.#client, kind),
      broker: this.#broker,
      log: this.#log,
      relay: this.#relay,
      // A 2025 session's tasks are its own; 2026 requests' those of the endpoint (the listener names it).
      principal: principal ?? (era === 'legacy' ? `session:${randomUUID()}` : 'endpoint:'),
    });
    if (era === 'legacy') {
      this.#sessions.add(server);
      view?.sessions.add(server);
      this.#router.attach(sessionCaller(server));
      server.onclose = () => {
        this.#sessions.delete(server);
        view?.sessions.delete(server);
        this.#router.detach(server);
        this.#subscriptions.leave(server);
      };
    }
    return server;
  }

  /**
   * A view of the tools under `policy`, for a listener's further endpoint: pass it to
   * {@link createServer}; its changes are announced to its own sessions and bus until it is dropped.
   */
  toolView(policy: ToolPolicy | undefined): { view: ToolView; drop: () => void } {
    const view = new ToolView(this.#catalog, policy);
    this.#views.add(view);
    return { view, drop: () => void this.#views.delete(view) };
  }

  /** A new downstream 2025-era session's server (not yet connected); it leaves the set when it closes. */
  createSession(): Server {
    return this.createServer('legacy');
  }

  /**
   * Serves one downstream connection over `transport` (e.g. a `StdioServerTransport` for hosts
   * that spawn), of either revision: its opening message decides, as on stdio.
   */
  async connect(transport: Transport): Promise<void> {
    if (this.#closed) throw new GatewayError(GatewayErrorCode.CLOSED, 'The gateway is closed');
    if (!this.#revisions.includes('2026-07-28')) {
      await this.createServer('legacy').connect(refusingModern(transport, this.#revisions));
      return;
    }
    // One principal per connection: its tasks are its own, whichever era it speaks.
    const principal = `connection:${randomUUID()}`;
    const handle = serveStdio(
      (ctx) => {
        const server = this.createServer(ctx.era, undefined, undefined, principal);
        if (ctx.era === 'modern') {
          this.#pinned.add(server);
          server.onclose = () => this.#pinned.delete(server);
        }
        return server;
      },
      {
        transport,
        legacy: this.#revisions.includes('2025-11-25') ? 'serve' : 'reject',
      },
    );
    this.#stdio.add(handle);
  }

  /** Serves Streamable HTTP (see {@link ListenOptions}); resolves once listening. */
  async listen(options: ListenOptions = {}): Promise<HttpListener> {
    if (this.#closed) throw new GatewayError(GatewayErrorCode.CLOSED, 'The gateway is closed');
    const listener = await startHttpListener(this, this.#client, options, this.#log);
    this.#listeners.add(listener);
    return listener;
  }

  /** Closes every listener and session; the client stays open (it is yours). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    await Promise.all([...this.#listeners].map((l) => l.close()));
    // Closing: a handle or session that fails to close is already gone, which is what close wants.
    await Promise.all([...this.#stdio].map((h) => h.close().catch(() => undefined)));
    await Promise.all([...this.#sessions, ...this.#pinned].map((s) => s.close().catch(() => undefined)));
    this.#catalog.close();
    this.#subscriptions.close();
    // Calls still waiting for a client's answers end; their upstream requests fail.
    this.#broker.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A gateway over `client`'s servers (see {@link Gateway}). */
export function createGateway(client: UniversalMcpClient, options: GatewayOptions = {}): Gateway {
  return new Gateway(client, options);
}
