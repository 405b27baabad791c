/**
 * Splits a byte stream into newline-terminated lines in linear time: partial chunks are kept in
 * a list and joined once, when the line ends (the SDK re-concatenates its whole buffer on every
 * chunk, which is quadratic for large messages). A line longer than `maxBytes` is dropped up to
 * its newline, and `onOverflow` is told once.
 */
export class LineSplitter {
  readonly #maxBytes: number;
  readonly #onLine: (line: Buffer) => void;
  readonly #onOverflow: (bufferedBytes: number) => void;
  #parts: Buffer[] = [];
  #size = 0;
  #discarding = false;

  constructor(maxBytes: number, onLine: (line: Buffer) => void, onOverflow: (bufferedBytes: number) => void) {
    this.#maxBytes = maxBytes;
    this.#onLine = onLine;
    this.#onOverflow = onOverflow;
  }

  /** Feeds one chunk; calls `onLine` for every complete line in it. */
  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl !== -1) {
      if (this.#discarding) {
        this.#discarding = false;
      } else if (this.#size === 0) {
        this.#onLine(chunk.subarray(start, nl));
      } else {
        this.#parts.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.#parts, this.#size + nl - start);
        this.#parts = [];
        this.#size = 0;
        this.#onLine(line);
      }
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start >= chunk.length || this.#discarding) return;
    const rest = chunk.subarray(start);
    if (this.#size + rest.length > this.#maxBytes) {
      this.#onOverflow(this.#size + rest.length);
      this.#parts = [];
      this.#size = 0;
      this.#discarding = true;
      return;
    }
    this.#parts.push(rest);
    this.#size += rest.length;
  }
}
