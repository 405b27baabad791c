import type { CatalogKind } from './catalog.js';
import type { ServerConfig } from './config.js';
import { ErrorCode, boundText, classifyTransportError, describeNetworkError } from './errors.js';
import { describeExit, type ProcessExit } from './process-exit.js';
import type { LostReason, WatchListener } from './session-types.js';

/** What a session's transport says of its end, read when the loss is noted. */
export interface TransportEnd {
  readonly exit: ProcessExit | undefined;
  /** A stdio server closed its stdout while its process still ran. */
  readonly stdoutClosed: boolean;
}

/**
 * Why a session's connection ended, noted once, and the one watcher told of it and of list
 * changes. Changes seen before anything watched are kept for the watcher that attaches.
 */
export class ConnectionLoss {
  readonly #end: () => TransportEnd;
  #lost: LostReason | undefined;
  #watcher: WatchListener | undefined;
  /**
   * Lists a server said changed before anything watched (between the first list and `ready`): told to the
   * watcher when it attaches, or a server that redefines a tool right after its first list goes unseen.
   */
  readonly #unwatchedChanges = new Set<CatalogKind>();

  constructor(end: () => TransportEnd) {
    this.#end = end;
  }

  /** Why the connection ended, once it has. */
  get reason(): LostReason | undefined {
    return this.#lost;
  }

  /** Notes the loss (the first one wins) and tells the watcher. */
  mark(code: LostReason['code'] = ErrorCode.CONNECTION_LOST, why?: string): void {
    if (this.#lost !== undefined) return;
    const { exit, stdoutClosed } = this.#end();
    const fallback =
      exit !== undefined
        ? describeExit(exit)
        : stdoutClosed
          ? 'the server closed its stdout (the process still ran)'
          : 'transport closed';
    this.#lost = { code, message: why ?? fallback, exit };
    this.#watcher?.lost(this.#lost);
  }

  /** The server said one of its lists changed. */
  listChanged(kind: CatalogKind): void {
    if (this.#watcher === undefined) this.#unwatchedChanges.add(kind);
    else this.#watcher.listChanged(kind);
  }

  /** Attaches the one watcher; if the connection is already gone it is told at once. Returns the detach. */
  watch(listener: WatchListener): () => void {
    this.#watcher = listener;
    if (this.#lost !== undefined) listener.lost(this.#lost);
    // Told after watch() returns: the watcher is still being set up while it attaches.
    const missed = [...this.#unwatchedChanges];
    this.#unwatchedChanges.clear();
    if (missed.length > 0)
      queueMicrotask(() => {
        for (const kind of missed) if (this.#watcher === listener) listener.listChanged(kind);
      });
    return () => {
      if (this.#watcher === listener) this.#watcher = undefined;
    };
  }

  /** Nothing is told anymore (the session is closing). */
  detach(): void {
    this.#watcher = undefined;
  }
}

/** Where a transport error happened: the transport, the era, and whether requests are in flight. */
export interface TransportErrorSite {
  readonly transport: ServerConfig['transport'];
  readonly modern: boolean;
  /** Requests in flight on the channel. */
  readonly pending: number;
}

/**
 * The loss a transport error means, if any. The SDK's HTTP transports report a dead server or a
 * forgotten session only through `onerror` (and `onclose` never fires), so in-flight calls would
 * wait for their timeout. A legacy SSE stream error is fatal too: EventSource would silently
 * re-attach to a new, never-initialized session. stdio errors (garbage lines) never end the connection.
 */
export function lossOfTransportError(
  err: Error,
  site: TransportErrorSite,
): { readonly code: LostReason['code']; readonly why: string } | undefined {
  if (site.transport === 'stdio') return undefined;
  const kind = classifyTransportError(err);
  // A stateless 2026 server has no session to forget: a 404 there means the endpoint is gone.
  if (kind === 'session-expired' && site.modern)
    return { code: ErrorCode.CONNECTION_LOST, why: `the endpoint is gone (${boundText(err.message)})` };
  if (kind === 'session-expired')
    return { code: ErrorCode.SESSION_EXPIRED, why: `session expired (${boundText(err.message)})` };
  if (kind === 'unauthorized')
    return {
      code: ErrorCode.AUTH_FAILED,
      why: `the server no longer accepts our credentials (${boundText(err.message)})`,
    };
  // A stateless 2026 connection has nothing to lose between requests: a refused listen reopen (the
  // server restarting) ends nothing. The next request, or the health check, finds a server that stays away.
  if (kind === 'lost' && site.modern && site.pending === 0) return undefined;
  if (kind === 'lost' || site.transport === 'sse')
    return { code: ErrorCode.CONNECTION_LOST, why: describeNetworkError(err) ?? boundText(err.message) };
  return undefined;
}
