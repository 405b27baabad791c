import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  UniversalMcpClient,
  type ToolChange,
  type ToolPolicy,
  type ToolsChangedEvent,
} from '@universal-mcp/supervisor';

const here = fileURLToPath(new URL('.', import.meta.url));
const RUG_PULL = join(here, '..', 'fixtures', 'rug-pull-server.mjs');

const rug = (name: string, tools?: ToolPolicy, args: string[] = []) => ({
  name,
  transport: 'stdio' as const,
  command: process.execPath,
  args: [RUG_PULL, ...args],
  ...(tools === undefined ? {} : { tools }),
});
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
    await client.addServer(rug('web', { onChange: 'hold' }));
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
});
