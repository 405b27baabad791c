// MCP Apps through the gateway: SDK v2 downstream clients (both revisions) see every upstream's
// Apps — the published App servers (basic-vanillajs, system-monitor, 2025 on stdio) and the repo's
// App fixture (test/fixtures/app-server.mjs, 2026 on stdio) — with `ui://` URIs namespaced by
// server, still `ui://`, readable, and the App content's `_meta.ui` kept.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { APP_MIME_TYPE, APPS_EXTENSION } from '@universal-mcp/core';
import type { HttpListener } from '@universal-mcp/gateway';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_SERVERS } from '../helpers/published-servers.js';
import { tempConfig } from '../helpers/servers.js';
import { startServe } from './serve-process.js';
import { closeAll, downstream, opened, serve, textOf } from './two-revisions-setup.js';
import { UniversalMcpClient as Facade } from '@universal-mcp/supervisor';

const APP_SERVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'app-server.mjs');
const published = (name: string) => {
  const s = PUBLISHED_SERVERS.find((p) => p.name === name);
  if (s === undefined) throw new Error(`no published server ${name}`);
  return { command: process.execPath, args: [s.entry, ...s.stdioArgs] };
};
/** What the App fixture's content says of itself (its `CONTENT_UI`). */
const CONTENT_UI = {
  csp: { connectDomains: ['https://api.example.com'], resourceDomains: ['https://cdn.example.com'] },
  permissions: { clipboardWrite: {} },
  domain: 'show.example.com',
  prefersBorder: true,
};
const APPS_CAPABILITY = { extensions: { [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } } };

type Revision = '2026-07-28' | '2025-11-25';
const REVISIONS: Revision[] = ['2026-07-28', '2025-11-25'];

/** A tool's `_meta` as listed. */
const metaOf = (tools: { name: string; _meta?: unknown }[], name: string): Record<string, unknown> =>
  (tools.find((t) => t.name === name)?._meta ?? {}) as Record<string, unknown>;

describe('MCP Apps through the gateway', () => {
  let upstream: UniversalMcpClient;
  let listener: HttpListener;
  beforeAll(async () => {
    upstream = new Facade({ apps: true, defaults: { health: { intervalMs: 0 } } });
    opened.push(upstream);
    await Promise.all([
      upstream.addServer({ name: 'basic-vanillajs', transport: 'stdio', ...published('basic-vanillajs') }),
      upstream.addServer({ name: 'system-monitor', transport: 'stdio', ...published('system-monitor') }),
      upstream.addServer({ name: 'app', transport: 'stdio', command: process.execPath, args: [APP_SERVER] }),
    ]);
    ({ listener } = await serve(upstream));
  }, 60_000);
  afterAll(closeAll);

  it.each(REVISIONS)('%s: the gateway declares the extension', async (revision) => {
    const down = await downstream(listener, revision);
    expect(down.getServerCapabilities()?.extensions?.[APPS_EXTENSION]).toEqual({ mimeTypes: [APP_MIME_TYPE] });
  });

  it.each(REVISIONS)("%s: every tool's App URI is namespaced, app-only tools included", async (revision) => {
    const down = await downstream(listener, revision);
    const { tools } = await down.listTools();
    const getTime = metaOf(tools, 'get-time');
    expect(getTime.ui).toEqual({ resourceUri: 'ui://basic-vanillajs/get-time/mcp-app.html' });
    expect(getTime['ui/resourceUri']).toBe('ui://basic-vanillajs/get-time/mcp-app.html');
    // The downstream host hands app-only tools to the App: the gateway lists them (its model must not see them).
    expect(metaOf(tools, 'poll-system-stats').ui).toMatchObject({ visibility: ['app'] });
    expect(metaOf(tools, 'get-system-info').ui).toMatchObject({
      resourceUri: 'ui://system-monitor/system-monitor/mcp-app.html',
    });
    expect(metaOf(tools, 'refresh').ui).toEqual({ resourceUri: 'ui://app/show/view.html', visibility: ['app'] });
    expect(metaOf(tools, 'show')).toEqual({
      ui: { resourceUri: 'ui://app/show/view.html' },
      'ui/resourceUri': 'ui://app/show/view.html',
    });
    const uris = (await down.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'ui://basic-vanillajs/get-time/mcp-app.html',
        'ui://system-monitor/system-monitor/mcp-app.html',
        'ui://app/show/view.html',
      ]),
    );
    expect(
      uris.filter((u) => u.startsWith('ui://')).every((u) => /^ui:\/\/(basic-vanillajs|system-monitor|app)\//.test(u)),
    ).toBe(true);
  });

  it.each(REVISIONS)(
    '%s: reading an App gives its HTML under the namespaced URI, `_meta.ui` kept',
    async (revision) => {
      const down = await downstream(listener, revision);
      const uri = 'ui://basic-vanillajs/get-time/mcp-app.html';
      const read = await down.readResource({ uri });
      expect(read.contents).toHaveLength(1);
      const [html] = read.contents as { uri: string; mimeType?: string; text?: string }[];
      expect(html?.uri).toBe(uri);
      expect(html?.mimeType).toBe(APP_MIME_TYPE);
      expect(html?.text?.length).toBeGreaterThan(100_000);
      expect(html?.text).toMatch(/<html/i);

      const own = await down.readResource({ uri: 'ui://app/show/view.html' });
      expect(own.contents[0]).toMatchObject({ uri: 'ui://app/show/view.html', mimeType: APP_MIME_TYPE });
      expect((own.contents[0]?._meta as { ui?: unknown } | undefined)?.ui).toEqual(CONTENT_UI);
      // The resource list entry keeps its `_meta.ui` too.
      const listed = (await down.listResources()).resources.find((r) => r.uri === 'ui://app/show/view.html');
      expect((listed?._meta as { ui?: unknown } | undefined)?.ui).toEqual(CONTENT_UI);

      // Only namespaced URIs lead anywhere: the original, or another server's namespace, is not found.
      await expect(down.readResource({ uri: 'ui://get-time/mcp-app.html' })).rejects.toThrow(/Resource not found/);
      await expect(down.readResource({ uri: 'ui://nobody/get-time/mcp-app.html' })).rejects.toThrow(
        /Resource not found/,
      );
    },
  );

  it.each(REVISIONS)('%s: App tools and app-only tools are called through', async (revision) => {
    const down = await downstream(listener, revision);
    const time = await down.callTool({ name: 'get-time', arguments: {} });
    expect(time.isError).not.toBe(true);
    expect(textOf(time)).toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(textOf(await down.callTool({ name: 'refresh', arguments: {} }))).toBe('refreshed');
  });

  it.each(REVISIONS)(
    '%s: a 2026 upstream is told the extension only when the downstream client declares it',
    async (revision) => {
      const withApps = await downstream(listener, revision, { capabilities: APPS_CAPABILITY });
      const told = JSON.parse(textOf(await withApps.callTool({ name: 'caps', arguments: {} }))) as Record<
        string,
        unknown
      >;
      expect(told.extensions).toEqual({ [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } });

      const without = await downstream(listener, revision, {
        capabilities: { extensions: { 'example.com/other': {} } },
      });
      const plain = JSON.parse(textOf(await without.callTool({ name: 'caps', arguments: {} }))) as Record<
        string,
        unknown
      >;
      // An extension the gateway's own sessions do not declare is not claimed for the client either.
      expect(plain.extensions).toBeUndefined();
    },
  );
});

describe('umcp serve', () => {
  it('declares the Apps extension to its servers (a 2025 server, at initialize)', async () => {
    const { dir, config } = await tempConfig('umcp-apps-', {
      app: { command: process.execPath, args: [APP_SERVER, '--only-2025'] },
    });
    const token = 'apps-serve-token-0123456789abcdef';
    try {
      const served = await startServe(config, token);
      try {
        const down = new Client({ name: 'downstream', version: '1.0.0' });
        await down.connect(
          new StreamableHTTPClientTransport(served.url, {
            requestInit: { headers: { authorization: `Bearer ${token}` } },
          }),
        );
        try {
          const told = JSON.parse(textOf(await down.callTool({ name: 'caps', arguments: {} }))) as Record<
            string,
            unknown
          >;
          expect(told.extensions).toEqual({ [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } });
        } finally {
          await down.close();
        }
      } finally {
        await served.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
