// Request spans and the operation-duration metric against the MCP semantic conventions, with real
// servers: the SDK fixture, and the hand-written one whose `seen` tool says what it received (the
// JSON-RPC id and params._meta of each request).
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ErrorCode, type UniversalMcpClient } from '@universal-mcp/supervisor';
import { describe, expect, it } from 'vitest';
import { instrumented, named, useTraceContext } from '../helpers/otel.js';
import { fixtureStdio, hostileStdio } from '../helpers/servers.js';

useTraceContext();

/** A request as the hand-written server received it. */
interface Received {
  method: string;
  id: number;
  name?: string;
  meta: Record<string, string>;
}

const text = (r: CallToolResult): string => (r.content[0] as { text: string }).text;
const traceparent = (span: ReadableSpan | undefined): string =>
  `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`;
const seen = async (client: UniversalMcpClient, server: string): Promise<Received[]> =>
  JSON.parse(text(await client.callTool(server, 'seen', {}))) as Received[];
const only = (spans: ReadableSpan[]): ReadableSpan => {
  expect(spans).toHaveLength(1);
  return spans[0] as ReadableSpan;
};

describe('request spans by the MCP semantic conventions', () => {
  it('re-lists for an unlisted tool in a request of its own: the call keeps its id and trace context', async () => {
    const { client, spans } = instrumented();
    await using _ = client;
    // `late` is on the server but not in the list the client got when it connected.
    await client.addServer(hostileStdio('late', { EXTRA_TOOLS: '1' }));
    expect(client.listTools('late').map((t) => t.name)).not.toContain('late');
    const told: (string | number)[] = [];
    const result = await client.callTool('late', 'late', {}, { onSent: (id) => told.push(id) });
    expect(text(result)).toBe('late');

    const received = await seen(client, 'late');
    const lists = received.filter((r) => r.method === 'tools/list');
    expect(lists).toHaveLength(2); // at connect, then for the unlisted tool
    const relist = lists[1] as Received;
    const call = received.find((r) => r.method === 'tools/call' && r.name === 'late') as Received;
    expect(call.id).not.toBe(relist.id);
    // onSent told the id of the tools/call alone (before: the list's, then the call's).
    expect(told).toEqual([call.id]);
    const callSpan = only(named(spans, 'tools/call late'));
    expect(callSpan.attributes['jsonrpc.request.id']).toBe(String(call.id));
    expect(call.meta.traceparent).toBe(traceparent(callSpan));
    // The list is its own CLIENT span under the call's, with its own id and trace context.
    const listSpan = only(named(spans, 'tools/list'));
    expect(listSpan.kind).toBe(SpanKind.CLIENT);
    expect(listSpan.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId);
    expect(listSpan.attributes['mcp.method.name']).toBe('tools/list');
    expect(listSpan.attributes['jsonrpc.request.id']).toBe(String(relist.id));
    expect(relist.meta.traceparent).toBe(traceparent(listSpan));

    // Not there even after the list: no tools/call was sent, so no id for the call.
    const none: (string | number)[] = [];
    await expect(client.callTool('late', 'nowhere', {}, { onSent: (id) => none.push(id) })).rejects.toMatchObject({
      code: ErrorCode.TOOL_NOT_FOUND,
    });
    expect(none).toEqual([]);
    const missing = only(named(spans, 'tools/call nowhere'));
    expect(missing.attributes['jsonrpc.request.id']).toBeUndefined();
    expect(missing.attributes['error.type']).toBe('TOOL_NOT_FOUND');
    expect(missing.attributes['rpc.response.status_code']).toBeUndefined();
    expect(named(spans, 'tools/list')).toHaveLength(2);
  });

  it('records a JSON-RPC error’s code as rpc.response.status_code and error.type, on span and duration', async () => {
    const { client, spans, metric } = instrumented();
    await using _ = client;
    await client.addServer(fixtureStdio('fx'));
    await client.addServer(hostileStdio('app', { EXTRA_TOOLS: '1' }));
    // The SDK server answers a prompt it does not have with -32602 (invalid params).
    await expect(client.getPrompt('fx', 'nope')).rejects.toMatchObject({
      code: ErrorCode.PROTOCOL_ERROR,
      rpcCode: -32602,
    });
    await expect(client.callTool('app', 'app_error', {})).rejects.toMatchObject({
      code: ErrorCode.PROTOCOL_ERROR,
      rpcCode: 42,
    });

    const prompt = only(named(spans, 'prompts/get nope'));
    expect(prompt.attributes['rpc.response.status_code']).toBe('-32602');
    expect(prompt.attributes['error.type']).toBe('-32602');
    expect(prompt.status.code).toBe(SpanStatusCode.ERROR);
    const app = only(named(spans, 'tools/call app_error'));
    expect(app.attributes['rpc.response.status_code']).toBe('42');
    expect(app.attributes['error.type']).toBe('42');

    const duration = (await metric('mcp.client.operation.duration')) as HistogramMetricData;
    const point = (method: string): Record<string, unknown> | undefined =>
      duration.dataPoints.find((p) => p.attributes['mcp.method.name'] === method && p.attributes['error.type'])
        ?.attributes;
    expect(point('prompts/get')).toMatchObject({ 'rpc.response.status_code': '-32602', 'error.type': '-32602' });
    // A code outside JSON-RPC's reserved range is `_OTHER` on the metric: a server cannot mint series.
    expect(point('tools/call')).toMatchObject({ 'rpc.response.status_code': '_OTHER', 'error.type': '_OTHER' });
    const calls = await metric('umcp.client.calls');
    const outcomes = calls?.dataPoints
      .filter((p) => p.attributes['umcp.outcome'] !== 'ok')
      .map((p) => [p.attributes['mcp.method.name'], p.attributes['umcp.outcome']]);
    expect(outcomes).toEqual([
      ['prompts/get', 'PROTOCOL_ERROR'],
      ['tools/call', 'PROTOCOL_ERROR'],
    ]);
  });

  it('makes resources/subscribe, resources/unsubscribe and logging/setLevel spans, with their uri and id', async () => {
    const { client, spans, metric } = instrumented();
    await using _ = client;
    await client.addServer(fixtureStdio('fx'));
    await client.addServer(hostileStdio('bare', { EXTRA_TOOLS: '1' }));
    const ids: Record<string, string | number> = {};
    const told = (method: string) => ({ onSent: (id: string | number) => void (ids[method] = id) });
    await client.subscribeResource('fx', 'note://3', told('resources/subscribe'));
    await client.unsubscribeResource('fx', 'note://3', told('resources/unsubscribe'));
    await client.setLoggingLevel('fx', 'debug', told('logging/setLevel'));

    for (const method of ['resources/subscribe', 'resources/unsubscribe'] as const) {
      const span = only(named(spans, method));
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toMatchObject({
        'mcp.method.name': method,
        'mcp.resource.uri': 'note://3',
        'jsonrpc.request.id': String(ids[method]),
        'umcp.server.name': 'fx',
        'network.transport': 'pipe',
      });
    }
    const level = only(named(spans, 'logging/setLevel'));
    expect(level.attributes).toMatchObject({
      'mcp.method.name': 'logging/setLevel',
      'jsonrpc.request.id': String(ids['logging/setLevel']),
    });
    expect(level.attributes['mcp.resource.uri']).toBeUndefined();
    expect(level.attributes['error.type']).toBeUndefined();

    // The hand-written server has no logging/setLevel: -32601, and it received the span's trace context.
    await expect(client.setLoggingLevel('bare', 'info')).rejects.toMatchObject({ rpcCode: -32601 });
    const failed = named(spans, 'logging/setLevel').find((s) => s.attributes['umcp.server.name'] === 'bare');
    expect(failed?.attributes).toMatchObject({ 'error.type': '-32601', 'rpc.response.status_code': '-32601' });
    const setLevel = (await seen(client, 'bare')).find((r) => r.method === 'logging/setLevel');
    expect(setLevel?.meta.traceparent).toBe(traceparent(failed));
    expect(String(setLevel?.id)).toBe(failed?.attributes['jsonrpc.request.id']);

    const duration = (await metric('mcp.client.operation.duration')) as HistogramMetricData;
    const counts = Object.fromEntries(
      duration.dataPoints
        .filter((p) => p.attributes['umcp.server.name'] === 'fx')
        .map((p) => [p.attributes['mcp.method.name'], p.value.count]),
    );
    expect(counts).toEqual({ 'resources/subscribe': 1, 'resources/unsubscribe': 1, 'logging/setLevel': 1 });
    // The uri is opt-in on the metric (high cardinality): spans only.
    expect(duration.dataPoints.some((p) => 'mcp.resource.uri' in p.attributes)).toBe(false);
  });
});
