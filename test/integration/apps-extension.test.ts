// The MCP Apps extension in the client (test/fixtures/app-server.mjs, SDK v2, on stdio): the facade's
// `apps` option declares it to every server in both eras, and a model's toolset never offers an
// app-only tool.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_MIME_TYPE, APPS_EXTENSION, ErrorCode, TASKS_EXTENSION } from '@universal-mcp/core';
import { createToolset } from '@universal-mcp/llm';
import { UniversalMcpClient, type UniversalMcpClientOptions } from '@universal-mcp/supervisor';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, tempConfig, UMCP } from '../helpers/servers.js';

const APP_SERVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'app-server.mjs');
const opened: UniversalMcpClient[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

async function clientWith(options: UniversalMcpClientOptions, ...flags: string[]): Promise<UniversalMcpClient> {
  const client = new UniversalMcpClient({ ...options, defaults: { health: { intervalMs: 0 } } });
  opened.push(client);
  await client.addServer({ name: 'app', transport: 'stdio', command: process.execPath, args: [APP_SERVER, ...flags] });
  return client;
}

/** The client capabilities the server saw for a request (its `caps` tool). */
async function told(client: UniversalMcpClient): Promise<Record<string, unknown>> {
  const result = await client.callTool('app', 'caps', {});
  return JSON.parse((result.content?.[0] as { text: string }).text) as Record<string, unknown>;
}

describe('the facade declares MCP Apps', () => {
  // A 2026-07-28 request also declares the Tasks extension (always); a 2025 session declares none but Apps.
  it.each([
    ['2026-07-28 (each request)', [], { [TASKS_EXTENSION]: {} }],
    ['2025-11-25 (initialize)', ['--only-2025'], undefined],
  ])('%s: with apps: true, and not without', async (_era, flags, others) => {
    const withApps = await clientWith({ apps: true }, ...flags);
    expect((await told(withApps)).extensions).toEqual({
      ...others,
      [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] },
    });
    const without = await clientWith({}, ...flags);
    expect((await told(without)).extensions).toEqual(others);
  });

  it('refuses an apps option that is not a boolean', () => {
    expect(() => new UniversalMcpClient({ apps: 'yes' as never })).toThrow(
      expect.objectContaining({ code: ErrorCode.CONFIG_INVALID }),
    );
  });
});

describe("a model's toolset and app-only tools", () => {
  it('leaves them out, and a call of one fails like an unknown tool', async () => {
    const client = await clientWith({ apps: true });
    // The facade lists it: the App may call it.
    expect(client.listTools('app').map((t) => t.name)).toContain('refresh');
    const toolset = createToolset(client);
    try {
      expect(toolset.list().map((t) => t.name)).toEqual(['caps', 'show']);
      expect(toolset.toOpenAI().map((t) => t.function.name)).not.toContain('refresh');
      await expect(toolset.call('refresh', {})).rejects.toMatchObject({ code: ErrorCode.TOOL_NOT_FOUND });
      const outcome = await toolset.run('refresh', {});
      expect(outcome.isError).toBe(true);
    } finally {
      toolset.close();
    }
    // A set that is no model's (a gateway's) keeps it.
    const all = createToolset(client, { appOnly: true });
    try {
      expect(all.list().map((t) => t.name)).toEqual(['caps', 'refresh', 'show']);
    } finally {
      all.close();
    }
  });
});

describe('umcp dashboard', () => {
  it('declares MCP Apps to its servers (the console renders them)', async () => {
    const { dir, config } = await tempConfig('umcp-apps-dashboard-', {
      app: { command: process.execPath, args: [APP_SERVER, '--only-2025'] },
    });
    const args = [UMCP, 'dashboard', '--config', config, '--port', '0', '--data-dir', join(dir, 'data')];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp dashboard: http:\S+/.test(stderr), 30_000);
      const url = new URL(/umcp dashboard: (\S+)/.exec(stderr)?.[1] as string);
      const headers = { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' };
      await eventually(async () => {
        const servers = (await (await fetch(new URL('/api/servers', url), { headers })).json()) as { state: string }[];
        return servers.some((s) => s.state === 'ready');
      }, 30_000);
      // The server answers fixture://caps with the capabilities it was given at initialize.
      const body = JSON.stringify({ server: 'app', uri: 'fixture://caps' });
      const read = (await (await fetch(new URL('/api/read', url), { method: 'POST', headers, body })).json()) as {
        contents: { text: string }[];
      };
      const told = JSON.parse(read.contents[0]?.text ?? 'null') as Record<string, unknown>;
      expect(told.extensions).toEqual({ [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
