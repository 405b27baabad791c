import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as webStandard from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { bearerToken, newToken, sameToken } from '@universal-mcp/core/internal';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { MemoryEventStore } from './event-store.js';
import { LegacySseSessions } from './legacy-sse.js';
import type { Gateway } from './gateway.js';
import { sendWebResponse, toWebRequest } from './web-bridge.js';

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
   * `/messages`). Not in stateless mode. `false`: none. @default '/sse'
   */
  readonly ssePath?: string | false | undefined;
  /**
   * The bearer token every request must carry (`Authorization: Bearer …`). Generated when not
   * given (read it from the listener); required to listen on a non-loopback address. `false`:
   * none — on a loopback address only.
   */
  readonly token?: string | false | undefined;
  /** Each request served on its own (any replica can answer any request); no GET stream. @default false */
  readonly stateless?: boolean | undefined;
  /** `Host` headers accepted besides the loopback names with the listening port (DNS rebinding). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** `Origin` headers accepted besides `http://localhost:PORT` and `http://127.0.0.1:PORT`. */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** The largest request body taken. @default 4 MiB */
  readonly maxBodyBytes?: number | undefined;
  /**
   * A stateful session with no request or stream open for this long is closed (clients that
   * never send DELETE would otherwise keep theirs forever). `0`: never. @default 30 minutes
   */
  readonly sessionIdleMs?: number | undefined;
  /** Serves `GET /metrics` (with the token), e.g. `createPrometheusMetrics().handler`. */
  readonly metrics?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
}

/** A listening gateway endpoint. */
export interface HttpListener {
  /** The MCP endpoint's URL. */
  readonly url: URL;
  /** The bearer token requests need (undefined with `token: false`). */
  readonly token: string | undefined;
  close(): Promise<void>;
}

const WebTransport = webStandard.WebStandardStreamableHTTPServerTransport;
type WebTransport = webStandard.WebStandardStreamableHTTPServerTransport;

/** How long a client waits before it reconnects a broken SSE stream (the `retry` field). */
const RETRY_MS = 1000;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.');

/** A JSON-RPC error reply, for what is refused before the SDK sees it. */
function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** The body, up to `limit` bytes; undefined (and 413 sent) past it. */
async function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    refuse(res, 413, `Request body over ${limit} bytes`);
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      refuse(res, 413, `Request body over ${limit} bytes`, { connection: 'close' });
      req.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A session of the stateful mode: its transport, found by its id, and how busy it is. */
interface HttpSession {
  readonly transport: WebTransport;
  /** Requests and streams open now. */
  open: number;
  /** When the last one ended (or began). */
  lastSeen: number;
}

/** Counts `res` as open on `session` until it closes. */
function hold(session: HttpSession, res: ServerResponse): void {
  session.open += 1;
  session.lastSeen = Date.now();
  res.once('close', () => {
    session.open -= 1;
    session.lastSeen = Date.now();
  });
}

export async function startHttpListener(
  gateway: Gateway,
  client: UniversalMcpClient,
  options: ListenOptions,
): Promise<HttpListener> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  const limit = options.maxBodyBytes ?? 4 * 1024 * 1024;
  if (options.token === false && !isLoopback(host))
    throw new Error(`Refusing to listen on ${host} without a token: give one, or listen on 127.0.0.1`);
  if (options.token === undefined && !isLoopback(host))
    throw new Error(`Refusing to listen on ${host} with a generated token: give the token the clients will use`);
  if (typeof options.token === 'string' && options.token.length < 16)
    throw new Error('The gateway token must be at least 16 characters');
  const token = options.token === false ? undefined : (options.token ?? newToken());
  const sessions = new Map<string, HttpSession>();
  const ssePath = options.stateless === true ? false : (options.ssePath ?? '/sse');
  const messagesPath = '/messages';
  const legacy = ssePath === false ? undefined : new LegacySseSessions(gateway, messagesPath);
  const requestedPort = options.port ?? 8930;

  // Filled in once the port is known (before the first request can arrive).
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  const hostAllowed = (value: string | undefined): boolean =>
    value !== undefined && allowedHosts.has(value.toLowerCase());
  const originAllowed = (value: string | undefined): boolean =>
    value === undefined || allowedOrigins.has(value.toLowerCase());

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host)) return refuse(res, 403, 'Host not allowed');
    if (!originAllowed(req.headers.origin)) return refuse(res, 403, 'Origin not allowed');
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (token !== undefined) {
      const given = bearerToken(req.headers.authorization);
      if (given === undefined || !sameToken(given, token))
        return refuse(res, 401, 'A valid bearer token is required', { 'www-authenticate': 'Bearer' });
    }
    if (url.pathname === '/metrics' && options.metrics !== undefined && req.method === 'GET')
      return options.metrics(req, res);
    if (url.pathname === '/readyz') {
      const servers = Object.fromEntries(client.listServers().map((n) => [n, client.getServerInfo(n)?.state]));
      const ready = Object.values(servers).some((s) => s === 'ready');
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ready, servers }));
      return;
    }
    if (legacy !== undefined && url.pathname === ssePath && req.method === 'GET') return legacy.open(res);
    const legacyPost = legacy !== undefined && url.pathname === messagesPath && req.method === 'POST';
    if (url.pathname !== path && !legacyPost) return refuse(res, 404, 'Not found');
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, res, limit);
      if (raw === undefined) return;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
        return;
      }
    }
    if (legacyPost) return legacy?.post(req, res, url, body);
    /** The transport's answer to this request, written to `res`. */
    const answer = async (transport: WebTransport): Promise<void> =>
      sendWebResponse(res, await transport.handleRequest(toWebRequest(req, url), { parsedBody: body }));
    if (options.stateless === true) return serveStateless(req, res, answer);
    const id = req.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (known !== undefined) {
      hold(known, res);
      return answer(known.transport);
    }
    if (id !== undefined) return refuse(res, 404, 'Session not found');
    if (req.method !== 'POST' || !isInitializeRequest(body))
      return refuse(res, 400, 'No session: start one with an initialize request');
    const transport = new WebTransport({
      sessionIdGenerator: () => randomUUID(),
      // Resumable streams: a client whose SSE stream broke gets the rest with Last-Event-ID.
      eventStore: new MemoryEventStore(),
      retryInterval: RETRY_MS,
      onsessioninitialized: (sid) => void sessions.set(sid, session),
      onsessionclosed: (sid) => void sessions.delete(sid),
    });
    const session: HttpSession = { transport, open: 0, lastSeen: Date.now() };
    hold(session, res);
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await gateway.createSession().connect(transport);
    await answer(transport);
  };

  const serveStateless = async (
    req: IncomingMessage,
    res: ServerResponse,
    answer: (t: WebTransport) => Promise<void>,
  ): Promise<void> => {
    if (req.method !== 'POST') return refuse(res, 405, 'Stateless: POST only', { allow: 'POST' });
    const transport = new WebTransport({ sessionIdGenerator: undefined });
    const session = gateway.createSession();
    res.on('close', () => {
      void transport.close().catch(() => undefined);
      void session.close().catch(() => undefined);
    });
    await session.connect(transport);
    await answer(transport);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Bad input or a session that went away: this request fails, the gateway does not.
      refuse(res, 500, err instanceof Error ? err.message : String(err));
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const sweeper =
    idleMs > 0
      ? setInterval(
          () => {
            const now = Date.now();
            for (const [sid, session] of sessions) {
              if (session.open > 0 || now - session.lastSeen < idleMs) continue;
              sessions.delete(sid);
              void session.transport.close().catch(() => undefined);
            }
          },
          Math.min(idleMs, 60_000),
        ).unref()
      : undefined;
  const port = (server.address() as AddressInfo).port;
  const loopback = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  allowedHosts = new Set([...loopback, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  allowedOrigins = new Set(
    [...loopback.map((h) => `http://${h}`), ...(options.allowedOrigins ?? [])].map((o) => o.toLowerCase()),
  );
  const shown = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: new URL(`http://${shown}:${port}${path}`),
    token,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        await legacy?.close();
        await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
        sessions.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
