import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each package README's install line must name every tarball the package needs: one left out is a
// dependency npm then looks for on the registry, where these packages are not (a 404).

const root = join(import.meta.dirname, '..', '..');
const PACKAGES = ['core', 'supervisor', 'http-guard', 'toolset', 'llm', 'prometheus', 'dashboard', 'gateway', 'cli'];

/** The package names an install line's tarball pattern covers: `universal-mcp-{a,b}-*.tgz`, `-a-*`, or `-*`. */
function covered(line: string): string[] {
  const all = line.match(/universal-mcp-(\{[^}]+\}|[a-z]+(?:-[a-z]+)*|\*)/g) ?? [];
  return all.flatMap((m) => {
    const part = m.slice('universal-mcp-'.length);
    if (part === '*') return PACKAGES;
    return part.startsWith('{') ? part.slice(1, -1).split(',') : [part];
  });
}

describe('package READMEs', () => {
  it.each(PACKAGES)(
    '%s: the install line names the package and every @universal-mcp package it needs',
    async (name) => {
      const pkg = JSON.parse(await readFile(join(root, 'packages', name, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const needs = [
        name,
        ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })
          .filter((d) => d.startsWith('@universal-mcp/'))
          .map((d) => d.slice('@universal-mcp/'.length)),
      ];
      const readme = await readFile(join(root, 'packages', name, 'README.md'), 'utf8');
      const line = readme.split('\n').find((l) => /^npm install (-g )?\/tmp\/umcp\//.test(l));
      expect(line, 'an install line').toBeDefined();
      expect(covered(line!).sort()).toEqual(expect.arrayContaining(needs.sort()));
    },
  );
});
