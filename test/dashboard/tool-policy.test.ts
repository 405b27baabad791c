// The dashboard obeys the client's tool policy, in Debian's Chromium driven by playwright-core: a
// denied tool is nowhere in the page; a tool the rug-pull fixture redefines under `onChange: 'hold'`
// shows in the "Changed tools" review with its diff and is missing from the tester until accepted;
// the chat's approval card says what will run (server, trusted or not, arguments) and remembers an
// approval for its conversation only. No model runs here: the scripted provider on 127.0.0.1 plays
// the model's turns. Screenshots go to .ci/artifacts/dashboard.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchDashboardBrowser, SLOW, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { chatDashboard, closeInOrder, scriptedChat } from '../helpers/scripted-chat.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';
import { fixtureStdio } from '../helpers/servers.js';

/** Redefines its `fetch_page` when its `redefine` tool is called (test/fixtures/rug-pull-server.mjs). */
const RUG_PULL = join(import.meta.dirname, '..', 'fixtures', 'rug-pull-server.mjs');

describe('the dashboard under a tool policy, in Chromium', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let page: Page;
  let data: string;
  let provider: ScriptedProvider;

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(path, dashboard.url), {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${dashboard.token}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const toolButton = (id: string) => page.locator(`[data-tool="${id}"]`);
  const searchTools = (q: string) => page.getByLabel('Search tools').fill(q);

  /** The id of the conversation open in the page, or undefined. */
  const openConversation = async () =>
    (await page.locator('[data-conversation]').count()) === 0
      ? undefined
      : await page.locator('[data-conversation]').getAttribute('data-conversation');
  /** A new conversation opened in the page, its tools from `servers` only. */
  const newConversation = async (servers: string[]): Promise<string> => {
    const before = await openConversation();
    await page.locator('[data-role=new-conversation]').click();
    await expect.poll(openConversation, SLOW).not.toBe(before);
    const id = (await openConversation()) as string;
    const patched = await api(`/api/chat/conversations/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ settings: { servers } }),
    });
    expect(patched.status).toBe(200);
    return id;
  };
  const conversation = async (id: string) =>
    (await api(`/api/chat/conversations/${id}`)).body as {
      running: boolean;
      messages: { role: string; toolCalls?: { name: string; approval?: string; outcome?: { isError?: boolean } }[] }[];
    };
  /** Sends `text` from the composer; resolves once the provider was asked for its first turn. */
  const say = async (text: string) => {
    const asked = provider.received.length;
    await page.locator('[data-role=composer]').fill(text);
    await page.locator('[data-role=send]').click();
    await expect.poll(() => provider.received.length, SLOW).toBeGreaterThan(asked);
  };
  /** The conversation's run has ended (the page offers Send again). */
  const ended = async (id: string) => {
    await expect.poll(async () => (await conversation(id)).running, SLOW).toBe(false);
    await expect.poll(() => page.locator('[data-role=send]').count(), SLOW).toBe(1);
  };
  /** Every stored tool call of a conversation, in order. */
  const callsOf = async (id: string) => (await conversation(id)).messages.flatMap((m) => m.toolCalls ?? []);

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'umcp-tool-policy-'));
    provider = await startScriptedProvider();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    // `notes` is not trusted and may not offer `add`; `trusty` is trusted and offers everything.
    await client.addServer(fixtureStdio('notes', { tools: { deny: ['add'] } }));
    await client.addServer(fixtureStdio('trusty', { trusted: true }));
    // A changed definition is held: not offered until accepted.
    await client.addServer({
      name: 'rug',
      transport: 'stdio',
      command: process.execPath,
      args: [RUG_PULL],
      tools: { onChange: 'hold' },
    });
    // The same server under the default `onChange: 'warn'`: a changed tool stays offered, flagged.
    await client.addServer({ name: 'flagged', transport: 'stdio', command: process.execPath, args: [RUG_PULL] });
    dashboard = await chatDashboard(client, data, [scriptedChat(provider)]);
    browser = await launchDashboardBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await closeInOrder(browser, dashboard, client, provider);
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  it('leaves a denied tool out of the tester, the server detail and the API', async () => {
    await page.goto(dashboard.url.href);
    await searchTools('add');
    await toolButton('trusty/add').waitFor(SLOW);
    expect(await toolButton('notes/add').count()).toBe(0);
    await searchTools('');
    await toolButton('notes/echo').waitFor(SLOW);
    expect(await toolButton('notes/add').count()).toBe(0);
    const tools = (await api('/api/tools')).body as { server: string; name: string }[];
    expect(tools.filter((t) => t.name === 'add').map((t) => t.server)).toEqual(['trusty']);
    // The server's detail and card count the offered tools only.
    await page.locator('article[data-server="notes"]').getByRole('link', { name: 'Details of notes' }).click();
    await page.getByRole('tab', { name: /^Tools/ }).click();
    const listed = page.locator('[data-detail="notes"] [data-role=tools] [data-tool-name]');
    await listed.first().waitFor(SLOW);
    const names = await listed.evaluateAll((els) => els.map((e) => e.getAttribute('data-tool-name')));
    expect(names).toContain('echo');
    expect(names).not.toContain('add');
    const cards = (await api('/api/servers')).body as { name: string; tools: number }[];
    const count = (name: string) => cards.find((c) => c.name === name)?.tools;
    expect(count('notes')).toBe((count('trusty') ?? 0) - 1);
  });
  it('holds a redefined tool: the review shows it with its diff, the tester lacks it until Accept', async () => {
    await page.goto(dashboard.url.href);
    await page.locator('[data-role=no-changes]').waitFor(SLOW);
    await searchTools('fetch');
    await toolButton('rug/fetch_page').click();
    const form = page.getByRole('form', { name: 'call fetch_page' });
    // The server redefines the tool under the page: the review shows it at once (the event stream).
    await client.callTool('rug', 'redefine', {});
    const change = page.locator('[data-change="rug/fetch_page"]');
    await change.waitFor(SLOW);
    expect(await change.getAttribute('data-action')).toBe('hold');
    expect(await change.locator('[data-role=change-kind]').textContent()).toBe('redefined');
    const diff = (await change.locator('[data-role=diff]').textContent()) ?? '';
    expect(diff).toMatch(/description: .*Fetches a web page and returns its text\..*→.*id_rsa/);
    expect(diff).toContain('notes');
    await expect.poll(() => toolButton('rug/fetch_page').count(), SLOW).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'tool-changes-1280.png') });
    // The form picked before is still there: running it answers TOOL_DENIED, shown in the page.
    await form.locator('#field-url').fill('https://example.org');
    await form.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => form.locator('[data-role=error]').textContent(), SLOW).toMatch(/^TOOL_DENIED: /);
    // Accepted: the review empties and the tool is back in the tester, and runs.
    await change.locator('[data-role=accept]').click();
    await page.locator('[data-role=no-changes]').waitFor(SLOW);
    await toolButton('rug/fetch_page').waitFor(SLOW);
    expect(client.toolAccess('rug', 'fetch_page')?.offered).toBe(true);
    await toolButton('rug/fetch_page').click();
    await form.locator('#field-url').fill('https://example.org');
    await form.locator('#field-notes').fill('nothing');
    await form.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(() => form.locator('[data-role=result] .result-text').textContent(), SLOW)
      .toBe('page at https://example.org');
  });

  it('accepts a change only by POST with the token', async () => {
    const url = new URL('/api/tool-changes/accept', dashboard.url);
    const body = JSON.stringify({ server: 'rug', tool: 'fetch_page' });
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
    expect((await fetch(new URL('/api/tool-changes', dashboard.url))).status).toBe(401);
    const crossSite = await fetch(url, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${dashboard.token}`, origin: 'http://evil.example' },
      body,
    });
    expect(crossSite.status).toBe(403);
    // Nothing waits to be accepted now (the page accepted it): a 404 that says so.
    expect(await api('/api/tool-changes/accept', { method: 'POST', body })).toEqual({
      status: 404,
      body: { error: 'No change of that tool with that definition waits to be accepted' },
    });
    // The server changes the tool back: a new change. An accept naming another definition's sha256 (the one a
    // page showed before a further change) pins nothing; the shown one's does.
    await client.callTool('rug', 'restore', {});
    await expect.poll(() => client.toolChanges().length, SLOW).toBe(1);
    const { sha256 } = client.toolChanges()[0]!;
    const accept = (sha: string) =>
      api('/api/tool-changes/accept', {
        method: 'POST',
        body: JSON.stringify({ server: 'rug', tool: 'fetch_page', sha256: sha }),
      });
    expect((await accept('0'.repeat(64))).status).toBe(404);
    expect(client.toolChanges()).toHaveLength(1);
    expect(await accept(sha256!)).toEqual({ status: 200, body: { ok: true } });
    expect(client.toolChanges()).toEqual([]);
  });

  it('shows what will run on the approval card, and remembers an approval for its conversation only', async () => {
    await page.goto(`${dashboard.url.href}#chat`);
    const first = await newConversation(['notes']);
    // `echo` is annotated read-only, but `notes` is not trusted: its annotations are hints, so it asks.
    const args = { text: 'hello there', nested: { list: [1, 2, 3] } };
    provider.script({ toolCalls: [{ name: 'echo', args }] }, { text: 'Echoed.' });
    await say('Echo something');
    const approval = page.locator('[data-role=approval]');
    await approval.waitFor(SLOW);
    expect(await approval.locator('[data-role=approval-server]').textContent()).toBe('notes');
    expect(await approval.locator('[data-role=approval-tool]').textContent()).toBe('echo');
    expect(await approval.locator('[data-role=approval-trust]').getAttribute('data-trusted')).toBe('false');
    expect(await approval.locator('[data-role=approval-trust]').textContent()).toBe('not trusted');
    expect(JSON.parse((await approval.locator('[data-role=approval-args]').textContent()) ?? '')).toEqual(args);
    expect(await approval.locator('[data-role=approval-hints]').textContent()).toContain('read-only');
    await page.screenshot({ path: join(ARTIFACTS, 'chat-approval-policy-1280.png') });
    await approval.locator('[data-role=remember]').check();
    await approval.locator('[data-role=approve]').click();
    await ended(first);
    // A second call of the same tool in the same conversation runs unasked: nobody clicks, and it ends.
    provider.script({ toolCalls: [{ name: 'echo', args: { text: 'again' } }] }, { text: 'Echoed again.' });
    await say('Once more');
    await ended(first);
    const calls = await callsOf(first);
    expect(calls.map((c) => [c.name, c.approval, c.outcome?.isError ?? false])).toEqual([
      ['echo', 'approved', false],
      ['echo', 'approved', false],
    ]);
    // A new conversation asks again.
    const second = await newConversation(['notes']);
    provider.script({ toolCalls: [{ name: 'echo', args: { text: 'third' } }] }, { text: 'Not echoed.' });
    await say('And here?');
    await approval.waitFor(SLOW);
    await approval.locator('[data-role=deny]').click();
    await ended(second);
    expect((await callsOf(second)).map((c) => c.approval)).toEqual(['denied']);
  });

  it("runs a trusted server's read-only tool unasked and says the server is trusted on the card", async () => {
    const id = await newConversation(['trusty']);
    provider.script({
      toolCalls: [
        { name: 'echo', args: { text: 'hi' } },
        { name: 'add', args: { a: 2, b: 3 } },
      ],
    });
    await say('Echo, then add');
    const approval = page.locator('[data-role=approval]');
    await approval.waitFor(SLOW);
    expect(await page.locator('[data-role=approval]').count()).toBe(1);
    expect(await approval.locator('[data-role=approval-tool]').textContent()).toBe('add');
    expect(await approval.locator('[data-role=approval-trust]').getAttribute('data-trusted')).toBe('true');
    expect(await approval.locator('[data-role=approval-trust]').textContent()).toBe('trusted server');
    await approval.locator('[data-role=approve]').click();
    await ended(id);
    const calls = await callsOf(id);
    expect(calls.map((c) => [c.name, c.approval])).toEqual([
      ['echo', undefined],
      ['add', 'approved'],
    ]);
  });

  it("shows a flagged tool's diff on the approval card; remembering it does not cover a later change", async () => {
    const id = await newConversation(['flagged']);
    await client.callTool('flagged', 'redefine', {});
    await expect.poll(() => client.toolAccess('flagged', 'fetch_page')?.change?.action, SLOW).toBe('warn');
    const call = { name: 'fetch_page', args: { url: 'https://example.org', notes: 'n' } };
    provider.script({ toolCalls: [call] }, { text: 'Fetched.' });
    await say('Fetch it');
    const approval = page.locator('[data-role=approval]');
    await approval.waitFor(SLOW);
    expect(await approval.locator('[data-role=approval-change]').textContent()).toMatch(/changed since it was pinned/);
    expect(await approval.locator('[data-role=approval-diff]').textContent()).toMatch(
      /id_rsa[\s\S]*\+properties\.notes/,
    );
    await approval.locator('[data-role=remember]').check();
    await approval.locator('[data-role=approve]').click();
    await ended(id);
    // The server puts the tool back as pinned: not the definition that was approved, so it asks again.
    await client.callTool('flagged', 'restore', {});
    await expect.poll(() => client.toolAccess('flagged', 'fetch_page')?.change, SLOW).toBeUndefined();
    provider.script({ toolCalls: [{ name: 'fetch_page', args: { url: 'https://example.org' } }] }, { text: 'No.' });
    await say('Again');
    await approval.waitFor(SLOW);
    expect(await approval.locator('[data-role=approval-change]').count()).toBe(0);
    await approval.locator('[data-role=deny]').click();
    await ended(id);
    expect((await callsOf(id)).map((c) => c.approval)).toEqual(['approved', 'denied']);
  });
});
