/** What is known of a line dropped for being longer than the limit. */
export interface OverflowInfo {
  /** Its length in bytes, newline excluded. */
  readonly bytes: number;
  /** Its first bytes (up to 256). */
  readonly head: Buffer;
  /** Its last bytes (up to 256). */
  readonly tail: Buffer;
}

const KEEP = 256;

/**
 * Splits a byte stream into newline-terminated lines in linear time: partial chunks are kept in
 * a list and joined once, when the line ends (the SDK re-concatenates its whole buffer on every
 * chunk, which is quadratic for large messages). A line longer than `maxBytes` is dropped up to
 * its newline, and `onOverflow` is told once, when it ends, with its head and tail.
 */
export class LineSplitter {
  readonly #maxBytes: number;
  readonly #onLine: (line: Buffer) => void;
  readonly #onOverflow: (info: OverflowInfo) => void;
  #parts: Buffer[] = [];
  #size = 0;
  /** Set while dropping an overlong line. */
  #dropping: { bytes: number; head: Buffer; tail: Buffer } | undefined;

  constructor(maxBytes: number, onLine: (line: Buffer) => void, onOverflow: (info: OverflowInfo) => void) {
    this.#maxBytes = maxBytes;
    this.#onLine = onLine;
    this.#onOverflow = onOverflow;
  }

  /** Feeds one chunk; calls `onLine` for every complete line in it. */
  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl !== -1) {
      const segment = chunk.subarray(start, nl);
      if (this.#dropping !== undefined) {
        this.#drop(segment);
        this.#endDrop();
      } else if (this.#size + segment.length > this.#maxBytes) {
        // Over the limit, whether it came in one read or many: never handed on.
        this.#startDrop(segment);
        this.#endDrop();
      } else if (this.#size === 0) {
        this.#onLine(segment);
      } else {
        this.#parts.push(segment);
        const line = Buffer.concat(this.#parts, this.#size + segment.length);
        this.#parts = [];
        this.#size = 0;
        this.#onLine(line);
      }
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start >= chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.#dropping !== undefined) {
      this.#drop(rest);
    } else if (this.#size + rest.length > this.#maxBytes) {
      this.#startDrop(rest);
    } else {
      this.#parts.push(rest);
      this.#size += rest.length;
    }
  }

  /** Starts dropping the line held so far plus `more`, keeping only its head and tail. */
  #startDrop(more: Buffer): void {
    const held = this.#parts;
    this.#parts = [];
    this.#size = 0;
    const headParts: Buffer[] = [];
    let headBytes = 0;
    for (const part of [...held, more]) {
      if (headBytes >= KEEP) break;
      headParts.push(part.subarray(0, KEEP - headBytes));
      headBytes += Math.min(part.length, KEEP - headBytes);
    }
    this.#dropping = { bytes: 0, head: Buffer.concat(headParts), tail: Buffer.alloc(0) };
    for (const part of held) this.#drop(part);
    this.#drop(more);
  }

  #endDrop(): void {
    const dropped = this.#dropping;
    this.#dropping = undefined;
    if (dropped === undefined) return;
    const { bytes, head, tail } = dropped;
    this.#onOverflow({ bytes, head, tail });
  }

  #drop(data: Buffer): void {
    const d = this.#dropping;
    if (d === undefined) return;
    d.bytes += data.length;
    d.tail =
      data.length >= KEEP
        ? Buffer.from(data.subarray(data.length - KEEP))
        : Buffer.concat([d.tail, data]).subarray(-KEEP);
  }
}
