import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ToolPolicy } from '@universal-mcp/core';
import type { Revision } from './revisions.js';

/** Where and how the gateway serves Streamable HTTP. */
export interface ListenOptions {
  /** @default '127.0.0.1' */
  readonly host?: string | undefined;
  /** `0` picks a free port. @default 8930 */
  readonly port?: number | undefined;
  /** @default '/mcp' */
  readonly path?: string | undefined;
  /**
   * The legacy HTTP+SSE transport for old clients: the stream's path (its POSTs go to
   * `/messages`). Not in stateless mode, nor without the 2025 revision. `false`: none. @default '/sse'
   */
  readonly ssePath?: string | false | undefined;
  /**
   * The bearer token every request must carry (`Authorization: Bearer …`). Generated when not
   * given (read it from the listener); required to listen on a non-loopback address. `false`:
   * none — on a loopback address only.
   */
  readonly token?: string | false | undefined;
  /**
   * 2025-era requests served each on its own, without sessions (any replica can answer any
   * request); no GET stream. 2026-07-28 requests are always served so. @default false
   */
  readonly stateless?: boolean | undefined;
  /**
   * The MCP revisions served on this endpoint: `2026-07-28` (stateless requests) and
   * `2025-11-25` (sessions, and the legacy SSE endpoint; it stands for every 2025-era version
   * and 2024-11-05). A request of a revision left out gets the unsupported-version error (-32022,
   * HTTP 400) naming the versions served. @default the gateway's `revisions` (both)
   */
  readonly revisions?: readonly Revision[] | undefined;
  /** `Host` headers accepted besides the loopback names with the listening port (DNS rebinding). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** `Origin` headers accepted besides `http://localhost:PORT` and `http://127.0.0.1:PORT`. */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** The largest request body taken; a larger one is answered 413. @default 4 MiB */
  readonly maxBodyBytes?: number | undefined;
  /**
   * Stateful Streamable HTTP sessions open at once (each keeps its last 1,000 events, at most
   * 4 MiB, for resuming); an initialize request past it is answered 429. @default 100
   */
  readonly maxSessions?: number | undefined;
  /** Legacy HTTP+SSE streams open at once (on each endpoint); a `GET <sse>` past it is answered 429. @default 100 */
  readonly maxSseStreams?: number | undefined;
  /**
   * A stateful session with no request or stream open for this long is closed (clients that
   * never send DELETE would otherwise keep theirs forever). `0`: never. @default 30 minutes
   */
  readonly sessionIdleMs?: number | undefined;
  /** Serves `GET /metrics` (with the token), e.g. `createPrometheusMetrics().handler`. */
  readonly metrics?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  /**
   * The other replicas behind the same load balancer, by name (their `replica` option) → their
   * MCP endpoint URL. A 2026 client's retry of an input round that reaches this replica but names
   * another one's call (its `requestState`) is forwarded there with the client's credentials: the
   * call waits in that replica's process. Without it, such a retry gets -32602 and the client starts
   * the call again.
   */
  readonly peers?: Readonly<Record<string, string>> | undefined;
  /**
   * Further endpoints on the same port, each with its own token and view of the tools (a
   * "virtual server", e.g. a read-only one for one team). Checked at listen: a bad one is a
   * `CONFIG_INVALID` error and nothing listens.
   */
  readonly endpoints?: readonly GatewayEndpoint[] | undefined;
}

/**
 * An endpoint beside the main one: the same servers, revisions and limits, its own path, token and
 * tools. Its token opens it alone (not the main endpoint, `/metrics` or another endpoint), and the
 * main token does not open it. Resources and prompts are those of the main endpoint.
 */
export interface GatewayEndpoint {
  /** Its name, in errors and in {@link HttpListener.endpoints}. */
  readonly name: string;
  /** Its Streamable HTTP path, e.g. `/readers/mcp` (not one the listener serves already). */
  readonly path: string;
  /** The bearer token its requests need: at least 16 characters, not another endpoint's. */
  readonly token: string;
  /**
   * Which tools it offers (`allow`, `deny`, `readOnly` as in a server's policy). A tool left out is
   * not listed there, its changes are not announced there, and a call of it is refused as an
   * unknown tool's (-32602) without reaching its server. @default every tool the main endpoint offers
   */
  readonly tools?: Pick<ToolPolicy, 'allow' | 'deny' | 'readOnly'> | undefined;
  /**
   * Its legacy HTTP+SSE stream's path (its POSTs go to `<ssePath>/messages`); not in stateless mode,
   * nor without the 2025 revision. `false`: none. @default false
   */
  readonly ssePath?: string | false | undefined;
}

/** A listening gateway endpoint. */
export interface HttpListener {
  /** The MCP endpoint's URL. */
  readonly url: URL;
  /** The bearer token requests need (undefined with `token: false`). */
  readonly token: string | undefined;
  /** Each further endpoint's URL, by name (see {@link ListenOptions.endpoints}). */
  readonly endpoints: Readonly<Record<string, URL>>;
  close(): Promise<void>;
}
