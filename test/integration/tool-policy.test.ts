import { describe, expect, it } from 'vitest';
import { ErrorCode, MAX_INSTRUCTIONS_CHARS, UniversalMcpClient } from '@universal-mcp/supervisor';
import { RUG_PULL, rugPull, shadowServer } from '../helpers/hostile-servers.js';

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();

describe('tool policy in the facade', () => {
  it('allow, deny, globs, server/tool patterns and readOnly decide what listTools offers', async () => {
    await using client = new UniversalMcpClient({ tools: { deny: ['own_*'] } });
    await client.addServer(rugPull('web', { tools: { allow: ['fetch_*', 'web/re*'], deny: ['restore'] } }));
    await client.addServer(shadowServer('side'));
    await client.addServer(rugPull('ro', { tools: { readOnly: true } }));
    expect(names(client.listTools('web'))).toEqual(['fetch_page', 'redefine']);
    expect(names(client.listTools('side'))).toEqual(['grow']);
    expect(names(client.listTools('ro'))).toEqual(['fetch_page']);
    expect(Object.keys(client.listTools())).toEqual(['web', 'side', 'ro']);
    expect(names(client.getServerInfo('web')!.tools)).toEqual(['fetch_page', 'redefine']);
    expect(client.toolAccess('web', 'restore')).toMatchObject({ offered: false, reason: 'denied' });
    expect(client.toolAccess('side', 'own_tool')).toMatchObject({ offered: false, reason: 'denied' });
    expect(client.toolAccess('ro', 'redefine')).toMatchObject({ offered: false, reason: 'not-read-only' });
    expect(client.toolAccess('web', 'no_such_tool')).toBeUndefined();
  });

  it('a call to a tool not offered fails TOOL_DENIED and nothing is sent', async () => {
    await using client = new UniversalMcpClient({ tools: { deny: ['web/redefine'] } });
    await client.addServer(rugPull('web'));
    const err = await client.callTool('web', 'redefine').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: ErrorCode.TOOL_DENIED,
      server: 'web',
      details: { tool: 'redefine', reason: 'denied' },
    });
    // Had it been sent, fetch_page would have changed (and tool:changed fired); it is still as pinned.
    expect(client.toolChanges()).toEqual([]);
    await expect(client.callTool('web', 'fetch_page', { url: 'u' })).resolves.toMatchObject({
      content: [{ text: 'page at u' }],
    });
  });

  it('instructions only from a trusted server, cut to MAX_INSTRUCTIONS_CHARS', async () => {
    await using client = new UniversalMcpClient();
    await client.addServer(rugPull('plain'));
    await client.addServer(rugPull('trusted', { trusted: true }));
    await client.addServer(rugPull('long', { trusted: true, args: ['--instructions-chars=10000'] }));
    expect(client.instructions('plain')).toBeUndefined();
    expect(client.instructions('trusted')).toBe('Fetch pages with fetch_page.');
    const long = client.instructions('long')!;
    expect(long).toHaveLength(MAX_INSTRUCTIONS_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(client.toolAccess('trusted', 'fetch_page')).toMatchObject({ trusted: true, needsApproval: false });
    expect(client.toolAccess('trusted', 'redefine')).toMatchObject({ trusted: true, needsApproval: true });
    expect(client.toolAccess('plain', 'fetch_page')).toMatchObject({ trusted: false, needsApproval: true });
  });

  it('from a config file: the client-wide tools and a host key merged; applyConfig changes them live', async () => {
    const entry = { command: process.execPath, args: [RUG_PULL] };
    await using client = await UniversalMcpClient.fromConfig({
      tools: { deny: ['restore'] },
      mcpServers: { web: { ...entry, disabledTools: ['redefine'] } },
    });
    expect(names(client.listTools('web'))).toEqual(['fetch_page']);
    await expect(client.callTool('web', 'restore')).rejects.toMatchObject({ code: ErrorCode.TOOL_DENIED });
    const listed: string[][] = [];
    client.on('tools:changed', (e) => listed.push(names(e.tools)));
    const pid = client.getServerInfo('web')!.pid;
    const result = await client.applyConfig({ mcpServers: { web: { ...entry, tools: { deny: ['fetch_*'] } } } });
    expect(result).toMatchObject({ updated: ['web'], restarted: [] });
    expect(client.getServerInfo('web')!.pid).toBe(pid);
    expect(listed).toEqual([['redefine', 'restore']]);
    expect(names(client.listTools('web'))).toEqual(['redefine', 'restore']);
  });

  it("the application's tools option wins over the file's, in fromConfig and on applyConfig", async () => {
    const entry = { command: process.execPath, args: [RUG_PULL] };
    await using client = await UniversalMcpClient.fromConfig(
      { tools: { deny: ['restore'] }, mcpServers: { web: entry } },
      { tools: { deny: ['redefine'] } },
    );
    expect(names(client.listTools('web'))).toEqual(['fetch_page', 'restore']);
    // A reload without (or with another) top-level `tools` does not drop the application's own deny.
    await client.applyConfig({ mcpServers: { web: entry } });
    expect(names(client.listTools('web'))).toEqual(['fetch_page', 'restore']);
    await expect(client.callTool('web', 'redefine')).rejects.toMatchObject({ code: ErrorCode.TOOL_DENIED });
  });
});
