// `subscriptions/listen` (MCP 2026-07-28): the one long-lived request that replaces the 2025 GET
// stream and `resources/subscribe`. A session keeps one open with everything it wants (list changes
// the server offers, the resources subscribed to); a change of the set opens a new one before the
// old one closes, so no notification falls in a gap. The SDK's `listen()` runs it: its notifications
// reach the Client's notification handlers, the same ones the 2025 era's unsolicited ones reach.
import type { Client, McpSubscription, SubscriptionFilter } from '@modelcontextprotocol/client';

/** Which list changes to ask for (those the server's capabilities say it sends). */
export interface ListChanges {
  readonly tools: boolean;
  readonly prompts: boolean;
  readonly resources: boolean;
}

/** How long after the first cut a new stream is opened; each cut in a row doubles it. */
const RELISTEN_DELAY_MS = 1000;
/** The longest wait between two opens: a server that ends every stream at once gets one open per this. */
const MAX_RELISTEN_DELAY_MS = 30_000;
/** A stream that lived this long was a good one: the next cut starts the backoff over. */
const STABLE_STREAM_MS = 10_000;

/** The wait before open number `cuts` (0-based) of a run of cut streams: doubling, capped. */
export function relistenDelay(cuts: number): number {
  return Math.min(MAX_RELISTEN_DELAY_MS, RELISTEN_DELAY_MS * 2 ** Math.min(cuts, 16));
}
/** Resources one session may subscribe to (each one is in every listen request). */
export const MAX_SUBSCRIPTIONS = 1000;

/** One session's `subscriptions/listen` stream. */
export class SubscriptionStream {
  readonly #client: Client;
  readonly #changes: ListChanges;
  readonly #onError: (err: Error) => void;
  readonly #uris = new Set<string>();
  #current: McpSubscription | undefined;
  /** Re-opens run one at a time, in the order asked. */
  #queue: Promise<void> = Promise.resolve();
  /** Streams cut (or reopens failed) in a row, for the backoff. */
  #cuts = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #timeoutMs = 10_000;

  constructor(client: Client, changes: ListChanges, onError: (err: Error) => void) {
    this.#client = client;
    this.#changes = changes;
    this.#onError = onError;
  }

  /** Opens the stream for the list changes alone (nothing when the server offers none). */
  start(timeoutMs: number): Promise<void> {
    return this.#reopen(timeoutMs);
  }

  /** Adds a resource to the stream's set; rejects (and leaves the set as it was) when the server refuses. */
  async subscribe(uri: string, timeoutMs: number): Promise<void> {
    if (this.#uris.has(uri)) return;
    if (this.#uris.size >= MAX_SUBSCRIPTIONS) throw new RangeError(`at most ${MAX_SUBSCRIPTIONS} subscriptions`);
    this.#uris.add(uri);
    try {
      await this.#reopen(timeoutMs);
    } catch (err) {
      this.#uris.delete(uri);
      throw err;
    }
  }

  /** Takes a resource out of the set. */
  async unsubscribe(uri: string, timeoutMs: number): Promise<void> {
    if (!this.#uris.delete(uri)) return;
    await this.#reopen(timeoutMs);
  }

  /** Ends the stream; no new one is opened after this. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const current = this.#current;
    this.#current = undefined;
    // Closing: a stream that fails to close is gone all the same.
    await current?.close().catch(() => undefined);
  }

  #filter(): SubscriptionFilter {
    const filter: SubscriptionFilter = {};
    if (this.#changes.tools) filter.toolsListChanged = true;
    if (this.#changes.prompts) filter.promptsListChanged = true;
    if (this.#changes.resources) filter.resourcesListChanged = true;
    if (this.#uris.size > 0) filter.resourceSubscriptions = [...this.#uris];
    return filter;
  }

  #reopen(timeoutMs: number): Promise<void> {
    this.#timeoutMs = timeoutMs;
    const run = this.#queue.then(() => this.#open(timeoutMs));
    // The queue only orders the reopens: each run's failure goes to whoever awaits it.
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #open(timeoutMs: number): Promise<void> {
    if (this.#closed) return;
    const filter = this.#filter();
    const old = this.#current;
    if (Object.keys(filter).length === 0) {
      this.#current = undefined;
      await old?.close();
      return;
    }
    const next = await this.#client.listen(filter, { timeout: timeoutMs });
    this.#current = next;
    // Replaced: the new stream is open, so the old one failing to close loses nothing.
    await old?.close().catch(() => undefined);
    if (this.#closed) {
      this.#current = undefined;
      await next.close();
      return;
    }
    const openedAt = performance.now();
    void next.closed.then((how) => {
      if (how !== 'remote' || this.#current !== next) return;
      if (performance.now() - openedAt >= STABLE_STREAM_MS) this.#cuts = 0;
      this.#cut();
    });
  }

  /**
   * The server (or the network) ended the stream, or could not open a new one: open it again after a
   * backoff. Never the connection's end: a dead server is noticed by requests and the health check,
   * and the stream comes back with it.
   */
  #cut(): void {
    this.#current = undefined;
    if (this.#closed) return;
    clearTimeout(this.#timer);
    const delay = relistenDelay(this.#cuts);
    this.#cuts += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#reopen(this.#timeoutMs).catch((err: unknown) => {
        this.#onError(err instanceof Error ? err : new Error(String(err)));
        if (this.#current === undefined) this.#cut(); // unless a subscribe opened one meanwhile
      });
    }, delay);
    this.#timer.unref();
  }
}
