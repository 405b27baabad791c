import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One call, as the history keeps it. */
export interface HistoryEntry {
  readonly at: number;
  readonly server: string;
  readonly tool: string;
  /** The arguments, with configured keys redacted; absent for calls the console did not make. */
  readonly arguments?: unknown;
  readonly durationMs: number;
  /** `ok`, `tool_error`, or the error code. */
  readonly outcome: string;
  readonly error?: string | undefined;
  /** `console` for calls made in the page, `chat` for the chat's, `client` for the embedding service's. */
  readonly source: 'console' | 'chat' | 'client';
}

/** Where and how much history is kept. */
export interface HistoryOptions {
  /** The directory for `history.ndjson` (and its rotated files); none: memory only. */
  readonly dir?: string | undefined;
  /** A file past this size is rotated. @default 1 MiB */
  readonly maxBytes?: number | undefined;
  /** Rotated files kept (`history.1.ndjson` is the newest). @default 3 */
  readonly files?: number | undefined;
  /** Argument keys whose values are replaced by `[redacted]`, at any depth (case-insensitive). */
  readonly redactKeys?: readonly string[] | undefined;
}

const DEFAULT_REDACT = ['password', 'passwd', 'secret', 'token', 'apikey', 'api_key', 'authorization', 'cookie'];
const MEMORY = 500;

/** `value` with the values of `keys` replaced, at any depth. */
export function redact(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, keys.has(k.toLowerCase()) ? '[redacted]' : redact(v, keys)]),
  );
}

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

  constructor(options: HistoryOptions = {}) {
    this.#options = options;
    this.#redact = new Set((options.redactKeys ?? DEFAULT_REDACT).map((k) => k.toLowerCase()));
    if (options.dir === undefined) return;
    mkdirSync(options.dir, { recursive: true });
    this.#file = join(options.dir, 'history.ndjson');
    for (const file of [join(options.dir, 'history.1.ndjson'), this.#file]) {
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          this.#entries.push(JSON.parse(line) as HistoryEntry);
        } catch {
          // A torn last line (a crash mid-write): skipped.
        }
      }
    }
    this.#entries.splice(0, Math.max(0, this.#entries.length - MEMORY));
    if (existsSync(this.#file)) this.#bytes = statSync(this.#file).size;
  }

  /** Arguments as the history would keep them. */
  redact(args: unknown): unknown {
    return redact(args, this.#redact);
  }

  add(entry: HistoryEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MEMORY) this.#entries.shift();
    if (this.#file === undefined) return;
    if (this.#bytes >= (this.#options.maxBytes ?? 1024 * 1024)) this.#rotate();
    const line = `${JSON.stringify(entry)}\n`;
    appendFileSync(this.#file, line);
    this.#bytes += Buffer.byteLength(line);
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
