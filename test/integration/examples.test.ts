import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const examples = dirname(createRequire(import.meta.url).resolve('@universal-mcp/examples/package.json'));

// The README's first command runs the demo: run it as a newcomer would and check its story.
describe('examples', () => {
  it('the demo connects three transports, survives a kill and closes cleanly', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'dist', 'demo.js')], { timeout: 30_000 });
    expect(stdout).toMatch(/Servers: notes, units, archive/);
    expect(stdout).toMatch(/units\.convert\s+→ 26\.2 mi = 42\.1648 km/);
    expect(stdout).toMatch(/TOOL_NOT_FOUND/);
    expect(stdout).toMatch(/notes: ready → failed .*SIGKILL/);
    expect(stdout).toMatch(/back: state=ready pid=\d+ attempt=2 restarts=1/);
    expect(stdout).toMatch(/archive: ready → stopped/);
    expect(stdout).toMatch(/Done: every server stopped/);
  });

  it('the monitor prints one NDJSON event per line, a restart included', async () => {
    const { stdout } = await run(process.execPath, [join(examples, 'dist', 'monitor.js')], { timeout: 30_000 });
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; to?: string });
    const names = events.map((e) => e.event);
    expect(names).toContain('server:reconnecting');
    expect(names.filter((n) => n === 'server:ready')).toHaveLength(2);
    expect(names.at(-1)).toBe('server:removed');
    expect(events.some((e) => e.event === 'call:end')).toBe(true);
  });
});
