// What an upstream server asks of its client, across revisions: a 2026-07-28 client of the gateway
// gets input_required rounds, whether the upstream asked by a 2025 server→client request (`old`)
// or by its own input_required round (`v2`); a 2025 client gets requests on its session.
// Upstreams: test/fixtures/v2-server.mjs (`ask` elicits, `sample` samples, `roots` lists roots).
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/client';
import type { HttpListener } from '@universal-mcp/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, downstream, opened, post, serve, textOf, upstream } from './two-revisions-setup.js';

afterEach(closeAll);

/** A 2026 client that offers all three and answers with `answer`; it counts what it was asked. */
async function answering(listener: HttpListener, answer: string): Promise<{ client: Client; asked: string[] }> {
  const asked: string[] = [];
  const client = await downstream(listener, '2026-07-28', {
    capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
  });
  client.setRequestHandler('elicitation/create', () => {
    asked.push('elicitation');
    return { action: 'accept', content: { answer } };
  });
  client.setRequestHandler('sampling/createMessage', () => {
    asked.push('sampling');
    return { role: 'assistant', model: 'test', content: { type: 'text', text: answer } };
  });
  client.setRequestHandler('roots/list', () => {
    asked.push('roots');
    return { roots: [{ uri: `file:///${answer}` }] };
  });
  return { client, asked };
}

describe('upstream requests for input, across revisions', { timeout: 60_000 }, () => {
  it.each(['v2', 'old'] as const)(
    'a 2026 client answers the elicitation, sampling and roots requests of %s in input rounds',
    async (server) => {
      const { listener } = await serve(await upstream([server]));
      const { client, asked } = await answering(listener, 'ada');
      expect(textOf(await client.callTool({ name: 'ask', arguments: {} }))).toBe('answer: ada');
      expect(textOf(await client.callTool({ name: 'sample', arguments: {} }))).toBe('sampled: ada');
      expect(textOf(await client.callTool({ name: 'roots', arguments: {} }))).toBe('roots: file:///ada');
      expect(asked).toEqual(['elicitation', 'sampling', 'roots']);
    },
  );

  it('the round is an input_required result whose retry, under a new id, completes the call', async () => {
    const { listener, gateway } = await serve(await upstream(['old']));
    // The client declares elicitation in its envelope (a round asks only what the client offers).
    const offers = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } };
    const first = await post(
      listener,
      {
        id: 1,
        method: 'tools/call',
        params: { name: 'ask', arguments: {}, _meta: offers },
      },
      { 'mcp-name': 'ask' },
    );
    const round = first.json.result as {
      resultType: string;
      inputRequests: Record<string, { method: string }>;
      requestState: string;
    };
    expect(round.resultType).toBe('input_required');
    const [[key, request]] = Object.entries(round.inputRequests) as [[string, { method: string }]];
    expect(request.method).toBe('elicitation/create');
    expect(round.requestState).toContain(`gw1.${gateway.replica}.`);
    const retry = await post(
      listener,
      {
        id: 2,
        method: 'tools/call',
        params: {
          name: 'ask',
          arguments: {},
          inputResponses: { [key]: { action: 'accept', content: { answer: '7' } } },
          requestState: round.requestState,
          _meta: offers,
        },
      },
      { 'mcp-name': 'ask' },
    );
    expect(retry.json.id).toBe(2);
    expect(textOf(retry.json.result ?? {})).toBe('answer: 7');
    // The call has ended: its state cannot be used again.
    const again = await post(
      listener,
      {
        id: 3,
        method: 'tools/call',
        params: { name: 'ask', arguments: {}, inputResponses: {}, requestState: round.requestState },
      },
      { 'mcp-name': 'ask' },
    );
    expect(again.json.error).toMatchObject({ code: -32602, data: { reason: 'invalid_request_state' } });
    expect(again.json.id).toBe(3);
  });

  it('two 2026 clients calling at once on a 2026 upstream each answer their own round', async () => {
    const { listener } = await serve(await upstream(['v2']));
    const a = await answering(listener, 'alpha');
    const b = await answering(listener, 'beta');
    const results = await Promise.all([
      a.client.callTool({ name: 'ask', arguments: {} }),
      b.client.callTool({ name: 'ask', arguments: {} }),
      a.client.callTool({ name: 'sample', arguments: {} }),
      b.client.callTool({ name: 'sample', arguments: {} }),
    ]);
    expect(results.map((r) => textOf(r))).toEqual(['answer: alpha', 'answer: beta', 'sampled: alpha', 'sampled: beta']);
    expect(a.asked.sort()).toEqual(['elicitation', 'sampling']);
    expect(b.asked.sort()).toEqual(['elicitation', 'sampling']);
  });

  it("a 2026 client that does not offer elicitation: a 2026 upstream's -32021 reaches it", async () => {
    const { listener } = await serve(await upstream(['v2']));
    const client = await downstream(listener, '2026-07-28');
    // The gateway declared this client's capabilities upstream (none), so the upstream refused.
    await expect(client.callTool({ name: 'ask', arguments: {} })).rejects.toMatchObject({
      code: -32021,
      data: { requiredCapabilities: { elicitation: {} } },
    });
  });

  it("a 2026 client that does not offer elicitation: a 2025 upstream's request is refused", async () => {
    const { listener } = await serve(await upstream(['old']));
    const client = await downstream(listener, '2026-07-28');
    const result = (await client.callTool({ name: 'ask', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/does not offer elicitation/);
  });

  it.each(['v2', 'old'] as const)('a 2025 client answers on its session what %s asks', async (server) => {
    const { listener } = await serve(await upstream([server]));
    const legacy = new V1Client(
      { name: 'old', version: '1.0.0' },
      { capabilities: { elicitation: {}, sampling: {}, roots: {} } },
    );
    legacy.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept' as const, content: { answer: '42' } }));
    legacy.setRequestHandler(CreateMessageRequestSchema, () => ({
      role: 'assistant' as const,
      model: 'test',
      content: { type: 'text' as const, text: '42' },
    }));
    legacy.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///42' }] }));
    await legacy.connect(
      new V1Transport(listener.url, { requestInit: { headers: { authorization: `Bearer ${listener.token}` } } }),
    );
    opened.push(legacy);
    const call = async (name: string) => textOf((await legacy.callTool({ name, arguments: {} })) as CallToolResult);
    expect(await call('ask')).toBe('answer: 42');
    expect(await call('sample')).toBe('sampled: 42');
    expect(await call('roots')).toBe('roots: file:///42');
  });
});
