/** The kinds of request an upstream server makes of its client. */
export type InputKind = 'sampling' | 'elicitation' | 'roots';

/** The downstream request (or session) an upstream server's sampling/elicitation/roots request is for. */
export interface DownstreamCaller {
  /** Whose it is: in-flight calls of different owners on one server make a request unroutable. */
  readonly owner: object;
  /** Whether the downstream client declared the capability. */
  offers(kind: InputKind): boolean;
  /** Sends the request downstream and resolves with the client's answer. */
  ask(kind: InputKind, params: unknown, signal: AbortSignal): Promise<unknown>;
}
