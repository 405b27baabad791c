// The dashboard in a real browser: Debian's Chromium driven by playwright-core (.ci/run installs the
// browser), the dashboard over a UniversalMcpClient with fixture servers as child processes.
// Screenshots go to .ci/artifacts/dashboard (not committed).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardRequests, createDashboard, type Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchDashboardBrowser, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { EVERYTHING, FIXTURE, fixtureStdio } from '../helpers/servers.js';
import { eraStdio } from '../v2/era-servers.js';

/** The published App server `@modelcontextprotocol/server-system-monitor` (run with `--stdio`). */
const MONITOR = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '@modelcontextprotocol',
  'server-system-monitor',
  'dist',
  'index.js',
);

describe('the dashboard in Chromium', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let page: Page;
  let data: string;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'umcp-dashboard-data-'));
    // The page answers the sampling and elicitation requests of the calls made in it.
    const requests = new DashboardRequests();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: requests.handlers });
    // A slow restart (1.5 s of backoff), so the card is seen restarting.
    await client.addServer(fixtureStdio('notes', { backoff: { initialDelayMs: 1500, maxDelayMs: 1500 } }));
    await client.addServer(fixtureStdio('weather'));
    await client.addServer({
      name: 'everything',
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    dashboard = await createDashboard(client, { port: 0, history: { dir: data }, requests });
    browser = await launchDashboardBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await client?.close();
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  const card = (name: string) => page.locator(`article[data-server="${name}"]`);

  /** Finds `server/tool` by `search`, and runs it with `json` typed into the raw JSON editor: its form. */
  async function runRaw(search: string, server: string, tool: string, json: string) {
    await page.getByLabel('Search tools').fill(search);
    await page.locator(`[data-tool="${server}/${tool}"]`).click();
    const form = page.getByRole('form', { name: `call ${tool}` });
    await form.getByLabel('raw JSON').check();
    await form.getByLabel('arguments as JSON').fill(json);
    await form.getByRole('button', { name: 'Run' }).click();
    return form;
  }

  /**
   * Runs `use` on a dashboard of its own whose page answers the server's requests (the shared one was
   * re-created by the history test without `requests`), then closes both.
   */
  async function withRequests(
    config: Parameters<UniversalMcpClient['addServer']>[0],
    use: (client: UniversalMcpClient) => Promise<void>,
  ): Promise<void> {
    await dashboard.close();
    const requests = new DashboardRequests();
    const asking = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: requests.handlers });
    await asking.addServer(config);
    const own = await createDashboard(asking, { port: 0, requests });
    try {
      await page.goto(own.url.href);
      await use(asking);
    } finally {
      await own.close();
      await asking.close();
    }
  }

  it('refuses the page and the API without the token', async () => {
    const bare = new URL('/', dashboard.url);
    expect((await fetch(bare)).status).toBe(401);
    expect((await fetch(new URL('/api/servers', dashboard.url))).status).toBe(401);
    expect((await fetch(new URL('/api/events', dashboard.url))).status).toBe(401);
    const wrong = await fetch(new URL('/api/servers', dashboard.url), { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    // A page elsewhere cannot drive it (DNS rebinding, cross-site POST).
    const evil = await fetch(new URL('/api/servers/notes/restart', dashboard.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${dashboard.token}`, origin: 'http://evil.example' },
    });
    expect(evil.status).toBe(403);
    const csp = (await fetch(dashboard.url)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
  });

  it('shows servers live: a SIGKILLed one goes failed → restarting → ready, and its timeline says so', async () => {
    await page.goto(dashboard.url.href);
    await expect.poll(() => card('notes').locator('[data-role=state]').textContent()).toBe('ready');
    await expect.poll(() => card('weather').locator('[data-role=state]').textContent()).toBe('ready');
    // The fixture is a 2025-era server: the card says which revision initialize settled.
    expect((await card('notes').locator('[data-role=protocol]').textContent())?.trim()).toBe('2025-11-25');
    // Before its first call a card says so, where the chart of its last minute will be.
    expect(await card('notes').locator('[data-role=chart-empty]').textContent()).toMatch(/No calls yet/);
    expect(await card('notes').locator('canvas').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-1280.png') });

    const seen = new Set<string>();
    const watch = setInterval(() => {
      void card('notes')
        .locator('[data-role=state]')
        .textContent()
        .then((t) => t !== null && seen.add(t))
        .catch(() => undefined);
    }, 50);
    try {
      process.kill(client.getServerInfo('notes')?.pid as number, 'SIGKILL');
      await expect
        .poll(() => card('notes').locator('[data-role=restarts]').textContent(), { timeout: 10_000 })
        .toBe('1');
      await expect
        .poll(() => card('notes').locator('[data-role=state]').textContent(), { timeout: 10_000 })
        .toBe('ready');
    } finally {
      clearInterval(watch);
    }
    expect([...seen].some((s) => s === 'failed' || s === 'restarting')).toBe(true);
    // Recovered: the error that took it down is still there to read, labelled as the past, muted.
    const error = card('notes').locator('[data-role=error]');
    await expect.poll(() => error.textContent()).toMatch(/last error, before recovery:\s*[A-Z_]+: /);
    expect(await error.getAttribute('class')).toContain('recovered');
    const color = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('article[data-server=notes] [data-role=error]')).color`,
    );
    expect(color).not.toBe('rgb(207, 34, 46)'); // not the failure red
    await card('notes').screenshot({ path: join(ARTIFACTS, 'card-recovered.png') });
    await card('notes').getByRole('link', { name: 'Details of notes' }).click();
    const timeline = page.locator('[data-detail=notes] [data-role=timeline]');
    await expect.poll(() => timeline.textContent()).toMatch(/ready → failed[\s\S]*restart: attempt 2[\s\S]*→ ready/);
    await page.screenshot({ path: join(ARTIFACTS, 'detail-1280.png'), fullPage: true });
  });

  it('adds and removes servers from the page', async () => {
    await page.goto(dashboard.url.href);
    const config = { name: 'added', transport: 'stdio', command: process.execPath, args: [FIXTURE, 'stdio'] };
    await page.getByLabel('Add a server').fill(JSON.stringify(config));
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect
      .poll(() => card('added').locator('[data-role=state]').textContent(), { timeout: 10_000 })
      .toBe('ready');
    expect(client.listServers()).toContain('added');
    await card('added').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => card('added').count(), { timeout: 10_000 }).toBe(0);
    expect(client.listServers()).not.toContain('added');
    // Bad input is refused with a message, and nothing changes.
    await page.getByLabel('Add a server').fill('{"name": "broken"}');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    // The error shows in the form, under the config that caused it.
    const addError = page.locator('form.add [data-role=add-error]');
    await expect.poll(() => addError.textContent()).toMatch(/CONFIG_INVALID/);
    expect(await page.getByLabel('Add a server').getAttribute('aria-describedby')).toBe('add-error');
    expect(client.listServers()).not.toContain('broken');
    await page.getByLabel('Add a server').fill('{"name": ');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => addError.textContent()).toBe('The server config is not JSON');
    await page.locator('form.add').screenshot({ path: join(ARTIFACTS, 'add-error.png') });
  });

  it('fits a phone-wide screen (390 px): one column, nothing cut off', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(dashboard.url.href);
    await expect.poll(() => card('weather').locator('[data-role=state]').textContent()).toBe('ready');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    const [a, b] = [await card('notes').boundingBox(), await card('weather').boundingBox()];
    expect(a?.x).toBe(b?.x); // stacked, not side by side
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-390.png'), fullPage: true });
  });

  it('tests a tool by hand: a form from its schema, validation, the result; a long call cancelled', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(dashboard.url.href);
    await page.getByLabel('Search tools').fill('sum');
    await page.locator('[data-tool="everything/get-sum"]').click();
    const form = page.getByRole('form', { name: 'call get-sum' });
    await form.getByLabel('a *').fill('2');
    await form.getByRole('button', { name: 'Run' }).click();
    // b is required: nothing is sent until it is there.
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/b: required/);
    await form.getByLabel('b *').fill('3');
    await form.getByRole('button', { name: 'Run' }).click();
    // The tool's own text, not the result box (which also shows the call's duration in ms).
    await expect
      .poll(() => form.locator('[data-role=result] .result-text').textContent())
      .toBe('The sum of 2 and 3 is 5.');
    // The call shows on its server's card: a latency where there was none, and the chart of the
    // last minute (uPlot, on a canvas) with its axes' units and a legend, above the buttons.
    await expect.poll(() => card('everything').textContent()).not.toMatch(/p50 \/ p99– \/ –/);
    const chart = card('everything').getByRole('img', { name: /calls per second/ });
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    expect(await chart.locator('.u-axis').count()).toBe(3);
    // Without the cursor the legend gives the latest second, each value with its unit.
    expect(await chart.locator('.u-legend').textContent()).toMatch(
      /time:?\s*\d{1,2}:\d{2}:\d{2}[\s\S]*calls\/s:?\s*\d+ calls\/s[\s\S]*median latency \(ms\):?\s*(–|[\d.]+ ms)/,
    );
    // The axes' labels (drawn on the canvas, named in the chart's accessible name): time along x,
    // each y axis with its unit.
    expect(await chart.getAttribute('aria-label')).toMatch(
      /x axis: time; left axis: calls\/s; right axis: median latency \(ms\)$/,
    );
    const [chartBox, buttonsBox] = [
      await chart.boundingBox(),
      await card('everything').locator('.actions').boundingBox(),
    ];
    expect((chartBox?.y ?? 0) + (chartBox?.height ?? 0)).toBeLessThanOrEqual(buttonsBox?.y ?? 0);
    await card('everything').screenshot({ path: join(ARTIFACTS, 'card-chart.png') });
    // A narrower window: the chart narrows with its card.
    const wide = (await chart.locator('.uplot').boundingBox())?.width ?? 0;
    await page.setViewportSize({ width: 390, height: 900 });
    const narrow = async () => (await chart.locator('.uplot').boundingBox())?.width ?? 1e6;
    await expect.poll(narrow).toBeLessThan(wide);
    expect(await narrow()).toBeLessThanOrEqual((await chart.boundingBox())?.width ?? 0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, 'tool-1280.png'), fullPage: true });

    await page.getByLabel('Search tools').fill('long-running');
    await page.locator('[data-tool="everything/trigger-long-running-operation"]').click();
    const long = page.getByRole('form', { name: 'call trigger-long-running-operation' });
    await long.getByLabel('duration').fill('20');
    await long.getByLabel('steps').fill('20');
    await long.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => long.getByLabel('progress').count(), { timeout: 10_000 }).toBe(1);
    await long.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => long.locator('[data-role=error]').textContent(), { timeout: 10_000 }).toMatch(/CANCELLED/);
  });

  it('builds nested arguments from the form: an object, an array, a null and an enum', async () => {
    await page.goto(dashboard.url.href);
    await page.getByLabel('Search tools').fill('plan trip');
    await page.locator('[data-tool="weather/plan_trip"]').click();
    const form = page.getByRole('form', { name: 'call plan_trip' });
    const field = (label: string) => form.getByLabel(label, { exact: true });
    await field('destination *').fill('Oslo');
    await field('travelers *').fill('2');
    await field('from *').fill('2026-12-01');
    await field('to *').fill('2026-12-05');
    await form.getByRole('button', { name: 'Add stops' }).click();
    await form.getByRole('button', { name: 'Add stops' }).click();
    await field('stops 1 *').fill('Bergen');
    await field('stops 2 *').fill('Flåm');
    await field('budget is null').check();
    await field('mode *').selectOption('train');
    await form.getByRole('button', { name: 'Run' }).click();
    await expect
      .poll(async () => JSON.parse((await form.locator('[data-role=result] pre').first().textContent()) ?? '{}'))
      .toEqual({
        destination: 'Oslo',
        travelers: 2,
        dates: { from: '2026-12-01', to: '2026-12-05' },
        stops: ['Bergen', 'Flåm'],
        budget: null,
        mode: 'train',
      });
  });

  it('shows structuredContent as a tree that folds', async () => {
    await page.goto(dashboard.url.href);
    await page.getByLabel('Search tools').fill('structured content');
    await page.locator('[data-tool="everything/get-structured-content"]').click();
    const form = page.getByRole('form', { name: 'call get-structured-content' });
    await form.getByLabel('location *', { exact: true }).selectOption({ index: 1 });
    await form.getByRole('button', { name: 'Run' }).click();
    const tree = form.locator('[data-role=structured]');
    await expect.poll(() => tree.locator('.leaf').count()).toBeGreaterThan(1);
    await tree.locator('summary').first().click();
    await expect.poll(() => tree.locator('.leaf').first().isVisible()).toBe(false);
  });

  it('works from the keyboard: Tab reaches the controls, Enter opens details and runs a form', async () => {
    await page.goto(dashboard.url.href);
    await expect.poll(() => card('weather').locator('[data-role=state]').textContent()).toBe('ready');
    // The views first (Servers, Tasks, Chat), the header's theme toggle, then the first card's button.
    const focused: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""'));
    }
    expect(focused).toEqual(['Servers', 'Tasks', 'Chat', '☾ Dark', 'Details']);
    await card('weather').getByRole('link', { name: 'Details of weather' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-detail=weather]').count()).toBe(1);
    // The tabs: arrow keys move between them, the URL follows.
    await page.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: /^Tools/ }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate<boolean>('document.activeElement?.id === "tab-tools"')).toBe(true);
    expect(new URL(page.url()).hash).toBe('#/servers/weather/tools');
    expect(await page.locator('[data-detail=weather] [data-role=tools]').textContent()).toMatch(/echo[\s\S]*add/);
    await page.getByRole('link', { name: '← All servers' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Search tools').focus();
    await page.keyboard.type('add two numbers');
    await page.locator('[data-tool="weather/add"]').focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'call add' });
    await form.getByLabel('a *', { exact: true }).focus();
    await page.keyboard.type('20');
    await page.keyboard.press('Tab');
    await page.keyboard.type('22');
    await page.keyboard.press('Enter');
    await expect.poll(() => form.locator('[data-role=result] .result-text').textContent()).toBe('42');
  });

  it('keeps every call in a history that survives a restart, and replays one into the form', async () => {
    await client.callTool('weather', 'echo', { text: 'from the service', token: 'hunter2' });
    await dashboard.close();
    dashboard = await createDashboard(client, { port: 0, history: { dir: data } });
    await page.goto(dashboard.url.href);
    const rows = page.locator('[data-role=history] tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const text = await page.locator('[data-role=history]').textContent();
    expect(text).toMatch(/everything \/ get-sum/);
    expect(text).toMatch(/CANCELLED/);
    expect(text).toMatch(/weather \/ echo/);
    const api = await fetch(new URL('/api/history?q=get-sum', dashboard.url), {
      headers: { authorization: `Bearer ${dashboard.token}` },
    });
    const [sum] = (await api.json()) as { arguments?: unknown; outcome: string; source: string }[];
    expect(sum).toMatchObject({ arguments: { a: 2, b: 3 }, outcome: 'ok', source: 'console' });
    // Replay: the form comes back with the arguments it was run with, even when the tool search
    // shows other tools.
    await page.getByLabel('Search tools').fill('plan trip');
    await expect.poll(() => page.locator('[data-tool="weather/plan_trip"]').count()).toBe(1);
    expect(await page.locator('[data-tool="everything/get-sum"]').count()).toBe(0);
    await page.getByLabel('Filter history').fill('get-sum');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByRole('button', { name: 'Replay' }).click();
    const form = page.getByRole('form', { name: 'call get-sum' });
    await expect.poll(() => form.getByLabel('b *').inputValue()).toBe('3');
  });

  it('replays a failed call with the value that made it fail (in the raw JSON editor)', async () => {
    await page.goto(dashboard.url.href);
    const form = await runRaw('add two numbers', 'weather', 'add', '{"a": "two", "b": 3}');
    await expect.poll(() => form.locator('[data-role=result]').textContent(), { timeout: 10_000 }).not.toBe('');
    await page.goto(dashboard.url.href);
    await page.getByLabel('Filter history').fill('"two"');
    const rows = page.locator('[data-role=history] tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-outcome')).not.toBe('ok');
    await rows.first().getByRole('button', { name: 'Replay' }).click();
    const again = page.getByRole('form', { name: 'call add' });
    // A number field cannot hold "two": the arguments come back as JSON, exactly as sent.
    await expect.poll(() => again.getByLabel('raw JSON').isChecked()).toBe(true);
    expect(JSON.parse(await again.getByLabel('arguments as JSON').inputValue())).toEqual({ a: 'two', b: 3 });
  });

  it('pages through the history: the newest 100, then older calls with no call twice', async () => {
    const auth = { authorization: `Bearer ${dashboard.token}` };
    const get = async (query: string) =>
      (await (await fetch(new URL(`/api/history?q=page+call${query}`, dashboard.url), { headers: auth })).json()) as {
        at: number;
      }[];
    // Dashboard calls (their arguments are kept, so the filter finds them).
    for (let i = 0; i < 120; i += 1) {
      const body = JSON.stringify({ server: 'weather', tool: 'echo', arguments: { text: `page call ${i}` } });
      await fetch(new URL('/api/calls', dashboard.url), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      });
    }
    await expect.poll(async () => (await get('&limit=500')).length, { timeout: 20_000 }).toBe(120);
    await page.goto(dashboard.url.href);
    await page.getByLabel('Filter history').fill('page call');
    const rows = page.locator('[data-role=history] tr');
    await expect.poll(() => rows.count()).toBe(100);
    await page.locator('[data-role=history-older]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'history-older.png') });
    await page.locator('[data-role=history-older]').click();
    await expect.poll(() => rows.count()).toBe(120);
    expect(await page.locator('[data-role=history-older]').count()).toBe(0);
    expect(await page.locator('[data-role=history-end]').textContent()).toMatch(/All 120 calls shown/);
    await page.locator('[data-role=history-end]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'history-end.png') });
    // The API's cursor: the page after the first 100 holds the 20 oldest, none of the first.
    const first = await get('&limit=100');
    const last = first.at(-1) as { at: number };
    const same = first.filter((e) => e.at === last.at).length;
    const older = await get(`&limit=100&before=${last.at}.${same}`);
    expect(first.length + older.length).toBe(120);
    const seen = new Set([...first, ...older].map((e) => JSON.stringify(e)));
    expect(seen.size).toBe(120);
  });

  it('shows the resources and prompts of a server that became ready after the page loaded', async () => {
    await page.goto(dashboard.url.href);
    await expect.poll(() => page.locator('[data-catalog=weather]').count()).toBe(1);
    await client.addServer(fixtureStdio('late'));
    await expect.poll(() => page.locator('[data-catalog=late]').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('[data-catalog=late] summary').textContent()).toMatch(
      /late: \d+ resources, \d+ templates, 1 prompts/,
    );
    await client.removeServer('late');
    await expect.poll(() => page.locator('[data-catalog=late]').count(), { timeout: 10_000 }).toBe(0);
  });

  it('browses resources and prompts: reads a resource, gets a prompt with its argument', async () => {
    await page.goto(dashboard.url.href);
    const weather = page.locator('details', { hasText: 'weather:' });
    await weather.locator('summary').click();
    await weather.locator('[data-resource="weather note://1"]').click();
    await expect.poll(() => page.locator('[data-role=read]').textContent()).toMatch(/content of note:\/\/1/);
    const greet = weather.getByRole('form', { name: 'prompt greet' });
    await greet.getByLabel('name *').fill('Ada');
    await greet.getByRole('button', { name: 'Get prompt' }).click();
    await expect.poll(() => page.locator('[data-role=prompt]').textContent()).toMatch(/Hello, Ada!/);
  });

  it('gives each server a page: overview with charts, tools, resources, prompts, logs, errors, restarts', async () => {
    await client.addServer(fixtureStdio('inspect'));
    await client.callTool('inspect', 'log', { text: 'a line on stderr' });
    await client.callTool('inspect', 'log_message', { level: 'warning', text: 'a warning logged' });
    await expect(client.callTool('inspect', 'hang', { ms: 10_000 }, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    // The process exits: the supervisor restarts it, and the page says how it ended.
    await client.callTool('inspect', 'exit', { code: 3 });
    await expect.poll(() => client.getServerInfo('inspect')?.restarts, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => client.getServerInfo('inspect')?.state, { timeout: 10_000 }).toBe('ready');
    const detail = page.locator('[data-detail=inspect]');
    const panel = detail.getByRole('tabpanel');
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${dashboard.url.href}#/servers/inspect`);
      await expect.poll(() => detail.locator('[data-role=state]').textContent()).toBe('ready');
      expect(await page.getByRole('tab', { selected: true }).textContent()).toMatch(/Overview/);
      expect(await panel.locator('[data-field=transport]').textContent()).toBe('stdio');
      expect(await panel.locator('[data-field=restarts]').textContent()).toBe('1');
      // Two charts, each with a time axis and a y axis whose label carries the unit.
      const rate = panel.getByRole('img', { name: /^calls per second, last minute/ });
      const latency = panel.getByRole('img', { name: /^median latency in ms, last minute/ });
      await expect.poll(() => rate.locator('canvas').count()).toBe(1);
      expect(await rate.getAttribute('aria-label')).toMatch(/x axis: time; left axis: calls per second$/);
      expect(await latency.getAttribute('aria-label')).toMatch(/x axis: time; left axis: latency \(ms\)$/);
      // The x axis is clock time; the legend follows the cursor and gives each value with its unit.
      const over = (await latency.locator('.u-over').boundingBox()) as { x: number; y: number; width: number };
      await page.mouse.move(over.x + over.width - 2, over.y + 10);
      await expect
        .poll(() => latency.locator('.u-legend').textContent())
        .toMatch(/time\s*\d{1,2}:\d{2}:\d{2}[\s\S]*median latency \(ms\)\s*(–|[\d.]+ ms)/);
      // A canvas cannot follow CSS variables: a change of theme redraws the charts.
      await rate.locator('canvas').evaluate((c) => c.setAttribute('data-drawn', 'before'));
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => rate.locator('canvas[data-drawn]').count()).toBe(0);
      expect(await rate.locator('canvas').count()).toBe(1);
      await page.emulateMedia({ colorScheme: 'light' });
      await latency.locator('canvas').evaluate((c) => c.setAttribute('data-drawn', 'before'));
      await page.evaluate('document.documentElement.dataset.theme = "dark"');
      await expect.poll(() => latency.locator('canvas[data-drawn]').count()).toBe(0);
      await page.evaluate('delete document.documentElement.dataset.theme');
      expect(await panel.locator('[data-role=timeline]').textContent()).toMatch(/restart: attempt 2/);
      await page.screenshot({ path: join(ARTIFACTS, 'server-overview-1280.png'), fullPage: true });

      await page.getByRole('tab', { name: /^Tools \(\d+\)/ }).click();
      expect(new URL(page.url()).hash).toBe('#/servers/inspect/tools');
      expect(await panel.locator('[data-tool-name=plan_trip]').textContent()).toMatch(
        /arguments: destination \*, travelers \*, dates \*, stops \*, budget \*, mode \*/,
      );
      // Test opens the tool in the tester, on the servers view.
      await panel.getByRole('button', { name: 'Test echo' }).click();
      await expect.poll(() => page.getByRole('form', { name: 'call echo' }).count()).toBe(1);
      expect(new URL(page.url()).hash).toBe('');

      // A tab's URL opens it.
      await page.goto(`${dashboard.url.href}#/servers/inspect/resources`);
      await panel.getByRole('button', { name: 'Read note://1', exact: true }).click();
      await expect.poll(() => panel.locator('[data-role=read]').textContent()).toMatch(/content of note:\/\/1/);
      await page.getByRole('tab', { name: /^Prompts/ }).click();
      const greet = panel.getByRole('form', { name: 'prompt greet' });
      await greet.getByLabel('name *').fill('Ada');
      await greet.getByRole('button', { name: 'Get prompt' }).click();
      await expect.poll(() => panel.locator('[data-role=prompt]').textContent()).toMatch(/Hello, Ada!/);

      await page.getByRole('tab', { name: /^Logs/ }).click();
      expect(await panel.locator('[data-role=logs]').textContent()).toMatch(/\[warning\] a warning logged/);
      expect(await panel.locator('[data-role=stderr]').textContent()).toMatch(/a line on stderr/);
      await page.getByRole('tab', { name: /^Errors/ }).click();
      const row = (table: string, text: string) =>
        panel.locator(`[data-role=${table}] tbody tr`, { hasText: text }).locator('td').allTextContents();
      const [at, where, code] = await row('errors', 'call hang');
      expect(at).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      expect([where, code]).toEqual(['call hang', 'TIMEOUT']);
      expect((await row('errors', 'connection')).slice(1, 3)).toEqual(['connection', 'CONNECTION_LOST']);
      await page.getByRole('tab', { name: /^Restarts \(1\)/ }).click();
      expect(await panel.locator('[data-role=restart-count]').textContent()).toBe('1 restart.');
      expect(await panel.locator('[data-role=restarts] tbody tr').count()).toBe(1);
      const [, attempt, backoff, why, reason] = await row('restarts', '');
      expect([attempt, backoff, why]).toEqual(['2', expect.stringMatching(/^\d+ ms$/), 'CONNECTION_LOST']);
      expect(reason).toMatch(/process exited with code 3/);
      // At phone width the tables stack: nothing scrolls sideways.
      await page.setViewportSize({ width: 375, height: 800 });
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(ARTIFACTS, 'server-restarts-375.png'), fullPage: true });

      // A server that is not there says so; removing the open one goes back to the list.
      await page.goto(`${dashboard.url.href}#/servers/nope`);
      await expect.poll(() => page.locator('[data-role=missing]').textContent()).toMatch(/no server named “nope”/);
      await page.goto(`${dashboard.url.href}#/servers/inspect`);
      await detail.getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => new URL(page.url()).hash, { timeout: 10_000 }).toBe('');
      await expect.poll(() => card('notes').count()).toBe(1);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
      if (client.listServers().includes('inspect')) await client.removeServer('inspect');
    }
  });

  it('keeps a server’s failures bounded (the last 50) and lists its catalog with each tool’s App', async () => {
    const auth = { authorization: `Bearer ${dashboard.token}` };
    const get = async (path: string) => fetch(new URL(path, dashboard.url), { headers: auth });
    await client.addServer(fixtureStdio('bounded'));
    // The published App server: get-system-info has an App, poll-system-stats is for its App only.
    await client.addServer({
      name: 'monitor',
      transport: 'stdio',
      command: process.execPath,
      args: [MONITOR, '--stdio'],
    });
    try {
      const calls = Array.from({ length: 55 }, (_, i) =>
        client.callTool('bounded', 'hang', { ms: 10_000 + i }, { timeoutMs: 100 }),
      );
      const settled = await Promise.allSettled(calls);
      expect(settled.every((r) => r.status === 'rejected')).toBe(true);
      const detail = (await (await get('/api/servers/bounded')).json()) as {
        errors: { at: number; source: string; code: string; tool: string }[];
      };
      expect(detail.errors).toHaveLength(50);
      expect(new Set(detail.errors.map((e) => `${e.source} ${e.tool} ${e.code}`))).toEqual(
        new Set(['call hang TIMEOUT']),
      );
      const times = detail.errors.map((e) => e.at);
      expect(times).toEqual([...times].sort((a, b) => a - b)); // oldest first

      const catalog = (await (await get('/api/servers/monitor/catalog')).json()) as {
        tools: { name: string; app: boolean; appOnly: boolean }[];
        truncated: boolean;
      };
      expect(catalog.truncated).toBe(false);
      const tool = (name: string) => catalog.tools.find((t) => t.name === name);
      expect(tool('get-system-info')).toMatchObject({ app: true, appOnly: false });
      expect(tool('poll-system-stats')).toMatchObject({ appOnly: true });
      expect((await get('/api/servers/nope/catalog')).status).toBe(404);
      // An app-only tool has no Test button: only its App calls it.
      await page.goto(`${dashboard.url.href}#/servers/monitor/tools`);
      const row = (name: string) => page.locator(`[data-tool-name="${name}"]`);
      await expect.poll(() => row('poll-system-stats').textContent()).toMatch(/app only/);
      expect(await row('poll-system-stats').getByRole('button', { name: /Test/ }).count()).toBe(0);
      expect(await row('get-system-info').textContent()).toMatch(/App/);
    } finally {
      await client.removeServer('bounded');
      await client.removeServer('monitor');
    }
  });

  it('answers a server’s sampling request (edited) and rejects an elicitation, in the page', async () => {
    await withRequests(fixtureStdio('asker'), async (asking) => {
      await page.getByLabel('Search tools').fill('ask_');
      await page.locator('[data-tool="asker/ask_sampling"]').click();
      const form = page.getByRole('form', { name: 'call ask_sampling' });
      await form.getByRole('button', { name: 'Run' }).click();
      const dialog = page.getByRole('dialog', { name: 'sampling request from asker' });
      await expect.poll(() => dialog.locator('[data-role=params]').textContent()).toMatch(/say hi/);
      const answer = { role: 'assistant', content: { type: 'text', text: 'hi from the operator' }, model: 'operator' };
      await dialog.getByLabel('Answer').fill(JSON.stringify(answer));
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => form.locator('[data-role=result]').textContent()).toMatch(/hi from the operator/);
      await expect.poll(() => dialog.count()).toBe(0);

      await page.locator('[data-tool="asker/ask_elicitation"]').click();
      const elicit = page.getByRole('form', { name: 'call ask_elicitation' });
      await elicit.getByRole('button', { name: 'Run' }).click();
      const asked = page.getByRole('dialog', { name: 'elicitation request from asker' });
      await expect.poll(() => asked.locator('[data-role=params]').textContent()).toMatch(/Your details/);
      await asked.getByRole('button', { name: 'Reject' }).click();
      await expect.poll(() => elicit.locator('[data-role=result]').textContent()).toMatch(/decline/);
      // Outside a dashboard call, nobody answers: the server's request is refused.
      const refused = await asking.callTool('asker', 'ask_sampling', {});
      expect(refused.isError).toBe(true);
    });
  });

  it('shows a 2026-07-28 server’s input round as it shows an elicitation, and the round in its timeline', async () => {
    await withRequests(eraStdio('deployer'), async () => {
      expect((await card('deployer').locator('[data-role=protocol]').textContent())?.trim()).toBe('2026-07-28');
      const form = await runRaw('deploy', 'deployer', 'deploy', '{"region": "eu", "env": "prod"}');
      const asked = page.getByRole('dialog', { name: 'elicitation request from deployer' });
      await expect.poll(() => asked.locator('[data-role=params]').textContent()).toMatch(/Deploy prod in eu\?/);
      await asked.getByLabel('Answer').fill(JSON.stringify({ action: 'accept', content: { ok: true } }));
      await asked.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => form.locator('[data-role=result]').textContent()).toMatch(/deployed prod in eu/);
      await card('deployer').getByRole('link', { name: 'Details of deployer' }).click();
      const timeline = page.locator('[data-detail=deployer] [data-role=timeline]');
      await expect
        .poll(() => timeline.textContent())
        .toMatch(/input-required: tools\/call round 1 asks for elicitation\/create/);
    });
  });
});
