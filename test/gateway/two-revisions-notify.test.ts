// A 2026-07-28 client of the gateway: change notifications on its subscriptions/listen stream,
// progress and cancellation of its calls, against
// an upstream of each era (test/fixtures/v2-server.mjs: `v2` spoken to in 2026-07-28, `old` 2025 only).
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/servers.js';
import { closeAll, downstream, serve, textOf, upstream } from './two-revisions-setup.js';

afterEach(closeAll);

const COUNTER = (server: string): string => `umcp-resource://${server}/${encodeURIComponent('fixture://counter')}`;

describe('a 2026-07-28 client of the gateway', () => {
  it('hears of list changes and resource updates on its listen stream, from an upstream of each era', async () => {
    const client = await upstream();
    const { listener } = await serve(client);
    const toolLists: string[][] = [];
    const modern = await downstream(listener, '2026-07-28', {
      listChanged: { tools: { onChanged: (_err, tools) => toolLists.push((tools ?? []).map((t) => t.name)) } },
    });
    const updated: string[] = [];
    modern.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    const listen = await modern.listen({ resourceSubscriptions: [COUNTER('v2'), COUNTER('old')] });
    expect(listen.honoredFilter.resourceSubscriptions).toEqual([COUNTER('v2'), COUNTER('old')]);
    // Subscribed upstream while the stream is open, on each server.
    await eventually(() =>
      ['v2', 'old'].every((s) => client.getServerInfo(s)?.subscriptions.includes('fixture://counter')),
    );

    for (const server of ['v2', 'old']) {
      const before = toolLists.length;
      await modern.callTool({ name: `${server}__toggle_tool`, arguments: {} });
      await eventually(() => toolLists.length > before, 15_000);
      expect(toolLists.at(-1)).toContain('extra');
      await modern.callTool({ name: `${server}__toggle_tool`, arguments: {} }); // extra gone again
      await eventually(() => !toolLists.at(-1)?.includes('extra'), 15_000);

      await modern.callTool({ name: `${server}__touch`, arguments: {} });
      await eventually(() => updated.includes(COUNTER(server)), 15_000);
    }
    // The stream closed: the upstream subscriptions are released.
    await listen.close();
    await eventually(() => ['v2', 'old'].every((s) => client.getServerInfo(s)?.subscriptions.length === 0));
  });

  it.each(['v2', 'old'])(
    'gets progress of its call to %s, and cancelling it cancels the upstream call',
    async (server) => {
      const client = await upstream([server as 'v2' | 'old']);
      const { listener } = await serve(client);
      const modern = await downstream(listener, '2026-07-28');
      const progress: number[] = [];
      const done = await modern.callTool(
        { name: 'slow', arguments: { ms: 300 } },
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(textOf(done)).toBe('slept 300');
      expect(progress.length).toBeGreaterThan(0);

      const abort = new AbortController();
      const call = modern
        .callTool({ name: 'slow', arguments: { ms: 60_000 } }, { signal: abort.signal })
        .catch((e: unknown) => e);
      await eventually(() => client.getServerInfo(server)?.pending === 1);
      abort.abort();
      await call;
      // The upstream call ends long before its minute is up.
      await eventually(() => client.getServerInfo(server)?.pending === 0, 10_000);
    },
  );
});
