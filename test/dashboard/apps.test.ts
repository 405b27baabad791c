// MCP Apps in the dashboard, in Debian's Chromium driven by playwright-core: the published App
// servers (server-basic-vanillajs, server-system-monitor) and a hostile App (the fixture) as child
// processes under a UniversalMcpClient, the scripted OpenAI-compatible provider on 127.0.0.1 (no
// model can run here) calling their tools in the chat. What the App received, and what it may not
// do, is read from inside its frame (Playwright's frame API), never from the page around it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callableByApp, visibleToModel } from '@universal-mcp/core';
import type { Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient, type StdioServerConfig } from '@universal-mcp/supervisor';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchDashboardBrowser, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { chatDashboard, closeInOrder, scriptedChat } from '../helpers/scripted-chat.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VANILLA = join(ROOT, 'node_modules/@modelcontextprotocol/server-basic-vanillajs/dist/index.js');
const MONITOR = join(ROOT, 'node_modules/@modelcontextprotocol/server-system-monitor/dist/index.js');
const HOSTILE = join(ROOT, 'test/fixtures/hostile-app-server.mjs');
/**
 * Longer than the dashboard tests' `SLOW`: an App is a frame of a few hundred KiB plus the bridge's bundle,
 * loaded and initialised on a shared 2-core machine.
 */
const SLOW = { timeout: 15_000 };

const stdio = (name: string, file: string, extra: Partial<StdioServerConfig> = {}) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: [file, '--stdio'],
  trusted: true,
  // Their calls run unasked in the chat (the hostile server and clock-ask say otherwise).
  tools: { approval: 'never' as const },
  ...extra,
});

describe('MCP Apps in the dashboard, in Chromium', { timeout: 90_000 }, () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let page: Page;
  let data: string;
  let provider: ScriptedProvider;
  /** What the Apps wrote to their console (the vanillajs App logs the input and result it gets). */
  const logs: string[] = [];

  const api = async (path: string, body?: unknown) => {
    const res = await fetch(new URL(path, dashboard.url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${dashboard.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  /** The frame of the App rendered last in the page. */
  const lastAppFrame = async (): Promise<Frame> => {
    const frame = page.locator('[data-role=app-frame]').last();
    await frame.waitFor({ state: 'visible', ...SLOW });
    const handle = await frame.elementHandle();
    const content = await handle?.contentFrame();
    if (!content) throw new Error('The App frame has no content frame');
    return content;
  };
  const say = async (text: string) => {
    const asked = provider.received.length;
    await page.locator('[data-role=composer]').fill(text);
    await page.locator('[data-role=send]').click();
    await expect.poll(() => provider.received.length, SLOW).toBeGreaterThan(asked);
    await expect.poll(() => page.locator('[data-role=send]').count(), SLOW).toBe(1);
  };
  const conversationId = async () =>
    (await page.locator('[data-conversation]').count()) === 0
      ? null
      : page.locator('[data-conversation]').getAttribute('data-conversation');
  const newConversation = async () => {
    await page.goto(`${dashboard.url.href}#chat`);
    await page.locator('[data-role=new-conversation]').waitFor(SLOW);
    const before = await conversationId();
    await page.locator('[data-role=new-conversation]').click();
    await expect.poll(conversationId, SLOW).not.toBe(before);
    await expect.poll(conversationId, SLOW).not.toBeNull();
  };

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'umcp-apps-'));
    provider = await startScriptedProvider();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(stdio('clock', VANILLA));
    await client.addServer(stdio('monitor', MONITOR));
    dashboard = await chatDashboard(client, data, [scriptedChat(provider)]);
    // Its App declares the dashboard's own origin as a connect domain: the API must stay shut anyway.
    await client.addServer(
      stdio('hostile', HOSTILE, { env: { HOSTILE_CONNECT: dashboard.url.origin }, trusted: false, tools: {} }),
    );
    browser = await launchDashboardBrowser();
    page = browser.page;
    page.on('console', (m) => logs.push(m.text()));
    page.on('dialog', (d) => void d.dismiss());
  }, 60_000);

  afterAll(async () => {
    await closeInOrder(browser, dashboard, client, provider);
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  it('renders the App under the chat tool call with its input and result', async () => {
    await newConversation();
    provider.script({ toolCalls: [{ name: 'get-time', args: {} }] }, { text: 'It is shown above.' });
    await say('What time is it?');
    const card = page.locator('[data-role=tool-card]').last();
    expect(await card.getAttribute('data-outcome')).toBe('ok');
    // Outside the fold: the App shows while the card stays collapsed.
    expect(await card.locator('details').getAttribute('open')).toBeNull();
    await expect.poll(() => card.locator('[data-role=app-frame]').isVisible(), SLOW).toBe(true);
    expect(await card.locator('[data-role=app-frame]').getAttribute('sandbox')).toBe('allow-scripts');
    expect(await card.locator('[data-role=app-frame]').getAttribute('title')).toBe('clock/get-time app');
    const frame = await lastAppFrame();
    // The result the model got (the server's time) is what the App shows.
    const sent = provider.received.at(-1)?.body.messages as { role: string; content?: unknown }[];
    const time = String(sent.find((m) => m.role === 'tool')?.content);
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toBe(time);
    expect(logs.some((l) => l.startsWith('Received tool call input:'))).toBe(true);
    expect(logs.some((l) => l.startsWith('Received tool call result:'))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'chat-app-1280.png') });
    // The store keeps no flag: a conversation read again says which calls have an App.
    const stored = await api(`/api/chat/conversations/${await conversationId()}`);
    const calls = (stored.body.messages as { toolCalls?: { tool: string; app?: boolean }[] }[]).flatMap(
      (m) => m.toolCalls ?? [],
    );
    expect(calls).toEqual([expect.objectContaining({ tool: 'get-time', app: true })]);
  });

  it('shows the App the same after the conversation is reloaded: its result is kept with the call', async () => {
    const id = await conversationId();
    const stored = await api(`/api/chat/conversations/${id}`);
    const [call] = (
      stored.body.messages as {
        toolCalls?: { outcome: { parts: { text: string }[] }; result?: { structuredContent?: unknown } }[];
      }[]
    ).flatMap((m) => m.toolCalls ?? []);
    const time = call?.outcome.parts[0]?.text;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The App reads `structuredContent` (without it, it shows "[ERROR]"): kept in the store.
    expect(call?.result?.structuredContent).toEqual({ time });
    await page.reload();
    await expect.poll(conversationId, SLOW).toBe(id);
    const frame = await lastAppFrame();
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toBe(time);
    expect(await page.locator('[data-role=app-result-cut]').count()).toBe(0);
  });

  it("lets the App call its own server's tool, through the dashboard", async () => {
    const frame = await lastAppFrame();
    const before = await frame.locator('#server-time').textContent();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/apps/calls'));
    await frame.locator('#get-time-btn').click();
    expect((await answered).status()).toBe(200);
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).not.toBe(before);
    expect(await frame.locator('#server-time').textContent()).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("runs the system monitor's app-only tool from its App", async () => {
    await newConversation();
    provider.script({ toolCalls: [{ name: 'get-system-info', args: {} }] }, { text: 'Here is your system.' });
    const polled = page.waitForResponse(
      (r) => r.url().endsWith('/api/apps/calls') && r.request().postDataJSON()?.tool === 'poll-system-stats',
      SLOW,
    );
    await say('How is my machine?');
    await lastAppFrame();
    const answer = await polled;
    expect(answer.status()).toBe(200);
    const result = (await answer.json()) as { content: { type: string; text: string }[] };
    expect(JSON.parse(result.content[0]?.text ?? '{}')).toHaveProperty('memory');
    // App-only: the App may call it, the model may not (the llm toolset leaving such tools out is
    // the `ext` change's, tested in packages/llm; here: the dashboard's App route takes it).
    const pollTool = client.listTools('monitor').find((t) => t.name === 'poll-system-stats');
    expect(pollTool && visibleToModel(pollTool)).toBe(false);
    expect(pollTool && callableByApp(pollTool)).toBe(true);
    const offered = (provider.received.at(-1)?.body.tools as { function: { name: string } }[]).map(
      (t) => t.function.name,
    );
    expect(offered).toContain('get-system-info');
    // Never offered to the model, in any request the scripted provider got.
    for (const request of provider.received)
      expect(
        ((request.body.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name),
      ).not.toContain('poll-system-stats');
  });

  it('serves a frame once, with its own CSP, and only to a token holder', async () => {
    expect((await fetch(new URL('/api/apps/frames', dashboard.url), { method: 'POST' })).status).toBe(401);
    const none = await api('/api/apps/frames', { server: 'clock', tool: 'nope' });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('APP_NOT_FOUND');
    const made = await api('/api/apps/frames', { server: 'hostile', tool: 'hostile-view' });
    expect(made.status).toBe(200);
    expect(made.body.resourceUri).toBe('ui://hostile/app.html');
    expect(made.body.allow).toBe('camera'); // `usb` is no permission the spec knows
    const url = new URL(made.body.frame as string, dashboard.url);
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('connect-src https://allowed.example');
    expect(csp).toContain('sandbox allow-scripts');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('evil.example');
    expect(csp).not.toContain('a.example');
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('x-frame-options')).toBeNull();
    expect((await fetch(url)).status).toBe(404);
  });

  it('keeps a hostile App away from the dashboard: token, storage, API, parent, top', async () => {
    await page.goto(`${dashboard.url.href}#chat`);
    await newConversation();
    provider.script({ toolCalls: [{ name: 'hostile-view', args: {} }] }, { text: 'Shown.' });
    const ask = page.locator('[data-role=approve]');
    const asked = provider.received.length;
    await page.locator('[data-role=composer]').fill('Show the hostile App');
    await page.locator('[data-role=send]').click();
    await ask.waitFor(SLOW); // an untrusted server's tool is asked first
    await ask.click();
    await expect.poll(() => provider.received.length, SLOW).toBeGreaterThan(asked + 1);
    await page.locator('[data-role=app-permissions-deny]').click(); // it asks for the camera
    const frame = await lastAppFrame();
    await frame.locator('#hostile').waitFor(SLOW);
    // Run in the frame as the App's own script would (a string: the test's types have no DOM).
    const probes = await frame.evaluate<Record<string, string>>(`(async () => {
      const attempt = async (run) => {
        try {
          return 'ran: ' + String(await run());
        } catch (err) {
          return 'blocked: ' + err.name;
        }
      };
      return {
        href: location.href,
        referrer: document.referrer,
        origin: String(self.origin),
        cookie: await attempt(() => document.cookie),
        storage: await attempt(() => localStorage.length),
        parentDocument: await attempt(() => parent.document.title),
        api: await attempt(async () => (await fetch(${JSON.stringify(dashboard.url.origin)} + '/api/servers')).status),
        relative: await attempt(async () => (await fetch('/api/servers')).status),
        elsewhere: await attempt(async () => (await fetch('https://undeclared.example/')).status),
        top: await attempt(() => {
          top.location.href = 'https://example.com/';
          return 'navigated';
        }),
      };
    })()`);
    expect(probes.href).not.toContain(dashboard.token);
    expect(probes.referrer).not.toContain(dashboard.token);
    expect(probes.origin).toBe('null'); // sandboxed: an opaque origin
    expect(probes.cookie).toMatch(/^blocked/);
    expect(probes.storage).toMatch(/^blocked/);
    expect(probes.parentDocument).toMatch(/^blocked/);
    // Declared, the dashboard's origin is reachable by CSP, but its API refuses an opaque origin.
    expect(['blocked: TypeError', 'ran: 401', 'ran: 403']).toContain(probes.api);
    expect(probes.relative).toBe('blocked: TypeError'); // not declared: CSP
    expect(probes.elsewhere).toBe('blocked: TypeError');
    expect(page.url()).toContain(dashboard.url.origin);
    await expect
      .poll(() => frame.evaluate<{ blockedURI: string }[]>('window.__violations'), SLOW)
      .toEqual(expect.arrayContaining([expect.objectContaining({ blockedURI: 'https://undeclared.example/' })]));
  });

  it('asks the user before an App call the policy wants approved, in the tool tester', async () => {
    await client.addServer(stdio('clock-ask', VANILLA, { trusted: false, tools: { approval: 'always' } }));
    await page.goto(dashboard.url.href);
    await page.getByLabel('Search tools').fill('get-time');
    await page.locator('[data-tool="clock-ask/get-time"]').click();
    const form = page.getByRole('form', { name: 'call get-time' });
    await form.getByRole('button', { name: 'Run' }).click();
    const frame = await lastAppFrame();
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toMatch(/^\d{4}-/);
    await frame.locator('#get-time-btn').click();
    await page.locator('[data-role=app-consent]').waitFor(SLOW);
    expect(await page.locator('[data-role=app-consent]').textContent()).toContain('clock-ask / get-time');
    await page.locator('[data-role=app-deny]').click();
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toBe('[ERROR]');
    const allowed = page.waitForResponse((r) => r.url().endsWith('/api/apps/calls') && r.status() === 200, SLOW);
    await frame.locator('#get-time-btn').click();
    await page.locator('[data-role=app-allow]').click();
    await allowed;
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toMatch(/^\d{4}-/);
  });

  it("refuses an App's call that the client's policy denies", async () => {
    const denied = await api('/api/apps/calls', { server: 'monitor', tool: 'nope', arguments: {} });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('TOOL_DENIED');
    // The App is on the page; then the policy denies its tool: its next call is refused.
    const frame = await lastAppFrame();
    await client.applyConfig({
      mcpServers: {
        ...Object.fromEntries(['clock', 'monitor', 'hostile'].map((name) => [name, configOf(client, name)])),
        'clock-ask': { ...configOf(client, 'clock-ask'), tools: { approval: 'always', deny: ['get-time'] } },
      },
    });
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/apps/calls'), SLOW);
    await frame.locator('#get-time-btn').click();
    const answer = await refused;
    expect(answer.status()).toBe(403);
    expect(((await answer.json()) as { code: string }).code).toBe('TOOL_DENIED');
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toBe('[ERROR]');
  });

  /** Opens `server/tool`'s App in the tool tester of a freshly loaded page. */
  const testerApp = async (server: string, tool: string) => {
    await page.goto(dashboard.url.href);
    await page.getByLabel('Search tools').fill(tool);
    await page.locator(`[data-tool="${server}/${tool}"]`).click();
    await page
      .getByRole('form', { name: `call ${tool}` })
      .getByRole('button', { name: 'Run' })
      .click();
  };
  /** JSON-RPC from inside the App's frame to the page (as the App's own script would), answers kept in `__answers`. */
  const fromApp = (frame: Frame, messages: unknown[]) =>
    frame.evaluate(`(() => {
      if (!window.__answers) {
        window.__answers = {};
        window.__heard = [];
        addEventListener('message', (e) => {
          if (e.data && e.data.id !== undefined) window.__answers[e.data.id] = e.data;
          else if (e.data && e.data.method) window.__heard.push(e.data);
        });
      }
      for (const m of ${JSON.stringify(messages)}) parent.postMessage({ jsonrpc: '2.0', ...m }, '*');
    })()`);
  const answerOf = (frame: Frame, id: number) =>
    frame.evaluate<{ result?: { isError?: boolean }; error?: { message: string } } | null>(
      `window.__answers && window.__answers[${id}] || null`,
    );

  it('asks before giving an App camera, microphone or geolocation, and remembers the answer per server', async () => {
    await testerApp('hostile', 'hostile-view');
    const asked = page.locator('[data-role=app-permissions]');
    await asked.waitFor(SLOW);
    expect(await asked.textContent()).toContain('This App asks for: camera');
    expect(await page.locator('[data-role=app-frame]').count()).toBe(0); // nothing framed before the answer
    await page.locator('[data-role=app-permissions-allow]').click();
    expect(await page.locator('[data-role=app-frame]').last().getAttribute('allow')).toBe('camera');
    // A fresh page asks again; without them, `allow` leaves the camera out.
    await testerApp('hostile', 'hostile-view');
    await page.locator('[data-role=app-permissions-deny]').click();
    await (await lastAppFrame()).locator('#hostile').waitFor(SLOW);
    expect(await page.locator('[data-role=app-frame]').last().getAttribute('allow')).toBeNull();
  });

  it("asks one question at a time: an App's second call or link while one waits is refused", async () => {
    await client.addServer(stdio('clock-once', VANILLA, { trusted: false, tools: { approval: 'always' } }));
    await testerApp('clock-once', 'get-time');
    const frame = await lastAppFrame();
    await expect.poll(() => frame.locator('#server-time').textContent(), SLOW).toMatch(/^\d{4}-/);
    const call = { method: 'tools/call', params: { name: 'get-time', arguments: {} } };
    await fromApp(frame, [{ id: 9001, ...call }]);
    await page.locator('[data-role=app-consent]').waitFor(SLOW);
    await fromApp(frame, [{ id: 9002, ...call }]);
    await expect.poll(() => answerOf(frame, 9002), SLOW).toMatchObject({ error: expect.anything() });
    expect(await page.locator('[data-role=app-consent]').count()).toBe(1);
    await page.locator('[data-role=app-deny]').click();
    await expect.poll(() => answerOf(frame, 9001), SLOW).toMatchObject({ error: expect.anything() });
    const link = { method: 'ui/open-link', params: { url: 'https://example.com/' } };
    await fromApp(frame, [{ id: 9003, ...link }]);
    await page.locator('[data-role=app-link]').waitFor(SLOW);
    await fromApp(frame, [{ id: 9004, ...link }]);
    await expect.poll(() => answerOf(frame, 9004), SLOW).toMatchObject({ result: { isError: true } });
    expect(await page.locator('[data-role=app-link]').count()).toBe(1);
    await page.locator('[data-role=app-link-cancel]').click();
    await expect.poll(() => answerOf(frame, 9003), SLOW).toMatchObject({ result: { isError: true } });
  });

  it("tells open Apps when the page's theme changes", async () => {
    const frame = await lastAppFrame();
    await fromApp(frame, []);
    const next = await page.evaluate<string>(`(() => {
      const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
      document.documentElement.dataset.theme = next;
      return next;
    })()`);
    await expect
      .poll(() => frame.evaluate<unknown[]>('window.__heard'), SLOW)
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ method: 'ui/notifications/host-context-changed', params: { theme: next } }),
        ]),
      );
  });

  it('ends the bridge when the App navigates its frame away', async () => {
    const frame = await lastAppFrame();
    await frame.evaluate('location.reload()').catch(() => undefined);
    await page.locator('[data-role=app-navigated]').waitFor(SLOW);
    expect(await page.locator('[data-role=app-navigated]').textContent()).toBe('The App navigated away');
    expect(await page.locator('[data-role=app-frame]').count()).toBe(0);
  });
});

/** A server's config as a config file entry (env values come back redacted: such a server restarts). */
function configOf(client: UniversalMcpClient, name: string) {
  const config = client.getServerInfo(name)?.config;
  if (config === undefined) throw new Error(`No server ${name}`);
  const { name: _name, ...entry } = config;
  return entry;
}
