// The README's pictures of the dashboard, taken here so they stay current: the chat with an MCP App
// rendered under the tool call that produced it, at desktop (1280×800) and phone (390×844) width,
// in light and dark (the colour scheme emulated, as a person's system setting would choose it).
// Debian's Chromium through playwright-core; the published server-basic-vanillajs (a child process)
// serves the App; the scripted provider (no model runs here) plays the model calling its get-time.
// Each picture is taken only once the App's frame is on screen with its content loaded.
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchDashboardBrowser, PHONE, SLOW, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { PUBLISHED_SERVERS } from '../helpers/published-servers.js';
import { chatDashboard, closeInOrder, scriptedChat } from '../helpers/scripted-chat.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';
import { fixtureStdio } from '../helpers/servers.js';

const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const VANILLA = PUBLISHED_SERVERS.find((s) => s.name === 'basic-vanillajs');
const QUESTION = 'What time is it on the clock server?';
/** server-basic-vanillajs' get-time answers an ISO 8601 time; its App shows "Loading..." until then. */
const ISO_TIME = /^\d{4}-\d\d-\d\dT/;

describe('the README screenshots of the chat with an App', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let provider: ScriptedProvider;
  let data: string;

  const api = async (path: string, method = 'GET') =>
    (await (
      await fetch(new URL(path, dashboard.url), { method, headers: { authorization: `Bearer ${dashboard.token}` } })
    ).json()) as Record<string, unknown>;

  /** Sends `text` in the page's open conversation, approves any tool call asked, waits for the end. */
  async function converse(page: Page, text: string): Promise<void> {
    const asked = provider.received.length;
    await page.locator('[data-role=composer]').fill(text);
    await page.locator('[data-role=send]').click();
    await expect.poll(() => provider.received.length, SLOW).toBeGreaterThan(asked);
    // get-time carries no read-only hint: the chat may ask first, as a person would be asked.
    await expect
      .poll(async () => {
        const approve = page.locator('[data-role=approve]');
        if ((await approve.count()) > 0) await approve.first().click();
        return (await api(`/api/chat/conversations/${await openId(page)}`)).running;
      }, SLOW)
      .toBe(false);
    await expect.poll(() => page.locator('[data-role=send]').count(), SLOW).toBe(1);
  }

  /**
   * Waits for the App under `card` (server-basic-vanillajs' page in its sandboxed frame) to show the
   * tool's result, read from inside the frame: its time element.
   */
  async function appShowsTime(card: Locator): Promise<Locator> {
    const frame = card.locator('[data-role=app-frame]');
    await frame.waitFor({ state: 'visible', ...SLOW });
    const time = frame.contentFrame().locator('#server-time');
    await expect.poll(() => time.textContent(), SLOW).toMatch(ISO_TIME);
    return time;
  }

  /** The id of the conversation open in the page, or null (asked without waiting for one). */
  const openId = async (page: Page) =>
    (await page.locator('[data-conversation]').count()) === 0
      ? null
      : await page.locator('[data-conversation]').getAttribute('data-conversation');

  /** A new conversation in the page with one scripted exchange. */
  async function conversation(page: Page, text: string, ...turns: Parameters<ScriptedProvider['script']>) {
    const before = await openId(page);
    const fresh = page.locator('[data-role=new-conversation]');
    // On a phone the list, and its New button with it, is a drawer: open it as a person would.
    if (!(await fresh.isVisible())) await page.locator('[data-role=drawer-open]').first().click();
    await fresh.click();
    await expect.poll(() => openId(page), SLOW).not.toBe(before);
    provider.script(...turns);
    await converse(page, text);
  }

  beforeAll(async () => {
    if (VANILLA === undefined) throw new Error('server-basic-vanillajs is not in PUBLISHED_SERVERS');
    await mkdir(SHOTS, { recursive: true });
    data = await mkdtemp(join(tmpdir(), 'umcp-shots-'));
    provider = await startScriptedProvider();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('notes', { trusted: true }));
    await client.addServer({
      name: 'clock',
      transport: 'stdio',
      command: process.execPath,
      args: [VANILLA.entry, ...VANILLA.stdioArgs],
      trusted: true,
    });
    dashboard = await chatDashboard(client, data, [scriptedChat(provider, { models: ['gpt-4.1'] })]);
    browser = await launchDashboardBrowser(`${dashboard.url.href}#chat`);
  }, 60_000);

  afterAll(async () => {
    await closeInOrder(browser, dashboard, client, provider);
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  it('has two earlier conversations for the list beside the one pictured', async () => {
    const { page } = browser;
    await expect
      .poll(async () => [...((await api('/api/chat')).servers as string[])].sort(), SLOW)
      .toEqual(['clock', 'notes']);
    await conversation(page, 'Which servers are ready?', {
      text: 'Both are ready: **clock** (an MCP App server) and **notes**.',
    });
    await conversation(
      page,
      'Echo “hello” through the notes server',
      { toolCalls: [{ name: 'echo', args: { text: 'hello' } }] },
      { text: 'The notes server answered `hello`.' },
    );
  }, 120_000);

  const shots = [
    { file: 'chat-desktop-light.png', viewport: DESKTOP, colorScheme: 'light' },
    { file: 'chat-desktop-dark.png', viewport: DESKTOP, colorScheme: 'dark' },
    { file: 'chat-phone-light.png', viewport: PHONE, colorScheme: 'light' },
    { file: 'chat-phone-dark.png', viewport: PHONE, colorScheme: 'dark' },
  ] as const;

  it.each(shots.map((shot) => [shot.file, shot] as const))(
    'writes docs/screenshots/%s',
    async (file, { viewport, colorScheme }) => {
      // The App is pictured live, in a page of this colour scheme from the start (its theme is
      // the page's); the conversation goes once the picture is taken, so the list stays short.
      const page = await browser.newPage({ viewport, colorScheme });
      let id: string | null = null;
      try {
        await page.goto(`${dashboard.url.href}#chat`);
        // Attached, not visible: on a phone it waits in the closed drawer.
        await page.locator('[data-role=new-conversation]').waitFor({ state: 'attached', ...SLOW });
        await conversation(
          page,
          QUESTION,
          { text: 'I will ask the clock server.', toolCalls: [{ name: 'get-time', args: {} }] },
          {
            text:
              'The clock server answered with the current time in ISO 8601 (UTC), shown by its App; ' +
              'press **Get Server Time** there to ask again: the App calls the tool itself, under the same policy.',
          },
        );
        id = await openId(page);
        const card = page.locator('[data-role=tool-card]').last();
        expect(await card.getAttribute('data-outcome')).toBe('ok');
        expect(await card.locator('summary .tool-name').textContent()).toBe('clock / get-time');
        // The App shows the tool's result, read from inside its frame: the time the model was given.
        const sent = provider.received.at(-1)?.body.messages as { role: string; content?: unknown }[];
        const time = String(sent.find((m) => m.role === 'tool')?.content);
        expect(time).toMatch(ISO_TIME);
        expect(await (await appShowsTime(card)).textContent()).toBe(time);
        // The turn with the tool call at the top of the messages, the App under it in view.
        await card.evaluate((el) => el.closest('.turn')?.scrollIntoView({ block: 'start' }));
        // The App's frame is on screen, at least 120 px of it, when the picture is taken.
        const frame = card.locator('[data-role=app-frame]');
        await expect.poll(() => frame.isVisible(), SLOW).toBe(true);
        const box = await frame.boundingBox();
        const shown = Math.min(viewport.height, (box?.y ?? 0) + (box?.height ?? 0)) - Math.max(0, box?.y ?? 0);
        expect(shown).toBeGreaterThanOrEqual(Math.min(120, box?.height ?? 0));
        expect(box?.height).toBeGreaterThanOrEqual(80);
        const path = join(SHOTS, file);
        await page.screenshot({ path });
        expect((await stat(path)).size).toBeGreaterThan(10_000);
      } finally {
        await page.context().close();
        if (id !== null) await api(`/api/chat/conversations/${id}`, 'DELETE');
      }
    },
    90_000,
  );
});
