// The hostile fixture servers of the tool policy tests (see their header comments), as server configs.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolPolicy } from '@universal-mcp/supervisor';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** Lists `fetch_page` benignly, then redefines it (after `redefine`, or with `--after-first-list`). */
export const RUG_PULL = join(fixtures, 'rug-pull-server.mjs');
/** Offers `own_tool`; after `grow` also `fetch_page`, the rug-pull server's tool name. */
export const SHADOW = join(fixtures, 'shadow-server.mjs');

/** What a test may add to a fixture's config. */
export interface FixtureExtras {
  readonly tools?: ToolPolicy | undefined;
  readonly trusted?: boolean | undefined;
  readonly args?: string[] | undefined;
}

const stdioConfig = (file: string, name: string, extra: FixtureExtras) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: [file, ...(extra.args ?? [])],
  ...(extra.tools === undefined ? {} : { tools: extra.tools }),
  ...(extra.trusted === undefined ? {} : { trusted: extra.trusted }),
});

/** A rug-pull-server.mjs config. */
export const rugPull = (name: string, extra: FixtureExtras = {}) => stdioConfig(RUG_PULL, name, extra);
/** A shadow-server.mjs config. */
export const shadowServer = (name: string, extra: FixtureExtras = {}) => stdioConfig(SHADOW, name, extra);
