// A dashboard call's update listener that throws: the failure is logged through the console's logger
// (it must not become an unhandled rejection, and must not go unsaid), over the real fixture server.
import { join } from 'node:path';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';
import { DashboardCalls } from '../src/dashboard-calls.js';
import { History } from '../src/history.js';

const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'fixture-server.mjs');

describe('dashboard calls', () => {
  it("logs an update listener's failure through the logger, with the call's server and tool", async () => {
    const client = new UniversalMcpClient();
    const lines: { obj: object; msg: string }[] = [];
    const keep = (obj: object, msg: string): void => void lines.push({ obj, msg });
    const logger = { error: keep, warn: keep, info: keep, debug: keep };
    const calls = new DashboardCalls(client, new History(), undefined, logger);
    try {
      await client.addServer({
        name: 'notes',
        transport: 'stdio',
        command: process.execPath,
        args: [FIXTURE, 'stdio'],
      });
      const ended = new Promise<void>((resolve) =>
        calls.on('update', () => {
          resolve();
          throw new Error('a listener that throws');
        }),
      );
      calls.start('notes', 'touch', { uri: 'note://1' });
      await ended;
      await expect.poll(() => lines.length).toBe(1);
      expect(lines[0]).toMatchObject({
        msg: "a dashboard call's update failed",
        obj: { server: 'notes', tool: 'touch' },
      });
    } finally {
      calls.close();
      await client.close();
    }
  });
});
