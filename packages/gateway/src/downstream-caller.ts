import type { RequestId, Server } from '@modelcontextprotocol/server';
import { META_CLIENT_CAPABILITIES } from '@universal-mcp/core/internal';
import { WireError } from './wire-error.js';

/** The three requests an upstream server makes of its client. */
export type InputKind = 'sampling' | 'elicitation' | 'roots';

/** Whether `value` is a caller the gateway made (given back by the client as `HandlerContext.caller`). */
export function isDownstreamCaller(value: unknown): value is DownstreamCaller {
  const c = value as Partial<DownstreamCaller> | undefined;
  return typeof c === 'object' && c !== null && typeof c.owner === 'object' && typeof c.ask === 'function';
}

/** The downstream request (or session) an upstream server's sampling/elicitation/roots request is for. */
export interface DownstreamCaller {
  /** Whose it is: in-flight calls of different owners on one server make a request unroutable. */
  readonly owner: object;
  /** Whether the downstream client declared the capability. */
  offers(kind: InputKind): boolean;
  /**
   * Sends the request downstream and resolves with the client's answer. `key`: the upstream's own
   * key for it (a 2026 upstream's input round), kept in a round shown to a 2026 client where it can be.
   */
  ask(kind: InputKind, params: unknown, signal: AbortSignal, key?: string): Promise<unknown>;
}

/** How long a downstream client may take to answer (a person may be answering an elicitation). */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

/**
 * A 2025-era session as a caller: the request goes on the session, on the stream of the downstream
 * request that caused it (`relatedRequestId`) when there is one.
 */
export function sessionCaller(session: Server, relatedRequestId?: RequestId): DownstreamCaller {
  return {
    owner: session,
    offers: (kind) => session.getClientCapabilities()?.[kind] !== undefined,
    ask: (kind, params, signal) => {
      const options = {
        signal,
        timeout: ANSWER_TIMEOUT_MS,
        // roots/list is about the session, not one call.
        ...(relatedRequestId === undefined || kind === 'roots' ? {} : { relatedRequestId }),
      };
      // The SDK v2 client (upstream) and server (downstream) declare the same spec types twice.
      if (kind === 'sampling') return session.createMessage(params as Parameters<Server['createMessage']>[0], options);
      if (kind === 'elicitation') return session.elicitInput(params as Parameters<Server['elicitInput']>[0], options);
      return session.listRoots(params as Parameters<Server['listRoots']>[0], options);
    },
  };
}

/**
 * A 2026-07-28 request as a caller (one owner per request). The 2026 revision has no
 * server→client requests: for tools/call, prompts/get and resources/read the input broker's
 * caller turns them into `input_required` rounds; this one serves the other requests
 * (completions), which have no rounds, so an upstream's request during one is refused.
 */
export function requestCaller(envelope: Readonly<Record<string, unknown>> | undefined): DownstreamCaller {
  const declared = envelope?.[META_CLIENT_CAPABILITIES];
  const capabilities = typeof declared === 'object' && declared !== null ? (declared as Record<string, unknown>) : {};
  return {
    owner: {},
    offers: (kind) => capabilities[kind] !== undefined,
    ask: (kind) =>
      Promise.reject(
        new WireError(-32601, `A 2026-07-28 client cannot answer a ${kind} request outside an input round`),
      ),
  };
}
