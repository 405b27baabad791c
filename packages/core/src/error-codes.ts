/**
 * What went wrong, as a stable string the caller can branch on. Local failures only:
 * a JSON-RPC error the server sent is `PROTOCOL_ERROR`, with the wire code in `rpcCode`.
 */
export const ErrorCode = {
  /** A server config or policy failed validation; nothing was started. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** `addServer` was given a name that is already registered. */
  SERVER_EXISTS: 'SERVER_EXISTS',
  /** No server by that name is registered. */
  SERVER_NOT_FOUND: 'SERVER_NOT_FOUND',
  /** The server is not ready (restarting, given up, or stopped); the call was not sent. */
  SERVER_UNAVAILABLE: 'SERVER_UNAVAILABLE',
  /** A connection attempt failed: command not found, connection refused, handshake failed. */
  CONNECT_FAILED: 'CONNECT_FAILED',
  /** The connection broke while the request was in flight (process exit, transport closed). */
  CONNECTION_LOST: 'CONNECTION_LOST',
  /** The HTTP server no longer knows our session. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** The request did not finish within its deadline. */
  TIMEOUT: 'TIMEOUT',
  /** The caller aborted the request with its AbortSignal. */
  CANCELLED: 'CANCELLED',
  /** The server's call backlog (`queue.maxQueued`) is full. */
  QUEUE_FULL: 'QUEUE_FULL',
  /** The tool is not in the server's catalog, even after one refresh. */
  TOOL_NOT_FOUND: 'TOOL_NOT_FOUND',
  /**
   * The server lists the tool with a definition that breaks the MCP schema (an inputSchema that is
   * not an object schema, an outputSchema that does not compile, a schema past
   * `DEFAULT_SCHEMA_LIMITS`): it cannot be called. The server's
   * other tools are unaffected (`details.reason` says what is wrong).
   */
  TOOL_INVALID: 'TOOL_INVALID',
  /**
   * The tool policy does not offer the tool (`details.reason`: `denied`, `not-allowed`, `not-read-only`), or
   * its definition changed and is `held` or `blocked` until accepted. Nothing was sent.
   */
  TOOL_DENIED: 'TOOL_DENIED',
  /**
   * The URL's host (a server's, an OAuth endpoint's, or a redirect's) is not in the client's `outboundHosts`:
   * nothing was sent to it. A server refused while connecting is given up, not retried.
   */
  HOST_NOT_ALLOWED: 'HOST_NOT_ALLOWED',
  /**
   * The server answered with a JSON-RPC error (see `rpcCode`). Where MCP defines the code, `details.reason` says
   * which: a header that does not match the body (-32020), a client capability the request needs (-32021), a
   * resource that does not exist (-32002, or -32602 naming only the `uri`).
   */
  PROTOCOL_ERROR: 'PROTOCOL_ERROR',
  /**
   * The server does not speak the protocol version the request was sent with (-32022); `details` lists the
   * versions it does support and the one requested.
   */
  UNSUPPORTED_PROTOCOL_VERSION: 'UNSUPPORTED_PROTOCOL_VERSION',
  /** Tool arguments do not match the tool's inputSchema; nothing was sent (`details.field`). */
  INVALID_ARGUMENTS: 'INVALID_ARGUMENTS',
  /** The server's result does not match what was promised (a tool's outputSchema). */
  INVALID_RESULT: 'INVALID_RESULT',
  /** Authorization with the server failed (HTTP 401, no token, refused, or too many attempts). */
  AUTH_FAILED: 'AUTH_FAILED',
  /** A message from the server was larger than the transport's limit. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** The client (or the server) was closed by its owner. */
  CLOSED: 'CLOSED',
  /**
   * A task the client holds an id for is gone: the server no longer knows it (it restarted without
   * keeping it, or its retention passed), or its server left the config (`details.taskId`,
   * `details.reason`: `not-found` | `expired` | `unsupported` | `server-removed`).
   */
  TASK_LOST: 'TASK_LOST',
  /** No task by that id is held by this client (`client.task(id)`); nothing was sent. */
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
} as const;

/** One of the {@link ErrorCode} strings. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
