import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import {
  SERVER_COMES_BACK,
  eventually,
  forgetSessions,
  startFixtureHttp,
  type HttpServerProcess,
} from '../helpers/servers.js';
import { eraOf } from '../helpers/v2-faults.js';

// T12: legacy SSE: the first stream error leads to teardown and a fresh initialize — never the
// EventSource's silent re-attach to a new, never-initialized session.
describe('T12 legacy SSE', () => {
  let client: UniversalMcpClient;
  let server: HttpServerProcess | undefined;
  afterEach(async () => {
    await client.close();
    await server?.stop();
  });

  it('a restarted SSE server gets a fresh initialize handshake', { timeout: 90_000 }, async () => {
    server = await startFixtureHttp('sse');
    const port = Number(new URL(server.url).port);
    client = new UniversalMcpClient({ defaults: SERVER_COMES_BACK });
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    await client.addServer({ name: 'legacy', transport: 'sse', url: server.url });
    await server.stop();
    server = await startFixtureHttp('sse', port);
    await eventually(() => states.filter((s) => s.to === 'ready').length === 2, 30_000);
    // the first stream error failed the connection; the way back went through a new handshake
    const afterFail = states.slice(states.findIndex((s) => s.to === 'failed'));
    expect(afterFail[0]!.reason).toMatch(/SSE|terminated|closed/i);
    expect(afterFail.map((s) => s.to)).toContain('initialized');
    await expect(client.callTool('legacy', 'echo', { text: 'fresh' })).resolves.toMatchObject({
      content: [{ text: 'fresh' }],
    });
  });

  it('a forgotten SSE session is torn down, not limped along', async () => {
    server = await startFixtureHttp('sse');
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    await client.addServer({ name: 'legacy', transport: 'sse', url: server.url });
    await forgetSessions(server);
    await client.callTool('legacy', 'echo', { text: 'x' }).catch(() => undefined); // may be retried transparently
    await eventually(() => states.filter((s) => s.to === 'ready').length === 2, 10_000);
    expect(states.some((s) => s.to === 'failed')).toBe(true);
    await expect(client.callTool('legacy', 'echo', { text: 'y' })).resolves.toBeDefined();
  });

  // T12 exists in the 2025 era only: there is no 2026-07-28 over HTTP+SSE.
  it('is 2025-only: a 2026 pin is refused as a config error, auto speaks 2025-11-25', async () => {
    server = await startFixtureHttp('sse');
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    const pinned = { name: 'pinned', transport: 'sse', url: server.url, protocol: '2026-07-28' };
    await expect(client.addServer(pinned as Parameters<UniversalMcpClient['addServer']>[0])).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
    });
    await client.addServer({ name: 'auto', transport: 'sse', url: server.url, protocol: 'auto' });
    expect(eraOf(client.getServerInfo('auto'))).toBe('2025-11-25');
  });
});
