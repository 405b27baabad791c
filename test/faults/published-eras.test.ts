import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { SERVER_COMES_BACK, descendantsOf, eventually } from '../helpers/servers.js';
import { ERA_MATRIX, eraOf, startMatrixHttp, type Protocol, type RestartableHttp } from '../helpers/v2-faults.js';

// The era matrix on real published servers: the SDK v2 MCP Apps servers and the 2025-era
// server-everything, over stdio and Streamable HTTP, under auto, pinned 2025-11-25 and pinned
// 2026-07-28. Measured (published-servers.ts): none of them answers server/discover yet, so auto
// must choose 2025-11-25 everywhere and a 2026 pin must fail, typed, naming what the server offers
// (never a restart loop: a server does not learn a revision by being retried).
/** A call each server answers without side effects, to prove it is in use. */
const PROBE_CALL: Record<string, Record<string, unknown>> = {
  'get-time': {},
  'get-system-info': {},
  list_pdfs: {},
  echo: { message: 'hi' },
};

describe.each(ERA_MATRIX)('published server $name', (published) => {
  let client: UniversalMcpClient;
  let server: RestartableHttp | undefined;
  afterEach(async () => {
    await client.close();
    await server?.stop();
    server = undefined;
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  async function add(transport: 'stdio' | 'streamable_http', protocol: Protocol) {
    if (transport === 'stdio') {
      return client.addServer({
        name: 'pub',
        transport,
        command: process.execPath,
        args: [published.entry, ...published.stdioArgs],
        protocol,
      });
    }
    server = await startMatrixHttp(published);
    return client.addServer({ name: 'pub', transport, url: server.url, protocol });
  }

  /** Resolves once a call reaches the server (a 2025 session that died with its process is renewed first). */
  const answers = (): Promise<void> => {
    const tool = published.httpTools[0]!;
    return eventually(async () => {
      try {
        await client.callTool('pub', tool, PROBE_CALL[tool]);
        return true;
      } catch {
        return false;
      }
    }, 60_000);
  };

  describe.each(['stdio', 'streamable_http'] as const)('over %s', (transport) => {
    it.each(['auto', '2025-11-25'] as const)(
      '%s speaks 2025-11-25 and survives a SIGKILL with its era kept',
      { timeout: 90_000 },
      async (protocol) => {
        client = new UniversalMcpClient({ defaults: { ...SERVER_COMES_BACK, connectTimeoutMs: 30_000 } });
        const { pid } = await add(transport, protocol);
        await answers();
        expect(eraOf(client.getServerInfo('pub'))).toBe('2025-11-25');
        expect(client.getServerInfo('pub')!.tools.map((t) => t.name)).toContain(published.httpTools[0]);
        if (transport === 'stdio') {
          process.kill(pid!, 'SIGKILL');
          await eventually(() => {
            const info = client.getServerInfo('pub');
            return info?.state === 'ready' && info.pid !== pid;
          }, 60_000);
        } else {
          await server!.stop();
          server = await server!.again();
        }
        await answers();
        expect(eraOf(client.getServerInfo('pub'))).toBe('2025-11-25');
        expect(client.getServerInfo('pub')!.tools.map((t) => t.name)).toContain(published.httpTools[0]);
      },
    );

    it(
      'pinned 2026-07-28 fails with UNSUPPORTED_PROTOCOL_VERSION naming what it offers',
      { timeout: 60_000 },
      async () => {
        client = new UniversalMcpClient({ defaults: { connectTimeoutMs: 30_000 } });
        const err = await add(transport, '2026-07-28').catch((e: unknown) => e);
        expect(err).toMatchObject({
          code: ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
          details: { requested: '2026-07-28' },
        });
        const { supported } = (err as { details: { supported: string[] } }).details;
        expect(supported).not.toContain('2026-07-28');
        // it names what the server is: a 2025-era one (or the 2025 revisions it offers)
        expect((err as Error).message).toMatch(/2026-07-28.*2025/);
        expect(client.listServers()).toEqual([]);
      },
    );
  });
});
