import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = join(import.meta.dirname, '../../scripts/check-imports.mjs');
const roots: string[] = [];

/** A temp repository with these files (paths under it), as the script sees one. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'check-imports-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** The script's exit code and what it printed, run on `root` as `pnpm lint` runs it. */
async function check(root: string): Promise<{ code: number; out: string }> {
  try {
    await run(process.execPath, [script, root]);
    return { code: 0, out: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

describe('scripts/check-imports.mjs', () => {
  it('passes a tree with imports only downward and no circle', async () => {
    const root = await tree({
      'packages/core/src/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'packages/core/src/b.ts': 'export const b = 1;\n',
      'packages/llm/src/x.ts':
        "import { a } from '@universal-mcp/core';\nimport type { C } from '@universal-mcp/supervisor';\n",
    });
    expect(await check(root)).toEqual({ code: 0, out: '' });
  });

  it('fails on a circle inside a package, type-only imports included', async () => {
    const root = await tree({
      'packages/gateway/src/gateway.ts': "import { listen } from './listener.js';\nexport const g = listen;\n",
      'packages/gateway/src/listener.ts':
        "import type {\n  Gateway,\n} from './gateway.js';\nexport const listen = 1;\n",
    });
    const { code, out } = await check(root);
    expect(code).toBe(1);
    expect(out).toContain('circle in packages/gateway: gateway.ts -> listener.ts -> gateway.ts');
  });

  it('fails on an import of a package at the same level or above', async () => {
    const root = await tree({
      'packages/gateway/src/catalog.ts': "import { createToolset } from '@universal-mcp/llm';\n",
      'packages/toolset/src/names.ts': "export { x } from '@universal-mcp/http-guard';\n",
      'packages/supervisor/src/ok.ts': "import { a } from '@universal-mcp/core';\n",
      'packages/llm/src/up.ts': "import { createGateway } from '@universal-mcp/gateway';\n",
    });
    const { code, out } = await check(root);
    expect(code).toBe(1);
    expect(out).toContain(
      'packages/toolset/src/names.ts: toolset (level 2) imports @universal-mcp/http-guard (level 2)',
    );
    expect(out).toContain('packages/llm/src/up.ts: llm (level 3) imports @universal-mcp/gateway (level 4)');
    expect(out).not.toContain('gateway/src/catalog.ts');
    expect(out).not.toContain('supervisor');
  });

  it('fails on core/internal from a package not allowed to reach it, and on a package with no level', async () => {
    const root = await tree({
      'packages/toolset/src/t.ts': "import { inspectSchema } from '@universal-mcp/core/internal';\n",
      'packages/supervisor/src/s.ts': "import { McpSession } from '@universal-mcp/core/internal';\n",
      'packages/newcomer/src/index.ts': 'export {};\n',
    });
    const { code, out } = await check(root);
    expect(code).toBe(1);
    expect(out).toContain('packages/toolset/src/t.ts: toolset may not import @universal-mcp/core/internal');
    expect(out).toContain('packages/newcomer: no level');
    expect(out).not.toContain('supervisor/src/s.ts');
  });

  it('ignores an import written in a comment', async () => {
    const root = await tree({
      'packages/core/src/a.ts':
        "// import { b } from './b.js';\n/* import { b } from './b.js'; */\nexport const a = 1;\n",
      'packages/core/src/b.ts': "import { a } from './a.js';\nexport const b = a;\n",
    });
    expect(await check(root)).toEqual({ code: 0, out: '' });
  });

  it('passes this repository', async () => {
    expect(await check(join(import.meta.dirname, '../..'))).toEqual({ code: 0, out: '' });
  });
});
