import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerConfig } from '@universal-mcp/supervisor';
import { FIXTURE, descendantsOf } from '../helpers/servers.js';

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('bad input', () => {
  const client = new UniversalMcpClient();
  afterAll(() => client.close());

  it.each([
    [{ name: 'x', transport: 'telepathy', command: 'node' }, /transport/],
    [{ name: 'x', transport: 'stdio' }, /command/],
    [{ name: 'x', transport: 'streamable_http' }, /url/],
    [{ name: 'x', transport: 'sse', url: 'localhost:3000' }, /url/],
  ])('rejects %j with CONFIG_INVALID and starts nothing', async (config, field) => {
    await expect(client.addServer(config as unknown as ServerConfig)).rejects.toMatchObject({
      code: ErrorCode.CONFIG_INVALID,
      message: expect.stringMatching(field),
    });
    expect(client.listServers()).toEqual([]);
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  it('rejects invalid client defaults', () => {
    expect(() => new UniversalMcpClient({ defaults: { queue: { concurrency: -1 } } })).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIG_INVALID }),
    );
  });

  it('rejects a duplicate name with SERVER_EXISTS and keeps the first', async () => {
    const config = { name: 'dup', transport: 'stdio' as const, command: process.execPath, args: [FIXTURE, 'stdio'] };
    await client.addServer(config);
    const pid = client.getServerInfo('dup')!.pid;
    await expect(client.addServer(config)).rejects.toMatchObject({ code: ErrorCode.SERVER_EXISTS, server: 'dup' });
    expect(client.getServerInfo('dup')!.pid).toBe(pid);
  });

  it('rejects an unknown server with SERVER_NOT_FOUND naming the known ones', async () => {
    await expect(client.callTool('ghost', 'echo')).rejects.toMatchObject({
      code: ErrorCode.SERVER_NOT_FOUND,
      message: expect.stringContaining('dup'),
    });
    expect(() => client.listTools('ghost')).toThrow(expect.objectContaining({ code: ErrorCode.SERVER_NOT_FOUND }));
    await expect(client.callTool('dpu', 'echo')).rejects.toMatchObject({
      code: ErrorCode.SERVER_NOT_FOUND,
      message: 'Server "dpu" not found (did you mean "dup"?). Registered servers: dup',
      details: { available: ['dup'], didYouMean: 'dup' },
    });
    await expect(client.removeServer('ghost')).rejects.toMatchObject({ code: ErrorCode.SERVER_NOT_FOUND });
  });

  it('rejects an unknown tool with TOOL_NOT_FOUND listing the available tools', async () => {
    const err = await client.callTool('dup', 'teleport', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.TOOL_NOT_FOUND, server: 'dup' });
    expect((err as Error).message).toMatch(/Available tools: .*echo/);
    expect(err).not.toHaveProperty('details.didYouMean', expect.anything());
    const typo = await client.callTool('dup', 'ehco', {}).catch((e: unknown) => e);
    expect(typo).toMatchObject({ code: ErrorCode.TOOL_NOT_FOUND, details: { tool: 'ehco', didYouMean: 'echo' } });
    expect((typo as Error).message).toMatch(/^Tool "ehco" not found on server "dup" \(did you mean "echo"\?\)\. /);
  });

  it('arguments that break the inputSchema: INVALID_ARGUMENTS naming the field, before sending', async () => {
    const err = await client.callTool('dup', 'add', { a: 'one', b: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENTS,
      server: 'dup',
      details: { tool: 'add', field: 'a' },
    });
    expect((err as Error).message).toMatch(/: argument "a" must be number$/);
    const missing = await client.callTool('dup', 'add', { a: 1 }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: ErrorCode.INVALID_ARGUMENTS, details: { tool: 'add', field: 'b' } });
    expect((missing as Error).message).toBe('Invalid arguments for tool "add" on "dup": missing required argument "b"');
  });

  it('with validateArguments: false the server judges the arguments', async () => {
    const c = new UniversalMcpClient({ defaults: { validateArguments: false } });
    await c.addServer({ name: 'lax', transport: 'stdio', command: process.execPath, args: [FIXTURE, 'stdio'] });
    const outcome = await c.callTool('lax', 'add', { a: 'one', b: 2 }).then(
      (r) => (r.isError ? 'isError' : 'ok'),
      (e: { code?: string }) => e.code,
    );
    expect(['isError', ErrorCode.PROTOCOL_ERROR]).toContain(outcome);
    await c.close();
  });

  it('says why a first connection fails, and keeps nothing', async () => {
    const port = await closedPort();
    const cases: [ServerConfig, RegExp][] = [
      [
        { name: 'nocmd', transport: 'stdio', command: 'definitely-not-a-command-xyz' },
        /command not found: definitely-not-a-command-xyz \(searched PATH=/,
      ],
      [
        {
          name: 'crash',
          transport: 'stdio',
          command: process.execPath,
          args: ['-e', 'console.error("bad config"); process.exit(7)'],
        },
        /exited with code 7.*bad config/,
      ],
      [
        {
          name: 'mute',
          transport: 'stdio',
          command: process.execPath,
          args: ['-e', 'setInterval(() => {}, 1000)'],
          connectTimeoutMs: 300,
        },
        /handshake timed out/,
      ],
      [
        { name: 'refused', transport: 'streamable_http', url: `http://127.0.0.1:${port}/mcp` },
        new RegExp(`connection refused 127\\.0\\.0\\.1:${port}`),
      ],
      [
        { name: 'refused-sse', transport: 'sse', url: `http://127.0.0.1:${port}/sse` },
        new RegExp(`connection refused 127\\.0\\.0\\.1:${port}`),
      ],
    ];
    for (const [config, why] of cases) {
      const err = await client.addServer(config).catch((e: unknown) => e);
      expect(err, config.name).toMatchObject({ code: ErrorCode.CONNECT_FAILED, server: config.name });
      expect((err as Error).message, config.name).toMatch(why);
      expect(client.listServers()).not.toContain(config.name);
    }
    expect((await descendantsOf(process.pid)).length).toBe(1); // only 'dup' is left
  });

  it('refuses everything after close()', async () => {
    const c = new UniversalMcpClient();
    await c.close();
    await expect(c.addServer({ name: 'a', transport: 'stdio', command: 'node' })).rejects.toMatchObject({
      code: ErrorCode.CLOSED,
    });
  });
});
