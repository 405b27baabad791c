// The dashboard's MCP Apps: a tool's App read through the facade and served as a one-time frame
// (its own CSP, sandboxed), and the App's requests to its own server, which the page forwards from
// the bridge. The App never holds the dashboard's token: the page (which does) makes these requests,
// and only for the server the App came from.
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { callableByApp, toolApp } from '@universal-mcp/core';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { appCsp } from './app-csp.js';
import type { ChatCallLog } from './chat-toolset.js';
import type { StoredMessage } from './chat-store.js';
import { allowAttribute, appResource, AppResourceError } from './app-resource.js';
import { describeError } from './dashboard-calls.js';
import { jsonBody } from './json-body.js';
import { loggedCall } from './logged-call.js';
import { VERSION } from './version.js';

/** How long a frame waits to be loaded, in milliseconds. */
export const FRAME_TTL_MS = 60_000;
/** Frames waiting at once; the oldest is dropped for a new one. */
export const MAX_FRAMES = 64;
/** The HTML of all frames waiting, in bytes (UTF-8); the oldest are dropped to make room. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

interface Frame {
  readonly html: string;
  readonly csp: string;
  readonly expires: number;
  readonly bytes: number;
}

/**
 * Frames waiting for their one load, by a random 128-bit id (the id is the capability: the frame
 * is loaded by an iframe, which cannot send the token). Bounded by count and by bytes: 64 Apps of
 * 8 MiB each would otherwise hold 512 MiB. Expired ones are dropped on every insert and take, so
 * nothing needs a timer.
 */
export class FrameStore {
  readonly #frames = new Map<string, Frame>();
  #bytes = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxBytes: number = MAX_FRAME_BYTES,
  ) {}

  /** The HTML bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  add(html: string, csp: string): string {
    this.#prune();
    const bytes = Buffer.byteLength(html);
    while (this.#frames.size > 0 && (this.#frames.size >= MAX_FRAMES || this.#bytes + bytes > this.maxBytes))
      this.#drop(this.#frames.keys().next().value as string);
    const id = randomBytes(16).toString('hex');
    this.#frames.set(id, { html, csp, expires: this.now() + FRAME_TTL_MS, bytes });
    this.#bytes += bytes;
    return id;
  }

  /** The frame, once: it is forgotten as it is taken. */
  take(id: string): Frame | undefined {
    this.#prune();
    const frame = this.#frames.get(id);
    this.#drop(id);
    return frame;
  }

  #drop(id: string): void {
    const frame = this.#frames.get(id);
    if (frame === undefined) return;
    this.#frames.delete(id);
    this.#bytes -= frame.bytes;
  }

  #prune(): void {
    const now = this.now();
    for (const [id, frame] of this.#frames) if (frame.expires <= now) this.#drop(id);
  }
}

/** Whether a server's offered tool has an App (false for an unknown server or tool). */
export function hasApp(client: UniversalMcpClient, server: string | undefined, tool: string | undefined): boolean {
  if (server === undefined || tool === undefined || !client.listServers().includes(server)) return false;
  const listed = client.listTools(server).find((t) => t.name === tool);
  return listed !== undefined && toolApp(listed).resourceUri !== undefined;
}

/** A stored conversation with each tool call that has an App marked `app: true` (the store keeps no such flag). */
export function withApps<T extends { readonly messages: readonly StoredMessage[] }>(
  client: UniversalMcpClient,
  conversation: T | undefined,
): T | undefined {
  if (conversation === undefined) return undefined;
  const messages = conversation.messages.map((m) =>
    m.toolCalls === undefined
      ? m
      : { ...m, toolCalls: m.toolCalls.map((t) => (hasApp(client, t.server, t.tool) ? { ...t, app: true } : t)) },
  );
  return { ...conversation, messages };
}

const bad = (c: Context, error: string, code = 'INVALID_REQUEST', status: 400 | 403 | 404 = 400) =>
  c.json({ error, code }, status);

/** A facade error as a 400 with its code (an unknown server is a 404). */
const failed = (c: Context, err: unknown) => {
  const { code, text } = describeError(err);
  return c.json({ error: text, code }, code === 'SERVER_NOT_FOUND' ? 404 : 400);
};

/**
 * Registers `POST /api/apps/frames`, `GET /apps/frame/:id`, `POST /api/apps/calls` and
 * `POST /api/apps/resources` (the `/api` ones behind the dashboard's token, all behind its Host check).
 * `log`: where an App's tool calls are written (source `app`, redacted arguments, whether the user
 * approved), claimed while they run so the client's `call:end` is not taken for the service's own.
 */
export function appRoutes(app: Hono, client: UniversalMcpClient, log?: ChatCallLog): void {
  const frames = new FrameStore();

  app.post('/api/apps/frames', async (c) => {
    const body = await jsonBody(c);
    if (typeof body.server !== 'string' || typeof body.tool !== 'string')
      return bad(c, 'Send { "server": string, "tool": string }');
    const { server, tool } = body;
    try {
      // The policy's view of the tool: a denied (or held) tool's App is not served either.
      const access = client.toolAccess(server, tool);
      const listed = access?.offered === true ? access.tool : undefined;
      const resourceUri = listed === undefined ? undefined : toolApp(listed).resourceUri;
      if (resourceUri === undefined) return bad(c, `${server}/${tool} has no App`, 'APP_NOT_FOUND', 404);
      const entry = client.listResources(server).find((r) => r.uri === resourceUri);
      const resource = appResource(await client.readResource(server, resourceUri), entry?._meta);
      const id = frames.add(resource.html, appCsp(resource.csp));
      return c.json({
        frame: `/apps/frame/${id}`,
        resourceUri,
        permissions: resource.permissions,
        allow: allowAttribute(resource.permissions),
        prefersBorder: resource.prefersBorder ?? null,
        // The console's own version: the page tells it to the App as its host's (hostInfo).
        hostVersion: VERSION,
      });
    } catch (err) {
      if (err instanceof AppResourceError) return bad(c, err.message, err.code, 404);
      return failed(c, err);
    }
  });

  app.get('/apps/frame/:id', (c) => {
    // Hono answers HEAD with the GET route: a HEAD must not use up the frame's one load.
    if (c.req.method !== 'GET') return c.body(null, 405, { allow: 'GET' });
    const frame = frames.take(c.req.param('id'));
    if (frame === undefined) return c.text('No such frame, or it was loaded already', 404);
    return c.html(frame.html, 200, { 'content-security-policy': frame.csp, 'cache-control': 'no-store' });
  });

  // A tool call from an App: only its own server's tools that the App may call and the policy
  // offers; one that needs approval is answered 409 until the page has asked the user.
  app.post('/api/apps/calls', async (c) => {
    const body = await jsonBody(c);
    const args = body.arguments ?? {};
    if (typeof body.server !== 'string' || typeof body.tool !== 'string' || typeof args !== 'object' || args === null)
      return bad(c, 'Send { "server": string, "tool": string, "arguments": object, "approved"?: boolean }');
    const { server, tool } = body;
    try {
      const access = client.toolAccess(server, tool);
      if (access === undefined || !callableByApp(access.tool) || !access.offered)
        return bad(c, `${server}/${tool} may not be called by an App`, 'TOOL_DENIED', 403);
      if (access.needsApproval && body.approved !== true)
        return c.json(
          {
            needsApproval: true,
            server,
            tool,
            arguments: args,
            trusted: access.trusted,
            hints: access.tool.annotations ?? {},
          },
          409,
        );
      const approved = access.needsApproval ? true : undefined;
      // The request's signal fires when the page drops the request (the App's frame was torn down).
      const call = () => client.callTool(server, tool, args as Record<string, unknown>, { signal: c.req.raw.signal });
      return c.json(
        await (log === undefined ? call() : loggedCall(log, { server, tool, args, source: 'app', approved }, call)),
      );
    } catch (err) {
      return failed(c, err);
    }
  });

  app.post('/api/apps/resources', async (c) => {
    const body = await jsonBody(c);
    if (typeof body.server !== 'string' || typeof body.uri !== 'string')
      return bad(c, 'Send { "server": string, "uri": string }');
    const { server, uri } = body;
    try {
      return c.json(await client.readResource(server, uri));
    } catch (err) {
      return failed(c, err);
    }
  });
}
