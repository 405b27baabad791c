// The SDK v2 fixture (test/fixtures/v2-server.mjs) proven with the bare SDK v2 client: both
// negotiation modes over stdio and HTTP, and each era restricted with --only-2026 / --only-2025.
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startV2FixtureHttp, V2_FIXTURE, type StartedHttpServer } from '../helpers/published-servers.js';

const servers: StartedHttpServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

type Mode = 'auto' | 'legacy';

async function transportFor(kind: 'stdio' | 'http', flags: string[]): Promise<Transport> {
  if (kind === 'stdio') {
    return new StdioClientTransport({ command: process.execPath, args: [V2_FIXTURE, ...flags], stderr: 'ignore' });
  }
  const server = await startV2FixtureHttp(...flags);
  servers.push(server);
  return new StreamableHTTPClientTransport(new URL(server.url));
}

/** Connects a bare v2 client that answers elicitation, sampling and roots. */
async function connect(
  kind: 'stdio' | 'http',
  mode: Mode,
  flags: string[] = [],
  onToolsChanged?: (names: string[]) => void,
): Promise<Client> {
  const client = new Client(
    { name: 'fixture-test', version: '1.0.0' },
    {
      capabilities: { elicitation: {}, sampling: {}, roots: {} },
      versionNegotiation: { mode },
      ...(onToolsChanged === undefined
        ? {}
        : { listChanged: { tools: { onChanged: (_err, tools) => onToolsChanged((tools ?? []).map((t) => t.name)) } } }),
    },
  );
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { answer: '42' } }));
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'hi' },
    model: 'test',
  }));
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///work' }] }));
  clients.push(client);
  await client.connect(await transportFor(kind, flags));
  return client;
}

const textOf = (r: { content?: unknown }): string =>
  ((r.content as { type: string; text?: string }[] | undefined) ?? []).map((c) => c.text ?? '').join('');

describe.each(['stdio', 'http'] as const)('the v2 fixture over %s', (kind) => {
  it.each([
    ['auto', '2026-07-28'],
    ['legacy', '2025-11-25'],
  ] as const)('in %s mode speaks %s, lists its tools and echoes', async (mode, version) => {
    const client = await connect(kind, mode);
    expect(client.getNegotiatedProtocolVersion()).toBe(version);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'add', 'slow', 'ask', 'sample', 'roots']));
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'hello' } }))).toBe('hello');
  });

  it.each(['auto', 'legacy'] as const)(
    'in %s mode asks, samples and lists roots (MRTR or server requests)',
    async (mode) => {
      const client = await connect(kind, mode);
      expect(textOf(await client.callTool({ name: 'ask', arguments: {} }))).toBe('answer: 42');
      expect(textOf(await client.callTool({ name: 'sample', arguments: {} }))).toBe('sampled: hi');
      expect(textOf(await client.callTool({ name: 'roots', arguments: {} }))).toBe('roots: file:///work');
    },
  );

  it.each(['auto', 'legacy'] as const)('in %s mode tells of a changed tool list', async (mode) => {
    const lists: string[][] = [];
    const client = await connect(kind, mode, [], (names) => lists.push(names));
    // 2026 list changes ride subscriptions/listen, which the client opens after connect: a toggle
    // made before it is open goes unheard, so toggle until one is heard (each toggle flips `extra`).
    let toggles = 0;
    while (lists.length === 0 && toggles < 10) {
      await client.callTool({ name: 'toggle_tool', arguments: {} });
      toggles += 1;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.at(-1)).toContain('echo');
  });

  it('in legacy mode sends resources/updated to a subscriber', async () => {
    const client = await connect(kind, 'legacy');
    const updated: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    await client.subscribeResource({ uri: 'fixture://counter' });
    await client.callTool({ name: 'touch', arguments: {} });
    await expect.poll(() => updated, { timeout: 10_000 }).toContain('fixture://counter');
  });

  it('--only-2025 makes the auto client fall back to initialize', async () => {
    const client = await connect(kind, 'auto', ['--only-2025']);
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
  });

  it('--only-2026 refuses a legacy client', async () => {
    await expect(connect(kind, 'legacy', ['--only-2026'])).rejects.toThrow();
  });
});
