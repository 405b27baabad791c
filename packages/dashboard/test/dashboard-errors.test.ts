import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '@universal-mcp/core';
import { SqliteChatStore, createDashboardHandler } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatRuns } from '../src/chat-runs.js';
import { settingsFrom } from '../src/chat-routes.js';
import { DashboardError, DashboardErrorCode } from '../src/dashboard-errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umcp-dashboard-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A logger that keeps its lines (pino's shape: object first, then a constant message). */
function collecting() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const line = (level: string) => (obj: object, msg: string) =>
    void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, logger: { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') } };
}

describe('the dashboard logs what it does not throw', () => {
  it('a chat store that cannot be opened is logged (the dashboard serves on without its chat)', async () => {
    // `chat.dir` is a file: the store's directory cannot be made.
    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    const { lines, logger } = collecting();
    await using client = new UniversalMcpClient();
    const handler = createDashboardHandler(client, { chat: { dir: file, logger } });
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'the chat could not be opened' });
    expect(lines[0]!.obj.err).toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) });
    await handler.close();
  });
});

describe('the dashboard throws typed errors', () => {
  it('bad settings are INVALID_INPUT (status 400), with the message the page has always shown', () => {
    const base = { provider: 'p', model: 'm', system: '', servers: null, toolSelection: false };
    const err = (() => {
      try {
        settingsFrom({ toolSelection: 'yes' }, base, [{ name: 'p', models: ['m'], model: () => undefined as never }]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DashboardError);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({
      code: DashboardErrorCode.INVALID_INPUT,
      status: 400,
      message: 'settings.toolSelection must be true or false',
    });
  });

  it('a message to a conversation that is not there is NOT_FOUND; a closed store is STORE_UNAVAILABLE', async () => {
    await using client = new UniversalMcpClient();
    const store = await SqliteChatStore.open();
    const runs = new ChatRuns(client, store, []);
    await expect(runs.send('nowhere', 'hello')).rejects.toMatchObject({
      code: DashboardErrorCode.NOT_FOUND,
      message: 'No such conversation',
    });
    await expect(runs.send('nowhere', '  ')).rejects.toMatchObject({ code: DashboardErrorCode.INVALID_INPUT });
    await store.close();
    await expect(store.list()).rejects.toMatchObject({ code: DashboardErrorCode.STORE_UNAVAILABLE });
  });
});
