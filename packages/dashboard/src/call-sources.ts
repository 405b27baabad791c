/**
 * Tool calls in flight that a part of the dashboard made itself (the chat's), counted by server and
 * tool. The client's `call:end` of such a call is not the embedding service's: its maker writes
 * it to the history, with its arguments and its source, so it must not be written twice.
 */
export class CallSources {
  readonly #inFlight = new Map<string, number>();

  /** Counts a call of `tool` on `server` until the returned function is called. */
  claim(server: string, tool: string): () => void {
    const key = `${server}\u0000${tool}`;
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.#inFlight.get(key) ?? 1) - 1;
      if (n > 0) this.#inFlight.set(key, n);
      else this.#inFlight.delete(key);
    };
  }

  /** Whether a claimed call of `tool` on `server` is in flight. */
  claimed(server: string, tool: string): boolean {
    return this.#inFlight.has(`${server}\u0000${tool}`);
  }

  /** Whether any claimed call on `server` is in flight (its sampling and elicitation requests go to the page). */
  busy(server: string): boolean {
    for (const key of this.#inFlight.keys()) if (key.startsWith(`${server}\u0000`)) return true;
    return false;
  }
}
