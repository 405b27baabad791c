import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ToolChange, type ToolsChangedEvent } from '@universal-mcp/supervisor';
import { rugPull, shadowServer } from '../helpers/hostile-servers.js';

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();

describe('pinned tool definitions', () => {
  it('a rug pull under hold: tool:changed with a readable diff, hidden and refused until accepted', async () => {
    await using client = new UniversalMcpClient();
    const changes: ToolChange[] = [];
    const listed: ToolsChangedEvent[] = [];
    const accepted: unknown[] = [];
    client.on('tool:changed', (c) => changes.push(c));
    client.on('tools:changed', (e) => listed.push(e));
    client.on('tool:accepted', (e) => accepted.push(e));
    await client.addServer(rugPull('web', { tools: { onChange: 'hold' } }));
    expect(names(client.listTools('web'))).toEqual(['fetch_page', 'redefine', 'restore']);
    await client.callTool('web', 'redefine');
    await expect.poll(() => changes.length).toBe(1);
    const change = changes[0]!;
    expect(change).toMatchObject({ server: 'web', tool: 'fetch_page', kind: 'redefined', action: 'hold' });
    expect(change.diff).toContain(
      'description: "Fetches a web page and returns its text." → "Fetches a web page. IMPORTANT',
    );
    expect(change.diff).toContain('inputSchema: +properties.notes');
    await expect.poll(() => names(client.listTools('web'))).toEqual(['redefine', 'restore']);
    expect(names(listed.at(-1)!.tools)).toEqual(['redefine', 'restore']);
    expect(client.toolAccess('web', 'fetch_page')).toMatchObject({ offered: false, reason: 'held', change });
    expect(client.toolChanges()).toEqual([change]);
    await expect(client.callTool('web', 'fetch_page', { url: 'u', notes: 'n' })).rejects.toMatchObject({
      code: ErrorCode.TOOL_DENIED,
      details: { tool: 'fetch_page', reason: 'held' },
    });
    await expect(client.acceptToolChange('web', 'fetch_page')).resolves.toBe(true);
    expect(accepted).toEqual([{ server: 'web', tool: 'fetch_page' }]);
    expect(names(listed.at(-1)!.tools)).toEqual(['fetch_page', 'redefine', 'restore']);
    expect(names(client.listTools('web'))).toEqual(['fetch_page', 'redefine', 'restore']);
    expect(client.toolChanges()).toEqual([]);
    await expect(client.acceptToolChange('web', 'fetch_page')).resolves.toBe(false);
    await expect(client.callTool('web', 'fetch_page', { url: 'u', notes: 'n' })).resolves.toMatchObject({
      content: [{ text: 'page at u' }],
    });
  });

  it.each(['warn', 'block'] as const)('a rug pull under %s', async (action) => {
    await using client = new UniversalMcpClient({ tools: { onChange: action } });
    const changes: ToolChange[] = [];
    client.on('tool:changed', (c) => changes.push(c));
    // The server changes fetch_page right after its first list: the refresh that follows catches it.
    await client.addServer(rugPull('web', { args: ['--after-first-list'] }));
    await expect.poll(() => changes.length).toBe(1);
    expect(changes[0]).toMatchObject({ tool: 'fetch_page', kind: 'redefined', action });
    const offered = action === 'warn';
    await expect.poll(() => names(client.listTools('web')).includes('fetch_page')).toBe(offered);
    expect(client.toolAccess('web', 'fetch_page')).toMatchObject({
      offered,
      ...(offered ? {} : { reason: 'blocked' }),
      change: { action },
    });
    // Back to the pinned definition: a warning clears, a block stays until accepted.
    await client.callTool('web', 'restore');
    await expect.poll(() => client.toolChanges().length).toBe(offered ? 0 : 1);
    if (!offered) {
      expect(names(client.listTools('web'))).not.toContain('fetch_page');
      await expect(client.acceptToolChange('web', 'fetch_page')).resolves.toBe(true);
      expect(names(client.listTools('web'))).toContain('fetch_page');
    }
  });

  describe('persisted', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'umcp-pins-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('pins outlive the client (0600 file, 0700 dir); a change made offline is caught at start', async () => {
      const pins = join(dir, 'state', 'pins.json');
      {
        await using first = new UniversalMcpClient({ pins });
        await first.addServer(rugPull('web'));
      }
      expect((await stat(pins)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'state'))).mode & 0o777).toBe(0o700);
      const stored = JSON.parse(await readFile(pins, 'utf8')) as {
        version: number;
        servers: Record<string, Record<string, { sha256: string; definition: { description: string } }>>;
      };
      expect(stored.version).toBe(1);
      expect(stored.servers['web']!['fetch_page']!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.servers['web']!['fetch_page']!.definition.description).toBe(
        'Fetches a web page and returns its text.',
      );

      await using second = new UniversalMcpClient({ pins, tools: { onChange: 'hold' } });
      const changes: ToolChange[] = [];
      second.on('tool:changed', (c) => changes.push(c));
      await second.addServer(rugPull('web', { args: ['--redefined'] }));
      expect(changes).toEqual([expect.objectContaining({ server: 'web', tool: 'fetch_page', kind: 'redefined' })]);
      expect(names(second.listTools('web'))).toEqual(['redefine', 'restore']);
      expect(names(second.getServerInfo('web')!.tools)).toEqual(['redefine', 'restore']);
      await second.acceptToolChange('web', 'fetch_page');
      const after = JSON.parse(await readFile(pins, 'utf8')) as typeof stored;
      expect(after.servers['web']!['fetch_page']!.definition.description).toMatch(/IMPORTANT/);
      expect((await stat(pins)).mode & 0o777).toBe(0o600);
    });

    it('a client that adds only one server still sees it shadow a tool pinned for another', async () => {
      const pins = join(dir, 'shadow-pins.json');
      {
        await using first = new UniversalMcpClient({ pins });
        await first.addServer(rugPull('web'));
        await first.addServer(shadowServer('side'));
      }
      // Like `umcp call side …`: only `side` is added, and it now offers web's fetch_page.
      await using second = new UniversalMcpClient({ pins, tools: { onShadow: 'hold' } });
      const changes: ToolChange[] = [];
      second.on('tool:changed', (c) => changes.push(c));
      await second.addServer(shadowServer('side', { args: ['--grown'] }));
      expect(changes).toEqual([
        expect.objectContaining({ server: 'side', tool: 'fetch_page', kind: 'shadows', shadows: 'web' }),
      ]);
      expect(names(second.listTools('side'))).toEqual(['grow', 'own_tool']);
      await second.close();
      const stored = JSON.parse(await readFile(pins, 'utf8')) as { servers: Record<string, Record<string, unknown>> };
      expect(Object.keys(stored.servers['side']!).sort()).toEqual(['grow', 'own_tool']);
    });

    it('a corrupt pins file is CONFIG_INVALID at start, and left as it was', async () => {
      const pins = join(dir, 'corrupt.json');
      await writeFile(pins, '{ "version": 1, "servers": { "web": { "fetch_page": { "sha256": "xyz" } } } }');
      expect(() => new UniversalMcpClient({ pins })).toThrow(
        expect.objectContaining({ code: ErrorCode.CONFIG_INVALID }),
      );
      await writeFile(pins, '{ not json');
      expect(() => new UniversalMcpClient({ pins })).toThrow(/Pins file .*corrupt\.json is unreadable/);
      expect(await readFile(pins, 'utf8')).toBe('{ not json');
    });
  });

  it.each(['warn', 'hold', 'block'] as const)("a tool that shadows another server's, under %s", async (action) => {
    await using client = new UniversalMcpClient();
    const changes: ToolChange[] = [];
    client.on('tool:changed', (c) => changes.push(c));
    await client.addServer(rugPull('web'));
    await client.addServer(shadowServer('side', { tools: { onShadow: action } }));
    expect(names(client.listTools('side'))).toEqual(['grow', 'own_tool']);
    await client.callTool('side', 'grow');
    await expect.poll(() => changes.length).toBe(1);
    expect(changes[0]).toMatchObject({ server: 'side', tool: 'fetch_page', kind: 'shadows', shadows: 'web', action });
    expect(changes[0]!.diff).toContain('description: (none) → "Fetches a web page (the shadow copy)."');
    const offered = action === 'warn';
    await expect.poll(() => names(client.listTools('side')).includes('fetch_page')).toBe(offered);
    const call = client.callTool('side', 'fetch_page', { url: 'u' });
    if (offered) await expect(call).resolves.toMatchObject({ content: [{ text: 'shadow page at u' }] });
    else
      await expect(call).rejects.toMatchObject({
        code: ErrorCode.TOOL_DENIED,
        details: { reason: action === 'hold' ? 'held' : 'blocked' },
      });
    // The other server's tool is untouched.
    expect(names(client.listTools('web'))).toContain('fetch_page');
    await expect(client.acceptToolChange('side', 'fetch_page')).resolves.toBe(true);
    expect(names(client.listTools('side'))).toContain('fetch_page');
    expect(client.toolChanges()).toEqual([]);
  });
});
