// `umcp serve` gives its pino logger (stderr, `--log-level`) to the gateway: a request the listener
// could not handle is logged there, by the built CLI on a real fixture server.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ENTRY, stopChild, tempConfig, UMCP } from '../helpers/servers.js';

/** What one raw HTTP/1.1 request gets back (the connection is closed after it). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (out += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}

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
      // An absolute-form target Node passes on but the WHATWG URL parser refuses: the handler throws.
      const answer = await rawRequest(
        port,
        `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
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
