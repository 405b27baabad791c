import { createRequire } from 'node:module';

/** This package's version, read from its package.json (from `src/` and `dist/` alike): bumped there only. */
export const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
