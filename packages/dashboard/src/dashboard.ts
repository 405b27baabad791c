import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { toolApp, type Logger } from '@universal-mcp/core';
import { jsonText } from '@universal-mcp/core/internal';
import { checkLoopbackRule, checkTokenLength, loopbackHosts, newToken } from '@universal-mcp/http-guard';
import { createToolset, type Toolset } from '@universal-mcp/llm';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { appRoutes } from './app-routes.js';
import { CHAT_MESSAGE_PATH, chatRoutes, openChat, type Chat, type ChatOptions } from './chat-routes.js';
import type { ChatEvent } from './chat-runs.js';
import { CallSources } from './call-sources.js';
import { ASSETS, CSP, PAGE } from './dashboard-assets.js';
import { DashboardGuard } from './dashboard-guard.js';
import { DashboardCalls, describeError, type CallUpdate } from './dashboard-calls.js';
import { DashboardRequests, type PendingRequest } from './dashboard-requests.js';
import { DashboardTasks, taskRoutes, type TaskChange } from './dashboard-tasks.js';
import { Fleet } from './fleet.js';
import { History, type HistoryOptions } from './history.js';
import { historyPage } from './history-page.js';
import { jsonBody } from './json-body.js';
import { toolChangeRoutes, watchToolChanges } from './tool-changes.js';

/** Where and how the dashboard is served. */
export interface DashboardOptions {
  /** @default '127.0.0.1' */
  readonly host?: string | undefined;
  /** `0` picks a free port. @default 8931 */
  readonly port?: number | undefined;
  /** The token every API call and the event stream need; generated when not given (at least 16 characters). */
  readonly token?: string | undefined;
  /** `Host` headers accepted besides the loopback names with the port. */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Serves `GET /metrics` (with the token), e.g. `createPrometheusMetrics().handler`. */
  readonly metrics?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  /** Call history: where it is kept (NDJSON, rotated by size) and which argument keys are redacted. */
  readonly history?: HistoryOptions | undefined;
  /**
   * Sampling and elicitation requests of dashboard calls, answered in the page; its `handlers`
   * must be the client's.
   */
  readonly requests?: DashboardRequests | undefined;
  /**
   * The Chat view: model providers (their keys stay on the server) and where conversations are
   * kept (a SQLite file in `chat.dir`, or your own `chat.store`). Without it the view says the chat is off.
   */
  readonly chat?: ChatOptions | undefined;
  /** Event streams (`/api/events`, one per open page) open at once; one more is refused with 429. @default 32 */
  readonly maxEventStreams?: number | undefined;
  /** The largest request body taken, in bytes; a larger one is refused with 413. @default 4 MiB */
  readonly maxBodyBytes?: number | undefined;
  /**
   * Where failures nothing throws to are logged (the chat's, the history's, a console call's update): never
   * secrets. A pino logger fits. `chat.logger`, when given, overrides it for the chat. Without one the chat
   * logs nothing (`silentLogger`) and the history and console calls say theirs as process warnings.
   */
  readonly logger?: Logger | undefined;
}

/** A running dashboard. */
export interface Dashboard {
  /** The page's URL, token included (open it in a browser). */
  readonly url: URL;
  readonly token: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_EVENT_STREAMS = 32;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * What one event may carry: a dashboard call's result is already cut to the client's message limit
 * and 64 levels (dashboard-calls.ts); this catches the rest (a chat result, a server's log) before
 * JSON.stringify's recursion could throw in the middle of the stream.
 */
const EVENT_BOUNDS = { maxDepth: 80, maxChars: 32 * 1024 * 1024 } as const;

/** The dashboard's limits, resolved. */
interface Limits {
  readonly maxEventStreams: number;
  readonly maxBodyBytes: number;
}

/** What the app works with. */
interface Parts {
  readonly client: UniversalMcpClient;
  readonly fleet: Fleet;
  readonly calls: DashboardCalls;
  readonly history: History;
  readonly sources: CallSources;
  readonly requests: DashboardRequests;
  readonly tasks: DashboardTasks;
  readonly toolset: Toolset;
  /** The chat, once its store is open; undefined when the dashboard has none. */
  readonly chat: () => Promise<Chat | undefined>;
}

/** The dashboard's app: the page, its API and its event stream. */
function createApp(parts: Parts, guard: DashboardGuard, limits: Limits): Hono {
  const { client, fleet, calls, history, sources, requests, tasks, toolset, chat } = parts;
  const app = new Hono();
  let streams = 0;
  app.use('*', guard.site, async (c: Context, next: Next) => {
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    await next();
  });
  app.get('/', (c) => {
    if (!guard.authorized(c)) return c.text('A valid token is required: open the URL umcp dashboard printed', 401);
    return c.html(PAGE, 200, { 'content-security-policy': CSP, 'cache-control': 'no-store' });
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));
  for (const [path, asset] of Object.entries(ASSETS))
    app.get(path, (c) => c.body(asset.body, 200, { 'content-type': `${asset.type}; charset=utf-8` }));
  app.use('/api/*', guard.token);
  // After the token check: only a token holder's body is read. The 413 is an answer, not a reset:
  // the rest of the body is drained by @hono/node-server after the response is written.
  const limited = bodyLimit({
    maxSize: limits.maxBodyBytes,
    onError: (c) => c.json({ error: `The request body is larger than ${limits.maxBodyBytes} bytes` }, 413),
  });
  // A chat message carries its images: its route sets its own limit (chat-routes.ts).
  app.use('/api/*', (c, next) => (CHAT_MESSAGE_PATH.test(c.req.path) ? next() : limited(c, next)));
  app.get('/api/servers', (c) => c.json(fleet.cards()));
  app.get('/api/servers/:name', (c) => {
    const detail = fleet.detail(c.req.param('name'));
    return detail === undefined ? c.json({ error: 'No such server' }, 404) : c.json(detail);
  });
  app.get('/api/servers/:name/catalog', (c) => {
    const catalog = fleet.catalog(c.req.param('name'));
    return catalog === undefined ? c.json({ error: 'No such server' }, 404) : c.json(catalog);
  });
  /** The request's answer as JSON, or its error (code first) as a 400. */
  const answer = async (c: Context, run: () => Promise<unknown>) => {
    try {
      return c.json(await run());
    } catch (err) {
      return c.json({ error: describeError(err).text }, 400);
    }
  };
  const act = (c: Context, run: () => Promise<unknown> | unknown) =>
    answer(c, async () => {
      await run();
      return { ok: true };
    });
  // Every ready server's offered tools (the toolset asks the facade: nothing denied, held or
  // blocked); with `q`, the best 50 for it by the tool-selection index.
  app.get('/api/tools', (c) => {
    const q = c.req.query('q')?.trim() ?? '';
    const tools = q === '' ? toolset.list() : toolset.search(q, { k: 50 });
    return c.json(
      tools.map((t) => ({
        server: t.server,
        name: t.tool,
        title: t.definition.title,
        description: t.description,
        inputSchema: t.definition.inputSchema,
        app: toolApp(t.definition).resourceUri !== undefined,
      })),
    );
  });
  app.post('/api/calls', async (c) => {
    const body = await jsonBody(c);
    const args = body.arguments ?? {};
    if (typeof body.server !== 'string' || typeof body.tool !== 'string' || typeof args !== 'object' || args === null)
      return c.json({ error: 'Send { "server": string, "tool": string, "arguments": object }' }, 400);
    return c.json({ id: calls.start(body.server, body.tool, args as Record<string, unknown>) });
  });
  app.post('/api/calls/:id/cancel', (c) =>
    calls.cancel(c.req.param('id')) ? c.json({ ok: true }) : c.json({ error: 'No such call running' }, 404),
  );
  // Newest first, a page at a time: `limit` (default 100), `before` the cursor of the last one shown.
  app.get('/api/history', (c) =>
    c.json(
      historyPage(history.list(c.req.query('q') ?? ''), c.req.query('before'), Number(c.req.query('limit') ?? 100)),
    ),
  );
  app.get('/api/requests', (c) => c.json(requests.pending()));
  app.post('/api/requests/:id', async (c) => {
    const body = await jsonBody(c);
    const id = c.req.param('id');
    const done =
      body.reject === true ? requests.reject(id) : body.result !== undefined && requests.answer(id, body.result);
    return done ? c.json({ ok: true }) : c.json({ error: 'No such request waiting, or no result given' }, 404);
  });
  app.get('/api/catalog', (c) =>
    c.json(
      fleet
        .cards()
        .filter((card) => card.state === 'ready')
        .map((card) => ({
          server: card.name,
          resources: client.listResources(card.name).map((r) => ({ uri: r.uri, name: r.name, mimeType: r.mimeType })),
          templates: client.listResourceTemplates(card.name).map((t) => ({ uriTemplate: t.uriTemplate, name: t.name })),
          prompts: client.listPrompts(card.name),
        })),
    ),
  );
  app.post('/api/read', async (c) => {
    const body = await jsonBody(c);
    if (typeof body.server !== 'string' || typeof body.uri !== 'string')
      return c.json({ error: 'Send { "server": string, "uri": string }' }, 400);
    const { server, uri } = body;
    return answer(c, () => client.readResource(server, uri));
  });
  app.post('/api/prompt', async (c) => {
    const body = await jsonBody(c);
    if (typeof body.server !== 'string' || typeof body.name !== 'string')
      return c.json({ error: 'Send { "server": string, "name": string, "arguments": { string: string } }' }, 400);
    const { server, name } = body;
    return answer(c, () => client.getPrompt(server, name, body.arguments as Record<string, string> | undefined));
  });
  app.post('/api/servers/:name/restart', (c) => act(c, () => client.restartServer(c.req.param('name'))));
  app.post('/api/servers/:name/remove', (c) => act(c, () => client.removeServer(c.req.param('name'))));
  app.post('/api/servers', async (c) => {
    // A body that is not JSON is no config: addServer refuses it, and that is the answer.
    const config: unknown = await c.req.json().catch(() => undefined);
    return act(c, () =>
      client.addServer(config as Parameters<UniversalMcpClient['addServer']>[0], { waitForReady: false }),
    );
  });
  chatRoutes(app, chat, client, limits.maxBodyBytes);
  appRoutes(app, client, { history, sources });
  toolChangeRoutes(app, client);
  taskRoutes(app, tasks);
  // One stream per page: the fleet at once, then on every change (at most every 100 ms) and every second.
  app.get('/api/events', (c) => {
    if (streams >= limits.maxEventStreams)
      return c.json({ error: `${limits.maxEventStreams} event streams are open; close a page first` }, 429);
    streams += 1;
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | undefined;
      let pending = false;
      const changed = (): void => {
        if (pending) return;
        pending = true;
        setTimeout(() => {
          pending = false;
          wake?.();
        }, 100);
      };
      // An event the page cannot take (gone, or a write failed) is dropped; it never throws into the emitter.
      const send = (event: string, value: unknown): void =>
        void stream.writeSSE({ event, data: jsonText(value, EVENT_BOUNDS) }).catch(() => undefined);
      const update = (u: CallUpdate): void => send('call', u);
      const asked = (r: PendingRequest): void => send('request', r);
      const settled = (id: string): void => send('request-settled', { id });
      const told = (e: ChatEvent): void => send('chat', e);
      const tasked = (t: TaskChange): void => send(t.event, t.row);
      // A chat that could not open was logged then (openChat); this stream carries the rest.
      const runs = (await chat().catch(() => undefined))?.runs;
      runs?.on('event', told);
      fleet.on('changed', changed);
      calls.on('update', update);
      requests.on('request', asked);
      requests.on('settled', settled);
      tasks.on('change', tasked);
      const unwatch = watchToolChanges(client, send);
      let open = true;
      /** Once, whichever comes first (the page gone, the loop ended, a write failed): listeners off, the slot freed. */
      const release = (): void => {
        if (!open) return;
        open = false;
        streams -= 1;
        fleet.off('changed', changed);
        calls.off('update', update);
        requests.off('request', asked);
        requests.off('settled', settled);
        tasks.off('change', tasked);
        unwatch();
        runs?.off('event', told);
      };
      stream.onAbort(() => {
        release();
        wake?.();
      });
      try {
        while (!stream.aborted) {
          await stream.writeSSE({ event: 'fleet', data: jsonText(fleet.cards(), EVENT_BOUNDS) });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      } finally {
        release();
      }
    });
  });
  return app;
}

/** The dashboard as a request handler, for a Node HTTP server of yours. */
export interface DashboardHandler {
  /** Answers the dashboard's requests (the page at `/`, `/api/*`, its assets, `/metrics` when given). */
  handler(request: IncomingMessage, response: ServerResponse): void;
  readonly token: string;
  /** The `Host` values accepted (`host:port`, lowercase); `createDashboard` sets its own. */
  allowHosts(hosts: readonly string[]): void;
  /** Stops the chat's runs (each stores what it has), writes the chat store, lets go of the rest. */
  close(): Promise<void>;
}

/**
 * The dashboard as a handler to mount on your own server (give `allowedHosts`: the `host:port`
 * your users reach it at). `createDashboard` runs it on a server of its own.
 */
export function createDashboardHandler(client: UniversalMcpClient, options: DashboardOptions = {}): DashboardHandler {
  if (options.token !== undefined) checkTokenLength(options.token, 'The dashboard token');
  const token = options.token ?? newToken();
  const fleet = new Fleet(client);
  const history = new History(options.history, options.logger);
  const sources = new CallSources();
  const calls = new DashboardCalls(client, history, sources, options.logger);
  const requests = options.requests ?? new DashboardRequests();
  // The chat's and the Apps' calls too: a task they run asks for input in the page's requests.
  requests.watch((server) => calls.inFlight(server) || sources.busy(server));
  const tasks = new DashboardTasks(client);
  const toolset = createToolset(client);
  const chatOptions =
    options.chat === undefined ? undefined : { ...options.chat, logger: options.chat.logger ?? options.logger };
  const opened = chatOptions === undefined ? undefined : openChat(client, chatOptions, { history, sources });
  opened?.catch(() => undefined); // reported by every chat request that needs it
  const chat = async () => opened;
  const guard = new DashboardGuard(token, options.allowedHosts);
  const limits: Limits = {
    maxEventStreams: options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const app = createApp({ client, fleet, calls, history, sources, requests, tasks, toolset, chat }, guard, limits);
  const listener = getRequestListener(app.fetch);
  return {
    token,
    handler: (req, res) => {
      if (options.metrics !== undefined && req.url?.split('?')[0] === '/metrics') {
        const refusal = guard.metricsRefusal(req);
        if (refusal !== undefined) return void res.writeHead(refusal).end();
        return options.metrics(req, res);
      }
      void listener(req, res);
    },
    allowHosts: (more) => guard.allow(more),
    close: async () => {
      fleet.close();
      calls.close();
      tasks.close();
      toolset.close();
      // A chat that never opened has nothing to close (its failure was logged when it was opened).
      const parts = await opened?.catch(() => undefined);
      await parts?.runs.close();
      if (options.chat?.store === undefined) await parts?.store.close();
    },
  };
}

/**
 * The operator dashboard over `client`'s servers, on its own HTTP server (127.0.0.1 by default):
 * open `url` (it carries the token). Every API call and the event stream need the token; Host
 * and Origin are checked; commands are POSTs; the page runs under a strict CSP.
 */
export async function createDashboard(client: UniversalMcpClient, options: DashboardOptions = {}): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const view = createDashboardHandler(client, options);
  const server = createServer(view.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8931, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = new URL(`http://${shown}:${bound.port}/?token=${encodeURIComponent(view.token)}`);
  const close = async (): Promise<void> => {
    await view.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  // Beyond loopback only with a token given (as the gateway): checked on the address bound, before any request.
  try {
    checkLoopbackRule(options.token, bound.address, `${host} (${bound.address})`);
  } catch (err) {
    await close();
    throw err;
  }
  // The loopback names, and the host it listens on as its URL shows it (the URL it prints must open).
  view.allowHosts([...loopbackHosts(bound.port), url.host]);
  return { url, token: view.token, close };
}
