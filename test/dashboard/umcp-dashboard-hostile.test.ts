// `umcp dashboard` (the built CLI, a child process) over the hand-written hostile server: a result
// nested 20,000 deep does not end it (the page gets the result cut, with a note); secrets in a
// call's arguments never reach the history; its data files are the owner's alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, HOSTILE, tempConfig, UMCP } from '../helpers/servers.js';

/** Every secret-looking name the history must redact, each with a value that must not be kept. */
const SECRETS = {
  access_token: 'leak-1',
  refresh_token: 'leak-2',
  client_secret: 'leak-3',
  clientSecret: 'leak-4',
  'x-api-key': 'leak-5',
  apiToken: 'leak-6',
  GITHUB_TOKEN: 'leak-7',
  private_key: 'leak-8',
};

describe('umcp dashboard over a hostile server', () => {
  let dir: string;
  let data: string;
  let child: ChildProcess;
  let url: URL;
  let auth: { authorization: string };
  const events = new AbortController();
  let seen = '';

  beforeAll(async () => {
    ({ dir } = await tempConfig('umcp-dashboard-hostile-', { h: { command: process.execPath, args: [HOSTILE] } }));
    data = join(dir, 'data');
    const args = ['dashboard', '--config', join(dir, 'mcp.json'), '--port', '0', '--data-dir', data];
    child = spawn(process.execPath, [UMCP, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await eventually(() => /umcp dashboard: http:\S+/.test(stderr), 15_000);
    url = new URL(/umcp dashboard: (\S+)/.exec(stderr)?.[1] as string);
    auth = { authorization: `Bearer ${url.searchParams.get('token')}` };
    await eventually(async () => {
      const servers = (await (await fetch(new URL('/api/servers', url), { headers: auth })).json()) as {
        state: string;
      }[];
      return servers[0]?.state === 'ready';
    }, 15_000);
    // The page's event stream, read as the page reads it.
    const stream = await fetch(new URL('/api/events', url), { headers: auth, signal: events.signal });
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as AsyncIterable<Uint8Array>)
        seen += decoder.decode(chunk, { stream: true });
    })().catch(() => undefined); // aborted at the end
  }, 40_000);

  afterAll(async () => {
    events.abort();
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  });

  const call = async (tool: string, args: unknown): Promise<string> => {
    const res = await fetch(new URL('/api/calls', url), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ server: 'h', tool, arguments: args }),
    });
    return ((await res.json()) as { id: string }).id;
  };

  it('stays up through a result nested 20,000 deep, and shows it cut with a note', async () => {
    const id = await call('deep', {});
    await eventually(() => seen.includes(`"id":"${id}","durationMs"`), 15_000);
    const data = seen
      .split('\n\n')
      .find((e) => e.startsWith('event: call') && e.includes(id))
      ?.replace(/^event: call\ndata: /, '');
    const update = JSON.parse(data ?? 'null') as { note?: string; result?: unknown };
    expect(update.note).toMatch(/^The result was cut to be shown: what nests deeper than 64 levels/);
    expect(JSON.stringify(update.result)).toContain('[cut: nested deeper than 64 levels]');
    // Still answering, the server's deep log line kept cut in its tail, and the process alive.
    const detail = (await (await fetch(new URL('/api/servers/h', url), { headers: auth })).json()) as {
      logs: string[];
    };
    expect(detail.logs.at(-1)).toMatch(/^\[info\] \{"a":\{"a":.*\[cut: nested deeper than 16 levels\]/);
    expect(child.exitCode).toBeNull();
  });

  it('keeps no secret of a call’s arguments in the history, by any common name, at any depth', async () => {
    await call('echo', { text: 'visible', ...SECRETS, nested: [{ sessionToken: 'leak-9' }] });
    const file = join(data, 'history.ndjson');
    await eventually(() => existsSync(file) && readFileSync(file, 'utf8').includes('visible'), 15_000);
    const api = await (await fetch(new URL('/api/history?q=visible', url), { headers: auth })).text();
    const redacted = Object.fromEntries(Object.keys(SECRETS).map((k) => [k, '[redacted]']));
    expect((JSON.parse(api) as { arguments: unknown }[])[0]?.arguments).toEqual({
      text: 'visible',
      ...redacted,
      nested: [{ sessionToken: '[redacted]' }],
    });
    for (const text of [api, readFileSync(file, 'utf8'), seen]) expect(text).not.toMatch(/leak-\d/);
  });

  it('keeps its data private: the directory 0700, history.ndjson and chat.sqlite 0600', async () => {
    const sqlite = join(data, 'chat.sqlite');
    await eventually(() => existsSync(sqlite), 15_000);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'history.ndjson')).mode & 0o777).toBe(0o600);
    expect(statSync(sqlite).mode & 0o777).toBe(0o600);
  });
});
