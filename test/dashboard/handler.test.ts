// The dashboard mounted on a server of the service's own, beside its routes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboardHandler } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';
import { fixtureStdio } from '../helpers/servers.js';

describe('createDashboardHandler', () => {
  it('serves the dashboard from a server of yours, with its token and Host checks', async () => {
    await using client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('mounted'));
    const dashboard = createDashboardHandler(client);
    const server = createServer((req, res) =>
      req.url === '/own' ? res.end('the service') : dashboard.handler(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    dashboard.allowHosts([`127.0.0.1:${port}`]);
    try {
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/own`)).text()).toBe('the service');
      const auth = { authorization: `Bearer ${dashboard.token}` };
      const servers = (await (await fetch(`${base}/api/servers`, { headers: auth })).json()) as { name: string }[];
      expect(servers.map((s) => s.name)).toEqual(['mounted']);
      expect((await fetch(`${base}/api/servers`)).status).toBe(401);
      const tools = (await (await fetch(`${base}/api/tools?q=add%20two%20numbers`, { headers: auth })).json()) as {
        name: string;
      }[];
      expect(tools[0]?.name).toBe('add'); // the tool-selection index ranks it first
    } finally {
      dashboard.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
