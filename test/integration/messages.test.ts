import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { eventually, startEverythingHttp, startFixtureHttp, type HttpServerProcess } from '../helpers/servers.js';

// What a person reads when things go wrong: log lines at the right level, errors that say what happened.

function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  // pino writes one JSON line per call to a destination with write().
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const warnings = (lines: Record<string, unknown>[]) => lines.filter((l) => (l.level as number) >= 40);

describe('messages', () => {
  let client: UniversalMcpClient | undefined;
  let server: HttpServerProcess | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    client = undefined;
    server = undefined;
  });

  it('closing a Streamable HTTP connection on purpose logs nothing at warn', async () => {
    server = await startFixtureHttp('http');
    const { logger, lines } = capture();
    client = new UniversalMcpClient({ logger });
    await client.addServer({ name: 'h', transport: 'streamable_http', url: server.url });
    await client.removeServer('h');
    await client.close();
    // The DELETE ends the server's GET stream after we closed; give a late report time to arrive.
    await new Promise((r) => setTimeout(r, 300));
    expect(warnings(lines)).toEqual([]);
  });

  it.each([
    ['streamable_http', 'http'],
    ['sse', 'sse'],
  ] as const)('%s: one warn line per restart: code and message, no stack (that at debug)', async (transport, mode) => {
    server = await startFixtureHttp(mode);
    const { logger, lines } = capture();
    client = new UniversalMcpClient({ logger });
    await client.addServer({
      name: 'h',
      transport,
      url: server.url,
      backoff: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    // server:restarting carries the attempt that ended (as every event's attempt: the one the server is on).
    const attempts: string[] = [];
    client.on('server:restarting', (e) => attempts.push(`restarting after ${e.attempt}`));
    client.on('server:state', (e) => e.to === 'connecting' && attempts.push(`attempt ${e.attempt}`));
    await server.stop();
    await eventually(() => lines.filter((l) => l.msg === 'restarting').length >= 3);
    expect(attempts.slice(0, 4)).toEqual(['restarting after 1', 'attempt 2', 'restarting after 2', 'attempt 3']);
    const warned = warnings(lines);
    const restarting = warned.filter((l) => l.msg === 'restarting');
    expect(restarting[1]).toMatchObject({
      code: ErrorCode.CONNECT_FAILED,
      reason: expect.stringMatching(/^Cannot connect to "h": connection refused 127\.0\.0\.1:\d+$/),
    });
    for (const line of warned) expect(JSON.stringify(line)).not.toMatch(/\\n\s+at /);
    // Nothing else at warn: the refused connections are told by these lines, not once more as transport errors.
    expect(warned.filter((l) => l.msg !== 'restarting')).toEqual([]);
    expect(
      lines.some((l) => l.level === 20 && l.msg === 'restarting after' && /\\n\s+at /.test(JSON.stringify(l))),
    ).toBe(true);
  });

  it('a call made while the server is down is SERVER_UNAVAILABLE (never sent), not a timeout', async () => {
    server = await startFixtureHttp('http');
    client = new UniversalMcpClient();
    await client.addServer({
      name: 'h',
      transport: 'streamable_http',
      url: server.url,
      backoff: { initialDelayMs: 60_000 },
    });
    await server.stop();
    await eventually(() => client!.getServerInfo('h')!.state === 'restarting');
    const err = await client.callTool('h', 'echo', { text: 'x' }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: ErrorCode.SERVER_UNAVAILABLE,
      server: 'h',
      details: { servers: { h: { state: 'restarting', error: { code: ErrorCode.CONNECTION_LOST } } } },
    });
    expect((err as Error).message).toMatch(
      /^Server "h" was not ready within 300 ms \(restarting: Connection to "h" lost: .*\); the request was not sent$/,
    );
  });

  it('a legacy SSE URL given as Streamable HTTP: says so, suggests "type": "sse", never shows raw HTML', async () => {
    client = new UniversalMcpClient();
    const connect = (name: string, url: string): Promise<Error> =>
      client!.addServer({ name, url, connectTimeoutMs: 10_000 }).then(
        () => new Error(`${name} connected`),
        (e: unknown) => e as Error,
      );
    // server-everything (express) answers the POST with an HTML 404 page.
    server = await startEverythingHttp('sse');
    const html = await connect('everything', server.url);
    expect(html).toMatchObject({ code: ErrorCode.CONNECT_FAILED });
    expect(html.message).toMatch(
      /^Cannot connect to "everything": http:\/\/127\.0\.0\.1:\d+\/sse is not a Streamable HTTP endpoint: it answered with an HTML page \(HTTP 404: Cannot POST \/sse\); this is a legacy HTTP\+SSE endpoint: set "type": "sse" for this server$/,
    );
    expect(html.message).not.toMatch(/<|>/);
    await server.stop();
    // The fixture's legacy server: a bare 404 to the initialize POST.
    server = await startFixtureHttp('sse');
    const bare = await connect('fixture', server.url);
    expect(bare.message).toMatch(
      /it answered the initialize POST with HTTP 404; this is a legacy HTTP\+SSE endpoint: set "type": "sse"/,
    );
    // A legacy server that opens its event stream whatever the method: the "endpoint" event gives it away at
    // once (the handshake would otherwise wait for its timeout and say only that).
    const naive: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: endpoint\ndata: /messages?sessionId=1\n\n');
    });
    await new Promise<void>((r) => naive.listen(0, '127.0.0.1', r));
    try {
      const { port } = naive.address() as AddressInfo;
      const stream = await connect('naive', `http://127.0.0.1:${port}/events`);
      expect(stream.message).toMatch(
        /\/events is not a Streamable HTTP endpoint: it answered with a legacy SSE stream \(an "endpoint" event\); this is a legacy HTTP\+SSE endpoint: set "type": "sse"/,
      );
    } finally {
      naive.closeAllConnections();
      await new Promise((r) => naive.close(r));
    }
  });
});
