// `umcp dashboard` as an operator runs it: the built CLI on a config, its URL printed with the
// token; the API and Prometheus /metrics answer with it; SIGTERM ends it cleanly.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SqliteChatStore } from '@universal-mcp/dashboard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedProvider } from '../helpers/scripted-provider.js';
import { eventually, FIXTURE_ENTRY, tempConfig, UMCP } from '../helpers/servers.js';

describe('umcp dashboard', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    ({ dir, config } = await tempConfig('umcp-dashboard-', { fx: FIXTURE_ENTRY }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a URL with the token, serves the fleet and /metrics with it, and stops on SIGTERM', async () => {
    const args = ['dashboard', '--config', config, '--port', '0', '--data-dir', join(dir, 'data')];
    const child = spawn(process.execPath, [UMCP, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp dashboard: http:\S+/.test(stderr), 15_000);
      const url = new URL(/umcp dashboard: (\S+)/.exec(stderr)?.[1] as string);
      const token = url.searchParams.get('token') as string;
      const auth = { authorization: `Bearer ${token}` };
      expect((await fetch(url)).status).toBe(200);
      await eventually(async () => {
        const servers = (await (await fetch(new URL('/api/servers', url), { headers: auth })).json()) as {
          name: string;
          state: string;
        }[];
        return servers.some((s) => s.name === 'fx' && s.state === 'ready');
      }, 15_000);
      const metrics = await fetch(new URL('/metrics', url), { headers: auth });
      expect(await metrics.text()).toMatch(/umcp_server_state\{umcp_server_name="fx",umcp_server_state="ready"\} 1/);
      expect((await fetch(new URL('/metrics', url))).status).toBe(401);
      // A call from the dashboard lands in the history file.
      await fetch(new URL('/api/calls', url), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ server: 'fx', tool: 'echo', arguments: { text: 'kept', password: 'x' } }),
      });
      // The file is created before its first line is written: wait for the line, not the file.
      const history = join(dir, 'data', 'history.ndjson');
      await eventually(() => existsSync(history) && readFileSync(history, 'utf8').includes('\n'), 10_000);
      const kept = readFileSync(history, 'utf8');
      expect(kept).toMatch(/"text":"kept","password":"\[redacted\]"/);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
  });

  it('offers the providers of --provider and the config, keeps their keys, and keeps the conversation', async () => {
    const provider = await startScriptedProvider();
    const chatConfig = join(dir, 'chat.json');
    const servers = { fx: FIXTURE_ENTRY };
    const claude = { name: 'claude', type: 'anthropic', models: ['claude-x'], apiKeyEnv: 'MY_KEY' };
    await writeFile(chatConfig, JSON.stringify({ mcpServers: servers, chat: { providers: [claude] } }));
    const data = join(dir, 'chat-data');
    const args = ['dashboard', '--config', chatConfig, '--port', '0', '--data-dir', data];
    const flags = ['--provider', 'openai', '--model', 'scripted-1', '--base-url', provider.baseURL];
    const env = { ...process.env, OPENAI_API_KEY: '', MY_KEY: 'sk-secret-anthropic-key' };
    const child = spawn(process.execPath, [UMCP, ...args, ...flags], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await eventually(() => /umcp dashboard: http:\S+/.test(stderr), 15_000);
      const url = new URL(/umcp dashboard: (\S+)/.exec(stderr)?.[1] as string);
      const headers = { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' };
      const meta = await (await fetch(new URL('/api/chat', url), { headers })).text();
      expect(JSON.parse(meta)).toMatchObject({
        enabled: true,
        providers: [
          { name: 'openai', models: ['scripted-1'] },
          { name: 'claude', models: ['claude-x'] },
        ],
      });
      expect(meta).not.toContain('sk-secret');
      const created = (await (
        await fetch(new URL('/api/chat/conversations', url), { method: 'POST', headers, body: '{}' })
      ).json()) as { id: string };
      provider.script({ text: 'Kept in SQLite.' });
      await fetch(new URL(`/api/chat/conversations/${created.id}/messages`, url), {
        method: 'POST',
        headers,
        body: JSON.stringify({ text: 'remember this' }),
      });
      await eventually(async () => {
        const c = (await (await fetch(new URL(`/api/chat/conversations/${created.id}`, url), { headers })).json()) as {
          running: boolean;
          messages: unknown[];
        };
        return !c.running && c.messages.length === 2;
      }, 15_000);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      await provider.close();
    }
    const store = await SqliteChatStore.open({ dir: data });
    const [kept] = await store.list();
    expect(kept?.title).toBe('remember this');
    expect((await store.get(kept?.id ?? ''))?.messages.map((m) => m.content)).toEqual([
      'remember this',
      'Kept in SQLite.',
    ]);
    await store.close();
  });

  it('refuses a key written in the config file, and a provider without its key', async () => {
    const bad = join(dir, 'bad-chat.json');
    const servers = { fx: FIXTURE_ENTRY };
    const run = async (chat: unknown, env: NodeJS.ProcessEnv) => {
      await writeFile(bad, JSON.stringify({ mcpServers: servers, chat }));
      const child = spawn(process.execPath, [UMCP, 'dashboard', '--config', bad, '--port', '0'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...env },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      return { code, stderr };
    };
    const literal = await run({ providers: [{ type: 'openai', models: ['m'], apiKey: 'sk-x' }] }, {});
    expect(literal.code).toBe(2);
    expect(literal.stderr).toMatch(/chat\.providers\[0\]\.apiKey: unknown key \(keys are never written in the file/);
    const keyless = await run({ providers: [{ type: 'anthropic', models: ['m'] }] }, { ANTHROPIC_API_KEY: '' });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/chat provider "anthropic"\) --provider anthropic needs ANTHROPIC_API_KEY/);
  });
});
