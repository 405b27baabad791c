import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createGateway } from '@universal-mcp/gateway';
import { createToolset } from '@universal-mcp/llm';
import { ErrorCode, UniversalMcpClient, type ServerWarningEvent } from '@universal-mcp/supervisor';
import { hostileStdio } from '../helpers/servers.js';

// Catalogs that would take a whole server down, or hang its discovery (test/fixtures/hostile-stdio.mjs).
const hostile = hostileStdio;
/** The tools hostile-stdio.mjs always lists (echo … structured, deep) besides its generated pages. */
const BASE_TOOLS = 10;

describe('hostile catalogs', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
  });

  it('a tool with a broken inputSchema or an uncompilable outputSchema is set aside; the others work', async () => {
    client = new UniversalMcpClient();
    await client.addServer(hostile('mixed', { BROKEN_TOOLS: '1' }));
    const info = client.getServerInfo('mixed')!;
    expect(info.tools.map((t) => t.name)).toContain('echo');
    expect(info.tools.map((t) => t.name)).not.toContain('broken_input');
    expect(info.invalidTools).toEqual([
      { name: 'broken_input', reason: expect.stringMatching(/^inputSchema\.type: /) },
      { name: 'broken_output', reason: expect.stringMatching(/^outputSchema does not compile/) },
    ]);
    await expect(client.callTool('mixed', 'echo', { text: 'fine' })).resolves.toMatchObject({
      content: [{ text: 'fine' }],
    });
    const err = await client.callTool('mixed', 'broken_input', {}).catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCode.TOOL_INVALID, details: { tool: 'broken_input' } });
    expect((err as Error).message).toMatch(/broken definition and cannot be called: inputSchema\.type/);
  });

  it('outputSchema is enforced for tools on every page of a paginated list, not only the last', async () => {
    client = new UniversalMcpClient();
    // "structured" is on the first of three pages.
    await client.addServer(hostile('paged', { TOOLS_PAGES: '3', TOOLS_PER_PAGE: '5' }));
    expect(client.listTools('paged')).toHaveLength(BASE_TOOLS + 15);
    await expect(client.callTool('paged', 'structured', { ok: true })).resolves.toMatchObject({
      structuredContent: { n: 1 },
    });
    await expect(client.callTool('paged', 'structured', { ok: false })).rejects.toMatchObject({
      code: ErrorCode.INVALID_RESULT,
    });
  });

  it('endless pagination: connectTimeoutMs bounds the whole discovery', async () => {
    client = new UniversalMcpClient();
    const t0 = performance.now();
    const err = await client
      // 1.5 s: the process must start and answer initialize within it on a loaded machine (with 0.5 s it
      // sometimes did not, and the connect failed before the pagination began), and it must end before
      // the 10,000-cursor cap in catalog-listing.ts would: the fixture answers each page after 1 ms, so the
      // cap takes at least 10 s (without that delay, an idle machine paged through 10,000 in under 1.5 s).
      .addServer(hostile('endless', { ENDLESS_PAGES: '1' }, { connectTimeoutMs: 1_500 }))
      .catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(15_000); // measured ≈ 1.7 s; before: never settled
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT });
    expect((err as Error).message).toMatch(/pagination does not end/);
    expect(client.listServers()).toEqual([]);
  });

  it('5,000 tools over 50 pages: no MaxListenersExceededWarning in the host', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      client = new UniversalMcpClient();
      await client.addServer(hostile('many', { TOOLS_PAGES: '50', TOOLS_PER_PAGE: '100' }));
      expect(client.listTools('many')).toHaveLength(BASE_TOOLS + 5000);
      await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a call to an unlisted tool refreshes within the call deadline, through the queue', async () => {
    client = new UniversalMcpClient();
    // Every tools/list after discovery hangs: the refresh must end with the call's 300 ms deadline.
    await client.addServer(hostile('stale', { HANG_LIST_AFTER_FIRST: '1' }));
    const t0 = performance.now();
    const err = await client.callTool('stale', 'not_there', {}, { deadlineMs: 300 }).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'deadline', ms: 300 } });
    expect(elapsed).toBeLessThan(2_000); // measured ≈ 0.3 s; before: 4 s (the list ignored the deadline)
  });

  describe('hostile schemas (HOSTILE_SCHEMAS)', () => {
    const warnings: ServerWarningEvent[] = [];
    const start = async (): Promise<void> => {
      warnings.length = 0;
      client = new UniversalMcpClient();
      client.on('server:warning', (w) => void warnings.push(w));
      await Promise.all([
        client.addServer(hostile('hostile', { HOSTILE_SCHEMAS: '1' })),
        client.addServer(hostile('other')),
      ]);
    };

    it('a catastrophic outputSchema pattern fails the call promptly; the other server answers meanwhile', async () => {
      await start();
      const t0 = performance.now();
      const [err, other] = await Promise.all([
        client.callTool('hostile', 'redos_output', {}).catch((e: unknown) => e),
        client.callTool('other', 'echo', { text: 'still here' }),
      ]);
      // Measured ≈ 10 ms; before: ^(a|a)*$ on Node's RegExp against 48 a's and a b runs for hours.
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(err).toMatchObject({ code: ErrorCode.INVALID_RESULT, details: { tool: 'redos_output' } });
      expect(other).toMatchObject({ content: [{ text: 'still here' }] });
    });

    it('a catastrophic inputSchema pattern rejects the argument promptly; the other server answers', async () => {
      await start();
      const t0 = performance.now();
      const [err, other] = await Promise.all([
        client.callTool('hostile', 'redos_input', { v: 'a'.repeat(48) + 'b' }).catch((e: unknown) => e),
        client.callTool('other', 'echo', { text: 'still here' }),
      ]);
      expect(performance.now() - t0).toBeLessThan(5_000); // measured ≈ 10 ms; before: hours
      expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS, details: { tool: 'redos_input', field: 'v' } });
      expect(other).toMatchObject({ content: [{ text: 'still here' }] });
      // The pattern is enforced where it can be: a matching value goes through.
      await expect(client.callTool('hostile', 'redos_input', { v: 'a'.repeat(48) })).resolves.toMatchObject({
        content: [{ text: `got ${'a'.repeat(48)}` }],
      });
    });

    it('a pattern RE2 cannot run is not enforced, with a warning; the tool stays callable', async () => {
      await start();
      expect(client.listTools('hostile').map((t) => t.name)).toContain('backref');
      expect(warnings).toContainEqual({
        server: 'hostile',
        kind: 'pattern-not-enforced',
        tool: 'backref',
        reason: expect.stringMatching(/^inputSchema pattern "\^\(a\)\\\\1\$" is not enforced: .+/),
      });
      await expect(client.callTool('hostile', 'backref', { v: 'xyz' })).resolves.toMatchObject({
        content: [{ text: 'got xyz' }],
      });
    });

    it('a 6,000-deep inputSchema: that tool is left out with a warning; the rest and the toolset work', async () => {
      await start();
      const names = client.listTools('hostile').map((t) => t.name);
      expect(names).toContain('echo');
      expect(names).not.toContain('deep_schema');
      expect(client.getServerInfo('hostile')!.invalidTools).toEqual([
        { name: 'deep_schema', reason: 'inputSchema is past the schema limits: nested deeper than 64 levels' },
      ]);
      expect(warnings.filter((w) => w.kind === 'tool-left-out')).toEqual([
        {
          server: 'hostile',
          kind: 'tool-left-out',
          tool: 'deep_schema',
          reason: 'inputSchema is past the schema limits: nested deeper than 64 levels',
        },
      ]);
      await expect(client.callTool('hostile', 'echo', { text: 'fine' })).resolves.toMatchObject({
        content: [{ text: 'fine' }],
      });
      await expect(client.callTool('hostile', 'deep_schema', {})).rejects.toMatchObject({
        code: ErrorCode.TOOL_INVALID,
      });
      // Everything that serializes or converts the catalog works: JSON, and the model toolsets.
      expect(() => JSON.stringify(client.listTools())).not.toThrow();
      const toolset = createToolset(client);
      const listed = toolset.list().map((t) => t.tool);
      expect(listed).toContain('echo');
      expect(listed).not.toContain('deep_schema');
      expect(toolset.toOpenAI().length).toBe(listed.length);
      toolset.close();
      // The gateway lists every server's tools (before: -32603 "Maximum call stack size exceeded" for all).
      const gateway = createGateway(client);
      try {
        const listener = await gateway.listen({ port: 0 });
        const down = new Client({ name: 'downstream', version: '1.0.0' });
        await down.connect(
          new StreamableHTTPClientTransport(listener.url, {
            requestInit: { headers: { authorization: `Bearer ${listener.token}` } },
          }),
        );
        const served = (await down.listTools()).tools.map((t) => t.name);
        await down.close();
        expect(served).toEqual(expect.arrayContaining(['hostile__echo', 'other__echo']));
        expect(served.filter((n) => n.endsWith('deep_schema'))).toEqual([]);
      } finally {
        await gateway.close();
      }
      // A relisting with the same problem says nothing new.
      await client.restartServer('hostile');
      await client.callTool('hostile', 'echo', { text: 'again' });
      expect(warnings.filter((w) => w.kind === 'tool-left-out')).toHaveLength(1);
    });
  });
});
