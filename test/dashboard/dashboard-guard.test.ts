// The dashboard's guard (@universal-mcp/http-guard, as the gateway's) over real HTTP: what changed when the
// two listeners' checks became one — /metrics checked for Host and Origin, an Origin must be a URL's
// origin, the host it listens on opens its own URL, and beyond loopback only with a token given.
import { request } from 'node:http';
import { createDashboard, type Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A GET of `path` on `url`'s listener with exactly `headers` (fetch does not let one set Host): its status. */
async function status(url: URL, path: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { headers }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard guard', () => {
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let auth: { authorization: string };

  beforeAll(async () => {
    client = new UniversalMcpClient();
    dashboard = await createDashboard(client, { port: 0, metrics: (_req, res) => void res.end('metrics\n') });
    auth = { authorization: `Bearer ${dashboard.token}` };
  });
  afterAll(async () => {
    await dashboard?.close();
    await client?.close();
  });

  it('checks Host and Origin on /metrics as on the rest (it did not)', async () => {
    const own = dashboard.url.host;
    expect(await status(dashboard.url, '/metrics', { ...auth, host: own })).toBe(200);
    expect(await status(dashboard.url, '/metrics', { host: own })).toBe(401);
    expect(await status(dashboard.url, '/metrics', { ...auth, host: 'attacker.example' })).toBe(403);
    expect(await status(dashboard.url, '/metrics', { ...auth, host: own, origin: 'http://evil.example' })).toBe(403);
    // The query token opens the page and its API, not /metrics (a scraper sends the header).
    expect(await status(dashboard.url, `/metrics?token=${dashboard.token}`, { host: own })).toBe(401);
  });

  it('takes an Origin only as a scheme and a host (a bare host:port passed)', async () => {
    const own = dashboard.url.host;
    expect(await status(dashboard.url, '/api/servers', { ...auth, host: own, origin: `http://${own}` })).toBe(200);
    expect(await status(dashboard.url, '/api/servers', { ...auth, host: own, origin: own })).toBe(403);
    expect(await status(dashboard.url, '/api/servers', { ...auth, host: own, origin: 'null' })).toBe(403);
  });

  it('opens its own URL on the loopback address it listens on (it answered 403)', async () => {
    // 127.0.0.2 is loopback (127.0.0.0/8) but not one of the loopback names.
    const other = await createDashboard(client, { host: '127.0.0.2', port: 0 });
    try {
      expect(other.url.host).toMatch(/^127\.0\.0\.2:\d+$/);
      expect((await fetch(other.url)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses to listen beyond loopback with a generated token, and a short one, with typed errors', async () => {
    await expect(createDashboard(client, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({
      code: 'TOKEN_NOT_GIVEN',
      message: expect.stringMatching(/give the token/),
    });
    await expect(createDashboard(client, { port: 0, token: 'short' })).rejects.toMatchObject({
      code: 'TOKEN_TOO_SHORT',
      message: 'The dashboard token must be at least 16 characters',
    });
  });
});
