import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ENTRY, tempConfig, UMCP } from '../helpers/servers.js';

// `umcp serve --stdio` serves both MCP revisions (the opening message decides), or those
// `--revisions` names; an SDK v2 Client downstream, negotiating or pinned.
describe('umcp serve --stdio and --revisions', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    ({ dir, config } = await tempConfig('umcp-serve-rev-', { left: FIXTURE_ENTRY }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Connects a v2 client to a spawned `umcp serve --stdio`; the error when it cannot. */
  const connect = async (mode: 'auto' | 'legacy', extra: string[] = []): Promise<Client | Error> => {
    const client = new Client({ name: 'host', version: '1.0.0' }, { versionNegotiation: { mode } });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [UMCP, 'serve', '--config', config, '--stdio', ...extra],
      stderr: 'ignore',
    });
    try {
      await client.connect(transport);
      return client;
    } catch (err) {
      await client.close();
      return err as Error;
    }
  };

  it.each([
    ['auto', [], '2026-07-28'],
    ['legacy', [], '2025-11-25'],
    ['auto', ['--revisions', '2025-11-25'], '2025-11-25'],
    ['auto', ['--revisions', '2026-07-28,2025-11-25'], '2026-07-28'],
  ] as const)('a %s client with %j speaks %s and calls a tool', async (mode, extra, version) => {
    const client = await connect(mode, [...extra]);
    if (client instanceof Error) throw client;
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(version);
      const result = await client.callTool({ name: 'echo', arguments: { text: version } });
      expect(result.content).toEqual([{ type: 'text', text: version }]);
    } finally {
      await client.close();
    }
  });

  it('a 2026 client on stdio is told of tool list changes on its listen stream', async () => {
    const lists: string[][] = [];
    const client = new Client(
      { name: 'host', version: '1.0.0' },
      {
        versionNegotiation: { mode: 'auto' },
        listChanged: { tools: { onChanged: (_err, tools) => lists.push((tools ?? []).map((t) => t.name)) } },
      },
    );
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [UMCP, 'serve', '--config', config, '--stdio'],
        stderr: 'ignore',
      }),
    );
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      await client.callTool({ name: 'add_tool', arguments: { name: 'late' } });
      await eventually(() => lists.some((names) => names.includes('late')), 15_000);
    } finally {
      await client.close();
    }
  });

  it('--revisions 2025-11-25 answers a 2026 server/discover with -32022 naming the 2025 versions', async () => {
    const child = spawn(process.execPath, [UMCP, 'serve', '--config', config, '--stdio', '--revisions', '2025-11-25']);
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'server/discover', params: { _meta: meta } })}\n`,
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => out.includes('\n'), 30_000);
    child.stdin.end();
    await once(child, 'exit');
    const answer = JSON.parse(out.split('\n')[0] ?? '') as {
      id: number;
      error: { code: number; data: { supported: string[] } };
    };
    expect(answer).toMatchObject({ id: 7, error: { code: -32022, data: { requested: '2026-07-28' } } });
    expect(answer.error.data.supported).toContain('2025-11-25');
    expect(answer.error.data.supported).not.toContain('2026-07-28');
  });

  it('--revisions 2026-07-28 refuses a 2025 client; a wrong list is a usage error', async () => {
    const refused = await connect('legacy', ['--revisions', '2026-07-28']);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused)).toMatch(/-32022|nsupported protocol version/i);
    const child = spawn(process.execPath, [UMCP, 'serve', '--config', config, '--stdio', '--revisions', '2024-01-01']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).not.toBe(0);
    expect(err).toMatch(/--revisions wants a comma list of 2026-07-28, 2025-11-25/);
  });
});
