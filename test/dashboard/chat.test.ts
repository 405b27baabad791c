// The dashboard's Chat view as a person uses it: Debian's Chromium driven by playwright-core, a real
// MCP server (the fixture, a child process) under a UniversalMcpClient, and — because no model can
// run here — the scripted provider on 127.0.0.1 (test/helpers/scripted-provider.ts) speaking
// OpenAI's streamed wire format to the official `openai` client. The dashboard is closed and opened
// again on the same data directory to show what is kept. Screenshots go to .ci/artifacts/dashboard.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatProvider, Dashboard } from '@universal-mcp/dashboard';
import { UniversalMcpClient } from '@universal-mcp/supervisor';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchDashboardBrowser, SLOW, type DashboardBrowser } from '../helpers/dashboard-browser.js';
import { chatDashboard, closeInOrder, scriptedChat } from '../helpers/scripted-chat.js';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-provider.js';
import { everythingStdio, fixtureStdio, MEMORY } from '../helpers/servers.js';

const SECRET = 'sk-test-this-key-must-never-reach-the-page';

describe('the Chat view in Chromium', () => {
  let browser: DashboardBrowser;
  let client: UniversalMcpClient;
  let dashboard: Dashboard;
  let page: Page;
  let data: string;
  let provider: ScriptedProvider;
  let providers: ChatProvider[];

  const open = () => chatDashboard(client, data, providers);
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(path, dashboard.url), {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${dashboard.token}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const composer = () => page.locator('[data-role=composer]');
  /** How many requests the provider had when the page was last told to run: `ended` waits for one more. */
  let asked = 0;
  const run = async (action: () => Promise<void>) => {
    asked = provider.received.length;
    await action();
  };
  const say = (text: string) =>
    run(async () => {
      await composer().fill(text);
      await page.locator('[data-role=send]').click();
    });
  /**
   * The run the page was last told to start has ended: the provider was asked (so it began; the Send
   * button alone is there before it does), the server says nothing runs, and the page offers Send.
   */
  const ended = async () => {
    await expect.poll(() => provider.received.length, SLOW).toBeGreaterThan(asked);
    await expect.poll(async () => (await current()).running, SLOW).toBe(false);
    await expect.poll(() => page.locator('[data-role=send]').count(), SLOW).toBe(1);
  };
  const current = async () => {
    const id = await page.locator('[data-conversation]').getAttribute('data-conversation');
    return (await api(`/api/chat/conversations/${id}`)).body as {
      id: string;
      title: string;
      running: boolean;
      messages: { role: string; content: string; status?: string; toolCalls?: unknown[] }[];
    };
  };
  const settingsNow = async () =>
    ((await current()) as unknown as { settings: { system: string; servers: unknown } }).settings;
  /** Opens the settings and saves new system instructions (on leaving the field); the settings form. */
  const saveSystem = async (text: string) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.locator('[data-role=chat-settings]');
    await settings.getByLabel('System instructions').fill(text);
    await settings.getByLabel('System instructions').blur();
    await expect.poll(async () => (await settingsNow()).system, SLOW).toBe(text);
    return settings;
  };

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'umcp-chat-data-'));
    provider = await startScriptedProvider();
    providers = [scriptedChat(provider, { models: ['scripted-1', 'scripted-2'], apiKey: SECRET })];
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    // Trusted: its read-only tools (echo) run unasked; an untrusted server's are asked (tool-policy.test.ts).
    await client.addServer(fixtureStdio('notes', { trusted: true }));
    dashboard = await open();
    browser = await launchDashboardBrowser(undefined, { acceptDownloads: true });
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await closeInOrder(browser, dashboard, client, provider);
    if (data !== undefined) await rm(data, { recursive: true, force: true });
  });

  it('keeps the provider key on the server and the chat API behind the token', async () => {
    const meta = await api('/api/chat');
    expect(meta.body).toEqual({
      enabled: true,
      providers: [{ name: 'scripted', models: ['scripted-1', 'scripted-2'] }],
      servers: ['notes'],
    });
    expect(JSON.stringify(meta.body)).not.toContain(SECRET);
    expect((await fetch(new URL('/api/chat/conversations', dashboard.url))).status).toBe(401);
    const bad = await api('/api/chat/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { provider: 'nope' } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/provider must be one of: scripted/);
  });

  it('streams the answer into the page as it arrives, as Markdown with highlighted code', async () => {
    await page.goto(`${dashboard.url.href}#chat`);
    await page.locator('[data-role=new-conversation]').click();
    await expect.poll(() => page.locator('[data-conversation]').count(), SLOW).toBe(1);
    provider.script({
      text: 'Here is **the answer**, with code:\n\n```js\nconst answer = 42;\n```\n',
      pieceDelayMs: 30,
      usage: { input: 120, output: 34 },
    });
    // Every length the streaming text had, recorded in the page as it changed.
    await page.evaluate(`(() => {
      window.lengths = [];
      new MutationObserver(() => {
        const live = document.querySelector('[data-role=streaming]');
        if (live) window.lengths.push(live.textContent.length);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await say('What is the answer? Use zebrafish words.');
    await ended();
    const lengths = (await page.evaluate('window.lengths')) as number[];
    expect(new Set(lengths).size).toBeGreaterThanOrEqual(5); // it grew piece by piece
    const answer = page.locator('[data-message-role=assistant]').last();
    expect(await answer.locator('strong').textContent()).toBe('the answer');
    expect(await answer.locator('code.hljs.language-js .hljs-keyword').first().textContent()).toBe('const');
    expect(await page.locator('[data-role=tokens]').last().textContent()).toBe('120 in · 34 out');
    // The conversation took its title from the first message.
    expect(await page.locator('[data-role=conversation-title]').textContent()).toBe(
      'What is the answer? Use zebrafish words.',
    );
  });

  it("shows a tool call as a collapsed card with the real server's result", async () => {
    provider.script(
      { toolCalls: [{ name: 'echo', args: { text: 'hello from the notes server' } }] },
      { text: 'The server said hello.' },
    );
    await say('Echo something');
    await ended();
    const card = page.locator('[data-role=tool-card]').last();
    expect(await card.getAttribute('data-outcome')).toBe('ok');
    expect(await card.locator('summary .tool-name').textContent()).toBe('notes / echo');
    expect(await card.locator('details').getAttribute('open')).toBeNull(); // collapsed
    await card.locator('summary').click();
    expect(await card.locator('[data-role=tool-result]').textContent()).toContain('hello from the notes server');
    // The model got the same result back.
    const sent = provider.received.at(-1)?.body.messages as { role: string; content?: unknown }[];
    expect(sent.find((m) => m.role === 'tool')?.content).toBe('hello from the notes server');
    expect(await page.locator('[data-message-role=assistant]').last().textContent()).toContain(
      'The server said hello.',
    );
  });

  it('asks before a tool not annotated read-only; a denial reaches the model as one', async () => {
    provider.script({ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'Understood, I will not add.' });
    const before = provider.received.length;
    await say('Add 2 and 3');
    const deny = page.locator('[data-role=deny]');
    await deny.waitFor({ timeout: 10_000 });
    expect(await page.locator('.approval').textContent()).toContain('notes / add');
    await page.screenshot({ path: join(ARTIFACTS, 'chat-approval-1280.png') });
    await deny.click();
    await ended();
    expect(await page.locator('[data-role=tool-card]').last().getAttribute('data-outcome')).toBe('denied');
    const second = provider.received[before + 1]?.body.messages as { role: string; content?: unknown }[];
    expect(second.findLast((m) => m.role === 'tool')?.content).toMatch(/denied/);
  });

  it('stops mid-stream: the model stream is closed and the conversation stays consistent', async () => {
    provider.script({ text: 'A long answer that will be cut short', hang: true });
    await say('Tell me a long story');
    await expect.poll(() => page.locator('[data-role=streaming]').count(), SLOW).toBe(1);
    await page.locator('[data-role=stop]').click();
    await ended();
    await expect.poll(() => provider.openStreams(), SLOW).toBe(0);
    expect(await page.locator('[data-role=stopped]').count()).toBeGreaterThan(0);
    const stored = await current();
    const last = stored.messages.at(-1);
    expect(last).toMatchObject({ role: 'assistant', status: 'stopped' });
    expect(last?.content).not.toBe('');
    // The next message goes out after the partial answer, in order.
    provider.script({ text: 'Picking up again.' });
    await say('Go on');
    await ended();
    const sent = provider.received.at(-1)?.body.messages as { role: string; content?: unknown }[];
    expect(sent.slice(-3).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('edits and resends the last message, and regenerates the last answer', async () => {
    const before = (await current()).messages.length;
    await page.locator('[data-role=edit]').click();
    expect(await composer().inputValue()).toBe('Go on');
    provider.script({ text: 'Edited answer.' });
    await composer().fill('Go on, briefly');
    await run(() => page.locator('[data-role=send]').click());
    await ended();
    let stored = await current();
    expect(stored.messages.length).toBe(before);
    expect(stored.messages.at(-2)?.content).toBe('Go on, briefly');
    expect(stored.messages.at(-1)?.content).toBe('Edited answer.');
    provider.script({ text: 'Regenerated answer.' });
    await run(() => page.locator('[data-role=regenerate]').click());
    await expect.poll(async () => (await current()).messages.at(-1)?.content, SLOW).toBe('Regenerated answer.');
    stored = await current();
    expect(stored.messages.length).toBe(before);
    await ended();
  });

  it('takes its settings per conversation: system instructions and the servers whose tools are on', async () => {
    const settings = await saveSystem('Answer in one line.');
    await settings.locator('input[data-server=notes]').uncheck();
    await expect.poll(async () => (await settingsNow()).servers, SLOW).toEqual([]);
    provider.script({ text: 'No tools this time.' });
    await say('Anything?');
    await ended();
    const body = provider.received.at(-1)?.body as { messages: { role: string; content: unknown }[]; tools?: unknown };
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer in one line.' });
    expect(body.tools).toBeUndefined();
    await settings.locator('input[data-server=notes]').check();
    await expect.poll(async () => (await settingsNow()).servers, SLOW).toBeNull();
    await page.getByRole('button', { name: 'Settings' }).click();
  });

  it('takes screenshots of a conversation with tool cards, wide and narrow', async () => {
    // The first tool call open, its turn at the top.
    await page.evaluate(`(() => {
      const card = document.querySelector('[data-role=tool-card]');
      card.querySelector('details').open = true;
      card.closest('.turn').previousElementSibling.scrollIntoView();
    })()`);
    await page.screenshot({ path: join(ARTIFACTS, 'chat-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'chat-390.png'), fullPage: true });
    expect(await page.locator('[data-role=composer]').isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('keeps the conversation across a reload and a restart of the dashboard; search finds it', async () => {
    const stored = await current();
    await dashboard.close();
    dashboard = await open();
    await page.goto(`${dashboard.url.href}#chat`);
    await page.locator(`[data-conversation="${stored.id}"]`).waitFor();
    expect(await page.locator('[data-role=message]').count()).toBe(stored.messages.length);
    expect(await page.locator('[data-role=tool-card]').count()).toBe(2);
    await page.locator('[data-role=chat-search]').fill('zebrafish');
    const hit = page.locator('[data-role=search-hit]');
    await hit.waitFor();
    expect(await hit.locator('mark').textContent()).toBe('zebrafish');
    await hit.click();
    expect(await page.locator('[data-conversation]').getAttribute('data-conversation')).toBe(stored.id);
  });

  it('exports the conversation as Markdown', async () => {
    const download = page.waitForEvent('download');
    await page.locator('[data-role=export-md]').click();
    const file = await (await download).path();
    const markdown = await readFile(file, 'utf8');
    expect((await download).suggestedFilename()).toBe('what-is-the-answer-use-zebrafish-words.md');
    expect(markdown).toMatch(/^# What is the answer\? Use zebrafish words\.\n/);
    expect(markdown).toContain('## You\n\nEcho something');
    expect(markdown).toContain('**Tool call** `notes / echo` — ok');
    expect(markdown).toContain('hello from the notes server');
    expect(markdown).toContain('**Tool call** `notes / add` — error');
    expect(markdown).toContain('_Tokens: 120 in, 34 out_');
  });

  it('deletes a conversation', async () => {
    const { id } = await current();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('[data-role=delete-conversation]').click();
    await expect.poll(() => page.locator('[data-conversation]').count(), SLOW).toBe(0);
    expect((await api(`/api/chat/conversations/${id}`)).status).toBe(404);
    expect((await api('/api/chat/search?q=zebrafish')).body).toEqual([]);
  });

  it("shows what will run beside Allow and Deny: the arguments, and the server's own hints, labelled", async () => {
    // The published memory server annotates create_entities (not read-only, not destructive).
    await client.addServer({
      name: 'memory',
      transport: 'stdio',
      command: process.execPath,
      args: [MEMORY],
      env: { MEMORY_FILE_PATH: join(data, 'memory.jsonl') },
    });
    // The page stays open (loaded before the memory server came): it learns of it from the fleet.
    await page.goto(`${dashboard.url.href}#chat`);
    await page.locator('[data-role=new-conversation]').click();
    await expect.poll(() => page.locator('[data-conversation]').count(), SLOW).toBe(1);
    const entities = [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }];
    provider.script({ toolCalls: [{ name: 'create_entities', args: { entities } }] }, { text: 'Stored Ada.' });
    await say('Remember Ada');
    const approval = page.locator('[data-role=approval]');
    await approval.waitFor({ timeout: 10_000 });
    // The arguments are shown open, in the same group as the buttons: nothing to unfold first.
    const args = approval.locator('[data-role=approval-args]');
    expect(await args.isVisible()).toBe(true);
    expect(JSON.parse((await args.textContent()) ?? '')).toEqual({ entities });
    expect(await approval.locator('[data-role=approve]').isVisible()).toBe(true);
    const [argsBox, buttonBox] = [
      await args.boundingBox(),
      await approval.locator('[data-role=approve]').boundingBox(),
    ];
    expect(Math.abs((buttonBox?.y ?? 1e6) - ((argsBox?.y ?? 0) + (argsBox?.height ?? 0)))).toBeLessThan(150);
    const hints = approval.locator('[data-role=approval-hints]');
    expect(await hints.textContent()).toMatch(
      /server's own hints \(not checked\):\s*may change things\s*not destructive/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'chat-approval-args-1280.png') });
    await approval.locator('[data-role=approve]').click();
    await ended();
    expect(await page.locator('[data-role=tool-card]').last().getAttribute('data-outcome')).toBe('ok');
  });

  it('writes the chat’s tool calls to the history as the chat’s, with their arguments', async () => {
    const history = (await api('/api/history?q=create_entities')).body as unknown as {
      tool: string;
      source: string;
      arguments?: unknown;
      outcome: string;
    }[];
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ tool: 'create_entities', source: 'chat', outcome: 'ok' });
    expect(JSON.stringify(history[0]?.arguments)).toContain('wrote the first program');
    const echo = (await api('/api/history?q=echo')).body as unknown as { source: string }[];
    expect(echo.map((e) => e.source)).toEqual(['chat']);
  });

  it('keeps a message being typed when a setting is saved', async () => {
    await composer().fill('half a thought, not sent yet');
    const settings = await saveSystem('Be brief.');
    // A server added after the page loaded is offered too.
    await expect.poll(() => settings.locator('input[data-server=memory]').count(), SLOW).toBe(1);
    await settings.locator('input[data-server=memory]').uncheck();
    await expect.poll(async () => (await settingsNow()).servers, SLOW).toEqual(['notes']);
    // The page has read the conversation again (its settings show the change) and the text is there.
    await expect.poll(() => settings.locator('input[data-server=memory]').isChecked(), SLOW).toBe(false);
    expect(await composer().inputValue()).toBe('half a thought, not sent yet');
  });
  // Issue 28: the chat a person would choose.
  /** The messages the provider was sent last. */
  const lastSent = () => provider.received.at(-1)?.body.messages as { role: string; content?: unknown }[];
  const newConversation = async () => {
    const before = await page.locator('[data-conversation]').getAttribute('data-conversation');
    await page.locator('[data-role=new-conversation]').click();
    await expect
      .poll(() => page.locator('[data-conversation]').getAttribute('data-conversation'), SLOW)
      .not.toBe(before);
  };
  /** A 1×1 PNG. */
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );

  it('attaches a resource with @: read when sent, the model gets its text, the message shows it', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await newConversation();
    await composer().fill('');
    await composer().pressSequentially('Summarise @note-3');
    const picker = page.locator('[data-role=picker]');
    await expect.poll(() => picker.locator('[data-role=picker-option]').count(), SLOW).toBe(1);
    expect(await picker.locator('[data-role=picker-option]').first().textContent()).toContain('note://3');
    await composer().press('Enter'); // picks, does not send
    expect(await picker.count()).toBe(0);
    expect(await page.locator('.composer [data-role=chip][data-kind=resource]').textContent()).toContain('@note-3');
    expect(await composer().inputValue()).toBe('Summarise ');
    // A template by name: its variable asked, then the URI it makes attached.
    await composer().pressSequentially('@id');
    await expect.poll(() => picker.locator('[data-kind=template]').count(), SLOW).toBe(1);
    await composer().press('Enter');
    await page.locator('[data-role=args-form] input[data-arg=id]').fill('7');
    await page.locator('[data-role=args-done]').click();
    await expect.poll(() => page.locator('.composer [data-role=chip][data-kind=resource]').count(), SLOW).toBe(2);
    provider.script({ text: 'Two notes.' });
    await run(() => composer().press('Enter'));
    await ended();
    const user = lastSent().findLast((m) => m.role === 'user')?.content as string;
    expect(user.startsWith('Summarise')).toBe(true);
    expect(user).toContain(
      '<attachment server="notes" uri="note://3" mimeType="text/plain">\ncontent of note://3\n</attachment>',
    );
    expect(user).toContain('content of note://7');
    const shown = page.locator('[data-message-role=user]').last().locator('[data-role=attachment]');
    expect(await shown.allTextContents()).toEqual(['@note-3', '@note by id']);
    // Stored with the message: a later turn sends the resource again without reading it.
    provider.script({ text: 'Still two.' });
    await say('And now?');
    await ended();
    expect(JSON.stringify(lastSent())).toContain('content of note://3');
  });

  it('refuses a resource that cannot be read, and gives the message and its attachment back', async () => {
    const asked = provider.received.length;
    const bad = await api(`/api/chat/conversations/${(await current()).id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', resources: [{ server: 'nope', uri: 'note://1' }] }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/nope: note:\/\/1 could not be read/);
    expect(provider.received.length).toBe(asked);
  });

  it('runs a prompt as a / command: arguments asked (required marked), its messages sent to the model', async () => {
    await newConversation();
    await composer().pressSequentially('/gre');
    const option = page.locator('[data-role=picker] [data-role=picker-option][data-kind=prompt]');
    await expect.poll(() => option.count(), SLOW).toBe(1);
    expect(await option.textContent()).toContain('notes/greet');
    expect(await option.textContent()).toContain('Greet someone');
    await composer().press('Enter');
    const form = page.locator('[data-role=args-form]');
    expect(await form.locator('input[data-arg=name]').getAttribute('aria-required')).toBe('true');
    expect(await form.locator('.required').count()).toBe(1);
    await form.locator('input[data-arg=name]').fill('alice');
    await form.locator('input[data-arg=name]').press('Enter');
    expect(await page.locator('.composer [data-role=chip][data-kind=prompt]').textContent()).toContain('/notes/greet');
    expect(await composer().inputValue()).toBe('');
    provider.script({ text: 'Hello back, alice.' });
    await run(() => page.locator('[data-role=send]').click());
    await ended();
    expect(lastSent().findLast((m) => m.role === 'user')?.content).toBe('Hello, alice!');
    const stored = (await current()).messages as { role: string; content: string; prompt?: string }[];
    expect(stored[0]).toMatchObject({ role: 'user', content: 'Hello, alice!', prompt: 'notes/greet' });
    expect(await page.locator('[data-role=prompt-chip]').textContent()).toBe('/notes/greet');
    expect(await page.locator('[data-role=conversation-title]').textContent()).toBe('Hello, alice!');
    // With text of its own, the prompt's messages go in first and the text is what is answered.
    await composer().pressSequentially('/greet');
    await composer().press('Enter');
    await form.locator('input[data-arg=name]').fill('bob');
    await form.locator('input[data-arg=name]').press('Enter');
    await composer().fill('Now in French');
    provider.script({ text: 'Bonjour.' });
    await run(() => composer().press('Enter'));
    await ended();
    const users = lastSent()
      .filter((m) => m.role === 'user')
      .map((m) => m.content);
    expect(users.slice(-2)).toEqual(['Hello, bob!', 'Now in French']);
  });

  it('sends an image picked as image content, shows it, and enlarges it on a click', async () => {
    await newConversation();
    await page
      .locator('[data-role=image-input]')
      .setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.locator('.composer [data-role=chip][data-kind=image]').count(), SLOW).toBe(1);
    await composer().fill('What is in this picture?');
    provider.script({ text: 'A dot.' });
    await run(() => composer().press('Enter'));
    await ended();
    const content = lastSent().findLast((m) => m.role === 'user')?.content;
    expect(content).toEqual([
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
    const thumb = page.locator('[data-message-role=user]').last().locator('.thumb-open');
    await thumb.click();
    expect(await page.locator('dialog.lightbox[open]').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog.lightbox[open]').count(), SLOW).toBe(0);
    // Claimed a PNG, not one: refused by the dashboard before anything runs.
    const fake = await api(`/api/chat/conversations/${(await current()).id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'x',
        images: [{ mimeType: 'image/png', data: Buffer.from('GIF89a').toString('base64') }],
      }),
    });
    expect(fake.status).toBe(400);
    expect(fake.body.error).toMatch(/not a image\/png/);
    // A file that is no image is refused in the page, in words.
    await page
      .locator('[data-role=image-input]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
    await expect.poll(() => page.locator('[data-role=composer-error]').textContent(), SLOW).toContain('notes.txt');
  });

  // Preact 11 keeps no `this.base`: the button reached the file input through it and threw, and the
  // focus never came back to the composer after a form. The composer uses refs now.
  it('opens the file picker from its button, and gives the focus back to the composer after a form', async () => {
    await newConversation();
    const chooser = page.waitForEvent('filechooser', { timeout: 20_000 });
    await page.locator('[data-role=attach-image]').click();
    await (await chooser).setFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.locator('.composer [data-role=chip][data-kind=image]').count(), SLOW).toBe(1);
    await composer().pressSequentially('@id');
    await expect.poll(() => page.locator('[data-role=picker] [data-kind=template]').count(), SLOW).toBe(1);
    await composer().press('Enter');
    await page.locator('[data-role=args-form] input[data-arg=id]').fill('7');
    await page.locator('[data-role=args-done]').click();
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('data-role')"), SLOW).toBe('composer');
  });

  it('shows the images a tool returns outside the fold', async () => {
    // The published everything server's get-tiny-image answers a PNG (read-only: runs unasked, trusted).
    await client.addServer(everythingStdio('everything', { trusted: true }));
    provider.script({ toolCalls: [{ name: 'get-tiny-image', args: {} }] }, { text: 'There it is.' });
    await say('Show me the image');
    await ended();
    const card = page.locator('[data-role=tool-card]').last();
    expect(await card.locator('details').getAttribute('open')).toBeNull();
    expect(await card.locator('[data-role=result-images] img').count()).toBeGreaterThan(0);
    expect(await card.locator('[data-role=result-images] img').first().getAttribute('src')).toMatch(
      /^data:image\/png;base64,/,
    );
  });

  it("folds the model's thinking, and never sends it back", async () => {
    provider.script({ reasoning: 'The user wants a colour. Blue is calm.', text: 'Blue.' });
    await say('Pick a colour');
    await ended();
    const thinking = page.locator('[data-message-role=assistant]').last().locator('[data-role=thinking]');
    expect(await thinking.getAttribute('open')).toBeNull(); // folded
    await thinking.locator('summary').click();
    expect(await thinking.locator('.thinking-text').textContent()).toBe('The user wants a colour. Blue is calm.');
    expect((await current()).messages.at(-1)).toMatchObject({
      content: 'Blue.',
      reasoning: 'The user wants a colour. Blue is calm.',
    });
    provider.script({ text: 'Still blue.' });
    await say('Sure?');
    await ended();
    expect(JSON.stringify(lastSent())).not.toContain('Blue is calm');
  });

  it('works from the keyboard: Ctrl+K, ↑ to edit, Esc to stop, Ctrl+Shift+R to regenerate', async () => {
    await page.locator('body').click();
    await page.keyboard.press('Control+k');
    expect(await page.evaluate('document.activeElement?.id')).toBe('chat-search');
    await composer().focus();
    await composer().fill('');
    await composer().press('ArrowUp');
    expect(await composer().inputValue()).toBe('Sure?');
    await composer().press('Escape'); // cancels the edit
    expect(await composer().inputValue()).toBe('');
    provider.script({ text: 'A long answer that will be cut short', hang: true });
    await say('Tell me something long');
    await page.locator('[data-role=stop]').waitFor(SLOW);
    await composer().press('Escape');
    await ended();
    expect((await current()).messages.at(-1)?.status).toBe('stopped');
    provider.script({ text: 'A second answer.' });
    await run(() => page.keyboard.press('Control+Shift+R'));
    await ended();
    expect((await current()).messages.at(-1)?.content).toBe('A second answer.');
    expect(await page.locator('[data-role=regenerate]').getAttribute('aria-keyshortcuts')).toContain('Control+Shift+R');
  });

  it('groups the conversations by date, renames one, and finds it by its new name', async () => {
    await page.locator('[data-role=chat-search]').fill('', SLOW); // an earlier search shows its hits instead
    const groups = (await page.evaluate(`import('/chat-list.js').then(({ groupOf }) => {
      const now = new Date(2026, 4, 20, 15, 0).getTime();
      const at = (d, h) => new Date(2026, 4, d, h, 0).getTime();
      return [at(20, 1), at(19, 23), at(19, 0), at(14, 12), at(13, 1), at(12, 23)].map((t) => groupOf(t, now));
    })`)) as string[];
    expect(groups).toEqual(['Today', 'Yesterday', 'Yesterday', 'Previous 7 days', 'Previous 7 days', 'Older']);
    expect(await page.locator('[data-role=conversation-group]').first().textContent(SLOW)).toBe('Today');
    await page.locator('[data-role=rename]').click(SLOW);
    await page.locator('[data-role=rename-input]').fill('Pictures of dots', SLOW);
    await page.locator('[data-role=rename-input]').press('Enter', SLOW);
    await expect.poll(async () => (await current()).title, SLOW).toBe('Pictures of dots');
    await expect
      .poll(() => page.locator('[data-role=conversation][aria-current=true] .title').textContent(), SLOW)
      .toBe('Pictures of dots');
    await page.locator('[data-role=chat-search]').fill('dots', SLOW);
    await expect.poll(() => page.locator('[data-role=search-hit]').count(), SLOW).toBeGreaterThan(0);
    await page.locator('[data-role=chat-search]').fill('', SLOW);
  });

  it('follows the system theme, switches with the toggle and remembers it', async () => {
    const context = await browser.browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    try {
      const dark = await context.newPage();
      await dark.goto(`${dashboard.url.href}#chat`);
      await dark.locator('[data-role=theme-toggle]').waitFor(SLOW);
      const theme = () => dark.evaluate('document.documentElement.dataset.theme');
      const bg = () => dark.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()");
      expect(await theme()).toBe('dark');
      expect(await bg()).toBe('#15171b');
      await dark.locator('[data-role=theme-toggle]').click();
      expect(await theme()).toBe('light');
      expect(await bg()).toBe('#f7f7f8');
      await dark.reload();
      await dark.locator('[data-role=theme-toggle]').waitFor(SLOW);
      expect(await theme()).toBe('light'); // remembered over the system's dark
    } finally {
      await context.close();
    }
  });

  it('fits a phone: the list is a drawer, the composer at the bottom, nothing scrolls sideways at 375 px', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      const list = page.locator('[data-role=conversation-list]');
      await expect.poll(() => list.isVisible(), SLOW).toBe(false);
      await page.locator('[data-role=drawer-open]').click(SLOW);
      await expect.poll(() => list.isVisible(), SLOW).toBe(true);
      await page.locator('[data-role=conversation]').first().click(SLOW);
      await expect.poll(() => list.isVisible(), SLOW).toBe(false);
      const box = await page.locator('[data-role=composer-form]').boundingBox();
      expect(box).not.toBeNull();
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeGreaterThan(740 - 8);
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(740 + 1);
      const widths = (await page.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
      )) as number[];
      expect(widths[0]).toBeLessThanOrEqual(widths[1] as number);
      await page.screenshot({ path: join(ARTIFACTS, 'chat-375.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
