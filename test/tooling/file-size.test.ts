// Files stay small (issue 29 item 6): ESLint's max-lines over sources (400) and tests (700), and
// scripts/check-css-size.mjs over the console's stylesheets (400), both run by `pnpm lint`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'check-css-size.mjs');

/** Runs the CSS size check on `files` (none: the console's own): its exit code and output. */
async function checkCss(files: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...files], { cwd: root, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** `n` lines of CSS, each ending with a newline (blank lines and comments among them: every line counts). */
const css = (n: number): string =>
  Array.from({ length: n }, (_, i) => (i % 3 === 0 ? '' : i % 3 === 1 ? '/* c */' : 'a { color: red; }'))
    .map((l) => `${l}\n`)
    .join('');

describe('check-css-size', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(root, '.check-css-size-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("passes the console's stylesheets as they are", async () => {
    expect(await checkCss([])).toEqual({ code: 0, out: '' });
  });

  it('passes a stylesheet of 400 lines and refuses one of 401, naming it', async () => {
    const fits = join(dir, 'fits.css');
    const over = join(dir, 'over.css');
    await writeFile(fits, css(400));
    await writeFile(over, css(401));
    expect((await checkCss([fits])).code).toBe(0);
    const { code, out } = await checkCss([fits, over]);
    expect(code).toBe(1);
    expect(out).toContain('over.css: 401 lines, over the 400-line limit');
    expect(out).not.toContain('fits.css');
  });
});

describe('max-lines', () => {
  const eslint = new ESLint({ cwd: root });
  /** The max-lines messages ESLint gives `lines` lines at `filePath`. */
  const lint = async (filePath: string, lines: number): Promise<string[]> => {
    const text = Array.from({ length: lines }, (_, i) => (i % 2 === 0 ? '' : `// line ${i}`)).join('\n') + '\n';
    const [result] = await eslint.lintText(text, { filePath: join(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'max-lines').map((m) => m.message);
  };

  it('holds a package source and a page script to 400 lines, blank lines and comments counted', async () => {
    expect(await lint('packages/core/src/max-lines-probe.ts', 400)).toEqual([]);
    expect(await lint('packages/core/src/max-lines-probe.ts', 401)).toEqual([
      'File has too many lines (401). Maximum allowed is 400.',
    ]);
    expect(await lint('packages/dashboard/public/max-lines-probe.js', 401)).toHaveLength(1);
  });

  it('gives a test 700 lines', async () => {
    expect(await lint('test/gateway/max-lines-probe.test.ts', 700)).toEqual([]);
    expect(await lint('test/gateway/max-lines-probe.test.ts', 701)).toHaveLength(1);
    expect(await lint('packages/core/test/max-lines-probe.test.ts', 701)).toHaveLength(1);
  });
});
