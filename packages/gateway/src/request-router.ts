import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { ClientHandlers, HandlerContext } from '@universal-mcp/supervisor';
import { isDownstreamCaller, type DownstreamCaller, type InputKind } from './downstream-caller.js';
import { WireError } from './wire-error.js';

/**
 * Sends the requests an upstream server makes of its client (sampling, elicitation, roots) to the
 * downstream caller whose call caused them. A 2026 upstream's input round names its call (the
 * caller given with it), so it goes there. A 2025 upstream's request carries no link to the call
 * it serves, so the router goes by what is in flight: the request goes to the one owner
 * (a 2025 session, or a 2026 request) with calls in flight on that server. With none, or with calls
 * of several owners in flight, it is refused rather than guessed (one client never sees another's
 * requests); `roots/list` with nothing in flight goes to the only connected session that offers
 * roots, if there is one.
 *
 * Give {@link handlers} to the `UniversalMcpClient` and the router to `createGateway`.
 */
export class RequestRouter {
  /** Upstream server → the downstream callers with a request in flight on it. */
  readonly #inFlight = new Map<string, Set<DownstreamCaller>>();
  /** Connected 2025 sessions, by owner (roots/list with nothing in flight may go to one). */
  readonly #sessions = new Map<object, DownstreamCaller>();
  /** The client's handlers: pass as `new UniversalMcpClient({ handlers: router.handlers })`. */
  readonly handlers: ClientHandlers = {
    // The SDK v2 client (upstream) and server (downstream) declare the same spec types twice.
    sampling: (params, context) =>
      this.#ask('sampling', params, context) as ReturnType<NonNullable<ClientHandlers['sampling']>>,
    elicitation: (params, context) =>
      this.#ask('elicitation', params, context) as ReturnType<NonNullable<ClientHandlers['elicitation']>>,
    roots: (params, context) => this.#ask('roots', params, context) as ReturnType<NonNullable<ClientHandlers['roots']>>,
  };

  /** Notes a downstream request in flight on `server`; call the returned function when it ends. */
  begin(server: string, caller: DownstreamCaller): () => void {
    let set = this.#inFlight.get(server);
    if (set === undefined) this.#inFlight.set(server, (set = new Set()));
    set.add(caller);
    return () => {
      set.delete(caller);
      if (set.size === 0 && this.#inFlight.get(server) === set) this.#inFlight.delete(server);
    };
  }

  /** A downstream session connected (`roots/list` may go to it) or went away. */
  attach(session: DownstreamCaller): void {
    this.#sessions.set(session.owner, session);
  }

  detach(owner: object): void {
    this.#sessions.delete(owner);
    for (const [server, set] of this.#inFlight) {
      for (const c of set) if (c.owner === owner) set.delete(c);
      if (set.size === 0) this.#inFlight.delete(server);
    }
  }

  #latest(server: string): DownstreamCaller | undefined {
    const set = this.#inFlight.get(server);
    if (set === undefined || set.size === 0) return undefined;
    const all = [...set];
    const latest = all[all.length - 1];
    if (all.some((c) => c.owner !== latest?.owner))
      throw new WireError(
        ProtocolErrorCode.InternalError,
        `Several downstream clients have calls in flight on "${server}": cannot tell whose this request is`,
      );
    return latest;
  }

  /** Sends a server's request to the caller it is for (on the causing call's stream). */
  #ask(kind: InputKind, params: unknown, context: HandlerContext): Promise<unknown> {
    // A 2026 upstream's input round names the call it serves; a 2025 upstream's request does not.
    let caller = isDownstreamCaller(context.caller) ? context.caller : this.#latest(context.server);
    if (caller === undefined && kind === 'roots') {
      const [only, ...more] = [...this.#sessions.values()].filter((s) => s.offers('roots'));
      if (more.length === 0) caller = only;
    }
    if (caller === undefined)
      throw new WireError(
        ProtocolErrorCode.InternalError,
        `No downstream call in flight on "${context.server}" to answer its ${kind} request`,
      );
    if (!caller.offers(kind))
      throw new WireError(ProtocolErrorCode.MethodNotFound, `The downstream client does not offer ${kind}`);
    return caller.ask(kind, params, context.signal, context.inputKey);
  }
}

/** A router for a gateway's upstream requests (see {@link RequestRouter}). */
export function createRequestRouter(): RequestRouter {
  return new RequestRouter();
}
