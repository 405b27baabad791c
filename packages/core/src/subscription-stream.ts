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

/** How long after a stream the server cut a new one is opened. */
const RELISTEN_DELAY_MS = 1000;
/** Streams cut by the server in a row before the session stops opening new ones. */
const MAX_RELISTENS = 20;
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
  #relistens = 0;
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
    await old?.close().catch(() => undefined);
    if (this.#closed) {
      this.#current = undefined;
      await next.close();
      return;
    }
    void next.closed.then((how) => {
      if (how === 'remote' && this.#current === next) this.#cut();
    });
  }

  /** The server (or the network) ended the stream: open it again, a bounded number of times. */
  #cut(): void {
    this.#current = undefined;
    if (this.#closed) return;
    if (this.#relistens >= MAX_RELISTENS) {
      this.#onError(
        new Error(`subscriptions/listen: the server ended the stream ${MAX_RELISTENS} times; not reopened`),
      );
      return;
    }
    this.#relistens += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#reopen(this.#timeoutMs).catch((err: unknown) =>
        this.#onError(err instanceof Error ? err : new Error(String(err))),
      );
    }, RELISTEN_DELAY_MS);
    this.#timer.unref();
  }
}
