import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { startOAuthMigrationHttp, type HttpServerProcess } from '../helpers/servers.js';

interface Seen {
  registered: string[];
  authorize: string[];
  token: string[];
}

// SEP-2352: credentials are bound to the authorization server that issued them. A real MCP server behind two
// real authorization servers (the SDK's auth router, dynamic registration, PKCE) moves from the first to the
// second; the client must register afresh at the second and never show it the first one's client_id.
describe('authorization-code credentials follow the authorization server (SEP-2352)', () => {
  let server: HttpServerProcess;
  const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
  const sentTo: string[] = [];

  /** A headless user: follows the authorization URL and hands back the redirect's query. */
  async function onAuthorize(url: URL): Promise<URLSearchParams> {
    sentTo.push(url.origin);
    const res = await fetch(url, { redirect: 'manual' });
    await res.body?.cancel();
    return new URL(res.headers.get('location')!, url).searchParams;
  }

  const stats = async (): Promise<{ as1: Seen; as2: Seen }> =>
    (await fetch(new URL('/stats', server.url))).json() as Promise<{ as1: Seen; as2: Seen }>;

  beforeAll(async () => {
    server = await startOAuthMigrationHttp();
  });
  afterAll(async () => {
    await client.close();
    await server?.stop();
  });

  it('registers at the new authorization server and keeps the old client_id away from it', async () => {
    await client.addServer({
      name: 'moving',
      transport: 'streamable_http',
      url: server.url,
      auth: { type: 'authorization_code', redirectUrl: 'http://localhost:3000/callback', onAuthorize },
    });
    await expect(client.callTool('moving', 'whoami')).resolves.toMatchObject({ content: [{ text: 'as1' }] });
    const before = await stats();
    expect(before.as1.registered).toHaveLength(1);
    expect(before.as2.registered).toEqual([]);

    const moved = await fetch(new URL('/migrate', server.url), { method: 'POST' });
    expect(moved.status).toBe(204);
    // The old token is refused now; the client discovers the new authorization server and starts over there.
    await expect(client.callTool('moving', 'whoami')).resolves.toMatchObject({ content: [{ text: 'as2' }] });

    const after = await stats();
    const oldId = after.as1.registered[0]!;
    expect(after.as2.registered).toHaveLength(1);
    expect(after.as2.registered[0]).not.toBe(oldId);
    expect(after.as2.authorize).toEqual(after.as2.registered);
    expect(after.as2.token).toEqual(after.as2.registered);
    expect([...after.as2.authorize, ...after.as2.token]).not.toContain(oldId);
    expect(new Set(sentTo).size).toBe(2);
  });
});
