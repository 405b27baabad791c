import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ENTRY, tempConfig, UMCP } from '../helpers/servers.js';

// `umcp serve` as a host uses it: the built CLI on a config of two fixture servers, the SDK's own
// Client downstream — spawned over stdio as Claude Desktop would, and over Streamable HTTP.
const text = (r: unknown): string => ((r as CallToolResult).content[0] as { text: string }).text;

// Each test runs the built CLI several times, one process after another; a process takes seconds on a
// loaded 2-core machine (two copies of the suite at once), so the file's tests get 90 s, not the default 30 s.
describe('umcp serve', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    ({ dir, config } = await tempConfig('umcp-serve-', { left: FIXTURE_ENTRY, right: FIXTURE_ENTRY }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--stdio: a host spawns one command and sees every server', async () => {
    const client = new Client({ name: 'host', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [UMCP, 'serve', '--config', config, '--stdio'],
      stderr: 'pipe',
    });
    await client.connect(transport);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['left__echo', 'right__echo']));
      expect(text(await client.callTool({ name: 'right__add', arguments: { a: 1, b: 2 } }))).toBe('3');
    } finally {
      await client.close();
    }
  });

  it('--http: prints the URL and a generated token, serves with it, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp serve: http:/.test(stderr), 15_000);
      const [, url, token] = /umcp serve: (\S+) \(token: ([^)]+)\)/.exec(stderr) ?? [];
      const client = new Client({ name: 'remote', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url as string), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      expect(text(await client.callTool({ name: 'left__echo', arguments: { text: 'via http' } }))).toBe('via http');
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('says what is wrong with its flags', async () => {
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [UMCP, 'serve', '--config', config, ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      return { code, err };
    };
    expect((await run([])).err).toMatch(/one of --http <host:port> or --stdio/);
    expect((await run(['--http', 'nowhere'])).err).toMatch(/--http wants host:port/);
    expect((await run(['--http', '127.0.0.1:0', '--token-env', 'UNSET_TOKEN_VAR'])).err).toMatch(/not set/);
    const remote = await run(['--http', '0.0.0.0:0']);
    expect(remote.code).not.toBe(0);
    expect(remote.err).toMatch(/Refusing to listen on 0\.0\.0\.0/);
  });
});
