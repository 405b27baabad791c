import type { EventHub, Unsubscribe } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';

/**
 * The client's event methods. Owned, not inherited from an emitter: only the client emits (on the hub it made), and
 * no caller can detach another's listeners.
 */
export abstract class ClientEvents {
  readonly #hub: EventHub<UniversalMcpEvents>;

  protected constructor(hub: EventHub<UniversalMcpEvents>) {
    this.#hub = hub;
  }

  /**
   * Calls `listener` on every `event` until the returned function is called (or {@link off}).
   * A listener that throws is logged and never breaks supervision or another listener.
   * @example
   * const stop = client.on('server:ready', ({ server }) => console.log(server, 'ready'));
   * stop();
   */
  on<K extends keyof UniversalMcpEvents>(event: K, listener: UniversalMcpEvents[K]): Unsubscribe {
    return this.#hub.on(event, listener);
  }

  /** Calls `listener` on the next `event` only; the returned function takes it back before then. */
  once<K extends keyof UniversalMcpEvents>(event: K, listener: UniversalMcpEvents[K]): Unsubscribe {
    return this.#hub.once(event, listener);
  }

  /** Removes `listener` from `event` (the same as calling what {@link on} returned). */
  off<K extends keyof UniversalMcpEvents>(event: K, listener: UniversalMcpEvents[K]): void {
    this.#hub.off(event, listener);
  }
}
