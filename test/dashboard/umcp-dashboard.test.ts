// `umcp dashboard` as an operator runs it: the built CLI on a config, its URL printed with the
// token; the API and Prometheus /metrics answer with it; SIGTERM ends it cleanly.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, eventually } from '../helpers/servers.js';

const UMCP = join(dirname(createRequire(import.meta.url).resolve('@universal-mcp/cli/package.json')), 'bin', 'umcp.js');

describe('umcp dashboard', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-dashboard-'));
    config = join(dir, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [FIXTURE, 'stdio'] } } }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a URL with the token, serves the fleet and /metrics with it, and stops on SIGTERM', async () => {
    const args = ['dashboard', '--config', config, '--port', '0', '--data-dir', join(dir, 'data')];
    const child = spawn(process.execPath, [UMCP, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp dashboard: http:\S+/.test(stderr), 15_000);
      const url = new URL(/umcp dashboard: (\S+)/.exec(stderr)?.[1] as string);
      const token = url.searchParams.get('token') as string;
      const auth = { authorization: `Bearer ${token}` };
      expect((await fetch(url)).status).toBe(200);
      await eventually(async () => {
        const servers = (await (await fetch(new URL('/api/servers', url), { headers: auth })).json()) as {
          name: string;
          state: string;
        }[];
        return servers.some((s) => s.name === 'fx' && s.state === 'ready');
      }, 15_000);
      const metrics = await fetch(new URL('/metrics', url), { headers: auth });
      expect(await metrics.text()).toMatch(/umcp_server_state\{umcp_server_name="fx",umcp_server_state="ready"\} 1/);
      expect((await fetch(new URL('/metrics', url))).status).toBe(401);
      // A call from the console lands in the history file.
      await fetch(new URL('/api/calls', url), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ server: 'fx', tool: 'echo', arguments: { text: 'kept', password: 'x' } }),
      });
      await eventually(() => existsSync(join(dir, 'data', 'history.ndjson')), 10_000);
      const kept = readFileSync(join(dir, 'data', 'history.ndjson'), 'utf8');
      expect(kept).toMatch(/"text":"kept","password":"\[redacted\]"/);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
  });
});
