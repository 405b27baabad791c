// The gateway's `logger` option: a request that fails inside the listener is answered 500 and logged
// through it (the listener's failures are no longer swallowed), over real HTTP on 127.0.0.1.
import { createGateway } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';
import { collectingLogger, unparsableUrlRequest } from '../helpers/log-probes.js';

describe('the gateway logger', () => {
  it('logs a request the listener could not handle, and answers it 500', async () => {
    const { logger, lines } = collectingLogger();
    const client = new UniversalMcpClient();
    const gateway = createGateway(client, { logger });
    try {
      const listener = await gateway.listen({ port: 0 });
      const port = Number(listener.url.port);
      // A target Node passes on but the URL parser refuses: the handler throws.
      const answer = await unparsableUrlRequest(port);
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
