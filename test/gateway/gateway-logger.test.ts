// The gateway's `logger` option: a request that fails inside the listener is answered 500 and logged
// through it (the listener's failures are no longer swallowed), over real HTTP on 127.0.0.1.
import { connect } from 'node:net';
import type { Logger } from '@universal-mcp/core';
import { createGateway } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';

/** What one raw HTTP/1.1 request gets back (the connection is closed after it). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (out += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}

describe('the gateway logger', () => {
  it('logs a request the listener could not handle, and answers it 500', async () => {
    const lines: { level: string; obj: object; msg: string }[] = [];
    const at =
      (level: string) =>
      (obj: object, msg: string): void =>
        void lines.push({ level, obj, msg });
    const logger: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
    const client = new UniversalMcpClient();
    const gateway = createGateway(client, { logger });
    try {
      const listener = await gateway.listen({ port: 0 });
      const port = Number(listener.url.port);
      // An absolute-form target Node passes on but the WHATWG URL parser refuses: the handler throws.
      const answer = await rawRequest(
        port,
        `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 500 /);
      expect(lines).toEqual([
        {
          level: 'warn',
          obj: expect.objectContaining({ method: 'GET', path: 'http://[' }),
          msg: 'a gateway request failed',
        },
      ]);
      expect((lines[0]?.obj as { err?: unknown }).err).toBeInstanceOf(TypeError);
    } finally {
      await gateway.close();
      await client.close();
    }
  });
});
