import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'check-snippets.mjs');

/** Writes a markdown file of these lines and runs the checker on it: its exit code and output. */
async function check(file: string, lines: string[]): Promise<{ code: number; out: string }> {
  await writeFile(file, lines.join('\n'));
  try {
    const { stdout, stderr } = await run(process.execPath, [script, file], { cwd: root, timeout: 120_000 });
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
    const { code, out } = await check(join(dir, 'good.md'), [
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
    ]);
    expect(out).toMatch(/1 snippets compile \(1 marked fragment\)/);
    expect(code).toBe(0);
  });

  it('fails a doc with a snippet that calls the API wrongly, naming the markdown line', async () => {
    const { code, out } = await check(join(dir, 'bad.md'), [
      '# Bad',
      '',
      '```typescript',
      "import { UniversalMcpClient } from '@universal-mcp/supervisor';",
      'const client = new UniversalMcpClient();',
      "await client.callTool('notes');",
      '```',
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/bad\.md:6:\d+: error TS2554/);
  });
});
