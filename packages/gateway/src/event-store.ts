import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The SSE events of one session, in memory, so a client whose stream broke can resume it with
 * `Last-Event-ID` (and so every SSE stream opens with a priming event). Bounded: the oldest
 * events go first once `limit` are kept. An event id is `<stream>_<sequence>`.
 */
export class MemoryEventStore implements EventStore {
  readonly #events = new Map<EventId, { stream: StreamId; message: JSONRPCMessage }>();
  readonly #limit: number;
  #sequence = 0;

  constructor(limit = 1_000) {
    this.#limit = limit;
  }

  /** How many events are kept. */
  get size(): number {
    return this.#events.size;
  }

  storeEvent(stream: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${stream}_${(this.#sequence += 1)}`;
    this.#events.set(id, { stream, message });
    if (this.#events.size > this.#limit) {
      const oldest = this.#events.keys().next().value;
      if (oldest !== undefined) this.#events.delete(oldest);
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
