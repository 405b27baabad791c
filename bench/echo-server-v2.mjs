// The bench's SDK v2 server: the same one `echo` tool as echo-server.mjs, on `@modelcontextprotocol/server`
// 2.x, served to both eras from one factory, as SDK v2 servers do.
//   node echo-server-v2.mjs stdio   serveStdio: the opening message picks the era of the connection
//                                   (`initialize` → a 2025 instance pinned for its lifetime; a request
//                                   carrying the 2026 `_meta` envelope, or `server/discover` → 2026)
//   node echo-server-v2.mjs http    Streamable HTTP on 127.0.0.1 (prints "listening <url>"): 2026
//                                   requests go to createMcpHandler (stateless, a fresh instance per
//                                   request); 2025 ones (isLegacyRequest) to a sessionful transport, like
//                                   echo-server.mjs, so a 2025 client meets the same server shape on v1 and
//                                   v2. Answers are each server's default: an SSE stream for 2025, JSON
//                                   for 2026 (ECHO_JSON=1: JSON for both).
// ECHO_LOG=<file> appends one line per `server/discover` and per `initialize` the server receives, so
// that a bench can count probes (connect.mjs) and tell which era a client opened with (run.mjs). Only
// these two methods: a line per call would cost the server what the bench measures in the client.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { McpServer, PROTOCOL_VERSION_META_KEY, createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const LOG = process.env.ECHO_LOG;
const JSON_ANSWERS = process.env.ECHO_JSON === '1';
const LOGGED = new Set(['server/discover', 'initialize']);

/** Appends an opening method to ECHO_LOG (O_APPEND: lines from several servers do not interleave). */
function note(message) {
  if (LOG !== undefined && LOGGED.has(message?.method)) appendFileSync(LOG, `${message.method}\n`);
}

function build() {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}

/** The stdio transport, with every inbound message shown to `note` first (only when ECHO_LOG is set). */
function stdioTransport() {
  const inner = new StdioServerTransport();
  if (LOG === undefined) return inner;
  return {
    start: () => inner.start(),
    close: () => inner.close(),
    send: (message, options) => inner.send(message, options),
    get onmessage() {
      return inner.onmessage;
    },
    set onmessage(handler) {
      inner.onmessage =
        handler &&
        ((message, extra) => {
          note(message);
          handler(message, extra);
        });
    },
    get onclose() {
      return inner.onclose;
    },
    set onclose(handler) {
      inner.onclose = handler;
    },
    get onerror() {
      return inner.onerror;
    },
    set onerror(handler) {
      inner.onerror = handler;
    },
  };
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString());
}

if (process.argv[2] === 'http') {
  const modern = toNodeHandler(
    createMcpHandler(build, { legacy: 'reject', responseMode: JSON_ANSWERS ? 'json' : 'auto' }),
  );
  const sessions = new Map();
  const legacy = async (req, res, body) => {
    const id = req.headers['mcp-session-id'];
    let transport = id === undefined ? undefined : sessions.get(id);
    if (transport === undefined) {
      transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: JSON_ANSWERS, // the SDK's default: each answer as an SSE stream
        onsessioninitialized: (sid) => sessions.set(sid, transport),
      });
      transport.onclose = () => sessions.delete(transport.sessionId);
      await build().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  };
  const http = createServer(async (req, res) => {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    note(body);
    // Two shortcuts past the SDK's classification, which builds a web Request per call: only a 2025
    // client holds a session, and only a 2026 request carries the envelope's protocol version.
    if (sessions.has(req.headers['mcp-session-id'])) return legacy(req, res, body);
    if (body?.params?._meta?.[PROTOCOL_VERSION_META_KEY] !== undefined) return modern(req, res, body);
    if (req.method === 'POST' && (await isLegacyRequest(await toWebRequest(req, body), body))) {
      return legacy(req, res, body);
    }
    return modern(req, res, body);
  });
  http.keepAliveTimeout = 60_000;
  http.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${http.address().port}/mcp`));
} else {
  serveStdio(build, { transport: stdioTransport() });
}
