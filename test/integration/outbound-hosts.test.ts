import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, isUniversalMcpError } from '@universal-mcp/supervisor';
import { startRawHttpMcp, type RawHttpMcp } from '../helpers/raw-http-mcp.js';
import { UMCP, tempConfig } from '../helpers/servers.js';

/** A plain HTTP server on `host` that records every request and answers each with `answer`. */
interface Recorder {
  readonly url: string;
  readonly host: string;
  readonly requests: string[];
  close(): Promise<void>;
}

async function recorder(
  host: string,
  answer: (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void = (_req, res) =>
    res.writeHead(404).end(),
): Promise<Recorder> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let base = '';
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    answer(req, res, base);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://${host}:${port}`;
  return {
    url: base,
    host: `${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

// The outbound HTTP guard on real servers: 127.0.0.1, 127.0.0.2 (loopback too on Linux) and localhost are
// distinct hosts to it. The second server stands for an internal address the client was not told about.
describe('outboundHosts', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const clientWith = (outboundHosts: readonly string[]): UniversalMcpClient => {
    const client = new UniversalMcpClient({ outboundHosts, defaults: { health: { intervalMs: 0 } } });
    cleanups.push(() => client.close());
    return client;
  };
  const raw = async (behaviour: Parameters<typeof startRawHttpMcp>[0] = {}): Promise<RawHttpMcp> => {
    const server = await startRawHttpMcp(behaviour);
    cleanups.push(() => server.close());
    return server;
  };
  const record = async (...args: Parameters<typeof recorder>): Promise<Recorder> => {
    const server = await recorder(...args);
    cleanups.push(() => server.close());
    return server;
  };

  it('refuses a server URL not in the list at addServer: nothing is started or sent', async () => {
    const server = await raw();
    const client = clientWith(['localhost', '*.example.com']);
    const err = await rejection(client.addServer({ name: 'far', type: 'http', url: server.url }));
    expect(isUniversalMcpError(err, ErrorCode.HOST_NOT_ALLOWED)).toBe(true);
    const refused = err as { details: unknown; server: unknown; message: string };
    expect(refused.details).toEqual({
      host: new URL(server.url).host,
      outboundHosts: ['localhost', '*.example.com'],
    });
    expect(refused.server).toBe('far');
    expect(client.listServers()).toEqual([]);
    expect(server.posts).toEqual([]);
    // Without waiting for ready as well: the check is made before the server is registered.
    await expect(
      client.addServer({ name: 'far', type: 'http', url: server.url }, { waitForReady: false }),
    ).rejects.toMatchObject({ code: ErrorCode.HOST_NOT_ALLOWED });
    // A cross-app access IdP elsewhere is refused at add time too.
    await expect(
      client.addServer({
        name: 'xaa',
        type: 'http',
        url: 'http://localhost:1/mcp',
        auth: {
          type: 'cross_app_access',
          idpTokenEndpoint: 'http://127.0.0.2:1/token',
          idpClientId: 'idp-client',
          idToken: 'id-token',
          clientId: 'c',
          clientSecret: 's',
        },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.HOST_NOT_ALLOWED, details: { host: '127.0.0.2:1' } });
    expect(client.listServers()).toEqual([]);
    // An allowed host connects as before.
    const near = clientWith([new URL(server.url).hostname]);
    await near.addServer({ name: 'near', type: 'http', url: server.url });
    expect(near.getServerInfo('near')?.state).toBe('ready');
    // A reload naming a host not in the list changes nothing (checked before any server is touched).
    await expect(
      near.applyConfig({ mcpServers: { far: { type: 'http', url: server.url.replace('127.0.0.1', 'localhost') } } }),
    ).rejects.toMatchObject({ code: ErrorCode.HOST_NOT_ALLOWED });
    expect(near.listServers()).toEqual(['near']);
  });

  it('refuses a redirect to a host not in the list: the other host hears nothing; no retry loop', async () => {
    const internal = await record('127.0.0.2');
    const redirector = await record('127.0.0.1', (_req, res) =>
      res.writeHead(307, { location: `${internal.url}/mcp?key=s3cret` }).end(),
    );
    const client = clientWith(['127.0.0.1']);
    const err = await rejection(client.addServer({ name: 'hop', type: 'http', url: `${redirector.url}/mcp` }));
    expect(isUniversalMcpError(err, ErrorCode.HOST_NOT_ALLOWED)).toBe(true);
    expect((err as { details: unknown }).details).toEqual({ host: internal.host, outboundHosts: ['127.0.0.1'] });
    expect((err as Error).message).not.toContain('s3cret');
    expect(internal.requests).toEqual([]);

    // Supervised (not waiting): given up like AUTH_FAILED, not reconnected in a loop.
    let timer: NodeJS.Timeout | undefined;
    const given = new Promise<string>((resolve) => {
      client.once('server:given-up', () => resolve('given up'));
      // Generous on a busy machine: a first attempt takes milliseconds; a retry loop would never give up.
      timer = setTimeout(() => resolve('still retrying'), 15_000);
    });
    cleanups.push(async () => clearTimeout(timer));
    await client.addServer({ name: 'hop2', type: 'http', url: `${redirector.url}/mcp` }, { waitForReady: false });
    expect(await given).toBe('given up');
    const info = client.getServerInfo('hop2');
    expect(info?.givenUp).toBe(true);
    expect(info?.lastError?.code).toBe(ErrorCode.HOST_NOT_ALLOWED);
    expect(internal.requests).toEqual([]);
  });

  it('wraps a fetch the server config brings: its redirect to a host not in the list is refused too', async () => {
    const internal = await record('127.0.0.2');
    const redirector = await record('127.0.0.1', (_req, res) =>
      res.writeHead(307, { location: `${internal.url}/mcp` }).end(),
    );
    const calls: string[] = [];
    const client = clientWith(['127.0.0.1']);
    const err = await rejection(
      client.addServer({
        name: 'own-fetch',
        type: 'http',
        url: `${redirector.url}/mcp`,
        fetch: (url, init) => {
          calls.push(new URL(String(url)).host);
          return fetch(url, init);
        },
      }),
    );
    expect(isUniversalMcpError(err, ErrorCode.HOST_NOT_ALLOWED)).toBe(true);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((host) => host === redirector.host)).toBe(true);
    expect(internal.requests).toEqual([]);
  });

  it('takes outboundHosts from a config file (fromConfig) and from umcp --outbound-host', async () => {
    const server = await raw();
    const { dir, config } = await tempConfig('umcp-outbound-', { raw: { type: 'http', url: server.url } });
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await expect(
      UniversalMcpClient.fromConfig({
        mcpServers: { raw: { type: 'http', url: server.url } },
        outboundHosts: ['localhost'],
      }),
    ).rejects.toMatchObject({ code: ErrorCode.HOST_NOT_ALLOWED });
    const umcp = (...args: string[]): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [UMCP, 'servers', '--json', '-c', config, ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.once('close', (code) => resolve({ code, stderr }));
      });
    const refused = await umcp('--outbound-host', 'localhost', '--outbound-host', '*.example.com');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('outboundHosts');
    expect(server.posts).toEqual([]);
    expect((await umcp('--outbound-host', '127.0.0.1')).code).toBe(0);
    expect(server.posts.length).toBeGreaterThan(0);
  });

  it('refuses a redirect hop our own fetch would follow (the DELETE at close): the token never leaves', async () => {
    const internal = await record('127.0.0.2');
    const server = await raw({ token: 'tok-s3cret', deleteRedirect: `${internal.url}/mcp` });
    const client = clientWith(['127.0.0.1']);
    await client.addServer({
      name: 'raw',
      type: 'http',
      url: server.url,
      headers: { authorization: 'Bearer tok-s3cret' },
    });
    await client.removeServer('raw');
    expect(server.deletes).toHaveLength(1);
    expect(server.deletes[0]?.authorization).toBe('Bearer tok-s3cret');
    expect(internal.requests).toEqual([]);
  });

  it('refuses OAuth discovery pointing at an authorization server not in the list, before any request', async () => {
    const authServer = await record('127.0.0.2');
    const mcp = await record('127.0.0.1', (req, res, base) => {
      if (
        req.url === '/.well-known/oauth-protected-resource/mcp' ||
        req.url === '/.well-known/oauth-protected-resource'
      ) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ resource: `${base}/mcp`, authorization_servers: [authServer.url] }));
        return;
      }
      res.writeHead(401, {
        'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
      });
      res.end();
    });
    const client = clientWith(['127.0.0.1']);
    const err = await rejection(
      client.addServer({
        name: 'oauth',
        type: 'http',
        url: `${mcp.url}/mcp`,
        auth: { type: 'client_credentials', clientId: 'id', clientSecret: 'client-s3cret' },
      }),
    );
    expect(isUniversalMcpError(err, ErrorCode.HOST_NOT_ALLOWED)).toBe(true);
    expect((err as { details: unknown }).details).toEqual({ host: authServer.host, outboundHosts: ['127.0.0.1'] });
    expect(mcp.requests).toContain('GET /.well-known/oauth-protected-resource/mcp');
    expect(authServer.requests).toEqual([]);
  });

  it('does not send the user to an authorization endpoint on a host not in the list', async () => {
    const elsewhere = await record('127.0.0.2');
    const mcp = await record('127.0.0.1', (req, res, base) => {
      const json = (body: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url?.startsWith('/.well-known/oauth-protected-resource') === true)
        return json({ resource: `${base}/mcp`, authorization_servers: [base] });
      if (req.url?.startsWith('/.well-known/oauth-authorization-server') === true)
        return json({
          issuer: base,
          authorization_endpoint: `${elsewhere.url}/authorize`,
          token_endpoint: `${base}/token`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        });
      res.writeHead(401, {
        'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"`,
      });
      res.end();
    });
    const sentTo: string[] = [];
    const client = clientWith(['127.0.0.1']);
    const err = await rejection(
      client.addServer({
        name: 'browser',
        type: 'http',
        url: `${mcp.url}/mcp`,
        auth: {
          type: 'authorization_code',
          clientId: 'pre-registered',
          redirectUrl: 'http://127.0.0.1:1/callback',
          onAuthorize: (url) => {
            sentTo.push(url.host);
            return Promise.resolve('code');
          },
        },
      }),
    );
    expect(isUniversalMcpError(err, ErrorCode.HOST_NOT_ALLOWED)).toBe(true);
    expect((err as { details: unknown }).details).toEqual({ host: elsewhere.host, outboundHosts: ['127.0.0.1'] });
    expect(sentTo).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
  });
});
