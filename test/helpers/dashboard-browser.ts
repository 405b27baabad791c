// The one way the dashboard tests drive a browser: Debian's Chromium (.ci/run and
// scripts/system-deps.sh install it) through playwright-core, never a downloaded build. Each test
// file launches one browser, opens its pages here, and closes everything with `close()`.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium, or the one `CHROMIUM` names. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Where the dashboard tests leave screenshots for a person to look at (not committed). */
export const ARTIFACTS = join(import.meta.dirname, '..', '..', '.ci', 'artifacts', 'dashboard');

/** Real browser and server round trips on a shared 2-core machine: a generous bound for every poll. */
export const SLOW = { timeout: 10_000 } as const;

/** The desktop viewport every dashboard test starts with. */
export const DESKTOP = { width: 1280, height: 800 } as const;

/** A phone's viewport (an iPhone 12–15's CSS pixels). */
export const PHONE = { width: 390, height: 844 } as const;

/** A launched browser and its first page. */
export interface DashboardBrowser {
  readonly browser: Browser;
  /** The first page, opened at `url` when one was given. */
  readonly page: Page;
  /** Another page in a context of its own (its own storage, colour scheme and viewport). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Closes every page and the browser (and so its processes). */
  close(): Promise<void>;
}

/**
 * Launches Chromium and opens one page (1280×800 unless `options.viewport` says otherwise), at `url`
 * when given (a dashboard's `url` carries its token). Throws when the browser is not installed.
 */
export async function launchDashboardBrowser(
  url?: URL | string,
  options: BrowserContextOptions = {},
): Promise<DashboardBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const newPage = (more: BrowserContextOptions = {}) => browser.newPage({ viewport: DESKTOP, ...more });
  try {
    const page = await newPage(options);
    if (url !== undefined) await page.goto(String(url));
    return { browser, page, newPage, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
