// `umcp serve` gives its pino logger (stderr, `--log-level`) to the gateway: a request the listener
// could not handle is logged there, by the built CLI on a real fixture server.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { unparsableUrlRequest } from '../helpers/log-probes.js';
import { eventually, FIXTURE_ENTRY, stopChild, tempConfig, UMCP } from '../helpers/servers.js';

// The CLI starts its server first: seconds on a loaded 2-core machine.
describe('umcp serve logging', { timeout: 90_000 }, () => {
  it("logs the gateway's failures through the CLI's logger (--log-level warn)", async () => {
    const { dir, config } = await tempConfig('umcp-serve-log-', { solo: FIXTURE_ENTRY });
    const args = [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0', '--log-level', 'warn'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp serve: http:\/\/\S+\/mcp/.test(stderr), 60_000);
      const url = new URL(/umcp serve: (http:\/\/\S+?\/mcp)/.exec(stderr)?.[1] as string);
      const port = Number(url.port);
      // A target Node passes on but the URL parser refuses: the handler throws.
      const answer = await unparsableUrlRequest(port);
      expect(answer).toMatch(/^HTTP\/1\.1 500 /);
      await eventually(() => stderr.includes('a gateway request failed'), 10_000);
      const line = stderr.split('\n').find((l) => l.includes('a gateway request failed')) ?? '';
      expect(JSON.parse(line)).toMatchObject({ level: 40, msg: 'a gateway request failed', method: 'GET' });
    } finally {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
