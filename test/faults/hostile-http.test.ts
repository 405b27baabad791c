import { afterEach, describe, expect, it } from 'vitest';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { eventually } from '../helpers/servers.js';
import { startRawHttpMcp, type RawHttpMcp } from '../helpers/raw-http-mcp.js';

// HTTP servers written by hand on node:http that misbehave on purpose (test/helpers/raw-http-mcp.ts).
describe('a hostile HTTP server', () => {
  let client: UniversalMcpClient;
  let server: RawHttpMcp;
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  const http = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    transport: 'streamable_http' as const,
    url: server.url,
    health: { intervalMs: 0 },
    ...extra,
  });

  it('closes keep-alive sockets after one response: a request is sent again on a fresh socket', async () => {
    server = await startRawHttpMcp({ onePerSocket: true });
    client = new UniversalMcpClient();
    await client.addServer(http('flaky'));
    for (let i = 0; i < 20; i += 1)
      await expect(client.callTool('flaky', 'echo', { text: `m${i}` })).resolves.toMatchObject({
        content: [{ text: `m${i}` }],
      });
    expect(client.getServerInfo('flaky')!.restarts).toBe(0);
  });

  it('sends every POST to the URL as configured, its query string included', async () => {
    server = await startRawHttpMcp();
    client = new UniversalMcpClient();
    await client.addServer(http('tenant', { url: `${server.url}?tenant=a%20b&x=1` }));
    await client.callTool('tenant', 'echo', { text: 'hi' });
    // server/discover (the era probe), initialize and notifications/initialized (the SDK's), tools/list and
    // tools/call (ours).
    expect(server.posts).toHaveLength(5);
    for (const target of server.posts) expect(target).toBe('/mcp?tenant=a%20b&x=1');
  });

  it('300 timed-out calls release their sockets; that server and another at its origin still answer', async () => {
    server = await startRawHttpMcp();
    client = new UniversalMcpClient({ defaults: { queue: { concurrency: 300 } } });
    await client.addServer(http('hung'));
    await client.addServer(http('neighbour'));
    const calls = Array.from({ length: 300 }, () =>
      client.callTool('hung', 'hang', {}, { timeoutMs: 500 }).catch((e: unknown) => e),
    );
    const errors = await Promise.all(calls);
    for (const e of errors) expect(e).toMatchObject({ code: ErrorCode.TIMEOUT });
    await eventually(() => server.openHangs() === 0, 5_000);
    await expect(client.callTool('hung', 'echo', { text: 'a' }, { timeoutMs: 5_000 })).resolves.toMatchObject({
      content: [{ text: 'a' }],
    });
    await expect(client.callTool('neighbour', 'echo', { text: 'b' }, { timeoutMs: 5_000 })).resolves.toMatchObject({
      content: [{ text: 'b' }],
    });
  });

  it.each([
    ['a JSON body', false],
    ['an SSE event', true],
  ])(
    'an answer over maxMessageBytes (%s) fails its call with MESSAGE_TOO_LARGE; the server stays up',
    async (_label, sse) => {
      server = await startRawHttpMcp();
      client = new UniversalMcpClient();
      await client.addServer(http('big', { maxMessageBytes: 1024 * 1024 }));
      const err = await client.callTool('big', 'big', { bytes: 5 * 1024 * 1024, sse }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCode.MESSAGE_TOO_LARGE, server: 'big' });
      await expect(client.callTool('big', 'echo', { text: 'small' })).resolves.toMatchObject({
        content: [{ text: 'small' }],
      });
      await expect(client.callTool('big', 'big', { bytes: 1000, sse })).resolves.toMatchObject({
        content: [{ text: 'x'.repeat(1000) }],
      });
      expect(client.getServerInfo('big')!.restarts).toBe(0);
    },
  );

  it('a 2 MB HTML error page becomes an error message of a few hundred characters', async () => {
    server = await startRawHttpMcp();
    client = new UniversalMcpClient();
    await client.addServer(http('html'));
    const err = await client.callTool('html', 'html_error').catch((e: Error) => e);
    expect(err).toMatchObject({ server: 'html' });
    expect((err as Error).message.length).toBeLessThan(600);
    expect((err as Error).message).toMatch(/more characters\)$/);
  });

  it('a token revoked mid-session: AUTH_FAILED, one reconnect, given up when refused again', async () => {
    server = await startRawHttpMcp({ token: 'good' });
    client = new UniversalMcpClient({ defaults: { backoff: { initialDelayMs: 50 } } });
    const givenUp: string[] = [];
    client.on('server:given-up', (e) => givenUp.push(e.error.code));
    await client.addServer(http('auth', { headers: { Authorization: 'Bearer good' } }));
    server.revoke();
    await expect(client.callTool('auth', 'echo', { text: 'x' })).rejects.toMatchObject({ code: ErrorCode.AUTH_FAILED });
    await eventually(() => client.getServerInfo('auth')!.givenUp, 5_000);
    expect(givenUp).toEqual([ErrorCode.AUTH_FAILED]);
    expect(client.getServerInfo('auth')!.restarts).toBe(1);
    await expect(client.callTool('auth', 'echo', { text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.SERVER_UNAVAILABLE,
    });
  });

  it('a 401 at connect is not retried with the same credentials', async () => {
    server = await startRawHttpMcp({ token: 'good' });
    client = new UniversalMcpClient({ defaults: { backoff: { initialDelayMs: 20 } } });
    await expect(client.addServer(http('wrong', { headers: { Authorization: 'Bearer bad' } }))).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
    await client.addServer(http('later', { headers: { Authorization: 'Bearer bad' } }), { waitForReady: false });
    await eventually(() => client.getServerInfo('later')!.givenUp, 5_000);
    expect(client.getServerInfo('later')!.restarts).toBe(0);
  });

  it('close() sends the session DELETE through the configured fetch, with the OAuth token', async () => {
    server = await startRawHttpMcp({ token: 'tok' });
    client = new UniversalMcpClient();
    const methods: string[] = [];
    const provider = {
      redirectUrl: undefined,
      clientMetadata: { redirect_uris: [] },
      clientInformation: () => ({ client_id: 'c' }),
      tokens: () => ({ access_token: 'tok', token_type: 'Bearer' }),
      saveTokens: () => undefined,
      redirectToAuthorization: () => undefined,
      saveCodeVerifier: () => undefined,
      codeVerifier: () => '',
    } as unknown as OAuthClientProvider;
    const counting = (url: string | URL, init?: RequestInit): Promise<Response> => {
      methods.push(init?.method ?? 'GET');
      return fetch(url, init);
    };
    await client.addServer(http('oauth', { auth: { type: 'oauth', provider }, fetch: counting }));
    await client.close();
    expect(methods).toContain('DELETE');
    expect(server.deletes).toHaveLength(1);
    expect(server.deletes[0]).toMatchObject({ authorization: 'Bearer tok', 'mcp-session-id': 'raw-session' });
  });

  it('close() sends the session DELETE to a URL with user:pass@ credentials', async () => {
    server = await startRawHttpMcp();
    client = new UniversalMcpClient();
    const url = server.url.replace('http://', 'http://user:secret@');
    await client.addServer({ name: 'basic', transport: 'streamable_http', url, health: { intervalMs: 0 } });
    // ...and the credentials are redacted wherever the config is shown.
    expect(client.getServerInfo('basic')!.config).toMatchObject({
      url: expect.stringMatching(/^http:\/\/%5Bredacted%5D:%5Bredacted%5D@127\.0\.0\.1/),
    });
    await client.close();
    expect(server.deletes).toHaveLength(1);
    expect(server.deletes[0]!.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
  });
});
