// What a token holder can open on the dashboard, over real HTTP: event streams up to
// `maxEventStreams` (then 429), request bodies up to `maxBodyBytes` (then 413, an answer the
// client reads, with or without a content-length).
import { createDashboard, type Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/servers.js';

describe('dashboard limits', () => {
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let auth: { authorization: string };

  beforeAll(async () => {
    client = new UniversalMcpClient();
    dashboard = await createDashboard(client, { port: 0, maxEventStreams: 2 });
    auth = { authorization: `Bearer ${dashboard.token}` };
  });
  afterAll(async () => {
    await dashboard?.close();
    await client?.close();
  });

  const at = (path: string): URL => new URL(path, dashboard.url);

  it('refuses an event stream past maxEventStreams with 429, and takes one again when a page goes', async () => {
    const pages = [new AbortController(), new AbortController()];
    const open = await Promise.all(pages.map((p) => fetch(at('/api/events'), { headers: auth, signal: p.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await fetch(at('/api/events'), { headers: auth });
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ error: '2 event streams are open; close a page first' });
    pages[0]?.abort();
    const again = new AbortController();
    // The server hears the page go when the socket closes: soon, not at once.
    await eventually(async () => {
      const res = await fetch(at('/api/events'), { headers: auth, signal: again.signal });
      if (res.status !== 200) await res.body?.cancel();
      return res.status === 200;
    }, 10_000);
    again.abort();
    pages[1]?.abort();
  });

  const big = 5 * 1024 * 1024; // past the 4 MiB default
  const refused = { error: `The request body is larger than ${4 * 1024 * 1024} bytes` };

  it('answers a body past maxBodyBytes with 413 when it says its length', async () => {
    const res = await fetch(at('/api/calls'), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ server: 's', tool: 't', arguments: { pad: 'x'.repeat(big) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(refused);
  });

  it('answers a chunked body with 413 once it passes maxBodyBytes, and the client reads the answer', async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= big) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(at('/api/calls'), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(refused);
  });

  it('reads a body within the limit as before', async () => {
    const res = await fetch(at('/api/calls'), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ server: 'none', tool: 't', arguments: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('id');
  });
});
