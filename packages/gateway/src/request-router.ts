import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ClientHandlers, HandlerContext } from '@universal-mcp/supervisor';

/** How long a downstream client may take to answer (a person may be answering an elicitation). */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

/** A downstream request in flight on an upstream server: whose it is. */
interface InFlight {
  readonly session: Server;
  readonly requestId: RequestId;
}

/**
 * Sends the requests an upstream server makes of its client (sampling, elicitation, roots) to the
 * downstream session whose call caused them. The MCP wire carries no link from such a request to
 * the call it serves, so the router goes by what is in flight: the request goes to the one session
 * with calls in flight on that server. With none, or with calls of several sessions in flight,
 * it is refused rather than guessed (one session never sees another's requests); `roots/list`
 * with nothing in flight goes to the only connected session that offers roots, if there is one.
 *
 * Give {@link handlers} to the `UniversalMcpClient` and the router to `createGateway`.
 */
export class RequestRouter {
  /** Upstream server → the downstream requests in flight on it. */
  readonly #inFlight = new Map<string, Set<InFlight>>();
  readonly #sessions = new Set<Server>();
  /** The client's handlers: pass as `new UniversalMcpClient({ handlers: router.handlers })`. */
  readonly handlers: ClientHandlers = {
    sampling: (params, context) => {
      const { session, options } = this.#route(context, 'sampling');
      // The boundary between the SDK v2 client (upstream) and the v1 Server (downstream, until the gateway
      // moves to v2): the same spec type, declared twice (v2 types a tool result's structuredContent `unknown`).
      return session.createMessage(params as Parameters<Server['createMessage']>[0], options);
    },
    elicitation: (params, context) => {
      const { session, options } = this.#route(context, 'elicitation');
      return session.elicitInput(params, options);
    },
    roots: (params, context) => {
      const { session, options } = this.#route(context, 'roots');
      return session.listRoots(params, options);
    },
  };

  /** Notes a downstream request in flight on `server`; call the returned function when it ends. */
  begin(server: string, session: Server, requestId: RequestId): () => void {
    const entry = { session, requestId };
    let set = this.#inFlight.get(server);
    if (set === undefined) this.#inFlight.set(server, (set = new Set()));
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#inFlight.get(server) === set) this.#inFlight.delete(server);
    };
  }

  /** A downstream session connected (`roots/list` may go to it) or went away. */
  attach(session: Server): void {
    this.#sessions.add(session);
  }

  detach(session: Server): void {
    this.#sessions.delete(session);
    for (const [server, set] of this.#inFlight) {
      for (const e of set) if (e.session === session) set.delete(e);
      if (set.size === 0) this.#inFlight.delete(server);
    }
  }

  #latest(server: string): InFlight | undefined {
    const set = this.#inFlight.get(server);
    if (set === undefined || set.size === 0) return undefined;
    const all = [...set];
    const latest = all[all.length - 1];
    if (all.some((e) => e.session !== latest?.session))
      throw new McpError(
        ErrorCode.InternalError,
        `Several downstream sessions have calls in flight on "${server}": cannot tell whose this request is`,
      );
    return latest;
  }

  /** The session a server's request goes to, and how it is sent there (on the causing call's stream). */
  #route(context: HandlerContext, kind: 'sampling' | 'elicitation' | 'roots') {
    const latest = this.#latest(context.server);
    let session = latest?.session;
    if (session === undefined && kind === 'roots') {
      const [only, ...more] = [...this.#sessions].filter((s) => s.getClientCapabilities()?.roots !== undefined);
      if (more.length === 0) session = only;
    }
    if (session === undefined)
      throw new McpError(
        ErrorCode.InternalError,
        `No downstream call in flight on "${context.server}" to answer its ${kind} request`,
      );
    if (session.getClientCapabilities()?.[kind] === undefined)
      throw new McpError(ErrorCode.MethodNotFound, `The downstream client does not offer ${kind}`);
    const relatedRequestId = kind === 'roots' ? undefined : latest?.requestId;
    return {
      session,
      options: {
        signal: context.signal,
        timeout: ANSWER_TIMEOUT_MS,
        ...(relatedRequestId === undefined ? {} : { relatedRequestId }),
      },
    };
  }
}

/** A router for a gateway's upstream requests (see {@link RequestRouter}). */
export function createRequestRouter(): RequestRouter {
  return new RequestRouter();
}
