import { MESSAGE_TOO_LARGE_RPC_CODE } from './errors.js';

const KEEP = 256;
const ID = '(-?\\d+|"(?:[^"\\\\]|\\\\.)*")';
const ID_AT_END = new RegExp(`"id"\\s*:\\s*${ID}\\s*\\}\\s*$`);
const ID_AT_START = new RegExp(`^\\s*\\{\\s*(?:"jsonrpc"\\s*:\\s*"2\\.0"\\s*,\\s*)?"id"\\s*:\\s*${ID}`);

/** A top-level JSON-RPC id is either first (after "jsonrpc") or last in a serialized message. */
export function findMessageId(head: string, tail: string): string | number | undefined {
  const m = ID_AT_START.exec(head) ?? ID_AT_END.exec(tail);
  if (m?.[1] === undefined) return undefined;
  return JSON.parse(m[1]) as string | number;
}

/** The JSON-RPC error answer that stands in for a message over the limit. */
export function tooLargeAnswer(id: string | number, bytes: number, maxBytes: number): string {
  const message = `Message from server is over the ${maxBytes}-byte limit (maxMessageBytes; ${bytes} bytes or more)`;
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    error: { code: MESSAGE_TOO_LARGE_RPC_CODE, message, data: { bytes, maxBytes } },
  });
}

/** Where a {@link SseEventLimiter} hands what it passes on. */
export interface LimitedOutput {
  push(chunk: Buffer): void;
}

/**
 * Bounds each event of a `text/event-stream` body to `maxBytes`, reading Buffers as they come: a
 * complete event passes on untouched (no copy when it lies whole in one chunk); an event that
 * grows past the limit is dropped up to its end and replaced by an error answer for the request
 * it answered (its id read from the event's first and last bytes, else `fallbackId`), so that
 * request fails with MESSAGE_TOO_LARGE and the stream, the session and the server carry on.
 */
export class SseEventLimiter {
  readonly #maxBytes: number;
  readonly #out: LimitedOutput;
  readonly #fallbackId: string | number | undefined;
  /** The unfinished event's pieces. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  /** Set while dropping an event over the limit. */
  #dropping: { bytes: number; head: Buffer; tail: Buffer } | undefined;
  /** The line being read has a byte other than CR (a blank line ends an event). */
  #lineHasContent = false;

  constructor(maxBytes: number, out: LimitedOutput, fallbackId?: string | number | undefined) {
    this.#maxBytes = maxBytes;
    this.#out = out;
    this.#fallbackId = fallbackId;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = this.#eventEnd(chunk, start);
      if (end === -1) break;
      this.#take(chunk.subarray(start, end), true);
      start = end;
    }
    if (start < chunk.length) this.#take(chunk.subarray(start), false);
  }

  /** The offset just past the blank line that ends the next event in `chunk` from `from`, or -1. */
  #eventEnd(chunk: Buffer, from: number): number {
    let i = from;
    for (;;) {
      const nl = chunk.indexOf(0x0a, i);
      const stop = nl === -1 ? chunk.length : nl;
      if (!this.#lineHasContent) {
        for (let j = i; j < stop; j += 1) {
          if (chunk[j] !== 0x0d) {
            this.#lineHasContent = true;
            break;
          }
        }
      }
      if (nl === -1) return -1;
      const blank = !this.#lineHasContent;
      this.#lineHasContent = false;
      i = nl + 1;
      if (blank) return i;
    }
  }

  #take(piece: Buffer, complete: boolean): void {
    if (this.#dropping === undefined && this.#heldBytes + piece.length > this.#maxBytes) this.#startDrop();
    if (this.#dropping !== undefined) {
      const d = this.#dropping;
      d.bytes += piece.length;
      if (d.head.length < KEEP) d.head = Buffer.concat([d.head, piece.subarray(0, KEEP - d.head.length)]);
      d.tail =
        piece.length >= KEEP
          ? Buffer.from(piece.subarray(piece.length - KEEP))
          : Buffer.concat([d.tail, piece]).subarray(-KEEP);
      if (complete) this.#endDrop();
      return;
    }
    if (complete && this.#heldBytes === 0) {
      this.#out.push(piece);
      return;
    }
    this.#held.push(piece);
    this.#heldBytes += piece.length;
    if (complete) {
      const event = Buffer.concat(this.#held, this.#heldBytes);
      this.#held = [];
      this.#heldBytes = 0;
      this.#out.push(event);
    }
  }

  #startDrop(): void {
    const held = Buffer.concat(this.#held, this.#heldBytes);
    this.#held = [];
    this.#heldBytes = 0;
    this.#dropping = {
      bytes: held.length,
      head: Buffer.from(held.subarray(0, KEEP)),
      tail: Buffer.from(held.subarray(-KEEP)),
    };
  }

  #endDrop(): void {
    const dropped = this.#dropping;
    this.#dropping = undefined;
    if (dropped === undefined) return;
    const { bytes, head, tail } = dropped;
    // The data lines of the event: "data: {...}" — the id sits first or last in the JSON.
    const data = (b: Buffer): string =>
      b
        .toString('utf8')
        .replace(/^(?:[^\n]*\n)*?data:\s?/, '')
        .replace(/\s+$/, '');
    const id = findMessageId(data(head), data(tail)) ?? this.#fallbackId;
    if (id === undefined) return;
    this.#out.push(Buffer.from(`event: message\ndata: ${tooLargeAnswer(id, bytes, this.#maxBytes)}\n\n`));
  }
}
