import { describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type CallEndEvent } from '@universal-mcp/supervisor';
import { FIXTURE, descendantsOf, startFixtureHttp } from '../helpers/servers.js';

const stdio = (name: string, args: string[] = [FIXTURE, 'stdio']) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args,
});

describe('events', () => {
  it('emits call:start / call:end and server:stderr', async () => {
    await using client = new UniversalMcpClient();
    const starts: string[] = [];
    const ends: CallEndEvent[] = [];
    const stderr: string[] = [];
    client.on('call:start', (e) => starts.push(e.tool));
    client.on('call:end', (e) => ends.push(e));
    client.on('server:stderr', (e) => stderr.push(e.line));
    await client.addServer(stdio('ev'));
    await client.callTool('ev', 'log', { text: 'hello from stderr' });
    await client.callTool('ev', 'hang', { ms: 2000 }, { timeoutMs: 50 }).catch(() => undefined);
    expect(starts).toEqual(['log', 'hang']);
    expect(ends[0]).toMatchObject({ server: 'ev', tool: 'log', ok: true });
    expect(ends[0]!.durationMs).toBeGreaterThan(0);
    expect(ends[1]).toMatchObject({ tool: 'hang', ok: false, error: { code: ErrorCode.TIMEOUT } });
    await expect.poll(() => stderr).toContain('hello from stderr');
    expect(client.getServerInfo('ev')!.stderr).toContain('hello from stderr');
  });

  it('a throwing listener does not break supervision', async () => {
    await using client = new UniversalMcpClient();
    client.on('server:state', () => {
      throw new Error('listener bug');
    });
    await expect(client.addServer(stdio('robust'))).resolves.toMatchObject({ state: 'ready' });
  });

  it('removeServer emits server:removed and stopped, and no error events after an intentional close', async () => {
    const client = new UniversalMcpClient();
    const seen: string[] = [];
    client.on('server:state', (e) => seen.push(`${e.server}:${e.to}`));
    client.on('server:given-up', (e) => seen.push(`failed:${e.server}`));
    client.on('server:restarting', (e) => seen.push(`restarting:${e.server}`));
    client.on('server:removed', (e) => seen.push(`removed:${e.server}`));
    await client.addServer(stdio('a'));
    await client.addServer(stdio('b'));
    await client.removeServer('a');
    expect(client.listServers()).toEqual(['b']);
    await client.close();
    expect(seen.filter((s) => !s.endsWith('initialized') && !s.endsWith('ready'))).toEqual([
      'a:stopped',
      'removed:a',
      'b:stopped',
      'removed:b',
    ]);
  });
});

describe('cleanup', () => {
  it('after close() no child process remains, in-flight and queued calls are rejected', async () => {
    const http = await startFixtureHttp('http');
    const client = new UniversalMcpClient();
    await Promise.all([
      client.addServer({ ...stdio('one'), queue: { concurrency: 1 } }),
      client.addServer(
        stdio('wrapped', [
          '-e',
          `require('child_process')` +
            `.spawn(process.execPath, [${JSON.stringify(FIXTURE)}, 'stdio'], { stdio: 'inherit' })`,
        ]),
      ),
      client.addServer({ name: 'web', transport: 'streamable_http', url: http.url }),
    ]);
    const mine = (await descendantsOf(process.pid)).filter((p) => p !== http.child.pid);
    expect(mine.length).toBeGreaterThanOrEqual(3); // one, the wrapper and its grandchild
    const inFlight = client.callTool('one', 'sleep', { ms: 10_000 }).catch((e: { code: string }) => e.code);
    const queued = client.callTool('one', 'sleep', { ms: 10_000 }).catch((e: { code: string }) => e.code);
    const httpCall = client.callTool('web', 'sleep', { ms: 10_000 }).catch((e: { code: string }) => e.code);
    const started = performance.now();
    await client.close();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await inFlight).toBe(ErrorCode.CONNECTION_LOST);
    expect(await queued).toBe(ErrorCode.CLOSED);
    expect(await httpCall).toBe(ErrorCode.CONNECTION_LOST);
    const left = (await descendantsOf(process.pid)).filter((p) => p !== http.child.pid);
    expect(left).toEqual([]);
    expect(client.listServers()).toEqual([]);
    await http.stop();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });
});
