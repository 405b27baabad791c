/** Takes back what `on` or `once` registered; calling it again does nothing. */
export type Unsubscribe = () => void;

/** One registration: its own object, so that an unsubscribe removes exactly it. */
interface Entry {
  readonly fn: (...args: never[]) => void;
  readonly once: boolean;
}

/**
 * The client's private event emitter. It is owned, not inherited, so that only the client can emit
 * (nobody outside can forge `server:ready`, nor detach everyone's listeners), and it calls every
 * listener even when one throws: a throw is handed to `failed` (the client logs it) and never
 * breaks supervision or the listeners after it.
 */
export class EventHub<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  // Copy on write: an emit walks the array it started with, whatever its listeners add or remove.
  readonly #entries = new Map<keyof Events, readonly Entry[]>();
  readonly #failed: (err: unknown, event: keyof Events) => void;

  constructor(failed: (err: unknown, event: keyof Events) => void) {
    this.#failed = failed;
  }

  /** Calls `fn` on every `event` until the returned function is called (or `off`). */
  on<K extends keyof Events>(event: K, fn: Events[K]): Unsubscribe {
    return this.#add(event, { fn, once: false });
  }

  /** Calls `fn` on the next `event` only. */
  once<K extends keyof Events>(event: K, fn: Events[K]): Unsubscribe {
    return this.#add(event, { fn, once: true });
  }

  /** Removes every registration of `fn` for `event`. */
  off<K extends keyof Events>(event: K, fn: Events[K]): void {
    this.#set(
      event,
      (this.#entries.get(event) ?? []).filter((e) => e.fn !== fn),
    );
  }

  /** Calls each listener of `event` in the order they were added; false when there was none. */
  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): boolean {
    const entries = this.#entries.get(event);
    if (entries === undefined) return false;
    for (const entry of entries) {
      if (entry.once) this.#remove(event, entry);
      try {
        (entry.fn as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (err) {
        this.#failed(err, event);
      }
    }
    return true;
  }

  /** How many listeners `event` has. */
  listenerCount(event: keyof Events): number {
    return this.#entries.get(event)?.length ?? 0;
  }

  #add(event: keyof Events, entry: Entry): Unsubscribe {
    this.#set(event, [...(this.#entries.get(event) ?? []), entry]);
    return () => this.#remove(event, entry);
  }

  #remove(event: keyof Events, entry: Entry): void {
    const entries = this.#entries.get(event);
    if (entries?.includes(entry) === true)
      this.#set(
        event,
        entries.filter((e) => e !== entry),
      );
  }

  #set(event: keyof Events, entries: readonly Entry[]): void {
    if (entries.length === 0) this.#entries.delete(event);
    else this.#entries.set(event, entries);
  }
}
