import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, toUniversalError } from '../src/errors.js';
import { createNodeFetch, nodeFetch } from '../src/node-fetch.js';

// A real node:http server on 127.0.0.1: what the fetch does on the wire.
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let finishStream = (): void => undefined;
let streamEnded = false;

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
  const url = new URL(req.url!, base);
  switch (url.pathname) {
    case '/echo':
      res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
      res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
      return;
    case '/stream': {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      // The rest waits for the test to have read the first chunk (or 10 s, so that a fetch that buffers the whole
      // body still ends): the order is the assertion, not a time.
      streamEnded = false;
      finishStream = () => {
        clearTimeout(fallback);
        if (!streamEnded) res.end('data: two\n\n');
        streamEnded = true;
      };
      const fallback = setTimeout(finishStream, 10_000);
      return;
    }
    case '/hang':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: started\n\n');
      return; // never ends
    case '/redirect':
      res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: '/echo' }).end();
      return;
    case '/redirect-to':
      res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to')! }).end();
      return;
    case '/loop':
      res.writeHead(302, { location: '/loop' }).end();
      return;
    case '/silent':
      return; // never answers at all
    case '/json-big':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: { text: 'x'.repeat(200_000) }, jsonrpc: '2.0', id: 9 }));
      return;
    case '/empty':
      res.writeHead(204).end();
      return;
    default:
      res.writeHead(404).end('nope');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('nodeFetch', () => {
  it('sends method, headers and a string body; returns status, headers and body', async () => {
    const res = await nodeFetch(`${base}/echo`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"x":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(res.url).toBe(`${base}/echo`);
    expect(await res.json()).toEqual({ method: 'POST', body: '{"x":1}', auth: 'Bearer t' });
  });

  it('sends URLSearchParams as a form, as fetch does', async () => {
    const res = await nodeFetch(`${base}/echo`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }),
    });
    expect((await res.json()) as { body: string }).toMatchObject({ body: 'grant_type=client_credentials&scope=a+b' });
    expect(seen.at(-1)!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it('streams the body: the first chunk arrives before the server has finished', async () => {
    const res = await nodeFetch(`${base}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    expect(streamEnded).toBe(false); // read while the server still held the rest back
    finishStream();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: two\n\n');
  });

  it('abort: before, and during a streamed body; no listener is left on a shared signal', async () => {
    await expect(nodeFetch(`${base}/echo`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const shared = new AbortController();
    for (let i = 0; i < 50; i += 1) await (await nodeFetch(`${base}/echo`, { signal: shared.signal })).text();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    const ac = new AbortController();
    const res = await nodeFetch(`${base}/hang`, { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await expect(reader.read()).rejects.toBeDefined();
  });

  it('fails like undici on a dead server: TypeError("fetch failed") with the socket error as cause', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as { port: number }).port;
    await new Promise((r) => dead.close(r));
    const err = await nodeFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(toUniversalError(err, 's', 'connect').code).toBe(ErrorCode.CONNECT_FAILED);
  });

  it('returns redirects when manual; follows them otherwise (303 → GET, 307 keeps the body)', async () => {
    const manual = await nodeFetch(`${base}/redirect`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');
    const followed = await nodeFetch(`${base}/redirect?status=303`, { method: 'POST', body: 'x' });
    expect(await followed.json()).toMatchObject({ method: 'GET', body: '' });
    expect(followed.url).toBe(`${base}/echo`);
    const kept = await nodeFetch(`${base}/redirect?status=307`, { method: 'POST', body: 'keep me' });
    expect(await kept.json()).toMatchObject({ method: 'POST', body: 'keep me' });
    await expect(nodeFetch(`${base}/loop`)).rejects.toMatchObject({ message: 'fetch failed' });
  });

  it('keeps credentials on a redirect within the origin, drops them on one to another origin', async () => {
    // A second server on another port: another origin, as a redirect to an attacker's host would be.
    const other = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: '' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const elsewhere = `http://127.0.0.1:${(other.address() as { port: number }).port}/stolen`;
    const headers = {
      Authorization: 'Bearer secret',
      Cookie: 'sid=1',
      'Proxy-Authorization': 'Basic x',
      'x-keep': 'y',
    };
    try {
      const same = await nodeFetch(`${base}/redirect-to?status=307&to=/echo`, { headers });
      expect(await same.json()).toMatchObject({ auth: 'Bearer secret' });
      for (const status of ['302', '307']) {
        seen.length = 0;
        const to = encodeURIComponent(elsewhere);
        await (await nodeFetch(`${base}/redirect-to?status=${status}&to=${to}`, { headers })).text();
        const hop = seen.find((s) => s.url === '/stolen')!;
        expect(hop.headers).not.toHaveProperty('authorization');
        expect(hop.headers).not.toHaveProperty('cookie');
        expect(hop.headers).not.toHaveProperty('proxy-authorization');
        expect(hop.headers['x-keep']).toBe('y');
      }
    } finally {
      other.closeAllConnections();
      await new Promise((r) => other.close(r));
    }
  });

  it('gives no body for 204 and HEAD', async () => {
    expect((await nodeFetch(`${base}/empty`)).body).toBeNull();
    expect((await nodeFetch(`${base}/echo`, { method: 'HEAD' })).body).toBeNull();
  });

  it('a request given up on (notifications/cancelled) releases its socket, before or after its response', async () => {
    const f = createNodeFetch();
    const post = (path: string, body: object): Promise<Response> =>
      f(`${base}${path}`, { method: 'POST', body: JSON.stringify({ ...body, jsonrpc: '2.0' }) });
    const cancel = (id: number): Promise<Response> =>
      post('/echo', { method: 'notifications/cancelled', params: { requestId: id } });
    // No response yet: the fetch resolves as 202 Accepted, which the SDK takes as "nothing more".
    const silent = post('/silent', { method: 'tools/call', params: {}, id: 5 });
    await new Promise((r) => setTimeout(r, 50));
    await cancel(5);
    expect((await silent).status).toBe(202);
    // A response streaming: its body ends cleanly (no error: the SDK must not think the server died).
    const streaming = await post('/hang', { method: 'tools/call', params: {}, id: 6 });
    const reader = streaming.body!.getReader();
    await reader.read();
    await cancel(6);
    await expect(reader.read()).resolves.toMatchObject({ done: true });
    f.destroy();
  });

  it('a JSON answer over maxMessageBytes becomes an error answer for its request', async () => {
    const f = createNodeFetch({ maxMessageBytes: 10_000 });
    const res = await f(`${base}/json-big`, {
      method: 'POST',
      body: JSON.stringify({ method: 'tools/call', params: {}, jsonrpc: '2.0', id: 9 }),
    });
    expect(await res.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 9,
      error: { code: -32099, data: { maxBytes: 10_000 } },
    });
    const small = await createNodeFetch({ maxMessageBytes: 1_000_000 })(`${base}/json-big`, {
      method: 'POST',
      body: '{}',
    });
    expect(((await small.json()) as { result: { text: string } }).result.text).toHaveLength(200_000);
    f.destroy();
  });
});
