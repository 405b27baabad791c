// The dashboard's Tasks view in a real browser (Debian's Chromium through playwright-core), over a
// UniversalMcpClient whose server is the repo's tasks fixture (MCP Tasks, 2026) as a child process:
// the list and its API, cancel from the page, and a task's input answered in the page's requests.
import { join } from 'node:path';
import { DashboardRequests, createDashboard, type Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient, type TaskSnapshot } from '@universal-mcp/supervisor';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, SLOW, launchDashboardBrowser, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { tasksFixtureStdio } from '../helpers/published-servers.js';
import { closeInOrder } from '../helpers/scripted-chat.js';

describe('the Tasks view in Chromium', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let page: Page;

  beforeAll(async () => {
    const requests = new DashboardRequests();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: requests.handlers });
    await client.addServer(tasksFixtureStdio('jobs'));
    dashboard = await createDashboard(client, { port: 0, requests });
    browser = await launchDashboardBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(() => closeInOrder(browser, dashboard, client));

  const api = (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, dashboard.url), {
      ...init,
      headers: { authorization: `Bearer ${dashboard.token}`, ...init.headers },
    });

  /** The first `task:end` the client emits for a task that `match` picks. */
  const ended = (match: (s: TaskSnapshot) => boolean) =>
    new Promise<TaskSnapshot>((resolve) => {
      const off = client.on('task:end', (s) => {
        if (!match(s)) return;
        off();
        resolve(s);
      });
    });

  it('lists tasks behind the token, never their owner, and cancels only a task it has', async () => {
    expect((await fetch(new URL('/api/tasks', dashboard.url))).status).toBe(401);
    const handle = await client.startTool('jobs', 'long_task', { seconds: 60 }, { owner: 'alice@example.com' });
    try {
      const listed = await api('/api/tasks');
      expect(listed.status).toBe(200);
      const text = await listed.text();
      expect(JSON.parse(text)).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: handle.id, tool: 'long_task', status: 'working' })]),
      );
      expect(text).not.toContain('alice');
      expect((await api('/api/tasks/no-such-task/cancel', { method: 'POST' })).status).toBe(404);
      // A page elsewhere cannot cancel (cross-site POST).
      const evil = await api(`/api/tasks/${handle.id}/cancel`, {
        method: 'POST',
        headers: { origin: 'http://evil.example' },
      });
      expect(evil.status).toBe(403);
      expect(handle.snapshot().status).toBe('working');
    } finally {
      await handle.cancel();
    }
  }, 30_000);

  it('shows a running task, and its Cancel button ends it cancelled (task:end)', async () => {
    const handle = await client.startTool('jobs', 'long_task', { seconds: 60 });
    const end = ended((s) => s.id === handle.id);
    await page.goto(`${dashboard.url.href}#tasks`);
    const running = page.locator(`[data-group=running] [data-task="${handle.id}"]`);
    await expect.poll(() => running.count(), SLOW).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'tasks-running.png') });
    await running.getByRole('button', { name: /^Cancel long_task/ }).click();
    expect((await end).status).toBe('cancelled');
    const failed = page.locator(`[data-group=failed] [data-task="${handle.id}"]`);
    await expect.poll(() => failed.locator('[data-role=task-status]').textContent(), SLOW).toBe('cancelled');
  }, 30_000);

  it('a task asking for input: Answer opens the request, the answer completes it with that value', async () => {
    const end = ended((s) => s.tool === 'ask_task');
    await page.goto(`${dashboard.url.href}#tasks`);
    // Started as a dashboard call: its input comes to this page's requests (dashboard-requests.ts).
    const started = await page.evaluate(async (token) => {
      const res = await fetch('/api/calls', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ server: 'jobs', tool: 'ask_task', arguments: { seconds: 0.5 } }),
      });
      return res.status;
    }, dashboard.token);
    expect(started).toBe(200);
    const waiting = page.locator('[data-group=waiting] [data-status=input_required]');
    await expect.poll(() => waiting.count(), SLOW).toBe(1);
    const answer = waiting.getByRole('button', { name: 'Answer' });
    await expect.poll(() => answer.isEnabled(), SLOW).toBe(true);
    await answer.click();
    const dialog = page.getByRole('dialog', { name: 'elicitation request from jobs' });
    await expect.poll(() => page.evaluate<string>("document.activeElement?.id ?? ''"), SLOW).toMatch(/^answer-/);
    await expect.poll(() => dialog.locator('[data-role=params]').textContent()).toMatch(/Answer\?/);
    await page.screenshot({ path: join(ARTIFACTS, 'tasks-waiting.png') });
    await dialog.getByLabel('Answer').fill(JSON.stringify({ action: 'accept', content: { answer: 'forty-two' } }));
    await dialog.getByRole('button', { name: 'Approve' }).click();
    const done = await end;
    expect(done.status).toBe('completed');
    expect(JSON.stringify(done.result)).toContain('forty-two');
    const row = page.locator(`[data-group=done] [data-task="${done.id}"]`);
    await expect.poll(() => row.locator('[data-role=task-result]').textContent(), SLOW).toMatch(/forty-two/);
    await expect.poll(() => dialog.count()).toBe(0);
    // The history has the call once, at its end, with its task id.
    const history = async () =>
      ((await (await api('/api/history')).json()) as { tool: string; taskId?: string; outcome: string }[]).filter(
        (e) => e.tool === 'ask_task',
      );
    await expect.poll(history, SLOW).toEqual([expect.objectContaining({ taskId: done.id, outcome: 'ok' })]);
  }, 30_000);
});
