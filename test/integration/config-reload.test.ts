import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { FIXTURE, eventually } from '../helpers/servers.js';

const entry = (extra: Record<string, unknown> = {}) => ({
  command: process.execPath,
  args: [FIXTURE, 'stdio'],
  ...extra,
});

describe('config files and hot reload', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-reload-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fromConfig starts every server in a Claude-style file; disabled ones stay off', async () => {
    const file = join(dir, 'claude_desktop_config.json');
    await writeFile(
      file,
      JSON.stringify({
        defaults: { callTimeoutMs: 7000 },
        mcpServers: { a: entry(), b: entry(), off: { ...entry(), disabled: true } },
      }),
    );
    await using client = await UniversalMcpClient.fromConfig(file, { waitForReady: true });
    expect(client.listServers()).toEqual(['a', 'b']);
    expect(client.getServerInfo('a')!.state).toBe('ready');
    await expect(client.callTool('b', 'echo', { text: 'from file' })).resolves.toMatchObject({
      content: [{ text: 'from file' }],
    });
  });

  it('applyConfig adds, removes, restarts on connection changes and applies policy live', async () => {
    await using client = await UniversalMcpClient.fromConfig(
      { mcpServers: { keep: entry(), policy: entry(), conn: entry(), gone: entry() } },
      { waitForReady: true },
    );
    const pids = Object.fromEntries(client.listServers().map((n) => [n, client.getServerInfo(n)!.pid]));
    const result = await client.applyConfig({
      mcpServers: {
        keep: entry(),
        policy: entry({ queue: { concurrency: 1, maxQueued: 0 } }),
        conn: entry({ env: { CHANGED: '1' } }),
        fresh: entry(),
      },
    });
    expect(result).toEqual({
      added: ['fresh'],
      removed: ['gone'],
      restarted: ['conn'],
      updated: ['policy'],
      unchanged: ['keep'],
    });
    expect(client.listServers().sort()).toEqual(['conn', 'fresh', 'keep', 'policy']);
    await eventually(() => client.listServers().every((n) => client.getServerInfo(n)?.state === 'ready'));
    expect(client.getServerInfo('keep')!.pid).toBe(pids.keep);
    expect(client.getServerInfo('policy')!.pid).toBe(pids.policy); // no restart
    expect(client.getServerInfo('conn')!.pid).not.toBe(pids.conn);
    // the new policy is in force: one slot, no backlog
    const running = client.callTool('policy', 'hang', { ms: 300 });
    await expect(client.callTool('policy', 'echo', { text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.QUEUE_FULL,
    });
    await running;
  });

  it('a changed defaults block updates every server live', async () => {
    await using client = await UniversalMcpClient.fromConfig({ mcpServers: { a: entry() } }, { waitForReady: true });
    const pid = client.getServerInfo('a')!.pid;
    const result = await client.applyConfig({ defaults: { callTimeoutMs: 100 }, mcpServers: { a: entry() } });
    expect(result.updated).toEqual(['a']);
    await expect(client.callTool('a', 'hang', { ms: 2000 })).rejects.toMatchObject({
      code: ErrorCode.TIMEOUT,
      details: { ms: 100 },
    });
    expect(client.getServerInfo('a')!.pid).toBe(pid);
  });

  it('an invalid next config changes nothing', async () => {
    await using client = await UniversalMcpClient.fromConfig({ mcpServers: { a: entry() } }, { waitForReady: true });
    await expect(client.applyConfig({ mcpServers: { a: entry(), b: { args: [] } as never } })).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
    });
    expect(client.listServers()).toEqual(['a']);
  });

  it('health settings change live: the watcher restarts with them', async () => {
    await using client = await UniversalMcpClient.fromConfig(
      { mcpServers: { a: entry({ health: { intervalMs: 0 } }) } },
      { waitForReady: true },
    );
    const { pid } = client.getServerInfo('a')!;
    await client.applyConfig({
      mcpServers: { a: entry({ health: { intervalMs: 100, timeoutMs: 100, failuresBeforeRestart: 2 } }) },
    });
    process.kill(pid!, 'SIGSTOP'); // only the new health checks can notice this
    await eventually(() => client.getServerInfo('a')?.state !== 'ready', 20_000);
    expect(client.getServerInfo('a')!.lastError?.message).toMatch(/health checks failed/);
  });
});
