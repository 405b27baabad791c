import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_2025, PROTOCOL_2026, type ServerConfig } from '@universal-mcp/core';
import { McpSession } from '@universal-mcp/core/internal';
import type { HttpServerProcess } from '../helpers/servers.js';
import { startEraHttp } from './era-servers.js';

// A 2026-07-28 server is stateless: a 404 is not "session expired" there (no session to lose).
// A proxy in front of the era fixture answers 404 once told the endpoint is gone.

let server: HttpServerProcess | undefined;
let proxy: Server | undefined;
let session: McpSession | undefined;

afterEach(async () => {
  await session?.close();
  await server?.stop();
  await new Promise((resolve) => (proxy === undefined ? resolve(undefined) : proxy.close(resolve)));
  proxy?.closeAllConnections();
  session = undefined;
  server = undefined;
  proxy = undefined;
});

/** Forwards to `target` until `gone()` is true, then answers every request 404. */
async function goneProxy(target: string, gone: () => boolean): Promise<string> {
  const upstream = new URL(target);
  proxy = createServer((req, res) => {
    if (gone()) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname}`;
}

describe('stateless faults', () => {
  it.each([
    [PROTOCOL_2026, ErrorCode.CONNECTION_LOST],
    [PROTOCOL_2025, ErrorCode.SESSION_EXPIRED],
  ] as const)('a 404 in the %s era is %s', async (protocol, code) => {
    server = await startEraHttp();
    let gone = false;
    const url = await goneProxy(server.url, () => gone);
    const config = { name: 'gone', transport: 'streamable_http', url, protocol } as ServerConfig;
    session = await McpSession.open(config, { timeoutMs: 10_000 });
    expect(session.era).toBe(protocol);
    await session.callTool('echo', { text: 'before' }, { timeoutMs: 10_000 });
    gone = true;
    await expect(session.callTool('echo', { text: 'after' }, { timeoutMs: 10_000 })).rejects.toMatchObject({ code });
    expect(session.lostReason?.code).toBe(code);
  });
});
