import { afterEach, describe, expect, it } from 'vitest';
import { OPENAI_MAX_TOOLS, createToolset } from '@universal-mcp/llm';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { rugPull } from '../helpers/hostile-servers.js';
import { eventually, everythingStdio, fixtureStdio } from '../helpers/servers.js';

// The toolset over a live client and real servers (the repo's fixture over stdio).
describe('Toolset', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
  });

  it('the same tool on five servers: five names, each calling its own server; the map back is exact', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => client.addServer(fixtureStdio(n))));
    const toolset = createToolset(client, { filter: { include: ['stats'] } });
    expect(toolset.list().map((t) => t.name)).toEqual(['a__stats', 'b__stats', 'c__stats', 'd__stats', 'e__stats']);
    expect(toolset.resolve('c__stats')).toEqual({ server: 'c', tool: 'stats' });
    const pid = JSON.parse(((await toolset.call('d__stats', {})).content[0] as { text: string }).text).pid as number;
    expect(pid).toBe(client.getServerInfo('d')!.pid);
    toolset.close();
  });

  it('follows the client: a new tool, a reconnect (names stable), a server removed', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 }, backoff: { initialDelayMs: 20 } } });
    await client.addServer(fixtureStdio('fx'));
    const toolset = createToolset(client);
    const changes: string[][] = [];
    toolset.on('changed', (tools) => changes.push(tools.map((t) => t.name)));
    const before = toolset.list().map((t) => t.name);
    await client.callTool('fx', 'add_tool', { name: 'fresh' });
    await eventually(() => changes.some((c) => c.includes('fresh')), 5000);
    process.kill(client.getServerInfo('fx')!.pid!, 'SIGKILL');
    await eventually(
      () => client.getServerInfo('fx')!.restarts === 1 && client.getServerInfo('fx')!.state === 'ready',
      5000,
    );
    expect(toolset.list().map((t) => t.name)).toEqual(before); // a fresh process: "fresh" gone, the rest as before
    await client.removeServer('fx');
    expect(toolset.list()).toEqual([]);
    expect(changes.at(-1)).toEqual([]);
    toolset.close();
  });

  it('calls go through client.callTool (policy, argument checks); run() never throws', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('fx'));
    const toolset = createToolset(client, { maxResultChars: 100 });
    await expect(toolset.call('add', { a: 'x', b: 1 })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS });
    expect(await toolset.run('add', { a: 2, b: 3 })).toEqual({ isError: false, parts: [{ type: 'text', text: '5' }] });
    expect((await toolset.run('big', { bytes: 5000 })).parts[0]).toMatchObject({
      text: expect.stringMatching(/characters left out/),
    });
    expect(await toolset.run('fail', {})).toMatchObject({ isError: true });
    expect(await toolset.run('nope', {})).toMatchObject({
      isError: true,
      parts: [{ text: 'Error TOOL_NOT_FOUND: No tool named "nope" in this toolset.' }],
    });
    // A null the model sent for an optional property is removed before the call.
    const weather = toolset.get('weather')!;
    expect(weather.openai.strict).toBe(true);
    toolset.close();
  });

  it('toOpenAI refuses more than 128 tools, naming the count; filters and prefix apply', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await Promise.all(Array.from({ length: 7 }, (_, i) => client.addServer(fixtureStdio(`s${i}`))));
    const all = createToolset(client, { prefix: 'always' });
    expect(all.list().length).toBeGreaterThan(OPENAI_MAX_TOOLS);
    expect(() => all.toOpenAI()).toThrow(/^\d+ tools, but OpenAI takes at most 128/);
    const readOnly = createToolset(client, { filter: { servers: ['s0'], readOnly: true } });
    expect(readOnly.list().every((t) => t.readOnly && t.server === 's0')).toBe(true);
    expect(readOnly.toOpenAI({ api: 'responses' })[0]).toMatchObject({ type: 'function', strict: true });
    expect(readOnly.toGemini().length).toBe(readOnly.list().length);
    all.close();
    readOnly.close();
  });

  it('search ranks the live catalog, and follows it', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('fx'));
    const toolset = createToolset(client);
    expect(toolset.search('add two numbers', { k: 1 })[0]).toMatchObject({ server: 'fx', tool: 'add' });
    await client.callTool('fx', 'add_tool', { name: 'translate_text' });
    await eventually(() => toolset.list().some((t) => t.tool === 'translate_text'), 5000);
    expect(toolset.search('translate text', { k: 1 })[0]).toMatchObject({ tool: 'translate_text' });
    toolset.close();
  });
});

// The client's tool policy, as the toolset obeys it (the facade decides; the toolset never re-decides).
describe('Toolset and the tool policy', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
  });

  it('offers only what the policy offers; a call by a hidden name fails TOOL_DENIED, nothing sent', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('fx', { tools: { deny: ['add', 'sl*'] } }));
    const toolset = createToolset(client);
    const names = toolset.list().map((t) => t.name);
    expect(names).toContain('echo');
    expect(names).not.toContain('add');
    expect(names).not.toContain('sleep');
    const started: string[] = [];
    client.on('call:start', (e) => started.push(e.tool));
    for (const name of ['add', 'fx__add'])
      await expect(toolset.call(name, { a: 1, b: 2 })).rejects.toMatchObject({
        code: ErrorCode.TOOL_DENIED,
        server: 'fx',
        details: { tool: 'add', reason: 'denied' },
      });
    expect(await toolset.run('sleep', { ms: 1 })).toMatchObject({
      isError: true,
      parts: [{ text: expect.stringMatching(/^Error TOOL_DENIED: /) }],
    });
    // A `server__` part that is no server's: a rejected promise (TOOL_NOT_FOUND), never a synchronous throw.
    const unknown = toolset.call('nowhere__add', {});
    await expect(unknown).rejects.toMatchObject({ code: ErrorCode.TOOL_NOT_FOUND });
    expect(started).toEqual([]);
    toolset.close();
  });

  it("needsApproval, trusted: an untrusted server's read-only tool needs approval, a trusted one's not", async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('plain'));
    await client.addServer(fixtureStdio('sure', { trusted: true }));
    const toolset = createToolset(client, { prefix: 'always', filter: { include: ['echo', 'add'] } });
    const of = (name: string) => {
      const t = toolset.get(name)!;
      return { readOnly: t.readOnly, needsApproval: t.needsApproval, trusted: t.trusted, change: t.change };
    };
    expect(of('plain__echo')).toEqual({ readOnly: true, needsApproval: true, trusted: false, change: undefined });
    expect(of('sure__echo')).toEqual({ readOnly: true, needsApproval: false, trusted: true, change: undefined });
    expect(of('sure__add')).toEqual({ readOnly: false, needsApproval: true, trusted: true, change: undefined });
    toolset.close();
  });

  it("instructions: only a trusted server's reach the model, labelled with the server", async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(everythingStdio('ev-untrusted', { trusted: false }));
    const toolset = createToolset(client);
    expect(toolset.instructions()).toBeUndefined(); // the server has instructions: not passed on
    await client.addServer(everythingStdio('ev-trusted', { trusted: true }));
    const text = toolset.instructions()!;
    expect(text).toMatch(/^Instructions from the MCP server "ev-trusted":\n# Everything Server/);
    expect(text).not.toContain('ev-untrusted');
    expect(toolset.serverInstructions().map((i) => i.server)).toEqual(['ev-trusted']);
    toolset.close();
  });

  it('follows pins: a held redefinition leaves, comes back accepted; a warned one is flagged', async () => {
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await Promise.all([
      client.addServer(rugPull('held', { tools: { onChange: 'hold' } })),
      client.addServer(rugPull('warned', { tools: { onChange: 'warn' } })),
    ]);
    const toolset = createToolset(client, { prefix: 'always' });
    expect(toolset.get('held__fetch_page')).toBeDefined();
    await Promise.all([client.callTool('held', 'redefine', {}), client.callTool('warned', 'redefine', {})]);
    await eventually(() => toolset.get('held__fetch_page') === undefined, 10_000);
    await eventually(() => toolset.get('warned__fetch_page')?.change !== undefined, 10_000);
    expect(toolset.get('warned__fetch_page')!.change).toMatchObject({ kind: 'redefined', action: 'warn' });
    expect(toolset.get('warned__fetch_page')!.description).toMatch(/id_rsa/);
    await expect(toolset.call('held__fetch_page', { url: 'x' })).rejects.toMatchObject({
      code: ErrorCode.TOOL_DENIED,
      details: { tool: 'fetch_page', reason: 'held' },
    });
    expect(await client.acceptToolChange('held', 'fetch_page')).toBe(true);
    await eventually(() => toolset.get('held__fetch_page') !== undefined, 10_000);
    const accepted = toolset.get('held__fetch_page')!;
    expect(accepted.change).toBeUndefined();
    expect(accepted.description).toMatch(/id_rsa/);
    toolset.close();
  });
});
