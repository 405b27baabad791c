import { afterAll, describe, expect, it } from 'vitest';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { EVERYTHING, startEverythingHttp, type HttpServerProcess } from '../helpers/servers.js';

// The published @modelcontextprotocol/server-everything, started with node from node_modules.
describe('@modelcontextprotocol/server-everything', () => {
  const client = new UniversalMcpClient();
  let http: HttpServerProcess | undefined;
  afterAll(async () => {
    await client.close();
    await http?.stop();
  });

  async function exercise(name: string): Promise<void> {
    const tools = client.listTools(name).map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const echo = await client.callTool(name, 'echo', { message: 'hello' });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hello' }]);
    const sum = await client.callTool(name, 'get-sum', { a: 19, b: 23 });
    expect(JSON.stringify(sum.content)).toContain('42');
  }

  it('over stdio', async () => {
    const info = await client.addServer({
      name: 'everything-stdio',
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    expect(info.serverVersion?.name).toMatch(/everything/i);
    await exercise('everything-stdio');
  });

  it('over Streamable HTTP', async () => {
    http = await startEverythingHttp('streamableHttp');
    const info = await client.addServer({ name: 'everything-http', transport: 'streamable_http', url: http.url });
    expect(info.sessionId).toBeTypeOf('string');
    await exercise('everything-http');
  });
});
