import type {
  Client,
  ClientCapabilities,
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequest,
  ElicitResult,
  ListRootsRequest,
  ListRootsResult,
} from '@modelcontextprotocol/client';

/** What a handler of a server-to-client request is told besides the request's params. */
export interface HandlerContext {
  /** The server that asked. */
  readonly server: string;
  /** Aborted when the server cancels the request or the connection ends. */
  readonly signal: AbortSignal;
  /**
   * For a 2026-07-28 input request (an `input_required` round): the `caller` given with the call it
   * serves, so a handler serving several callers knows whose it is. Unset for a 2025-era server's
   * request, which the wire does not link to a call.
   */
  readonly caller?: unknown;
  /** For a 2026-07-28 input request: the key the server gave it in its round (`inputRequests`). */
  readonly inputKey?: string | undefined;
}

type Awaitable<T> = T | Promise<T>;

/**
 * Answers to the requests a server may send to the client. A capability is advertised only when
 * its handler is given. Each returns the MCP result object itself.
 */
export interface ClientHandlers {
  /** `sampling/createMessage`: run the model and return its message. */
  readonly sampling?:
    ((params: CreateMessageRequest['params'], context: HandlerContext) => Awaitable<CreateMessageResult>) | undefined;
  /**
   * `elicitation/create`, form mode (`requestedSchema`) or URL mode (`url`). In form mode the
   * schema's defaults are applied to an accepted answer's missing fields.
   */
  readonly elicitation?:
    ((params: ElicitRequest['params'], context: HandlerContext) => Awaitable<ElicitResult>) | undefined;
  /** `roots/list`: the roots the server may work in. */
  readonly roots?:
    ((params: ListRootsRequest['params'], context: HandlerContext) => Awaitable<ListRootsResult>) | undefined;
}

/**
 * Protocol extensions the client declares (`capabilities.extensions`), by identifier: each value is
 * the extension's own client capability object (MCP Apps: `{ mimeTypes: [...] }`).
 */
export type ClientExtensions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Capabilities follow the handlers: nothing is advertised that nobody answers. Extensions are
 * declared as given (the application that renders them decided), left out when there are none.
 */
export function capabilitiesFor(handlers: ClientHandlers, extensions?: ClientExtensions): ClientCapabilities {
  const caps: ClientCapabilities = {};
  if (handlers.sampling !== undefined) caps.sampling = {};
  if (handlers.elicitation !== undefined) caps.elicitation = { form: { applyDefaults: true }, url: {} };
  if (handlers.roots !== undefined) caps.roots = { listChanged: true };
  if (extensions !== undefined && Object.keys(extensions).length > 0)
    caps.extensions = structuredClone(extensions) as NonNullable<ClientCapabilities['extensions']>;
  return caps;
}

/**
 * Answers the server's requests on `client` with the handlers given (the SDK registers them by method name,
 * and checks the params and the result of sampling and elicitation against the spec's schemas).
 */
export function wireHandlers(client: Client, handlers: ClientHandlers, server: string): void {
  const context = (signal: AbortSignal): HandlerContext => ({ server, signal });
  const { sampling, elicitation, roots } = handlers;
  if (sampling !== undefined)
    client.setRequestHandler('sampling/createMessage', (req, ctx) => sampling(req.params, context(ctx.mcpReq.signal)));
  if (elicitation !== undefined)
    client.setRequestHandler('elicitation/create', (req, ctx) => elicitation(req.params, context(ctx.mcpReq.signal)));
  if (roots !== undefined)
    client.setRequestHandler('roots/list', (req, ctx) => roots(req.params, context(ctx.mcpReq.signal)));
}
