import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

/**
 * The SSE events of one session, in memory, so a client whose stream broke can resume it with
 * `Last-Event-ID` (and so every SSE stream opens with a priming event). Bounded: the oldest
 * events go first once `limit` are kept or they take more than `maxBytes` as JSON (the newest
 * is always kept). An event id is `<stream>_<sequence>`.
 */
export class MemoryEventStore implements EventStore {
  readonly #events = new Map<EventId, { stream: StreamId; message: JSONRPCMessage; bytes: number }>();
  readonly #limit: number;
  readonly #maxBytes: number;
  #bytes = 0;
  #sequence = 0;

  /**
   * @param limit - events kept. @default 1,000
   * @param maxBytes - the length of their JSON together, in characters (bytes, for ASCII): a server's
   * results can be large. @default 4 MiB
   */
  constructor(limit = 1_000, maxBytes = 4 * 1024 * 1024) {
    this.#limit = limit;
    this.#maxBytes = maxBytes;
  }

  /** How many events are kept. */
  get size(): number {
    return this.#events.size;
  }

  storeEvent(stream: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${stream}_${(this.#sequence += 1)}`;
    const bytes = JSON.stringify(message).length;
    this.#events.set(id, { stream, message, bytes });
    this.#bytes += bytes;
    while (this.#events.size > this.#limit || (this.#bytes > this.#maxBytes && this.#events.size > 1)) {
      const [oldest, event] = this.#events.entries().next().value as [EventId, { bytes: number }];
      this.#events.delete(oldest);
      this.#bytes -= event.bytes;
    }
    return Promise.resolve(id);
  }

  getStreamIdForEventId(id: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.#events.get(id)?.stream);
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (id: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const last = this.#events.get(lastEventId);
    if (last === undefined) return '';
    let after = false;
    for (const [id, event] of [...this.#events]) {
      if (id === lastEventId) after = true;
      // Priming events carry no message: nothing to replay.
      else if (after && event.stream === last.stream && 'jsonrpc' in event.message) await send(id, event.message);
    }
    return last.stream;
  }
}
