// `umcp dashboard` gives its pino logger (stderr, `--log-level`) to the console: a chat store that
// cannot be read is logged there, by the built CLI on a real fixture server, and the console serves on.
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ENTRY, stopChild, tempConfig, UMCP } from '../helpers/servers.js';

// The CLI starts its server first: seconds on a loaded 2-core machine.
describe('umcp dashboard logging', { timeout: 90_000 }, () => {
  it("logs the chat's failure to open through the CLI's logger (--log-level error)", async () => {
    const { dir, config } = await tempConfig('umcp-dashboard-log-', { fx: FIXTURE_ENTRY });
    const data = join(dir, 'data');
    // `chat.sqlite` is a directory: reading the store fails (EISDIR), whoever runs the test.
    await mkdir(join(data, 'chat.sqlite'), { recursive: true });
    const args = ['dashboard', '--config', config, '--port', '0', '--data-dir', data, '--log-level', 'error'];
    const child = spawn(process.execPath, [UMCP, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp dashboard: http:\S+/.test(stderr), 60_000);
      await eventually(() => stderr.includes('the chat could not be opened'), 15_000);
      const line = stderr.split('\n').find((l) => l.includes('the chat could not be opened')) ?? '';
      expect(JSON.parse(line)).toMatchObject({ level: 50, msg: 'the chat could not be opened' });
      const url = new URL(/umcp dashboard: (\S+)/.exec(stderr)?.[1] as string);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
