import { afterEach, describe, expect, it } from 'vitest';
import { OPENAI_MAX_TOOLS, createToolset } from '@universal-mcp/llm';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { eventually, fixtureStdio } from '../helpers/servers.js';

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
      parts: [{ text: 'Error: No tool named "nope" in this toolset' }],
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
