// The chat's storage (SQLite by sql.js, in a temporary directory) and its runs over the dashboard's
// HTTP API, against the fixture server and the scripted provider (no model can run here; it speaks
// OpenAI's streamed format to the official `openai` client on 127.0.0.1).
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import initSqlJs from 'sql.js';
import { SqliteChatStore, createDashboard, historyOf, type Dashboard } from '@universal-mcp/dashboard';
import { openAiChat } from '@universal-mcp/llm';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';
import { fixtureStdio } from '../helpers/servers.js';

const settings = { provider: 'p', model: 'm', system: '', servers: null, toolSelection: false };

describe('SqliteChatStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umcp-chat-store-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps conversations, messages and tool calls in the file across a reopen', async () => {
    const call = {
      id: 'call_1',
      name: 'weather__get',
      server: 'weather',
      tool: 'get',
      args: { city: 'Lisbon' },
      outcome: { parts: [{ type: 'text' as const, text: '21 °C' }], isError: false },
      approval: 'approved' as const,
      durationMs: 12.5,
    };
    const store = await SqliteChatStore.open({ dir });
    const c = await store.create({ title: 'First', settings });
    await store.append(c.id, { role: 'user', content: 'look up the weather in Lisbon' });
    await store.append(c.id, {
      role: 'assistant',
      content: '',
      usage: { inputTokens: 12, outputTokens: 3 },
      toolCalls: [call],
    });
    await store.append(c.id, { role: 'assistant', content: 'It is 21 °C in Lisbon.' });
    await store.close();
    await expect(store.list()).rejects.toThrow(/closed/);

    const again = await SqliteChatStore.open({ dir });
    const got = await again.get(c.id);
    expect(got?.title).toBe('First');
    expect(got?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(got?.messages[1]?.toolCalls?.[0]).toEqual(call);
    expect(got?.messages[1]?.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    // The history a model gets: the call and its result, in order.
    expect(historyOf(got?.messages ?? [])).toEqual([
      { role: 'user', content: 'look up the weather in Lisbon' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'weather__get', args: { city: 'Lisbon' } }] },
      {
        role: 'tool',
        results: [
          { id: 'call_1', name: 'weather__get', outcome: { parts: [{ type: 'text', text: '21 °C' }], isError: false } },
        ],
      },
      { role: 'assistant', content: 'It is 21 °C in Lisbon.' },
    ]);
    await again.close();
  });

  it('creates its directory 0700 and chat.sqlite 0600, and tightens a file an older version left 0644', async () => {
    const own = join(dir, 'private');
    const store = await SqliteChatStore.open({ dir: own });
    await store.create({ title: 'Private', settings });
    await store.close();
    const file = join(own, 'chat.sqlite');
    expect((await stat(own)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await chmod(file, 0o644);
    const again = await SqliteChatStore.open({ dir: own });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await again.close();
  });

  it('migrates by user_version and refuses a newer database', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database(await readFile(join(dir, 'chat.sqlite')));
    expect(db.exec('PRAGMA user_version')[0]?.values[0]?.[0]).toBe(3);
    // A version 2 file (before Apps' results were kept) opens, and its tool calls read as before.
    db.run('ALTER TABLE tool_calls DROP COLUMN app_result; ALTER TABLE tool_calls DROP COLUMN app_result_cut');
    db.run('PRAGMA user_version = 2');
    const older = await mkdtemp(join(tmpdir(), 'umcp-chat-older-'));
    await writeFile(join(older, 'chat.sqlite'), db.export());
    const upgraded = await SqliteChatStore.open({ dir: older });
    const [first] = await upgraded.list();
    const call = (await upgraded.get(first?.id ?? ''))?.messages[1]?.toolCalls?.[0];
    expect(call).toMatchObject({ id: 'call_1', tool: 'get' });
    expect(call).not.toHaveProperty('result');
    await upgraded.close();
    await rm(older, { recursive: true, force: true });
    db.run('PRAGMA user_version = 99');
    const newer = await mkdtemp(join(tmpdir(), 'umcp-chat-newer-'));
    await writeFile(join(newer, 'chat.sqlite'), db.export());
    db.close();
    await expect(SqliteChatStore.open({ dir: newer })).rejects.toThrow(
      /version 99, newer than this dashboard knows \(3\)/,
    );
    await rm(newer, { recursive: true, force: true });
  });

  it("keeps a message's attachments, the prompt it came from and the model's thinking", async () => {
    const store = await SqliteChatStore.open();
    const c = await store.create({ title: 'With attachments', settings });
    const attachments = [
      { kind: 'resource' as const, server: 'notes', uri: 'note://1', name: 'note-1', text: 'one' },
      { kind: 'image' as const, name: 'dot.png', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
    ];
    await store.append(c.id, { role: 'user', content: 'Hello', attachments, prompt: 'notes/greet' });
    await store.append(c.id, { role: 'assistant', content: 'Hi', reasoning: 'They greeted me.' });
    const [user, answer] = (await store.get(c.id))?.messages ?? [];
    expect(user).toMatchObject({ content: 'Hello', attachments, prompt: 'notes/greet' });
    expect(answer).toMatchObject({ content: 'Hi', reasoning: 'They greeted me.' });
    expect(answer).not.toHaveProperty('attachments');
    await store.close();
  });

  it('searches every word as a prefix, in any script; truncates and removes with the search text', async () => {
    const store = await SqliteChatStore.open();
    const a = await store.create({ title: 'Trip planning', settings });
    const b = await store.create({ title: 'Other', settings });
    await store.append(a.id, { role: 'user', content: 'Book a train from Porto to Lisbon' });
    const second = await store.append(a.id, { role: 'user', content: '查询 天气 预报' });
    await store.append(b.id, { role: 'user', content: 'Nothing about trains here? trains!' });
    expect((await store.search('porto lisb')).map((h) => h.conversationId)).toEqual([a.id]);
    expect((await store.search('train')).map((h) => h.conversationId).sort()).toEqual([a.id, b.id].sort());
    expect((await store.search('天气'))[0]).toMatchObject({
      conversationId: a.id,
      snippet: expect.stringContaining('[天气]'),
    });
    expect((await store.search('planning'))[0]).toMatchObject({ conversationId: a.id, title: 'Trip planning' });
    expect(await store.search('"); DROP TABLE messages; --')).toEqual([]);
    await store.truncate(a.id, second.id);
    expect(await store.search('天气')).toEqual([]);
    expect((await store.get(a.id))?.messages).toHaveLength(1);
    expect(await store.remove(a.id)).toBe(true);
    expect(await store.remove(a.id)).toBe(false);
    expect(await store.search('porto')).toEqual([]);
    expect((await store.list()).map((c) => c.id)).toEqual([b.id]);
    await store.close();
  });

  it('keeps a large image of a tool result as a note, not its bytes', async () => {
    const store = await SqliteChatStore.open();
    const c = await store.create({ title: 'Images', settings });
    const data = 'A'.repeat(400 * 1024);
    await store.append(c.id, {
      role: 'assistant',
      content: '',
      toolCalls: [
        {
          id: 'x',
          name: 'shot',
          args: {},
          outcome: { parts: [{ type: 'image', mimeType: 'image/png', data }], isError: false },
        },
      ],
    });
    const part = (await store.get(c.id))?.messages[0]?.toolCalls?.[0]?.outcome?.parts[0];
    expect(part).toEqual({ type: 'text', text: '[image image/png, 300 KiB, not kept]' });
    await store.close();
  });
});

describe('chat runs over the dashboard API', () => {
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let provider: ScriptedProvider;

  beforeAll(async () => {
    provider = await startScriptedProvider();
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    await client.addServer(fixtureStdio('notes'));
    const model = (name: string) =>
      openAiChat(new OpenAI({ apiKey: 'k', baseURL: provider.baseURL, maxRetries: 0 }), { model: name });
    dashboard = await createDashboard(client, {
      port: 0,
      chat: { providers: [{ name: 'scripted', models: ['s1'], model }] },
    });
  }, 30_000);

  afterAll(async () => {
    await dashboard?.close();
    await client?.close();
    await provider?.close();
  });

  const api = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(new URL(path, dashboard.url), {
      method,
      headers: { authorization: `Bearer ${dashboard.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as { id: string } & Record<string, unknown> };
  };
  const conversation = async (id: string) =>
    (await api(`/api/chat/conversations/${id}`)).body as unknown as {
      running: boolean;
      messages: { role: string; content: string; status?: string; error?: string }[];
      live?: { approvals: { id: string }[] };
    };

  it('stores a failed run as a failed step, and leaves it out of the next request', async () => {
    const { body: c } = await api('/api/chat/conversations', 'POST', { settings: { system: 'Be brief.' } });
    provider.script({ status: 400 });
    expect((await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'hi' })).status).toBe(200);
    await expect.poll(async () => (await conversation(c.id)).running).toBe(false);
    const failed = (await conversation(c.id)).messages.at(-1);
    expect(failed).toMatchObject({ role: 'assistant', status: 'error' });
    expect(failed?.error).toMatch(/400/);
    provider.script({ text: 'hello' });
    await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'hi again' });
    await expect.poll(async () => (await conversation(c.id)).running).toBe(false);
    const sent = provider.received.at(-1)?.body.messages as { role: string; content: string }[];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    expect(sent[0]?.content).toBe('Be brief.');
  });

  it('runs one message at a time per conversation; a stop answers a waiting approval with no', async () => {
    const { body: c } = await api('/api/chat/conversations', 'POST', {});
    provider.script({ toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }] });
    await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'add' });
    await expect.poll(async () => (await conversation(c.id)).live?.approvals.length).toBe(1);
    const busy = await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'again' });
    expect(busy).toEqual({ status: 400, body: { error: 'This conversation is already running; stop it first' } });
    expect((await api(`/api/chat/conversations/${c.id}/stop`, 'POST')).status).toBe(200);
    const after = await conversation(c.id);
    expect(after.running).toBe(false);
    expect(after.live).toBeUndefined();
    // Nothing ran: the call was denied by the stop, and kept with its (error) result.
    const stored = (await api(`/api/chat/conversations/${c.id}`)).body as unknown as {
      messages: { toolCalls?: { approval?: string; outcome?: { isError: boolean } }[] }[];
    };
    const call = stored.messages.flatMap((m) => m.toolCalls ?? [])[0];
    expect(call).toMatchObject({ approval: 'denied', outcome: { isError: true } });
    expect((await api(`/api/chat/conversations/${c.id}/stop`, 'POST')).status).toBe(404);
  });

  it('keeps no secret of a tool call: not in approvals, events, the store or its exports', async () => {
    const events = new AbortController();
    const stream = await fetch(new URL('/api/events', dashboard.url), {
      headers: { authorization: `Bearer ${dashboard.token}` },
      signal: events.signal,
    });
    let seen = '';
    void (async () => {
      for await (const chunk of stream.body as AsyncIterable<Uint8Array>) seen += Buffer.from(chunk).toString();
    })().catch(() => undefined); // aborted at the end
    const { body: c } = await api('/api/chat/conversations', 'POST', {});
    const args = { a: 1, b: 2, apiToken: 'leak-1', options: [{ sessionToken: 'leak-2', client_secret: 'leak-3' }] };
    provider.script({ toolCalls: [{ name: 'add', args }] }, { text: 'added' });
    await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'add with my token' });
    await expect.poll(async () => (await conversation(c.id)).live?.approvals.length).toBe(1);
    const kept = {
      a: 1,
      b: 2,
      apiToken: '[redacted]',
      options: [{ sessionToken: '[redacted]', client_secret: '[redacted]' }],
    };
    const asked = (await conversation(c.id)).live?.approvals[0] as { id: string; args: unknown };
    expect(asked.args).toEqual(kept);
    await api(`/api/chat/approvals/${asked.id}`, 'POST', { approved: true });
    await expect.poll(async () => (await conversation(c.id)).running).toBe(false);
    const stored = (await api(`/api/chat/conversations/${c.id}`)).body as unknown as {
      messages: { toolCalls?: { args: unknown }[] }[];
    };
    expect(stored.messages.flatMap((m) => m.toolCalls ?? []).map((t) => t.args)).toEqual([kept]);
    const auth = { authorization: `Bearer ${dashboard.token}` };
    const exports = await Promise.all(
      ['markdown', 'json'].map(async (format) => {
        const url = new URL(`/api/chat/conversations/${c.id}/export?format=${format}`, dashboard.url);
        return (await fetch(url, { headers: auth })).text();
      }),
    );
    expect(exports[1]).toContain('"apiToken": "[redacted]"');
    await expect.poll(() => seen.includes('"type":"end"')).toBe(true);
    events.abort();
    for (const text of [...exports, seen]) expect(text).not.toMatch(/leak-\d/);
  });

  it('refuses bad input with a reason', async () => {
    const { body: c } = await api('/api/chat/conversations', 'POST', {});
    expect((await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: '  ' })).body).toEqual({
      error: 'The message is empty',
    });
    expect((await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'x', edit: 12345 })).body).toEqual({
      error: 'Only the last message you sent can be edited',
    });
    expect((await api(`/api/chat/conversations/${c.id}`, 'PATCH', { settings: { servers: 'notes' } })).body).toEqual({
      error: 'settings.servers must be null (every server) or a list of server names',
    });
    expect((await api('/api/chat/conversations/nope/regenerate', 'POST')).body).toEqual({
      error: 'No such conversation',
    });
    expect((await api(`/api/chat/conversations/${c.id}/export?format=pdf`)).body).toEqual({
      error: 'format must be markdown or json',
    });
    expect((await api('/api/chat/approvals/nope', 'POST', { approved: true })).status).toBe(404);
  });

  it('offers only the servers a conversation has on', async () => {
    const { body: c } = await api('/api/chat/conversations', 'POST', { settings: { servers: [] } });
    provider.script({ text: 'no tools' });
    await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'which tools?' });
    await expect.poll(async () => (await conversation(c.id)).running).toBe(false);
    expect(provider.received.at(-1)?.body.tools).toBeUndefined();
    await api(`/api/chat/conversations/${c.id}`, 'PATCH', { settings: { servers: ['notes'], toolSelection: true } });
    provider.script({ text: 'some tools' });
    await api(`/api/chat/conversations/${c.id}/messages`, 'POST', { text: 'echo text back' });
    await expect.poll(async () => (await conversation(c.id)).running).toBe(false);
    const tools = (provider.received.at(-1)?.body.tools as { function: { name: string } }[]).map(
      (t) => t.function.name,
    );
    expect(tools).toContain('echo');
    expect(tools.length).toBeLessThanOrEqual(16);
  });
});
