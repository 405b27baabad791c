import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './exit-codes.js';

/** Where `umcp` looks for a config when `--config` is not given, in order. */
export const DEFAULT_CONFIG_PATHS = ['mcp.json', '.mcp.json', '.vscode/mcp.json'] as const;

/** The config file to use: the one named, or the first default that exists in `cwd`. */
export function findConfig(named: string | undefined, cwd: string = process.cwd()): string {
  if (named !== undefined) return resolve(cwd, named);
  for (const candidate of DEFAULT_CONFIG_PATHS) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  throw new UsageError(
    `no config file: pass --config <file>, or create one of ${DEFAULT_CONFIG_PATHS.join(', ')} in ${cwd}`,
  );
}
