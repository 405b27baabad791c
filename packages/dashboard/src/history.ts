import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@universal-mcp/core';
import { DIR_MODE, FILE_MODE } from './file-modes.js';
import { redact } from './redaction.js';

/** One call, as the history keeps it. */
export interface HistoryEntry {
  readonly at: number;
  readonly server: string;
  readonly tool: string;
  /** The arguments, secrets redacted, cut past 64 levels or 64 K characters; absent for calls made elsewhere. */
  readonly arguments?: unknown;
  readonly durationMs: number;
  /** `ok`, `tool_error`, or the error code. */
  readonly outcome: string;
  readonly error?: string | undefined;
  /**
   * `console` for calls made in the page, `chat` for the chat's, `app` for an MCP App's (through
   * the page), `client` for the embedding service's.
   */
  readonly source: 'console' | 'chat' | 'app' | 'client';
  /** The client's task id, when the call ran as a task (recorded once, at its end). */
  readonly taskId?: string | undefined;
  /** For an App's call of a tool the policy wants approved: the user allowed it (absent when none was asked). */
  readonly approved?: boolean;
}

/** Where and how much history is kept. */
export interface HistoryOptions {
  /** The directory for `history.ndjson` (and its rotated files); none: memory only. */
  readonly dir?: string | undefined;
  /** A file past this size is rotated. @default 1 MiB */
  readonly maxBytes?: number | undefined;
  /** Rotated files kept (`history.1.ndjson` is the newest). @default 3 */
  readonly files?: number | undefined;
  /**
   * Argument keys redacted besides those that look secret (any key containing auth, token, key,
   * secret, password, passwd, cookie, session or credential, in any case, at any depth).
   */
  readonly redactKeys?: readonly string[] | undefined;
}

const MEMORY = 500;

/**
 * Every call, newest last: the last 500 in memory, all of them appended to `history.ndjson` in
 * `dir` when given, rotated by size (`history.1.ndjson` … `history.N.ndjson`). Read back at start,
 * so it survives a restart.
 */
export class History {
  readonly #entries: HistoryEntry[] = [];
  readonly #file: string | undefined;
  readonly #options: HistoryOptions;
  readonly #redact: ReadonlySet<string>;
  /** The size of `history.ndjson`: read once, then counted (no stat per call). */
  #bytes = 0;

  readonly #logger: Logger | undefined;

  /** `logger`: where a failed write is said; without one, as a process warning. */
  constructor(options: HistoryOptions = {}, logger?: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#redact = new Set((options.redactKeys ?? []).map((k) => k.toLowerCase()));
    if (options.dir === undefined) return;
    mkdirSync(options.dir, { recursive: true, mode: DIR_MODE });
    this.#file = join(options.dir, 'history.ndjson');
    // Files an older version wrote world-readable are tightened; their entries redacted as they are read.
    for (let i = options.files ?? 3; i >= 1; i -= 1) this.#tighten(join(options.dir, `history.${i}.ndjson`));
    this.#tighten(this.#file);
    for (const file of [join(options.dir, 'history.1.ndjson'), this.#file]) {
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const entry = JSON.parse(line) as HistoryEntry;
          this.#entries.push(
            entry.arguments === undefined ? entry : { ...entry, arguments: this.redact(entry.arguments) },
          );
        } catch {
          // A torn last line (a crash mid-write): skipped.
        }
      }
    }
    this.#entries.splice(0, Math.max(0, this.#entries.length - MEMORY));
    if (existsSync(this.#file)) this.#bytes = statSync(this.#file).size;
  }

  #tighten(file: string): void {
    if (existsSync(file)) chmodSync(file, FILE_MODE);
  }

  /** Arguments as the history would keep them. */
  redact(args: unknown): unknown {
    return redact(args, this.#redact);
  }

  /** Keeps a call; its arguments are redacted here, whoever gives them. */
  add(given: HistoryEntry): void {
    const entry = given.arguments === undefined ? given : { ...given, arguments: this.redact(given.arguments) };
    this.#entries.push(entry);
    if (this.#entries.length > MEMORY) this.#entries.shift();
    if (this.#file === undefined) return;
    const line = `${JSON.stringify(entry)}\n`;
    try {
      if (this.#bytes >= (this.#options.maxBytes ?? 1024 * 1024)) this.#rotate();
      appendFileSync(this.#file, line, { mode: FILE_MODE });
      this.#bytes += Buffer.byteLength(line);
    } catch (err) {
      // A full disk must not end the dashboard (this runs in a call's settlement): said, and the entry kept in memory.
      if (this.#logger !== undefined)
        this.#logger.warn({ err, file: this.#file }, 'the call history could not be written');
      else process.emitWarning(`Could not write the call history ${this.#file}: ${(err as Error).message}`);
    }
  }

  #rotate(): void {
    const file = this.#file;
    const dir = this.#options.dir;
    this.#bytes = 0;
    if (file === undefined || dir === undefined || !existsSync(file)) return;
    const keep = this.#options.files ?? 3;
    for (let i = keep - 1; i >= 1; i -= 1) {
      const from = join(dir, `history.${i}.ndjson`);
      if (existsSync(from)) renameSync(from, join(dir, `history.${i + 1}.ndjson`));
    }
    renameSync(file, join(dir, 'history.1.ndjson'));
  }

  /** Newest first, those matching `query` (server, tool, outcome or arguments). */
  list(query = ''): HistoryEntry[] {
    const q = query.toLowerCase();
    const all = [...this.#entries].reverse();
    return q === '' ? all : all.filter((e) => JSON.stringify(e).toLowerCase().includes(q));
  }
}
