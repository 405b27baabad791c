#!/usr/bin/env node
// Checks the import graph of packages/*/src, with no dependency beyond node: no circle between the
// files of a package (type-only imports count: a circle of types is still two files that cannot be
// read apart), no import of a package at the same level or above (the levels of docs/architecture.md),
// and `@universal-mcp/core/internal` only from the packages allowed to reach below core's public surface.
// Usage: node scripts/check-imports.mjs [root]. Exits 1 and prints each problem when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A package's level: it may import only packages of a lower level (docs/architecture.md, "Package levels"). */
export const LEVELS = {
  core: 0,
  supervisor: 1,
  'http-guard': 2,
  toolset: 2,
  llm: 3,
  prometheus: 3,
  gateway: 4,
  dashboard: 4,
  cli: 5,
  examples: 5,
};

/**
 * The packages that may import `@universal-mcp/core/internal`. The supervisor is the worker's one
 * owner; the others still use pieces of it that are to become public core API or move (issue 29).
 */
export const INTERNAL_ALLOWED = new Set(['supervisor', 'llm', 'gateway', 'dashboard', 'cli']);

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;

/** The module specifiers a source file imports or re-exports (static ones; comments are skipped). */
export function specifiers(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(IMPORT)].map((m) => m[1]);
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources). */
function target(from, spec) {
  return resolve(dirname(from), spec).replace(/\.(m?js|jsx)$/, (ext) =>
    ext === '.mjs' ? '.mts' : ext === '.jsx' ? '.tsx' : '.ts',
  );
}

/** Every circle in a graph of file → files, each as the list of files on it (one per circle). */
export function circles(graph) {
  const found = [];
  const seen = new Set();
  const state = new Map(); // 1: on the current path, 2: done
  const path = [];
  const visit = (node) => {
    state.set(node, 1);
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) {
        const loop = path.slice(path.indexOf(next));
        const key = [...loop].sort().join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          found.push(loop);
        }
      } else if (!state.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 2);
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** The problems of the packages under `root`, as lines of text (none when all is well). */
export function check(root) {
  const problems = [];
  const packages = join(root, 'packages');
  for (const pkg of readdirSync(packages).sort()) {
    const src = join(packages, pkg, 'src');
    if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
    const level = LEVELS[pkg];
    if (level === undefined) problems.push(`packages/${pkg}: no level in scripts/check-imports.mjs`);
    const graph = new Map();
    for (const file of sourceFiles(src)) {
      const edges = [];
      const where = relative(root, file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          edges.push(target(file, spec));
          continue;
        }
        const m = /^@universal-mcp\/([^/]+)(\/.*)?$/.exec(spec);
        if (m === null) continue;
        const [, other, sub] = m;
        if (other === pkg) problems.push(`${where}: imports its own package by name (${spec})`);
        else if (LEVELS[other] !== undefined && level !== undefined && LEVELS[other] >= level)
          problems.push(`${where}: ${pkg} (level ${level}) imports ${spec} (level ${LEVELS[other]}): not below it`);
        if (other === 'core' && sub === '/internal' && !INTERNAL_ALLOWED.has(pkg))
          problems.push(`${where}: ${pkg} may not import @universal-mcp/core/internal`);
      }
      graph.set(file, edges);
    }
    for (const loop of circles(graph))
      problems.push(`circle in packages/${pkg}: ${[...loop, loop[0]].map((f) => relative(src, f)).join(' -> ')}`);
  }
  return problems;
}

if (import.meta.url === new URL(`file://${resolve(process.argv[1] ?? '')}`).href) {
  const problems = check(resolve(process.argv[2] ?? '.'));
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem(s)`);
    process.exit(1);
  }
}
