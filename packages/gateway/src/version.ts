import { createRequire } from 'node:module';

/** This package's version, read from its package.json (from `src/` and `dist/` alike), so a release cannot leave it behind. */
export const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
