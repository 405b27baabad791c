import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How a {@link startRawHttpMcp} server misbehaves. */
export interface RawHttpBehaviour {
  /**
   * Serve one request per connection, and destroy the socket when a second one arrives on it (keep-alive advertised).
   */
  onePerSocket?: boolean;
  /** Require `Authorization: Bearer <token>`; anything else is answered 401. */
  token?: string;
  /** Answer a DELETE with `307 Location: <this>` (after recording it). */
  deleteRedirect?: string;
}

/** A Streamable HTTP MCP server written by hand on node:http (JSON responses), on 127.0.0.1. */
export interface RawHttpMcp {
  readonly url: string;
  readonly behaviour: RawHttpBehaviour;
  /** Every DELETE the server received, with its headers. */
  readonly deletes: http.IncomingHttpHeaders[];
  /** The request target (path and query) of every POST the server received. */
  readonly posts: string[];
  /** `hang` requests whose connection is still open. */
  openHangs(): number;
  /** Sockets still open. */
  openSockets(): number;
  /** Every request answered 401 from now on (a revoked token). */
  revoke(): void;
  close(): Promise<void>;
}

const TOOLS = [
  { name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
  { name: 'hang', inputSchema: { type: 'object' } },
  { name: 'big', inputSchema: { type: 'object', properties: { bytes: { type: 'number' }, sse: { type: 'boolean' } } } },
  { name: 'html_error', inputSchema: { type: 'object' } },
];

/**
 * Starts the server. Tools: `echo`; `hang` (never answers); `big` (an answer of `bytes` bytes, as
 * JSON or, with `sse: true`, as one SSE event); `html_error` (HTTP 500 with a 2 MB HTML page).
 */
export async function startRawHttpMcp(behaviour: RawHttpBehaviour = {}): Promise<RawHttpMcp> {
  const deletes: http.IncomingHttpHeaders[] = [];
  const posts: string[] = [];
  const sockets = new Set<Socket>();
  const served = new WeakMap<Socket, number>();
  let hangs = 0;
  let revoked = false;
  const server = http.createServer((req, res) => {
    const socket = req.socket;
    const count = (served.get(socket) ?? 0) + 1;
    served.set(socket, count);
    if (behaviour.onePerSocket === true && count > 1) {
      socket.destroy(); // the keep-alive socket was "closed" before this request: nothing comes back
      return;
    }
    const unauthorized =
      revoked || (behaviour.token !== undefined && req.headers.authorization !== `Bearer ${behaviour.token}`);
    if (unauthorized) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    if (req.method === 'DELETE') {
      deletes.push(req.headers);
      if (behaviour.deleteRedirect !== undefined) res.writeHead(307, { location: behaviour.deleteRedirect }).end();
      else res.writeHead(200).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    posts.push(req.url ?? '');
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const msg = JSON.parse(body) as {
        id?: number | string;
        method: string;
        params?: { name?: string; arguments?: Record<string, unknown>; protocolVersion?: string };
      };
      const json = (result: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive', ...headers });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
      };
      if (msg.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      if (msg.method === 'initialize') {
        return json(
          {
            protocolVersion: msg.params?.protocolVersion,
            capabilities: { tools: {} },
            serverInfo: { name: 'raw-http', version: '0.0.1' },
          },
          { 'mcp-session-id': 'raw-session' },
        );
      }
      if (msg.method === 'tools/list') return json({ tools: TOOLS });
      if (msg.method === 'ping') return json({});
      if (msg.method !== 'tools/call') return json({});
      const args = msg.params?.arguments ?? {};
      switch (msg.params?.name) {
        case 'echo':
          return json({ content: [{ type: 'text', text: String(args.text) }] });
        case 'hang':
          hangs += 1;
          req.socket.once('close', () => (hangs -= 1));
          return; // never answered
        case 'big': {
          const text = 'x'.repeat(Number(args.bytes));
          const payload = JSON.stringify({ result: { content: [{ type: 'text', text }] }, jsonrpc: '2.0', id: msg.id });
          if (args.sse === true) {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.end(`event: message\ndata: ${payload}\n\n`);
          } else {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(payload);
          }
          return;
        }
        case 'html_error':
          res.writeHead(500, { 'content-type': 'text/html' });
          res.end(`<html><body>${'<p>Internal error</p>\n'.repeat(100_000)}</body></html>`);
          return;
        default:
          return json({ content: [{ type: 'text', text: 'unknown tool' }], isError: true });
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    behaviour,
    deletes,
    posts,
    openHangs: () => hangs,
    openSockets: () => sockets.size,
    revoke: () => {
      revoked = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
