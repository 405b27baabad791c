// The chat and a tool the server runs as a task (MCP Tasks): Debian's Chromium through playwright-core,
// the repo's tasks fixture as a child process, and the scripted provider on 127.0.0.1 as the model (no
// model can run here). The tool card shows the task's status while it runs; the task's input is asked
// in the page's requests, where every server request of a call made in the page is answered.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardRequests, createDashboard, type Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, launchDashboardBrowser, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { tasksFixtureStdio } from '../helpers/published-servers.js';
import { closeInOrder, scriptedChat } from '../helpers/scripted-chat.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';

describe('a task-backed tool call in the chat', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let provider: ScriptedProvider;
  let page: Page;
  let data: string;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'umcp-tasks-chat-'));
    provider = await startScriptedProvider();
    const requests = new DashboardRequests();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: requests.handlers });
    // Run unasked: this test is about the task, not the approval card.
    await client.addServer(tasksFixtureStdio('jobs', { tools: { approval: 'never' } }));
    dashboard = await createDashboard(client, {
      port: 0,
      history: { dir: data },
      chat: { providers: [scriptedChat(provider)], dir: data },
      requests,
    });
    browser = await launchDashboardBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await closeInOrder(browser, dashboard, client, provider);
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  it('shows the task status on the tool card and takes its input in the page', async () => {
    await page.goto(`${dashboard.url.href}#chat`);
    await page.locator('[data-role=new-conversation]').click();
    await expect.poll(() => page.locator('[data-conversation]').count(), SLOW).toBe(1);
    provider.script({ toolCalls: [{ name: 'ask_task', args: { seconds: 1 } }] }, { text: 'All answered.' });
    await page.locator('[data-role=composer]').fill('Ask me something');
    await page.locator('[data-role=send]').click();
    const card = page.locator('[data-role=tool-card]');
    await expect.poll(() => card.locator('[data-role=tool-outcome]').textContent(), SLOW).toBe('input required');
    const dialog = page.getByRole('dialog', { name: 'elicitation request from jobs' });
    await expect.poll(() => dialog.locator('[data-role=params]').textContent(), SLOW).toMatch(/Answer\?/);
    await dialog.getByLabel('Answer').fill(JSON.stringify({ action: 'accept', content: { answer: 'forty-two' } }));
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => card.locator('[data-role=tool-outcome]').textContent(), SLOW).toBe('ok');
    await expect.poll(() => card.locator('[data-role=tool-result]').textContent(), SLOW).toMatch(/forty-two/);
    await expect.poll(() => page.locator('.chat-message.assistant').last().textContent(), SLOW).toMatch(/All answered/);
    // The chat's call ran as one task, listed with its result.
    const tasks = client.tasks().filter((t) => t.tool === 'ask_task');
    expect(tasks.map((t) => t.status)).toEqual(['completed']);
  }, 60_000);
});
