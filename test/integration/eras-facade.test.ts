import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  UniversalMcpClient,
  type ServerInputRequiredEvent,
  type ServerReadyEvent,
} from '@universal-mcp/supervisor';
import { useTraceContext } from '../helpers/otel.js';
import { fixtureStdio } from '../helpers/servers.js';
import { ANSWERS, eraStdio } from '../v2/era-servers.js';

// The two eras as the facade shows them, against real servers as child processes: the fixture
// (SDK v1, 2025 era only) and the era fixture (SDK v2: 2026-07-28 and 2025-11-25, tools that ask
// for input in a round).

describe('the protocol eras through the facade', { timeout: 60_000 }, () => {
  useTraceContext();

  it('server:ready and getServerInfo say the era and revision of each server', async () => {
    await using client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } }, handlers: ANSWERS });
    const ready: ServerReadyEvent[] = [];
    client.on('server:ready', (e) => ready.push(e));
    await client.addServer(fixtureStdio('old'));
    await client.addServer(eraStdio('new'));
    expect(ready.find((e) => e.server === 'old')).toMatchObject({ era: '2025-11-25', protocolVersion: '2025-11-25' });
    expect(ready.find((e) => e.server === 'new')).toMatchObject({ era: '2026-07-28', protocolVersion: '2026-07-28' });
    expect(client.getServerInfo('old')).toMatchObject({ era: '2025-11-25', protocolVersion: '2025-11-25' });
    expect(client.getServerInfo('new')).toMatchObject({ era: '2026-07-28', protocolVersion: '2026-07-28' });
  });

  it('an input round: answered by the handlers, a server:input-required event, an event on the call span', async () => {
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    await using client = new UniversalMcpClient({
      defaults: { health: { intervalMs: 0 } },
      telemetry: { tracerProvider },
      handlers: ANSWERS,
    });
    const rounds: ServerInputRequiredEvent[] = [];
    client.on('server:input-required', (e) => rounds.push(e));
    await client.addServer(eraStdio('new'));
    const result = await client.callTool('new', 'ask', { tag: 't1' });
    expect(result.content).toEqual([{ type: 'text', text: 't1: name-t1 / sampled-t1 / file:///work / ask:t1' }]);
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({ server: 'new', method: 'tools/call', round: 1 });
    expect(rounds[0]!.requests.map((r) => `${r.key}=${r.method}`).sort()).toEqual([
      'model=sampling/createMessage',
      'name=elicitation/create',
      'roots=roots/list',
    ]);
    const call = spans.getFinishedSpans().find((s) => s.name === 'tools/call ask');
    const event = call?.events.find((e) => e.name === 'input_required');
    expect(event?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'umcp.round': 1 });
    expect([...((event?.attributes?.['umcp.input.methods'] as string[]) ?? [])].sort()).toEqual([
      'elicitation/create',
      'roots/list',
      'sampling/createMessage',
    ]);
  });

  it("each input round's handlers are told the caller of the call it serves, even with calls in parallel", async () => {
    const seen: [string, string, unknown][] = [];
    const tagged = (kind: string) => (params: unknown, context: { caller?: unknown }) => {
      seen.push([kind, JSON.stringify(params), context.caller]);
    };
    await using client = new UniversalMcpClient({
      defaults: { health: { intervalMs: 0 } },
      handlers: {
        elicitation: async (p, c) => (tagged('elicitation')(p, c), ANSWERS.elicitation!(p, c)),
        sampling: async (p, c) => (tagged('sampling')(p, c), ANSWERS.sampling!(p, c)),
        roots: async (p, c) => (tagged('roots')(p, c), ANSWERS.roots!(p, c)),
      },
    });
    await client.addServer(eraStdio('new'));
    const a = { who: 'a' };
    const b = { who: 'b' };
    const results = await Promise.all([
      client.callTool('new', 'ask', { tag: 'ta' }, { caller: a }),
      client.callTool('new', 'ask', { tag: 'tb' }, { caller: b }),
    ]);
    expect(results.map((r) => r.content)).toEqual([
      [{ type: 'text', text: 'ta: name-ta / sampled-ta / file:///work / ask:ta' }],
      [{ type: 'text', text: 'tb: name-tb / sampled-tb / file:///work / ask:tb' }],
    ]);
    expect(seen).toHaveLength(6);
    expect(seen.filter(([, , c]) => c === a)).toHaveLength(3);
    expect(seen.filter(([, , c]) => c === b)).toHaveLength(3);
    // The elicitation and sampling requests name their call's tag: each went with its own caller.
    for (const [kind, params, c] of seen)
      if (kind !== 'roots') expect(params.includes(c === a ? 'ta' : 'tb'), `${kind} ${params}`).toBe(true);
  });

  // Given up without restarts when the server lacks a pinned era: test/v2/era-supervised.test.ts (a server's own pin).
  it("the client's protocol option pins every server whose config says nothing; a server's own wins", async () => {
    await using client = new UniversalMcpClient({ protocol: '2026-07-28', defaults: { health: { intervalMs: 0 } } });
    await expect(client.addServer(fixtureStdio('old'))).rejects.toMatchObject({
      code: ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
    });
    await expect(client.addServer(fixtureStdio('pinned-old', { protocol: '2025-11-25' }))).resolves.toMatchObject({
      era: '2025-11-25',
    });
    await expect(client.addServer(eraStdio('new'))).resolves.toMatchObject({ era: '2026-07-28' });
  });
});
