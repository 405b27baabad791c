import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'check-snippets.mjs');

/** Runs the checker on the given markdown files: its exit code and output. */
async function check(...files: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...files], { cwd: root, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

// The docs' ts snippets are type-checked against the real packages (scripts/check-snippets.mjs, in `pnpm typecheck`).
describe('check-snippets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(root, '.check-snippets-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a doc whose snippets compile, top-level await and a marked fragment included', async () => {
    const doc = join(dir, 'good.md');
    await writeFile(
      doc,
      [
        '# Good',
        '```ts',
        "import { UniversalMcpClient } from '@universal-mcp/supervisor';",
        'await using client = new UniversalMcpClient();',
        'client.listServers().map((s: string) => s.toUpperCase());',
        '```',
        '```ts fragment',
        '{ ..., not: code }',
        '```',
        '```sh',
        'not typescript at all',
        '```',
      ].join('\n'),
    );
    const { code, out } = await check(doc);
    expect(out).toMatch(/1 snippets compile \(1 marked fragment\)/);
    expect(code).toBe(0);
  });

  it('fails a doc with a snippet that calls the API wrongly, naming the markdown line', async () => {
    const doc = join(dir, 'bad.md');
    await writeFile(
      doc,
      [
        '# Bad',
        '',
        '```typescript',
        "import { UniversalMcpClient } from '@universal-mcp/supervisor';",
        'const client = new UniversalMcpClient();',
        "await client.callTool('notes');",
        '```',
      ].join('\n'),
    );
    const { code, out } = await check(doc);
    expect(code).toBe(1);
    expect(out).toMatch(/bad\.md:6:\d+: error TS2554/);
  });
});
