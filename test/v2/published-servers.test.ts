// The published SDK v2 servers (test/node_modules, never fetched) under the bare v2 client in auto
// mode, over stdio and HTTP: they list their tools, and — measured, see published-servers.ts — none
// of them answers server/discover yet, so the client falls back to 2025-11-25.
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { PUBLISHED_SERVERS, startPublishedHttp, type StartedHttpServer } from '../helpers/published-servers.js';

const servers: StartedHttpServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe.each(PUBLISHED_SERVERS)('published server $name', (server) => {
  it.each(['stdio', 'http'] as const)('lists its tools to the auto client over %s', async (kind) => {
    let transport: Transport;
    if (kind === 'stdio') {
      transport = new StdioClientTransport({
        command: process.execPath,
        args: [server.entry, ...server.stdioArgs],
        stderr: 'ignore',
      });
    } else {
      const started = await startPublishedHttp(server);
      servers.push(started);
      transport = new StreamableHTTPClientTransport(new URL(started.url));
    }
    const client = new Client({ name: 'published-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    clients.push(client);
    await client.connect(transport);
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [...(kind === 'stdio' ? server.stdioTools : server.httpTools)].sort(),
    );
  });
});
