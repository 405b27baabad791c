import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startScriptedProvider } from '../helpers/scripted-provider.js';

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
    expect(names).toContain('server:restarting');
    expect(names.filter((n) => n === 'server:ready')).toHaveLength(2);
    expect(names.at(-1)).toBe('server:removed');
    expect(events.some((e) => e.event === 'call:end')).toBe(true);
  });

  it('ask: one question answered with tools from three servers (a scripted provider as the model)', async () => {
    const provider = await startScriptedProvider();
    try {
      provider.script(
        {
          toolCalls: [
            { name: 'convert', args: { value: 100, from: 'C', to: 'F' } },
            { name: 'notes__add_note', args: { title: 'temperature', body: '100 C = 212 F' } },
          ],
        },
        { text: '100 °C is 212 °F, and I noted it.' },
      );
      const env = { PATH: process.env.PATH ?? '', OPENAI_BASE_URL: provider.baseURL, MODEL: 'scripted' };
      const { stdout, stderr } = await run(process.execPath, [join(examples, 'dist', 'ask.js'), 'Convert 100 C to F'], {
        timeout: 30_000,
        env,
      });
      expect(stdout).toBe('100 °C is 212 °F, and I noted it.\n');
      expect(stderr).toMatch(/→ units\.convert \{"value":100,"from":"C","to":"F"\}/);
      expect(stderr).toMatch(/→ notes\.add_note/);
      // The model was told the real servers' answers, and saw the tools of all three.
      expect(JSON.stringify(provider.received[1]!.body)).toContain('100 C = 212 F');
      const tools = (provider.received[0]!.body.tools as { function: { name: string } }[]).map((t) => t.function.name);
      expect(tools).toEqual(expect.arrayContaining(['convert', 'notes__add_note', 'archive__add_note']));
    } finally {
      await provider.close();
    }
  });
});
