import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ENTRY, stopChild, UMCP } from '../helpers/servers.js';

// `umcp serve --http` with a config whose top-level `endpoints` adds a read-only endpoint: the built
// CLI in its own process, an SDK v2 client on each endpoint (test/fixtures/fixture-server.mjs
// annotates `echo` and `weather` readOnlyHint).
const MAIN_TOKEN = 'main-token-0123456789abcdef';
const READERS_TOKEN = 'readers-token-0123456789abc';

/** A client of `url` with `token`, its tool names. */
async function toolNames(url: URL, token: string): Promise<string[]> {
  const client = new Client({ name: 'team', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  try {
    return (await client.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await client.close();
  }
}

describe('umcp serve with endpoints', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-endpoints-'));
    config = join(dir, 'mcp.json');
    const endpoints = { readers: { path: '/readers/mcp', token: '${READERS_TOKEN}', tools: { readOnly: true } } };
    await writeFile(config, JSON.stringify({ mcpServers: { fixture: FIXTURE_ENTRY }, endpoints }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--http serves the config endpoint beside the main one, naming its URL but never its token', async () => {
    const child = spawn(
      process.execPath,
      [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0', '--token-env', 'TOKEN'],
      {
        env: { ...process.env, TOKEN: MAIN_TOKEN, READERS_TOKEN },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /endpoint "readers" at http:/.test(stderr), 60_000);
      const main = new URL(/umcp serve: (http:\/\/\S+?\/mcp)/.exec(stderr)?.[1] as string);
      const readers = new URL(/endpoint "readers" at (\S+)/.exec(stderr)?.[1] as string);
      expect(readers.href).toBe(new URL('/readers/mcp', main).href);
      expect(stderr).not.toContain(READERS_TOKEN);
      expect(await toolNames(readers, READERS_TOKEN)).toEqual(['echo', 'weather']);
      expect(await toolNames(main, MAIN_TOKEN)).toEqual(expect.arrayContaining(['add', 'echo', 'sleep', 'weather']));
      await expect(toolNames(readers, MAIN_TOKEN)).rejects.toThrow();
    } finally {
      await stopChild(child);
    }
  });

  it('refuses to start when the endpoint token variable is not set', async () => {
    const env = { PATH: process.env.PATH ?? '' };
    const child = spawn(process.execPath, [UMCP, 'serve', '--config', config, '--http', '127.0.0.1:0'], { env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/endpoints\.readers\.token: environment variable READERS_TOKEN is not set/);
  });
});
