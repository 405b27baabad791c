// OpenTelemetry through the real SDKs (sdk-trace-base with an in-memory exporter, sdk-metrics with
// a pull reader), W3C trace context propagated, against the fixture server as a child process.
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ErrorCode, UniversalMcpClient, type UniversalMcpError } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';
import { instrumented, named, useTraceContext } from '../helpers/otel.js';
import { eventually, fixtureStdio, startFixtureHttp } from '../helpers/servers.js';
import { eraStdio } from '../v2/era-servers.js';

useTraceContext();

const text = (r: CallToolResult): string => (r.content[0] as { text: string }).text;

describe('OpenTelemetry', () => {
  it('makes a call a CLIENT span under the caller’s, with the conventions’ attributes and trace context', async () => {
    const { client, spans, tracerProvider } = instrumented();
    await using _ = client;
    await client.addServer(fixtureStdio('traced'));
    const tracer = tracerProvider.getTracer('test');
    const parent = tracer.startSpan('handle request');
    const result = await context.with(trace.setSpan(context.active(), parent), () =>
      client.callTool('traced', 'meta', {}),
    );
    parent.end();

    const [call] = named(spans, 'tools/call meta');
    expect(call).toBeDefined();
    const span = call as ReadableSpan;
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'meta',
      'gen_ai.operation.name': 'execute_tool',
      'network.transport': 'pipe',
      'umcp.server.name': 'traced',
    });
    expect(span.attributes['mcp.protocol.version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(span.attributes['error.type']).toBeUndefined();
    // The server received the call's own span as its parent (W3C traceparent in params._meta).
    const meta = JSON.parse(text(result)) as { traceparent?: string; progressToken?: number };
    expect(meta.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    // The JSON-RPC id it went out with (the SDK uses it as the progress token too).
    expect(span.attributes['jsonrpc.request.id']).toBe(String(meta.progressToken));
    // The connection attempt was a span too, its state changes events on it.
    const [connect] = named(spans, 'connect traced');
    expect(connect?.events.map((e) => e.attributes?.to)).toEqual(['initialized', 'ready']);
    expect(connect?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(connect?.attributes['mcp.method.name']).toBe('initialize');
  });

  it('names a 2026-07-28 connection attempt by its server/discover, with the revision', async () => {
    const { client, spans } = instrumented();
    await using _ = client;
    await client.addServer(eraStdio('modern'));
    const [connect] = named(spans, 'connect modern');
    expect(connect?.attributes['mcp.method.name']).toBe('server/discover');
    expect(connect?.attributes['mcp.protocol.version']).toBe('2026-07-28');
  });

  it('records a tool error, a timeout and a crash with its restart, in spans and metrics', async () => {
    const { client, spans, metric } = instrumented();
    await using _ = client;
    await client.addServer(fixtureStdio('shaky'));
    await client.callTool('shaky', 'echo', { text: 'fine' });
    expect((await client.callTool('shaky', 'fail', {})).isError).toBe(true);
    await expect(client.callTool('shaky', 'sleep', { ms: 3000 }, { timeoutMs: 100 })).rejects.toMatchObject({
      code: ErrorCode.TIMEOUT,
    });
    const pid = client.getServerInfo('shaky')?.pid as number;
    const lost = client.callTool('shaky', 'sleep', { ms: 5000 });
    await eventually(() => (client.getServerInfo('shaky')?.pending ?? 0) > 0);
    process.kill(pid, 'SIGKILL');
    await expect(lost).rejects.toMatchObject({ code: ErrorCode.CONNECTION_LOST } satisfies Partial<UniversalMcpError>);
    await client.whenReady(['shaky']);
    await client.callTool('shaky', 'echo', { text: 'back' });

    expect(named(spans, 'tools/call fail')[0]?.attributes['error.type']).toBe('tool_error');
    const timedOut = named(spans, 'tools/call sleep').map((s) => s.attributes['error.type']);
    expect(timedOut.sort()).toEqual(['CONNECTION_LOST', 'TIMEOUT']);
    expect(named(spans, 'tools/call sleep').every((s) => s.status.code === SpanStatusCode.ERROR)).toBe(true);
    const attempts = named(spans, 'connect shaky');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.events.map((e) => e.name)).toContain('restart');

    const calls = await metric('umcp.client.calls');
    const byOutcome = Object.fromEntries(
      (calls?.dataPoints ?? []).map((p) => [String(p.attributes['umcp.outcome']), p.value as number]),
    );
    expect(byOutcome).toEqual({ ok: 2, tool_error: 1, TIMEOUT: 1, CONNECTION_LOST: 1 });
    const restarts = await metric('umcp.server.restarts');
    expect(restarts?.dataPoints.reduce((n, p) => n + (p.value as number), 0)).toBe(1);
    const duration = (await metric('mcp.client.operation.duration')) as HistogramMetricData | undefined;
    expect(duration?.descriptor.unit).toBe('s');
    const points = duration?.dataPoints ?? [];
    expect(points.reduce((n, p) => n + p.value.count, 0)).toBe(5);
    expect(points[0]?.value.buckets.boundaries).toEqual([
      0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
    ]);
    const sessions = (await metric('mcp.client.session.duration')) as HistogramMetricData | undefined;
    expect(sessions?.dataPoints.find((p) => p.attributes['error.type'] === 'CONNECTION_LOST')?.value.count).toBe(1);
    const states = await metric('umcp.server.state');
    const ready = states?.dataPoints.find((p) => p.attributes['umcp.server.state'] === 'ready');
    expect(ready?.value).toBe(1);
  });

  it('costs a call nothing without an SDK, and follows a tracer provider registered later', async () => {
    await using client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('plain'));
    // No SDK: no span, so no trace context for the server either.
    expect(JSON.parse(text(await client.callTool('plain', 'meta', {})))).not.toHaveProperty('traceparent');
    const spans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    try {
      const meta = JSON.parse(text(await client.callTool('plain', 'meta', {}))) as { traceparent?: string };
      const [span] = named(spans, 'tools/call meta');
      expect(meta.traceparent).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
    } finally {
      trace.disable();
    }
  });

  it('names an HTTP server’s address, port and session on its spans', async () => {
    const http = await startFixtureHttp('http');
    const { client, spans } = instrumented();
    try {
      await client.addServer({ name: 'remote', transport: 'streamable_http', url: http.url });
      await client.readResource('remote', 'note://1');
      const [read] = named(spans, 'resources/read');
      const url = new URL(http.url);
      expect(read?.attributes).toMatchObject({
        'mcp.method.name': 'resources/read',
        'mcp.resource.uri': 'note://1',
        'network.transport': 'tcp',
        'network.protocol.name': 'http',
        'server.address': '127.0.0.1',
        'server.port': Number(url.port),
        'mcp.session.id': client.getServerInfo('remote')?.sessionId,
      });
      expect(read?.attributes['mcp.session.id']).toEqual(expect.any(String));
    } finally {
      await client.close();
      await http.stop();
    }
  });
});
