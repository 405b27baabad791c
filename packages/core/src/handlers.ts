import type {
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequest,
  ElicitResult,
  ListRootsRequest,
  ListRootsResult,
} from '@modelcontextprotocol/sdk/types.js';

/** What a handler of a server-to-client request is told besides the request's params. */
export interface HandlerContext {
  /** The server that asked. */
  readonly server: string;
  /** Aborted when the server cancels the request or the connection ends. */
  readonly signal: AbortSignal;
}

type Awaitable<T> = T | Promise<T>;

/**
 * Answers to the requests a server may send to the client. A capability is advertised only when
 * its handler is given. Each returns the MCP result object itself.
 */
export interface ClientHandlers {
  /** `sampling/createMessage`: run the model and return its message. */
  readonly sampling?: ((params: CreateMessageRequest['params'], context: HandlerContext) => Awaitable<CreateMessageResult>) | undefined;
  /**
   * `elicitation/create`, form mode (`requestedSchema`) or URL mode (`url`). In form mode the
   * schema's defaults are applied to an accepted answer's missing fields.
   */
  readonly elicitation?: ((params: ElicitRequest['params'], context: HandlerContext) => Awaitable<ElicitResult>) | undefined;
  /** `roots/list`: the roots the server may work in. */
  readonly roots?: ((params: ListRootsRequest['params'], context: HandlerContext) => Awaitable<ListRootsResult>) | undefined;
}
