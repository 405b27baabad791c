import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isInitializeRequest,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport as WebTransport,
} from '@modelcontextprotocol/server';
import {
  allowedHosts,
  allowedOrigins,
  checkLoopbackRule,
  checkSite,
  checkToken,
  checkTokenLength,
  loopbackHosts,
  newToken,
  type GuardPolicy,
} from '@universal-mcp/http-guard';
import type { Logger } from '@universal-mcp/core';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { MemoryEventStore } from './event-store.js';
import { refuse } from './http-refusal.js';
import { forwardToPeer, peerFor, peerUrls } from './peer-forward.js';
import { readBody } from './request-body.js';
import { guardRequest, refused } from './request-guard.js';
import { checkEndpoints } from './endpoint-options.js';
import type { GatewayHost } from './gateway-host.js';
import type { HttpListener, ListenOptions } from './listen-options.js';
import { checkRevisions } from './revisions.js';
import { serveEndpoint, type ServedEndpoint } from './served-endpoint.js';
import { unsupportedVersion } from './unsupported-version.js';
import { sendWebResponse, toWebRequest } from './web-bridge.js';

/** How long a client waits before it reconnects a broken SSE stream (the `retry` field). */
const RETRY_MS = 1000;

/** A session of the stateful mode: its transport, found by its id, and how busy it is. */
interface HttpSession {
  readonly transport: WebTransport;
  /** The endpoint it was opened on: its id opens it there only. */
  readonly endpoint: ServedEndpoint;
  /** Requests and streams open now. */
  open: number;
  /** When the last one ended (or began). */
  lastSeen: number;
}

/** The resource URIs a `subscriptions/listen` request asks to be told about (none for any other body). */
function listenedUris(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || (body as { method?: unknown }).method !== 'subscriptions/listen')
    return [];
  const wanted = (body as { params?: { notifications?: { resourceSubscriptions?: unknown } } }).params?.notifications
    ?.resourceSubscriptions;
  // Bounded: a listen request names what one client watches, not the world.
  return Array.isArray(wanted) ? wanted.filter((u): u is string => typeof u === 'string').slice(0, 1_000) : [];
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

/** Serves `gateway` over HTTP; `log` is the gateway's (`GatewayOptions.logger`). */
export async function startHttpListener(
  gateway: GatewayHost,
  client: UniversalMcpClient,
  options: ListenOptions,
  log: Logger,
): Promise<HttpListener> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  const limit = options.maxBodyBytes ?? 4 * 1024 * 1024;
  if (typeof options.token === 'string') checkTokenLength(options.token, 'The gateway token');
  const token = options.token === false ? undefined : (options.token ?? newToken());
  const sessions = new Map<string, HttpSession>();
  /** Sessions whose initialize request is being answered (not yet in `sessions`). */
  const starting = new Set<WebTransport>();
  const revisions = options.revisions === undefined ? gateway.revisions : checkRevisions(options.revisions);
  const serves2025 = revisions.includes('2025-11-25');
  const ssePath = options.stateless === true || !serves2025 ? false : (options.ssePath ?? '/sse');
  const messagesPath = '/messages';
  const maxSessions = options.maxSessions ?? 100;
  const peers = peerUrls(options.peers);
  const taken = ['/healthz', '/readyz', '/metrics', path, ...(ssePath === false ? [] : [ssePath, messagesPath])];
  const checked = checkEndpoints(options.endpoints, taken, token, serves2025 && options.stateless !== true);
  const settings = { revisions, maxBodyBytes: limit, maxSseStreams: options.maxSseStreams ?? 100 };
  const main = serveEndpoint(
    gateway,
    { name: undefined, path, token, ssePath, messagesPath, view: undefined },
    settings,
  );
  const views = checked.map((e) => gateway.toolView(e.tools));
  const endpoints = checked.map((e, i) => serveEndpoint(gateway, { ...e, view: views[i]?.view }, settings));
  /** Each further endpoint by every path it serves; any other path is the main endpoint's. */
  const byPath = new Map<string, ServedEndpoint>();
  for (const e of endpoints)
    for (const p of [e.path, e.ssePath, e.messagesPath]) if (typeof p === 'string') byPath.set(p, e);
  const requestedPort = options.port ?? 8930;

  // Filled in once the port is known (before the first request can arrive): nothing passes till then.
  let site: Omit<GuardPolicy, 'token'> = { hosts: new Set(), origins: new Set() };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const seen = guardRequest(req);
    if (refused(res, checkSite(seen, { ...site, token }))) return;
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    // Each endpoint's own token, and no other, opens its paths.
    const endpoint = byPath.get(url.pathname) ?? main;
    if (refused(res, checkToken(seen, { ...site, token: endpoint.token }))) return;
    if (endpoint === main && url.pathname === '/metrics' && options.metrics !== undefined && req.method === 'GET')
      return options.metrics(req, res);
    if (endpoint === main && url.pathname === '/readyz') {
      const servers = Object.fromEntries(client.listServers().map((n) => [n, client.getServerInfo(n)?.state]));
      const ready = Object.values(servers).some((s) => s === 'ready');
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ready, servers }));
      return;
    }
    const { legacy } = endpoint;
    if (legacy !== undefined && url.pathname === endpoint.ssePath && req.method === 'GET') return legacy.open(res);
    const legacyPost = legacy !== undefined && url.pathname === endpoint.messagesPath && req.method === 'POST';
    if (url.pathname !== endpoint.path && !legacyPost) return refuse(res, 404, 'Not found');
    let body: unknown;
    let raw: Buffer | undefined;
    if (req.method === 'POST') {
      raw = await readBody(req, res, limit);
      if (raw === undefined) return;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
        return;
      }
    }
    if (legacyPost) return legacy.post(res, url, body);
    // One Request per HTTP request (building one is dear): its signal is aborted only when a
    // 2026 request's client goes away (see serveModern); a 2025 one never aborts it.
    const gone = new AbortController();
    const request = toWebRequest(req, url, gone.signal);
    const isLegacy = await isLegacyRequest(request, body, { maxRequestBodySize: limit });
    if (!isLegacy || !serves2025) {
      if (endpoint.modern === undefined) return unsupportedVersion(res, request, body, revisions);
      const peer = peerFor(req, body, gateway.replica);
      const peerUrl = peer === undefined ? undefined : peers.get(peer);
      // The peers serve the same endpoints: a further one's retry goes to its path there.
      const target = peerUrl === undefined || endpoint === main ? peerUrl : new URL(endpoint.path, peerUrl);
      if (target !== undefined && raw !== undefined) return forwardToPeer(req, res, raw, target, gateway.replica);
      return serveModern(endpoint, res, request, gone, body);
    }
    /** The transport's answer to this request, written to `res`. */
    const answer = async (transport: WebTransport): Promise<void> =>
      sendWebResponse(res, await transport.handleRequest(request, { parsedBody: body }));
    if (options.stateless === true) return serveStateless(endpoint, req, res, answer);
    const id = req.headers['mcp-session-id'];
    const found = typeof id === 'string' ? sessions.get(id) : undefined;
    // Another endpoint's session is not found here (its view is not this one's).
    const known = found?.endpoint === endpoint ? found : undefined;
    if (known !== undefined) {
      hold(known, res);
      return answer(known.transport);
    }
    if (id !== undefined) return refuse(res, 404, 'Session not found');
    if (req.method !== 'POST' || !isInitializeRequest(body))
      return refuse(res, 400, 'No session: start one with an initialize request');
    if (sessions.size + starting.size >= maxSessions)
      return refuse(res, 429, `Too many sessions (${maxSessions}): close one, or wait for an idle one to expire`);
    const transport = new WebTransport({
      sessionIdGenerator: () => randomUUID(),
      // Resumable streams: a client whose SSE stream broke gets the rest with Last-Event-ID.
      eventStore: new MemoryEventStore(),
      retryInterval: RETRY_MS,
      onsessioninitialized: (sid) => {
        starting.delete(transport);
        sessions.set(sid, session);
      },
      onsessionclosed: (sid) => void sessions.delete(sid),
    });
    // Counted from now: initialize requests arriving together must not all pass the cap.
    starting.add(transport);
    const session: HttpSession = { transport, endpoint, open: 0, lastSeen: Date.now() };
    hold(session, res);
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    try {
      await endpoint.create('legacy').connect(transport);
      await answer(transport);
    } finally {
      starting.delete(transport);
    }
  };

  const serveStateless = async (
    endpoint: ServedEndpoint,
    req: IncomingMessage,
    res: ServerResponse,
    answer: (t: WebTransport) => Promise<void>,
  ): Promise<void> => {
    if (req.method !== 'POST') return refuse(res, 405, 'Stateless: POST only', { allow: 'POST' });
    const transport = new WebTransport({ sessionIdGenerator: undefined });
    const session = endpoint.create('legacy');
    // One request's transport and session: the response is gone, so a failing close loses nothing (none is kept).
    res.on('close', () => {
      void transport.close().catch(() => undefined);
      void session.close().catch(() => undefined);
    });
    await session.connect(transport);
    await answer(transport);
  };

  /**
   * A 2026-07-28 request: aborted when its client goes away (the upstream call is cancelled); a
   * `subscriptions/listen` stream's resources are subscribed upstream while it is open.
   */
  const serveModern = async (
    endpoint: ServedEndpoint,
    res: ServerResponse,
    request: Request,
    gone: AbortController,
    body: unknown,
  ): Promise<void> => {
    // A response sent in full has no client to lose (and an abort per answer is not free).
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const uris = listenedUris(body);
    if (uris.length > 0) res.once('close', await gateway.subscribeStream(uris, gone.signal));
    const response = await endpoint.modern?.fetch(request, { parsedBody: body });
    if (response !== undefined) await sendWebResponse(res, response);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Bad input or a session that went away: this request fails, the gateway does not (and says why).
      log.warn({ err, method: req.method, path: req.url?.split('?')[0] }, 'a gateway request failed');
      refuse(res, 500, err instanceof Error ? err.message : String(err));
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  /** The endpoints' handlers closed and their views dropped (when closing, or when listening failed). */
  const unwind = async (): Promise<void> => {
    for (const v of views) v.drop();
    await Promise.all([main, ...endpoints].map((e) => e.close()));
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await unwind();
    throw err;
  });
  const bound = server.address() as AddressInfo;
  const port = bound.port;
  // Loopback is the address bound, not what the host's name looks like ("localhost" may be ::1, a
  // name may resolve anywhere). No request is served yet: the allow-lists below are still empty.
  try {
    checkLoopbackRule(options.token, bound.address, `${host} (${bound.address})`);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await unwind();
    throw err;
  }
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const sweeper =
    idleMs > 0
      ? setInterval(
          () => {
            const now = Date.now();
            for (const [sid, session] of sessions) {
              if (session.open > 0 || now - session.lastSeen < idleMs) continue;
              sessions.delete(sid);
              // Idle and already forgotten: a close that fails leaves nothing behind to serve.
              void session.transport.close().catch(() => undefined);
            }
          },
          Math.min(idleMs, 60_000),
        ).unref()
      : undefined;
  const url = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`);
  // The loopback names, and the address as the listener's URL shows it (a client uses that URL).
  const own = [...loopbackHosts(port), url.host];
  site = {
    hosts: allowedHosts(own, options.allowedHosts),
    origins: allowedOrigins(own, options.allowedOrigins),
  };
  let closing: Promise<void> | undefined;
  return {
    url,
    token,
    endpoints: Object.fromEntries(endpoints.map((e) => [e.name, new URL(e.path, url)])),
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        await unwind();
        // Shutting down: a session whose close fails is dropped all the same (its client reconnects elsewhere).
        await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
        sessions.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
