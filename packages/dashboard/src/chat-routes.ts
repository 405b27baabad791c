import { DashboardError, DashboardErrorCode, invalidInput } from './dashboard-errors.js';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { silentLogger, type Logger } from '@universal-mcp/core';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { withApps } from './app-routes.js';
import { MAX_IMAGE_BYTES, MAX_IMAGES, pastedImages, readAttachments, resourceRefs } from './chat-attachments.js';
import { conversationJson, conversationMarkdown, exportName } from './chat-export.js';
import { ChatRuns, NEW_TITLE, errorText, type ChatProvider } from './chat-runs.js';
import { chatCatalog, getPromptMessages, promptRef } from './chat-prompts.js';
import type { ChatStore, ConversationSettings } from './chat-store.js';
import type { ChatCallLog } from './chat-toolset.js';
import { jsonBody } from './json-body.js';
import { SqliteChatStore } from './sqlite-chat-store.js';

/** The chat of the dashboard: the providers it offers and where conversations are kept. */
export interface ChatOptions {
  /**
   * Providers the page can pick from; keys stay in them, on the server. Without any, conversations
   * can be read but not continued.
   */
  readonly providers?: readonly ChatProvider[] | undefined;
  /** Where conversations are kept. @default a {@link SqliteChatStore} in `dir` */
  readonly store?: ChatStore | undefined;
  /** The directory of the default store's `chat.sqlite`; without it (and `store`), conversations live in memory. */
  readonly dir?: string | undefined;
  /**
   * Where the chat logs the failures it does not throw (a store that could not be opened, an `approve` that
   * threw). Lines carry the error and the conversation id, never keys, message text or tool arguments. A pino
   * logger fits.
   * @default silent
   */
  readonly logger?: Logger | undefined;
}

/** The chat's parts, once its store is open. */
export interface Chat {
  readonly store: ChatStore;
  readonly runs: ChatRuns;
  readonly providers: readonly ChatProvider[];
}

/** Opens the chat's store and makes its run manager. */
export async function openChat(client: UniversalMcpClient, options: ChatOptions, log?: ChatCallLog): Promise<Chat> {
  const logger = options.logger ?? silentLogger;
  try {
    const store = options.store ?? (await SqliteChatStore.open({ dir: options.dir }));
    const providers = options.providers ?? [];
    const names = providers.map((p) => p.name);
    if (new Set(names).size !== names.length)
      throw invalidInput(`Two chat providers share a name: ${names.join(', ')}`);
    return { store, runs: new ChatRuns(client, store, providers, log, logger), providers };
  } catch (err) {
    // The dashboard serves on without its chat (each chat request answers why): this line is where it is logged.
    logger.error({ err }, 'the chat could not be opened');
    throw err;
  }
}

/** The path of a chat message's POST: it sets its own body limit ({@link messageBodyLimit}). */
export const CHAT_MESSAGE_PATH = /^\/api\/chat\/conversations\/[^/]+\/messages$/;

/** The largest message body: the dashboard's `maxBodyBytes` of text and references, plus its images in base64. */
export function messageBodyLimit(maxBodyBytes: number): number {
  return maxBodyBytes + MAX_IMAGES * Math.ceil(MAX_IMAGE_BYTES / 3) * 4;
}

/** The largest system instructions taken, in characters. */
const MAX_SYSTEM = 100_000;

/** Settings from a request's body over `base`; an error saying what is wrong. */
export function settingsFrom(raw: unknown, base: ConversationSettings, providers: readonly ChatProvider[]) {
  if (raw === undefined) return base;
  if (typeof raw !== 'object' || raw === null) throw invalidInput('settings must be an object');
  const s = raw as Record<string, unknown>;
  const next = { ...base };
  if (s.provider !== undefined) {
    if (typeof s.provider !== 'string' || !providers.some((p) => p.name === s.provider))
      throw invalidInput(`settings.provider must be one of: ${providers.map((p) => p.name).join(', ') || '(none)'}`);
    next.provider = s.provider;
  }
  if (s.model !== undefined) {
    if (typeof s.model !== 'string' || s.model.trim() === '') throw invalidInput('settings.model must be a model name');
    next.model = s.model.trim();
  }
  if (s.system !== undefined) {
    if (typeof s.system !== 'string' || s.system.length > MAX_SYSTEM)
      throw invalidInput(`settings.system must be a string of at most ${MAX_SYSTEM} characters`);
    next.system = s.system;
  }
  if (s.servers !== undefined) {
    if (s.servers !== null && !(Array.isArray(s.servers) && s.servers.every((n) => typeof n === 'string')))
      throw invalidInput('settings.servers must be null (every server) or a list of server names');
    next.servers = s.servers as string[] | null;
  }
  if (s.toolSelection !== undefined) {
    if (typeof s.toolSelection !== 'boolean') throw invalidInput('settings.toolSelection must be true or false');
    next.toolSelection = s.toolSelection;
  }
  return next;
}

/** The chat's API under `/api/chat` (behind the dashboard's token and Host/Origin checks). */
export function chatRoutes(
  app: Hono,
  chat: () => Promise<Chat | undefined>,
  client: UniversalMcpClient,
  maxBodyBytes: number,
): void {
  const maxMessageBytes = messageBodyLimit(maxBodyBytes);
  /** Runs `work` with the chat; no chat: 404; a thrown error: 400 with its message. */
  const withChat = (work: (chat: Chat, c: Context) => Promise<Response>) => async (c: Context) => {
    let parts: Chat | undefined;
    try {
      parts = await chat();
    } catch (err) {
      return c.json({ error: `The chat store could not be opened: ${(err as Error).message}` }, 500);
    }
    if (parts === undefined) return c.json({ error: 'The chat is not enabled in this dashboard' }, 404);
    try {
      return await work(parts, c);
    } catch (err) {
      return c.json({ error: errorText(err) }, err instanceof DashboardError ? (err.status as 400) : 400);
    }
  };
  const idOf = (c: Context): string => c.req.param('id') ?? '';
  const missing = (c: Context) => c.json({ error: 'No such conversation' }, 404);

  app.get('/api/chat', async (c) => {
    // A chat that could not be opened is off; openChat logged why, and every other chat request answers it.
    const parts = await chat().catch(() => undefined);
    return c.json({
      enabled: parts !== undefined,
      providers: (parts?.providers ?? []).map((p) => ({ name: p.name, models: p.models })),
      servers: client.listServers(),
    });
  });
  app.get(
    '/api/chat/conversations',
    withChat(async ({ store, runs }, c) =>
      c.json((await store.list()).map((s) => ({ ...s, running: runs.running(s.id) }))),
    ),
  );
  app.post(
    '/api/chat/conversations',
    withChat(async ({ store, runs, providers }, c) => {
      const first = providers[0];
      if (first === undefined)
        throw new DashboardError(
          DashboardErrorCode.NO_PROVIDER,
          'No model provider is configured: start the dashboard with one',
        );
      const base: ConversationSettings = {
        provider: first.name,
        model: first.models[0] ?? '',
        system: '',
        servers: null,
        toolSelection: false,
      };
      const settings = settingsFrom((await jsonBody(c)).settings, base, providers);
      if (settings.model === '') throw invalidInput(`Name a model for ${settings.provider} (settings.model)`);
      const created = await store.create({ title: NEW_TITLE, settings });
      runs.listChanged();
      return c.json(created);
    }),
  );
  app.get(
    '/api/chat/conversations/:id',
    withChat(async ({ store, runs }, c) => {
      const conversation = withApps(client, await store.get(idOf(c)));
      if (conversation === undefined) return missing(c);
      return c.json({ ...conversation, running: runs.running(conversation.id), live: runs.live(conversation.id) });
    }),
  );
  app.patch(
    '/api/chat/conversations/:id',
    withChat(async ({ store, runs, providers }, c) => {
      const id = idOf(c);
      const conversation = await store.get(id);
      if (conversation === undefined) return missing(c);
      const patch = await jsonBody(c);
      if (patch.title !== undefined && (typeof patch.title !== 'string' || patch.title.trim() === ''))
        throw invalidInput('title must be a non-empty string');
      await store.update(id, {
        ...(typeof patch.title === 'string' ? { title: patch.title.trim().slice(0, 200) } : {}),
        settings: settingsFrom(patch.settings, conversation.settings, providers),
      });
      runs.listChanged();
      return c.json({ ok: true });
    }),
  );
  app.delete(
    '/api/chat/conversations/:id',
    withChat(async ({ store, runs }, c) => {
      const id = idOf(c);
      await runs.stop(id);
      runs.forget(id);
      if (!(await store.remove(id))) return missing(c);
      runs.listChanged();
      return c.json({ ok: true });
    }),
  );
  app.post(
    '/api/chat/conversations/:id/messages',
    bodyLimit({
      maxSize: maxMessageBytes,
      onError: (c) => c.json({ error: `A message is at most ${maxMessageBytes} bytes with its images` }, 413),
    }),
    withChat(async ({ runs }, c) => {
      const body = await jsonBody(c);
      const { text, edit } = body;
      if (typeof text !== 'string')
        throw invalidInput('Send { "text": string, "edit"?: messageId, "resources"?, "images"?, "prompt"? }');
      if (edit !== undefined && typeof edit !== 'number') throw invalidInput('edit must be a message id');
      // Checked before anything is read: a bad image or reference costs no server a request.
      const images = pastedImages(body.images);
      const refs = resourceRefs(body.resources);
      const prompt = promptRef(body.prompt);
      if (runs.running(idOf(c)))
        throw new DashboardError(DashboardErrorCode.RUNNING, 'This conversation is already running; stop it first');
      const attachments = [...(await readAttachments(client, refs, c.req.raw.signal)), ...images];
      const promptMessages = prompt === undefined ? [] : await getPromptMessages(client, prompt);
      await runs.send(idOf(c), text, edit, { attachments, prompt: promptMessages });
      return c.json({ ok: true });
    }),
  );
  app.post(
    '/api/chat/conversations/:id/regenerate',
    withChat(async ({ runs }, c) => {
      await runs.regenerate(idOf(c));
      return c.json({ ok: true });
    }),
  );
  app.post(
    '/api/chat/conversations/:id/stop',
    withChat(async ({ runs }, c) =>
      (await runs.stop(idOf(c))) ? c.json({ ok: true }) : c.json({ error: 'Nothing is running' }, 404),
    ),
  );
  app.post(
    '/api/chat/approvals/:id',
    withChat(async ({ runs }, c) => {
      const { approved, remember } = await jsonBody(c);
      if (typeof approved !== 'boolean' || (remember !== undefined && typeof remember !== 'boolean'))
        throw invalidInput('Send { "approved": true | false, "remember"?: true | false }');
      return runs.answer(idOf(c), approved, remember === true)
        ? c.json({ ok: true })
        : c.json({ error: 'No such tool call waiting' }, 404);
    }),
  );
  app.get(
    '/api/chat/conversations/:id/export',
    withChat(async ({ store }, c) => {
      const conversation = await store.get(idOf(c));
      if (conversation === undefined) return missing(c);
      const format = c.req.query('format') ?? 'markdown';
      if (format !== 'markdown' && format !== 'json') throw invalidInput('format must be markdown or json');
      const name = exportName(conversation, format === 'json' ? 'json' : 'md');
      const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return c.body(format === 'json' ? conversationJson(conversation) : conversationMarkdown(conversation), 200, {
        'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
    }),
  );
  app.get('/api/chat/catalog', (c) => c.json(chatCatalog(client)));
  app.get(
    '/api/chat/search',
    withChat(async ({ store }, c) => c.json(await store.search(c.req.query('q') ?? ''))),
  );
}
