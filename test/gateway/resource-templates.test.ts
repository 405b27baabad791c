// Resource templates through the gateway, offered by real servers (test/fixtures/template-server.mjs):
// a hostile template that froze the whole gateway (a backtracking RegExp), and one template offered
// by two servers (listed twice, identical, the second server's unreachable).
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createGateway } from '@universal-mcp/gateway';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { tempConfig } from '../helpers/servers.js';
import { startServe } from './serve-process.js';

const TEMPLATE_SERVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'template-server.mjs');
const HOSTILE_TEMPLATE = '{+a}{+b}{+c}{+d}{+e}{+f}{+g}{+h}{+i}{+j}{+k}{+l}#never';
const TOKEN = 'template-test-token-0123456789';

const templateServer = (label: string, templates: string[]) => ({
  command: process.execPath,
  args: [TEMPLATE_SERVER],
  env: { TEMPLATES: JSON.stringify(templates), LABEL: label },
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

async function connect(url: URL, token?: string): Promise<Client> {
  const client = new Client({ name: 'downstream', version: '1.0.0' });
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  cleanup.push(() => client.close());
  return client;
}

const textOf = (read: { contents: unknown[] }): unknown => (read.contents[0] as { text?: unknown }).text;

describe('resource templates through the gateway', () => {
  it('a hostile template does not freeze the gateway: the read answers and health still does', async () => {
    // `umcp serve` in its own process: a frozen gateway must fail this test, not freeze the test's worker.
    const { dir, config } = await tempConfig('umcp-templates-', {
      hostile: templateServer('hostile', [HOSTILE_TEMPLATE]),
    });
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const served = await startServe(config, TOKEN);
    cleanup.push(() => served.stop());
    const url = served.url;
    const down = await connect(url, TOKEN);
    expect((await down.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      HOSTILE_TEMPLATE,
    ]);

    // 60 characters that do not fit: a backtracking matcher tries ~10^12 ways before it says no.
    // The bound is a timeout, not a speed: the old gateway never answered at all.
    await expect(down.readResource({ uri: 'x'.repeat(60) }, { timeout: 20_000 })).rejects.toThrow(/Resource not found/);
    const health = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(200);
    // The template still matches what fits it.
    const read = await down.readResource({ uri: `${'x'.repeat(60)}#never` }, { timeout: 20_000 });
    expect(textOf(read)).toBe(`hostile: ${'x'.repeat(60)}#never`);
  }, 120_000);

  it('a template two servers offer is listed once per server, each leading to its own server', async () => {
    const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    cleanup.push(() => client.close());
    await client.addServer({ name: 'a', transport: 'stdio', ...templateServer('a', ['note://{id}', 'only-a://{x}']) });
    await client.addServer({ name: 'b', transport: 'stdio', ...templateServer('b', ['note://{id}']) });
    const gateway = createGateway(client);
    cleanup.push(() => gateway.close());
    const listener = await gateway.listen({ port: 0 });
    const down = await connect(listener.url, listener.token);

    const listed = (await down.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(listed.sort()).toEqual(['only-a://{x}', 'umcp-resource://a/note://{id}', 'umcp-resource://b/note://{id}']);
    for (const server of ['a', 'b']) {
      // Expanded as any client would: the server that listed it answers, with the URI it knows.
      const uri = `umcp-resource://${server}/note://7`;
      const read = await down.readResource({ uri });
      expect(read.contents[0]).toMatchObject({ uri, text: `${server}: note://7` });
      // Completion of the listed template reaches that server, with the template as it knows it.
      const completion = await down.complete({
        ref: { type: 'ref/resource', uri: `umcp-resource://${server}/note://{id}` },
        argument: { name: 'id', value: '4' },
      });
      expect(completion.completion.values).toEqual([`${server}-note://{id}-4`]);
    }
    // Values a client percent-encodes reach the server as they were sent.
    const encoded = await down.readResource({ uri: 'umcp-resource://b/note://a%20b' });
    expect(textOf(encoded)).toBe('b: note://a%20b');
    // A template only one server has is shown as it is.
    expect(textOf(await down.readResource({ uri: 'only-a://z' }))).toBe('a: only-a://z');
  });

  it('names an unknown tool once, not with the SDK prefix twice', async () => {
    const client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    cleanup.push(() => client.close());
    await client.addServer({ name: 'a', transport: 'stdio', ...templateServer('a', ['note://{id}']) });
    const gateway = createGateway(client);
    cleanup.push(() => gateway.close());
    const listener = await gateway.listen({ port: 0 });
    const down = await connect(listener.url, listener.token);
    const failed = await down.callTool({ name: 'no_such_tool', arguments: {} }).catch((err: unknown) => err);
    expect((failed as Error).message).toBe('MCP error -32602: Unknown tool: no_such_tool');
    const missing = await down.readResource({ uri: 'nowhere://x' }).catch((err: unknown) => err);
    // SDK v2 sends "resource not found" as -32602 in both eras (2026-07-28's code).
    expect((missing as Error).message).toBe('MCP error -32602: Resource not found: nowhere://x');
  });
});
