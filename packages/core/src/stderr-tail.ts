/** Lines that say what went wrong, in the order they are preferred. */
const SALIENT = [
  /Cannot find module|MODULE_NOT_FOUND|No such file|not found|ENOENT|EACCES|EADDRINUSE/i,
  /\b\w*(?:Error|Exception)\b:/,
  /^Traceback|^panic:|fatal/i,
];

/**
 * A stdio server's recent stderr, bounded by lines and by bytes, that can point at the one line
 * that says what went wrong (a missing module, an `Error:` line) even when more lines followed it.
 */
export class StderrTail {
  readonly #maxLines: number;
  readonly #maxBytes: number;
  readonly #lines: string[] = [];
  #bytes = 0;

  /** @param maxLines @default 200  @param maxBytes @default 32 KiB */
  constructor(maxLines = 200, maxBytes = 32 * 1024) {
    this.#maxLines = maxLines;
    this.#maxBytes = maxBytes;
  }

  push(line: string): void {
    this.#lines.push(line);
    this.#bytes += line.length;
    while (this.#lines.length > this.#maxLines || (this.#bytes > this.#maxBytes && this.#lines.length > 1))
      this.#bytes -= this.#lines.shift()?.length ?? 0;
  }

  /** Every kept line, oldest first. */
  lines(): string[] {
    return [...this.#lines];
  }

  /** The last `n` lines. */
  last(n: number): string[] {
    return this.#lines.slice(-n);
  }

  /** The line that best says what went wrong: the first match of the most telling pattern. */
  salient(): string | undefined {
    for (const pattern of SALIENT) {
      const line = this.#lines.find((l) => pattern.test(l));
      if (line !== undefined) return line.trim().slice(0, 300);
    }
    return undefined;
  }
}
