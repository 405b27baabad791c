// The dashboard's App routes over real HTTP, without a browser: the hostile App fixture and the v2
// fixture server as stdio children. A frame's one load is not spent by a HEAD, a denied tool's App
// is not served, an App's tool calls reach the history as the App's (arguments redacted, approval
// recorded) and stop when the page drops the request; the chat's message limit follows maxBodyBytes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDashboard, type Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/servers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const stdio = (name: string, file: string, tools: Record<string, unknown> = {}) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: [join(ROOT, 'test/fixtures', file)],
  trusted: true,
  tools,
});

interface Entry {
  server: string;
  tool: string;
  source: string;
  arguments?: Record<string, unknown>;
  approved?: boolean;
  outcome: string;
}

describe('the dashboard App routes', { timeout: 60_000 }, () => {
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  const MAX_BODY = 64 * 1024;

  const api = async (path: string, body?: unknown, signal?: AbortSignal) => {
    const res = await fetch(new URL(path, dashboard.url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${dashboard.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const history = async (): Promise<Entry[]> => (await api('/api/history')).body as unknown as Entry[];

  beforeAll(async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(stdio('hostile', 'hostile-app-server.mjs', { deny: [] }));
    await client.addServer(stdio('v2', 'v2-server.mjs', { approval: 'never' }));
    await client.addServer(stdio('v2-ask', 'v2-server.mjs', { approval: 'always' }));
    dashboard = await createDashboard(client, { port: 0, maxBodyBytes: MAX_BODY, chat: {} });
  }, 30_000);

  afterAll(async () => {
    await dashboard?.close();
    await client?.close();
  });

  it("gives the page the console's version for the App's hostInfo (from the dashboard's package.json)", async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'packages/dashboard/package.json'), 'utf8')) as {
      version: string;
    };
    const made = await api('/api/apps/frames', { server: 'hostile', tool: 'hostile-view' });
    expect(made.status).toBe(200);
    expect(made.body.hostVersion).toBe(version);
  });

  it('answers a HEAD of a frame without spending its one load', async () => {
    const made = await api('/api/apps/frames', { server: 'hostile', tool: 'hostile-view' });
    expect(made.status).toBe(200);
    const url = new URL(made.body.frame as string, dashboard.url);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(405);
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('I am a hostile App.');
  });

  it('does not serve the App of a tool the policy denies', async () => {
    const config = (name: string, file: string, tools: Record<string, unknown>) => {
      const { name: _, ...rest } = stdio(name, file, tools);
      return rest;
    };
    await client.applyConfig({
      mcpServers: {
        hostile: config('hostile', 'hostile-app-server.mjs', { deny: ['hostile-view'] }),
        v2: config('v2', 'v2-server.mjs', { approval: 'never' }),
        'v2-ask': config('v2-ask', 'v2-server.mjs', { approval: 'always' }),
      },
    });
    await eventually(async () => client.toolAccess('hostile', 'hostile-view')?.offered === false, 10_000);
    const made = await api('/api/apps/frames', { server: 'hostile', tool: 'hostile-view' });
    expect(made.status).toBe(404);
    expect(made.body.code).toBe('APP_NOT_FOUND');
  });

  it("writes an App's calls to the history as the App's: arguments redacted, approval kept", async () => {
    const plain = await api('/api/apps/calls', { server: 'v2', tool: 'echo', arguments: { text: 'hi' } });
    expect(plain.status).toBe(200);
    const asked = await api('/api/apps/calls', {
      server: 'v2-ask',
      tool: 'echo',
      arguments: { text: 'hello', apiToken: 'sk-secret' },
      approved: true,
    });
    expect(asked.status).toBe(200);
    const entries = await history();
    const mine = entries.filter((e) => e.tool === 'echo');
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ server: 'v2', source: 'app', arguments: { text: 'hi' }, outcome: 'ok' }),
        expect.objectContaining({ server: 'v2-ask', source: 'app', approved: true, outcome: 'ok' }),
      ]),
    );
    expect(mine.some((e) => e.source === 'client')).toBe(false);
    const secret = mine.find((e) => e.server === 'v2-ask');
    expect(JSON.stringify(secret?.arguments)).not.toContain('sk-secret');
    expect(mine.find((e) => e.server === 'v2')?.approved).toBeUndefined();
  });

  it("stops an App's call when the page drops its request (the frame went)", async () => {
    const page = new AbortController();
    const call = api('/api/apps/calls', { server: 'v2', tool: 'slow', arguments: { ms: 30_000 } }, page.signal);
    // The call is running once the server counts it as the App's.
    await new Promise((resolve) => setTimeout(resolve, 500));
    page.abort();
    await expect(call).rejects.toThrow();
    // Without the abort the call would end (ok) only after 30 s: well past this bound.
    await eventually(async () => (await history()).some((e) => e.tool === 'slow' && e.source === 'app'), 15_000);
    const entry = (await history()).find((e) => e.tool === 'slow');
    expect(entry?.outcome).not.toBe('ok');
  });

  it("bounds a chat message by maxBodyBytes plus its images' base64, not a fixed 32 MiB", async () => {
    const images = 4 * Math.ceil((5 * 1024 * 1024) / 3) * 4;
    const res = await fetch(new URL('/api/chat/conversations/x/messages', dashboard.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${dashboard.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(MAX_BODY + images + 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain(String(MAX_BODY + images));
  });
});
