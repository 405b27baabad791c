import { afterEach, describe, expect, it } from 'vitest';
import { UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { SERVER_COMES_BACK } from '../helpers/servers.js';
import { eraOf, fixtureLog, startV2FaultsHttp, type FixtureLog, type RestartableHttp } from '../helpers/v2-faults.js';

// T5 in the 2026 era: there is no session to expire. A stateless server restarted behind the same
// URL is invisible to a client that had no call in flight: no failed state, no re-initialize, no
// new probe; the next call simply goes to the new process. (A 2025 server restarted this way
// answers 404 for the old session: that is T5 proper, t05-session-expiry.test.ts.)
describe('T5 (2026): a stateless server restarted behind the same URL', () => {
  let client: UniversalMcpClient;
  let server: RestartableHttp;
  let log: FixtureLog;
  afterEach(async () => {
    await client.close();
    await server.stop();
    await log.remove();
  });

  it.each([
    ['2026-07-28', false],
    ['auto', false],
    ['2026-07-28', true],
  ] as const)(
    '%s (away for a while: %s): invisible to an idle client; calls go on, nothing re-initializes or probes',
    { timeout: 60_000 },
    async (protocol, away) => {
      log = await fixtureLog();
      server = await startV2FaultsHttp(log);
      client = new UniversalMcpClient({ defaults: SERVER_COMES_BACK });
      const states: ServerStateEvent[] = [];
      await client.addServer({ name: 'web', transport: 'streamable_http', url: server.url, protocol });
      expect(eraOf(client.getServerInfo('web'))).toBe('2026-07-28');
      client.on('server:state', (e) => states.push(e));
      await client.callTool('web', 'echo', { text: 'before' });

      await server.stop();
      // Down long enough that the listen stream's reopen (1 s after the cut) is refused at least once.
      if (away) await new Promise((r) => setTimeout(r, 2_500));
      server = await server.again();
      await expect(client.callTool('web', 'echo', { text: 'after' })).resolves.toMatchObject({
        content: [{ text: 'after' }],
      });
      expect(states).toEqual([]);
      expect(client.getServerInfo('web')).toMatchObject({ state: 'ready', restarts: 0 });
      expect(eraOf(client.getServerInfo('web'))).toBe('2026-07-28');
      const words = await log.of(server.child.pid!);
      expect(words).toContain('tools/call');
      expect(words).not.toContain('initialize');
      expect(words).not.toContain('server/discover');
    },
  );
});
