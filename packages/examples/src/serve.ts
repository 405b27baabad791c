import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** How an example server is reached. */
export type ServeMode = 'stdio' | 'http' | 'sse';

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw === '' ? undefined : JSON.parse(raw);
}

function listen(http: Server, port: number, path: string): Promise<string> {
  return new Promise((resolve) =>
    http.listen(port, '127.0.0.1', () => {
      const address = http.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}${path}`);
    }),
  );
}

/** A running example server. */
export interface ServeHandle {
  /** The HTTP URL; undefined over stdio. */
  readonly url: string | undefined;
  /**
   * Forgets every HTTP session without closing its streams, as a restarted server would:
   * later requests with an old session id get 404. Nothing over stdio.
   */
  dropSessions(): void;
}

/** Stateful Streamable HTTP on 127.0.0.1: one transport and one server per session. Unknown sessions get 404. */
async function serveStreamableHttp(
  build: () => McpServer,
  port: number,
  sessions: Map<string, unknown>,
): Promise<string> {
  const http = createServer((req, res) => {
    void (async () => {
      const sid = req.headers['mcp-session-id'];
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      let transport =
        typeof sid === 'string' ? (sessions.get(sid) as StreamableHTTPServerTransport | undefined) : undefined;
      if (transport === undefined) {
        const isInit = req.method === 'POST' && (body as { method?: unknown } | undefined)?.method === 'initialize';
        if (sid !== undefined || !isInit) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
          return;
        }
        const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, created),
        });
        created.onclose = () => {
          if (created.sessionId !== undefined) sessions.delete(created.sessionId);
        };
        await build().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res, body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  return listen(http, port, '/mcp');
}

/** Legacy HTTP+SSE on 127.0.0.1: GET /sse opens a session, POST /messages?sessionId= carries requests. */
async function serveSse(build: () => McpServer, port: number, sessions: Map<string, unknown>): Promise<string> {
  const http = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/sse') {
        const transport = new SSEServerTransport('/messages', res);
        sessions.set(transport.sessionId, transport);
        res.on('close', () => sessions.delete(transport.sessionId));
        await build().connect(transport);
      } else if (req.method === 'POST' && url.pathname === '/messages') {
        const transport = sessions.get(url.searchParams.get('sessionId') ?? '') as SSEServerTransport | undefined;
        if (transport === undefined) res.writeHead(404).end('unknown session');
        else await transport.handlePostMessage(req, res);
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  return listen(http, port, '/sse');
}

/**
 * Serves an MCP server built by `build` over stdio, or over HTTP on 127.0.0.1 (port 0 picks a
 * free one). For HTTP modes the URL is printed on stdout as `listening <url>`.
 */
export async function serve(build: () => McpServer, mode: ServeMode, port = 0): Promise<ServeHandle> {
  const sessions = new Map<string, unknown>();
  const dropSessions = (): void => sessions.clear();
  if (mode === 'stdio') {
    await build().connect(new StdioServerTransport());
    return { url: undefined, dropSessions };
  }
  const url =
    mode === 'http' ? await serveStreamableHttp(build, port, sessions) : await serveSse(build, port, sessions);
  process.stdout.write(`listening ${url}\n`);
  return { url, dropSessions };
}

/** Reads `<mode> [port]` from argv, as the example servers take them. */
export function modeFromArgv(argv: readonly string[] = process.argv.slice(2)): { mode: ServeMode; port: number } {
  const mode = argv[0] ?? 'stdio';
  if (mode !== 'stdio' && mode !== 'http' && mode !== 'sse') {
    process.stderr.write(`unknown mode "${mode}": expected stdio, http or sse\n`);
    process.exit(2);
  }
  return { mode, port: Number(argv[1] ?? 0) };
}
