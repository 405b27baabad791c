/** One server-sent event. */
export interface SseEvent {
  /** The `event:` field; undefined for the default (`message`). */
  readonly event: string | undefined;
  readonly data: string;
  /** The `id:` field of this event, if it had one. */
  readonly id: string | undefined;
}

/** What a {@link SseParser} reports. */
export interface SseListener {
  event(event: SseEvent): void;
  /** A `retry:` field, in ms. */
  retry?(ms: number): void;
  /** An event grew past the limit and was dropped whole (`bytes`: what was read of it, at least). */
  tooLarge?(bytes: number): void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * A `text/event-stream` parser on Buffers as they come off the socket (the WHATWG rules: lines end
 * with CRLF, LF or CR; `data` lines joined by LF; `:` comments; `id` and `retry`), with no web
 * streams and no text decoder in between. Only the lines are decoded. An event over `maxBytes` is
 * skipped up to its end and reported, so one huge event cannot grow memory without bound.
 */
export class SseParser {
  readonly #listener: SseListener;
  readonly #maxBytes: number;
  /** Bytes of a line cut by the chunk's end. */
  #partial: Buffer | undefined;
  #partialLength = 0;
  /** The last chunk ended in CR: a LF first in the next one ends no line. */
  #afterCR = false;
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;
  /** Bytes of the event being read. */
  #bytes = 0;
  #dropping = false;

  constructor(listener: SseListener, maxBytes = Infinity) {
    this.#listener = listener;
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.#afterCR && chunk[0] === LF) start = 1;
    this.#afterCR = false;
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte !== LF && byte !== CR) continue;
      this.#line(chunk, start, i);
      if (byte === CR) {
        if (i + 1 === chunk.length) this.#afterCR = true;
        else if (chunk[i + 1] === LF) i += 1;
      }
      start = i + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.#partialLength += rest.length;
      this.#count(rest.length);
      // While an event is dropped only the length of its lines is kept.
      if (!this.#dropping)
        this.#partial = this.#partial === undefined ? Buffer.from(rest) : Buffer.concat([this.#partial, rest]);
    }
  }

  #count(bytes: number): void {
    this.#bytes += bytes;
    if (!this.#dropping && this.#bytes > this.#maxBytes) {
      this.#dropping = true;
      this.#data = [];
      this.#partial = undefined;
    }
  }

  #line(chunk: Buffer, from: number, to: number): void {
    const head = this.#partial;
    const length = this.#partialLength + (to - from);
    this.#partial = undefined;
    this.#partialLength = 0;
    this.#count(to - from + 1);
    if (length === 0) return this.#dispatch();
    if (this.#dropping) return;
    const line =
      head === undefined
        ? chunk.toString('utf8', from, to)
        : Buffer.concat([head, chunk.subarray(from, to)]).toString('utf8');
    const colon = line.indexOf(':');
    if (colon === 0) return;
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.#id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) this.#listener.retry?.(Number(value));
  }

  /** A blank line: the event read so far is complete. */
  #dispatch(): void {
    const bytes = this.#bytes;
    const dropped = this.#dropping;
    const data = this.#data;
    const event = this.#event;
    const id = this.#id;
    this.#data = [];
    this.#event = undefined;
    this.#id = undefined;
    this.#bytes = 0;
    this.#dropping = false;
    if (dropped) return this.#listener.tooLarge?.(bytes);
    if (data.length === 0 && id === undefined) return;
    this.#listener.event({ event, data: data.join('\n'), id });
  }
}
