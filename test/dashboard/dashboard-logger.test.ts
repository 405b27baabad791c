// The console's `logger` option: failures nothing throws to (a history write, a chat that could not open)
// are logged through it, over a real fixture server and real files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { collectingLogger as collecting } from '../helpers/log-probes.js';
import { eventually, fixtureStdio } from '../helpers/servers.js';

describe('the console logger', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'umcp-console-log-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A client to close after the test. */
  function newClient(): UniversalMcpClient {
    const client = new UniversalMcpClient();
    cleanups.push(() => client.close());
    return client;
  }

  /** A chat directory that cannot be made (its parent is a file): the chat's store does not open. */
  async function unopenableChatDir(): Promise<string> {
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, 'not a directory');
    return join(file, 'chat');
  }

  it('logs a call history that could not be written, and keeps the call in memory', async () => {
    const dir = await tempDir();
    const history = join(dir, 'history');
    const client = newClient();
    await client.addServer(fixtureStdio('notes'));
    const { logger, lines } = collecting();
    const dashboard = await createDashboard(client, { port: 0, history: { dir: history }, logger });
    cleanups.push(() => dashboard.close());
    // The history's directory turns into a file: the next append fails (ENOTDIR), whoever runs the test.
    await rm(history, { recursive: true });
    await writeFile(history, 'not a directory');
    await client.callTool('notes', 'touch', { uri: 'note://1' });
    await eventually(() => lines.some((l) => l.msg === 'the call history could not be written'));
    expect(lines.find((l) => l.msg === 'the call history could not be written')).toMatchObject({
      level: 'warn',
      obj: { file: join(history, 'history.ndjson') },
    });
    const res = await fetch(new URL('/api/history', dashboard.url), {
      headers: { authorization: `Bearer ${dashboard.token}` },
    });
    const page = (await res.json()) as { tool: string }[];
    expect(page.map((e) => e.tool)).toContain('touch');
  });

  it('gives the chat the console logger when chat.logger is not set', async () => {
    const chatDir = await unopenableChatDir();
    const client = newClient();
    const { logger, lines } = collecting();
    const dashboard = await createDashboard(client, { port: 0, chat: { dir: chatDir }, logger });
    cleanups.push(() => dashboard.close());
    await eventually(() => lines.some((l) => l.msg === 'the chat could not be opened'));
    expect(lines.find((l) => l.msg === 'the chat could not be opened')?.level).toBe('error');
  });

  it('lets chat.logger override the console logger for the chat', async () => {
    const chatDir = await unopenableChatDir();
    const client = newClient();
    const outer = collecting();
    const own = collecting();
    const dashboard = await createDashboard(client, {
      port: 0,
      chat: { dir: chatDir, logger: own.logger },
      logger: outer.logger,
    });
    cleanups.push(() => dashboard.close());
    await eventually(() => own.lines.some((l) => l.msg === 'the chat could not be opened'));
    expect(outer.lines).toEqual([]);
  });
});
