import { DashboardError, DashboardErrorCode } from './dashboard-errors.js';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import { jsonText } from '@universal-mcp/core/internal';
import type {
  ChatStore,
  Conversation,
  ConversationSettings,
  ConversationSummary,
  NewMessage,
  SearchHit,
  StoredMessage,
} from './chat-store.js';
import { DIR_MODE, FILE_MODE } from './file-modes.js';
import { appResultToKeep } from './app-result.js';
import { redactArgs } from './redaction.js';

/**
 * The schema, one step per version (`PRAGMA user_version` says how many ran). Append a step to
 * change it; never edit one that shipped.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE conversations (
     id TEXT PRIMARY KEY, title TEXT NOT NULL, settings TEXT NOT NULL,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, role TEXT NOT NULL,
     content TEXT NOT NULL, usage TEXT, status TEXT, error TEXT, created_at INTEGER NOT NULL);
   CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
   CREATE TABLE tool_calls (
     message_id INTEGER NOT NULL, position INTEGER NOT NULL, call_id TEXT NOT NULL, name TEXT NOT NULL,
     server TEXT, tool TEXT, arguments TEXT NOT NULL, outcome TEXT, is_error INTEGER, approval TEXT,
     duration_ms REAL, PRIMARY KEY (message_id, position));
   CREATE VIRTUAL TABLE message_text USING fts4(content, tokenize=unicode61);`,
  `ALTER TABLE messages ADD COLUMN attachments TEXT;
   ALTER TABLE messages ADD COLUMN prompt TEXT;
   ALTER TABLE messages ADD COLUMN reasoning TEXT;`,
  `ALTER TABLE tool_calls ADD COLUMN app_result TEXT;
   ALTER TABLE tool_calls ADD COLUMN app_result_cut INTEGER;`,
];

/** An image in a tool result bigger than this is stored as a note (the file is rewritten whole on every save). */
const MAX_STORED_IMAGE_CHARS = 256 * 1024;

/** Options for {@link SqliteChatStore.open}. */
export interface SqliteChatStoreOptions {
  /** The directory of the database file (`chat.sqlite`); created when missing. Without it the store is in memory. */
  readonly dir?: string | undefined;
}

type Row = Record<string, SqlValue | undefined>;

const json = (v: SqlValue | undefined): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined);

/**
 * The dashboard's conversations in SQLite, by sql.js (SQLite compiled to WebAssembly: nothing to build
 * on install, which better-sqlite3 needs wherever its prebuilt binaries cannot be fetched). The
 * database lives in memory and is written to `chat.sqlite` after every change — coalesced, written to
 * a temporary file and renamed over the old one, so a crash leaves the previous or the new file, never
 * half of one. One process owns the file.
 */
export class SqliteChatStore implements ChatStore {
  readonly #db: Database;
  readonly #file: string | undefined;
  #saving: Promise<void> = Promise.resolve();
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(db: Database, file: string | undefined) {
    this.#db = db;
    this.#file = file;
  }

  /** Opens (or creates) the store and brings its schema up to date. */
  static async open(options: SqliteChatStoreOptions = {}): Promise<SqliteChatStore> {
    const SQL = await initSqlJs();
    let file: string | undefined;
    let bytes: Uint8Array | undefined;
    if (options.dir !== undefined) {
      await mkdir(options.dir, { recursive: true, mode: DIR_MODE });
      file = join(options.dir, 'chat.sqlite');
      bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      // A file an older version wrote world-readable: the owner's alone from now on.
      if (bytes !== undefined) await chmod(file, FILE_MODE);
    }
    const store = new SqliteChatStore(new SQL.Database(bytes), file);
    if (store.#migrate()) store.#changed();
    return store;
  }

  /** Runs the schema steps not yet run; true when it ran any. */
  #migrate(): boolean {
    const version = Number(this.#db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
    if (version > MIGRATIONS.length)
      throw new DashboardError(
        DashboardErrorCode.STORE_UNAVAILABLE,
        `The chat database is version ${version}, newer than this dashboard knows (${MIGRATIONS.length})`,
      );
    for (let v = version; v < MIGRATIONS.length; v += 1) {
      this.#db.exec(`BEGIN; ${MIGRATIONS[v] as string}; PRAGMA user_version = ${v + 1}; COMMIT;`);
    }
    return version < MIGRATIONS.length;
  }

  #rows(sql: string, params: SqlValue[] = []): Row[] {
    const statement = this.#db.prepare(sql, params);
    try {
      const rows: Row[] = [];
      while (statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  }

  #summary(row: Row): ConversationSummary {
    return {
      id: row.id as string,
      title: row.title as string,
      settings: json(row.settings) as ConversationSettings,
      createdAt: row.created_at as number,
      updatedAt: row.updated_at as number,
    };
  }

  async list(): Promise<ConversationSummary[]> {
    this.#open();
    return this.#rows('SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC').map((r) => this.#summary(r));
  }

  async get(id: string): Promise<Conversation | undefined> {
    this.#open();
    const row = this.#rows('SELECT * FROM conversations WHERE id = ?', [id])[0];
    if (row === undefined) return undefined;
    const calls = new Map<number, Row[]>();
    for (const call of this.#rows(
      `SELECT t.* FROM tool_calls t JOIN messages m ON m.id = t.message_id
       WHERE m.conversation_id = ? ORDER BY t.message_id, t.position`,
      [id],
    )) {
      const list = calls.get(call.message_id as number) ?? [];
      list.push(call);
      calls.set(call.message_id as number, list);
    }
    const messages = this.#rows('SELECT * FROM messages WHERE conversation_id = ? ORDER BY id', [id]).map(
      (m): StoredMessage => {
        const own = calls.get(m.id as number);
        return {
          id: m.id as number,
          role: m.role as 'user' | 'assistant',
          content: m.content as string,
          createdAt: m.created_at as number,
          ...(m.usage === null ? {} : { usage: json(m.usage) as StoredMessage['usage'] }),
          ...(m.status === null ? {} : { status: m.status as StoredMessage['status'] }),
          ...(m.error === null ? {} : { error: m.error as string }),
          ...(m.attachments === null ? {} : { attachments: json(m.attachments) as StoredMessage['attachments'] }),
          ...(m.prompt === null ? {} : { prompt: m.prompt as string }),
          ...(m.reasoning === null ? {} : { reasoning: m.reasoning as string }),
          ...(own === undefined
            ? {}
            : {
                toolCalls: own.map((c) => ({
                  id: c.call_id as string,
                  name: c.name as string,
                  ...(c.server === null ? {} : { server: c.server as string }),
                  ...(c.tool === null ? {} : { tool: c.tool as string }),
                  args: json(c.arguments),
                  ...(c.outcome === null ? {} : { outcome: json(c.outcome) as never }),
                  ...(c.approval === null ? {} : { approval: c.approval as 'approved' | 'denied' }),
                  ...(c.duration_ms === null ? {} : { durationMs: c.duration_ms as number }),
                  ...(c.app_result === null ? {} : { result: json(c.app_result) as never }),
                  ...(c.app_result_cut === 1 ? { resultCut: true } : {}),
                })),
              }),
        };
      },
    );
    return { ...this.#summary(row), messages };
  }

  async create(init: { title: string; settings: ConversationSettings }): Promise<ConversationSummary> {
    this.#open();
    const now = Date.now();
    const id = randomUUID();
    this.#db.run('INSERT INTO conversations VALUES (?, ?, ?, ?, ?)', [
      id,
      init.title,
      JSON.stringify(init.settings),
      now,
      now,
    ]);
    this.#changed();
    return { id, title: init.title, settings: init.settings, createdAt: now, updatedAt: now };
  }

  async update(id: string, patch: { title?: string; settings?: ConversationSettings }): Promise<boolean> {
    this.#open();
    const row = this.#rows('SELECT title, settings FROM conversations WHERE id = ?', [id])[0];
    if (row === undefined) return false;
    this.#db.run('UPDATE conversations SET title = ?, settings = ?, updated_at = ? WHERE id = ?', [
      patch.title ?? (row.title as string),
      patch.settings === undefined ? (row.settings as string) : JSON.stringify(patch.settings),
      Date.now(),
      id,
    ]);
    this.#changed();
    return true;
  }

  async remove(id: string): Promise<boolean> {
    this.#open();
    if (this.#rows('SELECT 1 FROM conversations WHERE id = ?', [id]).length === 0) return false;
    this.#transaction(() => {
      this.#dropMessages('conversation_id = ?', [id]);
      this.#db.run('DELETE FROM conversations WHERE id = ?', [id]);
    });
    return true;
  }

  async append(conversationId: string, message: NewMessage): Promise<StoredMessage> {
    this.#open();
    const now = Date.now();
    let id = 0;
    this.#transaction(() => {
      this.#db.run(
        `INSERT INTO messages
           (conversation_id, role, content, usage, status, error, created_at, attachments, prompt, reasoning)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          conversationId,
          message.role,
          message.content,
          message.usage === undefined ? null : JSON.stringify(message.usage),
          message.status ?? null,
          message.error ?? null,
          now,
          message.attachments === undefined || message.attachments.length === 0
            ? null
            : JSON.stringify(message.attachments),
          message.prompt ?? null,
          message.reasoning === undefined || message.reasoning === '' ? null : message.reasoning,
        ],
      );
      id = Number(this.#db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0]);
      if (message.content !== '')
        this.#db.run('INSERT INTO message_text (docid, content) VALUES (?, ?)', [id, message.content]);
      (message.toolCalls ?? []).forEach((c, position) => {
        const outcome = c.outcome === undefined ? undefined : storable(c.outcome);
        // Bounded and redacted here too, whoever appends: an App's result is a server's hostile input.
        const kept = c.result === undefined ? undefined : appResultToKeep(c.result);
        this.#db.run(
          `INSERT INTO tool_calls (message_id, position, call_id, name, server, tool, arguments, outcome, is_error,
             approval, duration_ms, app_result, app_result_cut) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            position,
            c.id,
            c.name,
            c.server ?? null,
            c.tool ?? null,
            JSON.stringify(redactArgs(c.args ?? null)),
            outcome === undefined ? null : jsonText(outcome, { maxDepth: 64, maxChars: Number.POSITIVE_INFINITY }),
            outcome === undefined ? null : outcome.isError ? 1 : 0,
            c.approval ?? null,
            c.durationMs ?? null,
            kept?.result === undefined ? null : JSON.stringify(kept.result),
            c.resultCut === true || kept?.cut === true ? 1 : null,
          ],
        );
      });
      this.#db.run('UPDATE conversations SET updated_at = ? WHERE id = ?', [now, conversationId]);
    });
    return { ...message, id, createdAt: now };
  }

  async truncate(conversationId: string, fromId: number): Promise<void> {
    this.#open();
    this.#transaction(() => this.#dropMessages('conversation_id = ? AND id >= ?', [conversationId, fromId]));
  }

  /** Deletes the messages `where` picks, with their tool calls and search text. */
  #dropMessages(where: string, params: SqlValue[]): void {
    const pick = `SELECT id FROM messages WHERE ${where}`;
    this.#db.run(`DELETE FROM tool_calls WHERE message_id IN (${pick})`, params);
    this.#db.run(`DELETE FROM message_text WHERE docid IN (${pick})`, params);
    this.#db.run(`DELETE FROM messages WHERE ${where}`, params);
  }

  async search(query: string, limit = 50): Promise<SearchHit[]> {
    this.#open();
    const words = query.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    const hits = new Map<string, SearchHit>();
    // Newest message first; one hit per conversation.
    for (const row of this.#rows(
      `SELECT m.conversation_id, c.title, m.id, snippet(message_text, '[', ']', '…', -1, 12) AS snippet
       FROM message_text JOIN messages m ON m.id = message_text.docid JOIN conversations c ON c.id = m.conversation_id
       WHERE message_text MATCH ? ORDER BY m.id DESC LIMIT 500`,
      [words.map((w) => `${w}*`).join(' ')],
    )) {
      const id = row.conversation_id as string;
      if (!hits.has(id))
        hits.set(id, {
          conversationId: id,
          title: row.title as string,
          messageId: row.id as number,
          snippet: row.snippet as string,
        });
    }
    const like = words.map(() => 'title LIKE ?').join(' AND ');
    for (const row of this.#rows(
      `SELECT id, title FROM conversations WHERE ${like} ORDER BY updated_at DESC`,
      words.map((w) => `%${w}%`),
    )) {
      const id = row.id as string;
      if (!hits.has(id)) hits.set(id, { conversationId: id, title: row.title as string, snippet: row.title as string });
    }
    return [...hits.values()].slice(0, limit);
  }

  #transaction(body: () => void): void {
    this.#db.exec('BEGIN');
    try {
      body();
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
    this.#changed();
  }

  #open(): void {
    if (this.#closed) throw new DashboardError(DashboardErrorCode.STORE_UNAVAILABLE, 'The chat store is closed');
  }

  /** A save soon: changes within 50 ms share one write. */
  #changed(): void {
    this.#dirty = true;
    if (this.#file === undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#save();
    }, 50);
  }

  /** Writes the database if it changed: to a temporary file, then renamed over the old one. */
  #save(): Promise<void> {
    const file = this.#file;
    this.#saving = this.#saving.then(async () => {
      if (!this.#dirty || file === undefined) return;
      this.#dirty = false;
      const bytes = this.#db.export();
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        // The mode applies when the file is made; chmod covers a temporary file a crash left behind.
        await writeFile(temporary, bytes, { mode: FILE_MODE });
        await chmod(temporary, FILE_MODE);
        await rename(temporary, file);
      } catch (err) {
        this.#dirty = true;
        process.emitWarning(`Could not save the chat database ${file}: ${(err as Error).message}`);
      }
    });
    return this.#saving;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#save();
    this.#closed = true;
    this.#db.close();
  }
}

/** A result as stored: images past {@link MAX_STORED_IMAGE_CHARS} replaced by a note. */
function storable(outcome: NonNullable<NewMessage['toolCalls']>[number]['outcome'] & object) {
  if (!outcome.parts.some((p) => p.type === 'image' && p.data.length > MAX_STORED_IMAGE_CHARS)) return outcome;
  return {
    ...outcome,
    parts: outcome.parts.map((p) =>
      p.type === 'image' && p.data.length > MAX_STORED_IMAGE_CHARS
        ? {
            type: 'text' as const,
            text: `[image ${p.mimeType}, ${Math.round((p.data.length * 3) / 4096)} KiB, not kept]`,
          }
        : p,
    ),
  };
}
