// The dashboard for someone on a keyboard or a screen reader, in Debian's Chromium (playwright-core):
// axe-core from npm (injected into the page as the CLI does) finds no serious or critical violation
// in any view — the servers, a server's detail, the tool tester with a tool open, the chat with a
// tool call and an approval — in light and in dark (the colour scheme emulated, as a person's system
// setting would choose it); and walking the page with Tab reaches every visible control, each with
// an accessible name and a focus ring. A real fixture server (child process) and the scripted
// provider (no model runs here) fill the views.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchDashboardBrowser, SLOW, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { chatDashboard, closeInOrder, scriptedChat } from '../helpers/scripted-chat.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';
import { fixtureStdio } from '../helpers/servers.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCHEMES = ['light', 'dark'] as const;
/** A Tab walk is a browser round trip per control: generous on a busy 2-core machine. */
const AUDIT_MS = 120_000;
/** An answer whose code block has every kind of token the highlighter colours: each must be legible. */
const CODE_ANSWER = [
  'The server said **hello**, [see the docs](https://example.com/docs):',
  '',
  '```js',
  '// greet someone by name',
  'export function greet(name = "you", times = 2) {',
  '  return `hi ${name}`.repeat(times) + /x+/g.source + null;',
  '}',
  'class Greeter extends Object {}',
  '```',
  '',
].join('\n');

/** One axe finding, short enough to read in a failed assertion. */
interface Finding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/** A control met on the Tab walk: what a screen reader would call it, and whether focus shows. */
interface Stop {
  readonly id: string;
  readonly what: string;
  readonly name: string;
  readonly ring: boolean;
}

/** Runs axe on the page as it is now: its serious and critical violations. */
async function axeViolations(page: Page, source: string): Promise<Finding[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(source);
  const found = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    })))`)) as Finding[];
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

/**
 * Marks every visible, enabled control with `data-a11y-id` (radio groups as one: Tab stops once in
 * a group) and returns their ids and a description of each.
 */
async function markControls(page: Page): Promise<Record<string, string>> {
  return (await page.evaluate(`(() => {
    const controls = {};
    const groups = new Set();
    let n = 0;
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, iframe, ' +
      '[tabindex]:not([tabindex="-1"]), [contenteditable=""], [contenteditable=true]';
    for (const el of document.querySelectorAll(selector)) {
      if (el.disabled || el.closest('[inert]') || !el.checkVisibility({ visibilityProperty: true })) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (el.type === 'radio' && el.name) {
        const group = (el.form?.id ?? '') + '/' + el.name;
        el.dataset.a11yId = 'radio:' + group;
        if (groups.has(group)) continue;
        groups.add(group);
      } else el.dataset.a11yId = String(++n);
      controls[el.dataset.a11yId] = el.outerHTML.slice(0, 160);
    }
    return controls;
  })()`)) as Record<string, string>;
}

/** Presses Tab from the top of the page until focus comes round again: every stop on the way. */
async function tabWalk(page: Page, source: string, limit: number): Promise<Stop[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(source);
  await page.evaluate('document.activeElement?.blur(); window.scrollTo(0, 0)');
  const stops: Stop[] = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const stop = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return undefined;
      // axe's own accessible-name computation (the one its rules use), on a tree built for it.
      axe.setup(document);
      const name = axe.commons.text.accessibleText(el).trim();
      axe.teardown();
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { id: el.dataset.a11yId ?? '', what: el.outerHTML.slice(0, 160), name, ring };
    })()`)) as Stop | undefined;
    if (stop === undefined) continue;
    if (stops.length > 0 && stop.id !== '' && stop.id === stops[0]?.id) break;
    stops.push(stop);
  }
  return stops;
}

describe('the dashboard with a keyboard and a screen reader, in Chromium', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let provider: ScriptedProvider;
  let data: string;
  let axeSource: string;
  const pages = new Map<(typeof SCHEMES)[number], Page>();

  beforeAll(async () => {
    axeSource = await readFile(AXE, 'utf8');
    data = await mkdtemp(join(tmpdir(), 'umcp-a11y-'));
    provider = await startScriptedProvider();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    // Trusted: its read-only echo runs unasked, its add is asked (an approval card to check).
    await client.addServer(fixtureStdio('notes', { trusted: true }));
    dashboard = await chatDashboard(client, data, [scriptedChat(provider)]);
    browser = await launchDashboardBrowser();
    for (const scheme of SCHEMES) pages.set(scheme, await browser.newPage({ colorScheme: scheme }));
  }, 60_000);

  afterAll(async () => {
    await closeInOrder(browser, dashboard, client, provider);
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  /** axe finds nothing serious; Tab reaches every control, each named and with a visible focus. */
  async function audit(page: Page): Promise<void> {
    expect(await axeViolations(page, axeSource)).toEqual([]);
    const controls = await markControls(page);
    const stops = await tabWalk(page, axeSource, Object.keys(controls).length + 40);
    expect(Object.keys(controls).length).toBeGreaterThan(3);
    const reached = new Set(stops.map((s) => s.id));
    expect(Object.entries(controls).filter(([id]) => !reached.has(id))).toEqual([]);
    expect(stops.filter((s) => s.name === '').map((s) => s.what)).toEqual([]);
    expect(stops.filter((s) => !s.ring).map((s) => s.what)).toEqual([]);
  }

  describe.each(SCHEMES)('in %s', (scheme) => {
    const page = () => pages.get(scheme) as Page;

    it(
      'the servers view',
      async () => {
        await page().goto(dashboard.url.href);
        await expect
          .poll(() => page().locator('article[data-server=notes] [data-role=state]').textContent(), SLOW)
          .toBe('ready');
        await audit(page());
      },
      AUDIT_MS,
    );

    it(
      "a server's detail",
      async () => {
        // The card's link to the server's page, its overview, then the tools tab.
        await page()
          .locator('article[data-server=notes]')
          .getByRole('link', { name: /details/i })
          .click();
        await page().locator('[data-role=overview]').waitFor(SLOW);
        await audit(page());
        await page().getByRole('tab', { name: /tools/i }).click();
        await page().locator('[data-role=tools]').waitFor(SLOW);
        await audit(page());
        await page().goto(dashboard.url.href);
        await page().locator('article[data-server=notes]').waitFor(SLOW);
      },
      AUDIT_MS,
    );

    it(
      'the tool tester with a tool open',
      async () => {
        // From the servers view itself: a failure on a server's page must not strand this test there.
        await page().goto(dashboard.url.href);
        await page().locator('article[data-server=notes]').waitFor(SLOW);
        await page().getByLabel('Search tools').fill('echo');
        await page().locator('[data-tool="notes/echo"]').click();
        await page().getByRole('form', { name: 'call echo' }).waitFor(SLOW);
        await audit(page());
      },
      AUDIT_MS,
    );

    it(
      'the tasks view',
      async () => {
        await page().goto(`${dashboard.url.href}#tasks`);
        await page().locator('[data-role=tasks-empty]').waitFor(SLOW);
        await audit(page());
      },
      AUDIT_MS,
    );

    it(
      'the chat: a finished tool call, then an approval waiting',
      async () => {
        await page().goto(`${dashboard.url.href}#chat`);
        await page().locator('[data-role=new-conversation]').click();
        await page().locator('[data-conversation]').waitFor(SLOW);
        provider.script({ toolCalls: [{ name: 'echo', args: { text: 'hello' } }] }, { text: CODE_ANSWER });
        await page().locator('[data-role=composer]').fill('Echo hello');
        await page().locator('[data-role=send]').click();
        await expect.poll(() => page().locator('[data-role=tool-card]').count(), SLOW).toBe(1);
        await expect.poll(() => page().locator('[data-role=send]').count(), SLOW).toBe(1);
        await page().locator('[data-role=tool-card] summary').first().click();
        await audit(page());

        provider.script({ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'Not added.' });
        await page().locator('[data-role=composer]').fill('Add 2 and 3');
        await page().locator('[data-role=send]').click();
        await page().locator('[data-role=approval]').waitFor(SLOW);
        await audit(page());
        await page().locator('[data-role=deny]').click();
        await expect.poll(() => page().locator('[data-role=send]').count(), SLOW).toBe(1);
      },
      AUDIT_MS,
    );
  });
});
