import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerLogEvent, UniversalMcpClient } from '@universal-mcp/supervisor';
import { Catalog, type CatalogOptions } from './catalog.js';
import { startHttpListener, type HttpListener, type ListenOptions } from './http-listener.js';
import { RequestRouter } from './request-router.js';
import { boundResult } from './response-guard.js';
import { createSessionServer } from './session-server.js';
import { Subscriptions } from './subscriptions.js';

/** Options for {@link createGateway}. */
export interface GatewayOptions extends CatalogOptions {
  /**
   * Sends the upstream servers' sampling, elicitation and roots requests to the downstream
   * session whose call caused them; its `handlers` must be the client's. Without one, the
   * gateway answers none of them (the client's own handlers, if any, do).
   */
  readonly router?: RequestRouter | undefined;
}

/**
 * Every server of a `UniversalMcpClient` as one MCP server, for any number of downstream
 * sessions (Streamable HTTP, stdio, any SDK transport). Each session gets the merged catalog and
 * its `list_changed` notifications; each call goes through the client, so a fault upstream stays
 * there and comes back as a tool error result naming its code.
 */
export class Gateway {
  readonly #client: UniversalMcpClient;
  readonly #catalog: Catalog;
  readonly #router: RequestRouter;
  readonly #subscriptions: Subscriptions;
  readonly #sessions = new Set<Server>();
  readonly #listeners = new Set<HttpListener>();
  readonly #detach: () => void;
  #closed = false;

  constructor(client: UniversalMcpClient, options: GatewayOptions = {}) {
    this.#client = client;
    this.#catalog = new Catalog(client, options);
    this.#router = options.router ?? new RequestRouter();
    this.#subscriptions = new Subscriptions(client);
    const each = (send: (s: Server) => Promise<void>) => () => {
      for (const s of this.#sessions) void send(s).catch(() => undefined); // a session going away is not our fault
    };
    this.#catalog.on(
      'tools:changed',
      each((s) => s.sendToolListChanged()),
    );
    this.#catalog.on(
      'prompts:changed',
      each((s) => s.sendPromptListChanged()),
    );
    this.#catalog.on(
      'resources:changed',
      each((s) => s.sendResourceListChanged()),
    );
    const log = (e: ServerLogEvent): void => {
      const logger = e.logger === undefined ? e.server : `${e.server}/${e.logger}`;
      for (const s of this.#sessions)
        // With its session id, the level that session set (logging/setLevel) applies.
        void s
          .sendLoggingMessage({ level: e.level, logger, data: boundResult(e.data) }, s.transport?.sessionId)
          .catch(() => undefined);
    };
    client.on('server:log', log);
    this.#detach = () => client.off('server:log', log);
  }

  /** How many downstream sessions are connected. */
  get sessions(): number {
    return this.#sessions.size;
  }

  /** A new downstream session's server (not yet connected); it leaves the set when it closes. */
  createSession(): Server {
    if (this.#closed) throw new Error('The gateway is closed');
    const server = createSessionServer(this.#client, {
      catalog: this.#catalog,
      router: this.#router,
      subscriptions: this.#subscriptions,
    });
    this.#sessions.add(server);
    this.#router.attach(server);
    server.onclose = () => {
      this.#sessions.delete(server);
      this.#router.detach(server);
      this.#subscriptions.leave(server);
    };
    return server;
  }

  /** Serves one downstream session over `transport` (e.g. a `StdioServerTransport` for hosts that spawn). */
  async connect(transport: Transport): Promise<void> {
    await this.createSession().connect(transport);
  }

  /** Serves Streamable HTTP (see {@link ListenOptions}); resolves once listening. */
  async listen(options: ListenOptions = {}): Promise<HttpListener> {
    if (this.#closed) throw new Error('The gateway is closed');
    const listener = await startHttpListener(this, this.#client, options);
    this.#listeners.add(listener);
    return listener;
  }

  /** Closes every listener and session; the client stays open (it is yours). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    await Promise.all([...this.#listeners].map((l) => l.close()));
    await Promise.all([...this.#sessions].map((s) => s.close().catch(() => undefined)));
    this.#catalog.close();
    this.#subscriptions.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A gateway over `client`'s servers (see {@link Gateway}). */
export function createGateway(client: UniversalMcpClient, options: GatewayOptions = {}): Gateway {
  return new Gateway(client, options);
}
