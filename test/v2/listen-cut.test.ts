import { afterEach, describe, expect, it } from 'vitest';
import { UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { eventually, type HttpServerProcess } from '../helpers/servers.js';
import { eraLog, startEraHttp } from './era-servers.js';

// A 2026-07-28 server (or a proxy in front of it) that cuts the subscriptions/listen stream: the
// stream is opened again (with a backoff), the connection stays ready, and notifications resume. The
// stream is no liveness signal: requests and the server/discover health check are.
describe('a cut subscriptions/listen stream (2026-07-28, Streamable HTTP)', () => {
  let client: UniversalMcpClient | undefined;
  let server: HttpServerProcess | undefined;
  let removeLog: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.stop();
    await removeLog?.();
  });

  it(
    'keeps the connection ready; the stream is opened again and list changes come through it',
    {
      timeout: 60_000,
    },
    async () => {
      const log = await eraLog();
      removeLog = log.remove;
      server = await startEraHttp({ ERA_CUT_LISTEN: '2', ERA_LOG: log.file });
      client = new UniversalMcpClient();
      const states: ServerStateEvent[] = [];
      const toolLists: string[][] = [];
      client.on('tools:changed', (e) => toolLists.push(e.tools.map((t) => t.name)));
      await client.addServer({
        name: 'cut',
        transport: 'streamable_http',
        url: server.url,
        protocol: '2026-07-28',
        health: { intervalMs: 0 },
      });
      client.on('server:state', (e) => states.push(e));
      const listens = async (): Promise<number> =>
        (await log.lines()).filter((l) => l === 'subscriptions/listen').length;
      // Two streams cut, the third stays: reopened 1 s, then 2 s after the cuts (bound for a loaded machine).
      await eventually(async () => (await listens()) >= 3, 20_000);
      await new Promise((r) => setTimeout(r, 500)); // past the third stream's cut time, had it been cut
      expect(client.getServerInfo('cut')).toMatchObject({ state: 'ready', restarts: 0 });
      expect(states).toEqual([]);

      await client.callTool('cut', 'add-tool', {});
      await eventually(() => toolLists.some((names) => names.includes('extra')), 15_000);
      expect(await listens()).toBe(3);
    },
  );
});
