// The MCP Inspector's CLI (a client nobody here wrote) lists and calls tools through the gateway:
// over Streamable HTTP and legacy SSE with the bearer token, and over stdio with `umcp serve --stdio` as its command.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createGateway } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ENTRY, fixtureStdio, tempConfig, UMCP } from '../helpers/servers.js';

const require = createRequire(import.meta.url);
const INSPECTOR = join(
  dirname(require.resolve('@modelcontextprotocol/inspector-cli/package.json')),
  'build',
  'index.js',
);
const run = promisify(execFile);

/**
 * Runs the Inspector CLI and parses what it prints (JSON). From its own directory: 1.0.3 looks for
 * `../package.json` relative to the working directory before it imports it relative to itself.
 */
async function inspector(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [INSPECTOR, ...args], { timeout: 30_000, cwd: dirname(INSPECTOR) });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const names = (listed: { tools?: unknown }): string[] => (listed.tools as { name: string }[]).map((t) => t.name);

// Each test runs the built CLI several times, one process after another; a process takes seconds on a
// loaded 2-core machine (two copies of the suite at once), so the file's tests get 90 s, not the default 30 s.
describe('the MCP Inspector CLI through the gateway', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    ({ dir, config } = await tempConfig('umcp-inspector-', { left: FIXTURE_ENTRY, right: FIXTURE_ENTRY }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('over Streamable HTTP and legacy SSE, with the token', async () => {
    await using client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('left'));
    await client.addServer(fixtureStdio('right'));
    await using gateway = createGateway(client);
    // Short idle expiry: the CLI leaves without DELETE, so its sessions must go by themselves (3 s: long
    // enough that a CLI slowed by a loaded machine keeps its session between initialize and its request).
    const listener = await gateway.listen({ port: 0, sessionIdleMs: 3_000 });
    const kept = new Client({ name: 'kept', version: '1.0.0' });
    await kept.connect(
      new StreamableHTTPClientTransport(listener.url, {
        requestInit: { headers: { authorization: `Bearer ${listener.token}` } },
      }),
    );
    // Without the token it gets nothing, not even a session.
    await expect(inspector([listener.url.href, '--transport', 'http', '--method', 'tools/list'])).rejects.toThrow();
    expect(gateway.sessions).toBe(1);
    const http = [listener.url.href, '--transport', 'http', '--header', `Authorization: Bearer ${listener.token}`];
    expect(names(await inspector([...http, '--method', 'tools/list']))).toEqual(
      expect.arrayContaining(['left__echo', 'right__echo']),
    );
    const called = await inspector([
      ...http,
      '--method',
      'tools/call',
      '--tool-name',
      'right__echo',
      '--tool-arg',
      'text=hi',
    ]);
    expect(called.content).toEqual([{ type: 'text', text: 'hi' }]);
    // The legacy HTTP+SSE endpoint, as old clients use it.
    const sse = [new URL('/sse', listener.url).href, '--transport', 'sse', '--header', http[4] as string];
    expect(names(await inspector([...sse, '--method', 'tools/list']))).toContain('left__echo');
    // The CLI's sessions expire; the connected client's (its GET stream open) stays and works.
    await eventually(() => gateway.sessions === 1, 20_000);
    expect(names(await kept.listTools())).toContain('left__echo');
    await kept.close();
  });

  it('over stdio, spawning umcp serve --stdio', async () => {
    const stdio = [process.execPath, UMCP, 'serve', '--config', config, '--stdio'];
    expect(names(await inspector([...stdio, '--method', 'tools/list']))).toEqual(
      expect.arrayContaining(['left__add', 'right__add']),
    );
    const called = await inspector([
      ...stdio,
      '--method',
      'tools/call',
      '--tool-name',
      'left__add',
      '--tool-arg',
      'a=2',
      'b=3',
    ]);
    expect(called.content).toEqual([{ type: 'text', text: '5' }]);
  });
});
