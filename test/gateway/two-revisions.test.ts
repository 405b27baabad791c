// The gateway serves 2026-07-28 clients (stateless requests, SDK v2 Client pinned to 2026) beside
// 2025-era sessions on one /mcp endpoint, over real upstream fixture processes of each era.
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, fixtureStdio } from '../helpers/servers.js';
import { eraStdio } from '../v2/era-servers.js';
import { closeAll, downstream, ENVELOPE, opened, post, serve, textOf, upstream } from './two-revisions-setup.js';

afterEach(closeAll);

describe('the gateway, both revisions on one endpoint', () => {
  it('answers a 2026-07-28 client (discover, tools, prompts, resources, completions) beside a 2025 one', async () => {
    const client = await upstream();
    const { listener } = await serve(client);
    const modern = await downstream(listener, '2026-07-28');
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(modern.getServerVersion()).toMatchObject({ name: 'universal-mcp-gateway' });
    expect(modern.getServerCapabilities()).toMatchObject({
      tools: { listChanged: true },
      prompts: { listChanged: true },
      resources: { subscribe: true },
      completions: {},
    });
    const { tools } = await modern.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['v2__echo', 'old__echo']));
    expect(textOf(await modern.callTool({ name: 'v2__echo', arguments: { text: 'new' } }))).toBe('new');
    expect(textOf(await modern.callTool({ name: 'old__echo', arguments: { text: 'old' } }))).toBe('old');
    const { prompts } = await modern.listPrompts();
    const greet = prompts.find((p) => p.name.endsWith('greet'));
    expect(greet).toBeDefined();
    const got = await modern.getPrompt({ name: greet?.name ?? '', arguments: { name: 'Ada' } });
    expect(got.messages[0]?.content).toEqual({ type: 'text', text: 'Hello, Ada' });
    const { resources } = await modern.listResources();
    expect(resources).toHaveLength(2);
    const read = await modern.readResource({ uri: resources[0]?.uri ?? '' });
    expect(read.contents[0]).toMatchObject({ uri: resources[0]?.uri, text: expect.any(String) });
    // A completion of an argument nobody offers completions for: an empty list, not an error.
    const done = await modern.complete({
      ref: { type: 'ref/prompt', name: 'nobody' },
      argument: { name: 'x', value: '' },
    });
    expect(done.completion.values).toEqual([]);
    const missing = await modern.readResource({ uri: 'nowhere://x' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: -32602 });

    // A 2025 session on the same endpoint, at the same time.
    const legacy = await downstream(listener, '2025-11-25');
    expect(legacy.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(textOf(await legacy.callTool({ name: 'v2__echo', arguments: { text: 'both' } }))).toBe('both');
    // A negotiating client picks 2026-07-28.
    expect((await downstream(listener, 'auto')).getNegotiatedProtocolVersion()).toBe('2026-07-28');
  });

  it('answers malformed 2026 requests as the spec says, each error with its request id', async () => {
    const client = await upstream(['v2']);
    const { listener } = await serve(client);
    const list = await post(listener, { id: 1, method: 'tools/list' });
    expect(list.status).toBe(200);
    expect(list.json.result?.tools).toBeInstanceOf(Array);
    const discover = await post(listener, { id: 'd', method: 'server/discover' });
    expect(discover.json.result?.supportedVersions).toContain('2026-07-28');
    // The header names another method: -32020.
    const mismatch = await post(listener, { id: 2, method: 'tools/list' }, { 'mcp-method': 'prompts/list' });
    expect(mismatch.json).toMatchObject({ id: 2, error: { code: -32020 } });
    // The header names another revision than the envelope.
    const versions = await post(listener, { id: 3, method: 'tools/list' }, { 'mcp-protocol-version': '2025-11-25' });
    expect(versions).toMatchObject({ status: 400, json: { id: 3, error: { code: -32020 } } });
    // A tools/call whose Mcp-Name header is not the tool's name.
    const named = await post(
      listener,
      { id: 4, method: 'tools/call', params: { name: 'v2__echo', arguments: { text: 'x' } } },
      { 'mcp-name': 'v2__add' },
    );
    expect(named.json).toMatchObject({ id: 4, error: { code: -32020 } });
    // An unsupported revision: -32022, HTTP 400, the supported list.
    const future = await post(
      listener,
      {
        id: 5,
        method: 'tools/list',
        params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      },
      { 'mcp-protocol-version': '2099-01-01' },
    );
    expect(future.status).toBe(400);
    expect(future.json).toMatchObject({
      id: 5,
      error: { code: -32022, data: { supported: expect.arrayContaining(['2026-07-28']) } },
    });
    // Methods the 2026 revision removed (initialize even with the envelope): method not found.
    for (const [id, method] of [
      [6, 'ping'],
      [7, 'logging/setLevel'],
      [8, 'resources/subscribe'],
      [9, 'initialize'],
    ] as const) {
      const params = { level: 'info', uri: 'x', protocolVersion: '2026-07-28', capabilities: {} };
      const removed = await post(listener, { id, method, params });
      expect(removed.json, method).toMatchObject({ id, error: { code: -32601 } });
    }
  });

  it('serves only the revisions asked for: a client of another gets -32022 naming those served', async () => {
    const client = await upstream(['v2']);
    const only2026 = (await serve(client, { revisions: ['2026-07-28'] })).listener;
    expect((await downstream(only2026, '2026-07-28')).getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const v1 = new V1Client({ name: 'old', version: '1.0.0' });
    const refused = await v1
      .connect(
        new V1Transport(only2026.url, { requestInit: { headers: { authorization: `Bearer ${only2026.token}` } } }),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused)).toMatch(/-32022|nsupported protocol version/);
    await v1.close();
    const sse = await fetch(new URL('/sse', only2026.url), { headers: { authorization: `Bearer ${only2026.token}` } });
    expect(sse.status).toBe(404);
    await sse.body?.cancel();

    const client2 = await upstream(['v2']);
    const only2025 = (await serve(client2, { revisions: ['2025-11-25'] })).listener;
    const modern = await post(only2025, { id: 'x', method: 'server/discover' });
    expect(modern.status).toBe(400);
    expect(modern.json).toMatchObject({
      id: 'x',
      error: { code: -32022, data: { supported: expect.arrayContaining(['2025-11-25']) } },
    });
    expect((modern.json.error?.data as { supported: string[] }).supported).not.toContain('2026-07-28');
    // A negotiating client falls back to initialize.
    expect((await downstream(only2025, 'auto')).getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(opened.length).toBeGreaterThan(0);
  });
});

describe('the cache fields of 2026 list results', () => {
  it('are the smallest upstream ttl, and private if any upstream part is', async () => {
    const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    opened.push(client);
    await client.addServer(eraStdio('fresh', { ERA_TTL_MS: '5000' }));
    await client.addServer(eraStdio('fresher', { ERA_TTL_MS: '2000' }));
    await client.whenReady();
    const { gateway, listener } = await serve(client);
    const tools = await post(listener, { id: 1, method: 'tools/list' });
    expect(tools.json.result).toMatchObject({ ttlMs: 2000, cacheScope: 'public' });
    // The fixture's resource list says nothing (the SDK's default: ttl 0, private).
    const resources = await post(listener, { id: 2, method: 'resources/list' });
    expect(resources.json.result).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
    const discover = await post(listener, { id: 3, method: 'server/discover' });
    expect(discover.json.result).toMatchObject({ ttlMs: 0, cacheScope: 'private' });

    // A 2025-era upstream says nothing of its tools: the merged list is private.
    await client.addServer(fixtureStdio('old'));
    await client.whenReady();
    await eventually(
      async () => ((await post(listener, { id: 4, method: 'tools/list' })).json.result?.tools as unknown[]).length > 4,
    );
    const merged = await post(listener, { id: 5, method: 'tools/list' });
    expect(merged.json.result).toMatchObject({ ttlMs: 2000, cacheScope: 'private' });
    expect(gateway.sessions).toBe(0); // 2026 requests leave no session behind
  });
});
