import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniversalMcpClient, type ServerConfig } from '@universal-mcp/supervisor';
import { FIXTURE, startFixtureHttp, type HttpServerProcess } from '../helpers/servers.js';

// The repo's fixture server (SDK McpServer) over all three transports, as real processes on 127.0.0.1.
describe('fixture server over stdio, Streamable HTTP and SSE', () => {
  let http: HttpServerProcess;
  let sse: HttpServerProcess;
  const client = new UniversalMcpClient();

  beforeAll(async () => {
    [http, sse] = await Promise.all([startFixtureHttp('http'), startFixtureHttp('sse')]);
  });
  afterAll(async () => {
    await client.close();
    await Promise.all([http?.stop(), sse?.stop()]);
  });

  const configs = (): ServerConfig[] => [
    { name: 'stdio', transport: 'stdio', command: process.execPath, args: [FIXTURE, 'stdio'] },
    { name: 'http', transport: 'streamable_http', url: http.url, headers: { Authorization: 'Bearer secret-token' } },
    { name: 'sse', transport: 'sse', url: sse.url },
  ];

  it('adds all three in parallel and each is ready with its catalog', async () => {
    const infos = await Promise.all(configs().map((c) => client.addServer(c)));
    for (const info of infos) {
      expect(info.state).toBe('ready');
      expect(info.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'add', 'sleep']));
      expect(info.serverVersion).toEqual({ name: 'fixture', version: '1.2.3' });
      expect(info.capabilities?.tools).toBeDefined();
      expect(info.connectedAt).toBeInstanceOf(Date);
      expect(info.attempt).toBe(1);
      expect(info.restarts).toBe(0);
    }
    expect(client.listServers()).toEqual(['stdio', 'http', 'sse']);
    expect(Object.keys(client.listTools())).toEqual(['stdio', 'http', 'sse']);
    expect(client.listTools('http').some((t) => t.name === 'echo')).toBe(true);
  });

  it('shows transport-specific details with secrets redacted', () => {
    const stdio = client.getServerInfo('stdio')!;
    expect(stdio.pid).toBeTypeOf('number');
    expect(stdio.sessionId).toBeUndefined();
    const http = client.getServerInfo('http')!;
    expect(http.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(http.config).toMatchObject({ headers: { Authorization: '[redacted]' } });
    expect(JSON.stringify(http)).not.toContain('secret-token');
    expect(client.getServerInfo('nope')).toBeUndefined();
  });

  it.each(['stdio', 'http', 'sse'])('calls tools over %s', async (name) => {
    await expect(client.callTool(name, 'echo', { text: `hi ${name}` })).resolves.toEqual({
      content: [{ type: 'text', text: `hi ${name}` }],
    });
    await expect(client.callTool(name, 'add', { a: 2, b: 40 })).resolves.toMatchObject({ content: [{ text: '42' }] });
    // isError is a result, not a thrown error
    await expect(client.callTool(name, 'fail')).resolves.toMatchObject({ isError: true });
  });

  it.each(['stdio', 'http', 'sse'])('passes progress to onProgress over %s', async (name) => {
    const seen: number[] = [];
    await client.callTool(name, 'sleep', { ms: 300 }, { onProgress: (p) => seen.push(p.progress) });
    // The SDK dispatches notifications a microtask late, so a progress notification that arrives in
    // the same chunk as the result (common over SSE) can be dropped: require order, not the last tick.
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    expect([...seen].sort()).toEqual(seen);
  });
});
