// The gateway between a hostile upstream server and an SDK client downstream: what the server
// sends must not stop the gateway answering (issue 24).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { createGateway } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, hostileStdio } from '../helpers/servers.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close().catch(() => undefined);
});

/** Deeper than the downstream SDK's own JSON.parse limit would matter: the gateway's send is what breaks. */
const LOOSE = { timeout: 20_000 };

/** A gateway over `client` on 127.0.0.1, and an SDK client connected to it over Streamable HTTP. */
async function connect(client: UniversalMcpClient): Promise<Client> {
  const gateway = createGateway(client);
  opened.push(gateway);
  const listener = await gateway.listen({ port: 0 });
  const downstream = new Client({ name: 'downstream', version: '1.0.0' });
  await downstream.connect(
    new StreamableHTTPClientTransport(listener.url, {
      requestInit: { headers: { authorization: `Bearer ${listener.token ?? ''}` } },
    }),
  );
  opened.push(downstream);
  return downstream;
}

describe('the gateway in front of a hostile server', () => {
  it('answers a call whose result nests 20,000 deep, cut with a note, and keeps answering', async () => {
    const client = new UniversalMcpClient();
    opened.push(client);
    await client.addServer(hostileStdio('h'));
    const downstream = await connect(client);
    const logs: unknown[] = [];
    downstream.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));

    // Without the bound the transport cannot serialize the result, and the request waits for the
    // client's own timeout (LOOSE: a failure here, not a hang).
    const deep = (await downstream.callTool({ name: 'deep', arguments: {} }, undefined, LOOSE)) as CallToolResult;
    expect(JSON.stringify(deep.structuredContent)).toContain('[cut: nested deeper than 100 levels]');
    const echoed = (await downstream.callTool({ name: 'echo', arguments: { text: 'still here' } })) as CallToolResult;
    expect(echoed.content).toEqual([{ type: 'text', text: 'still here' }]);
    // The server's log line before the result, nested as deep, is relayed cut the same way.
    await eventually(() => logs.length > 0);
    expect(JSON.stringify(logs[0])).toContain('[cut: nested deeper than 100 levels]');
  });

  it("checks a downstream elicitation answer against an upstream schema's patterns on RE2", async () => {
    const client = new UniversalMcpClient();
    opened.push(client);
    const gateway = createGateway(client);
    opened.push(gateway);
    // The SDK client upstream strips `pattern` from an elicitation request it receives, so the
    // session's own elicitInput is driven here, with the SDK client downstream answering.
    const session = gateway.createSession();
    const [near, far] = InMemoryTransport.createLinkedPair();
    const downstream = new Client({ name: 'downstream', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    downstream.setRequestHandler(ElicitRequestSchema, () => ({
      action: 'accept' as const,
      content: { v: `${'a'.repeat(48)}b` },
    }));
    await Promise.all([session.connect(near), downstream.connect(far)]);
    opened.push(downstream);
    const ask = (pattern: string) =>
      session.elicitInput({
        message: 'v?',
        requestedSchema: { type: 'object', properties: { v: { type: 'string', pattern } } as never },
      });

    // A backreference, which RE2 cannot run, is not enforced: the SDK's Ajv (RegExp) would refuse
    // the answer. Checked first, so a gateway back on RegExp fails here rather than freezing below.
    await expect(ask('^(a)\\1$')).resolves.toMatchObject({ action: 'accept' });
    // On RegExp this would backtrack for hours; on RE2 it is refused at once.
    await expect(ask('^(a|a)*$')).rejects.toThrow(/does not match requested schema/);
    const echoedBack = await ask('^a+b$');
    expect(echoedBack.content).toEqual({ v: `${'a'.repeat(48)}b` });
  });
});
