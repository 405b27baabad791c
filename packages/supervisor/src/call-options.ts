// Its own file, not beside the request path: the public declarations then reach no internal
// module (core/internal, and through it xstate's own declarations, which a consumer compiling with
// `exactOptionalPropertyTypes` and `skipLibCheck: false` cannot check).

/** A progress notification for one request. */
export interface CallProgress {
  /** How far the server says it is; grows with every notification. */
  readonly progress: number;
  /** The total `progress` counts toward, when the server knows it. */
  readonly total?: number | undefined;
  /** What the server is doing now, in its own words. */
  readonly message?: string | undefined;
}

/** Per-request options (tool calls and every other request). */
export interface CallOptions {
  /**
   * Idle timeout: the request fails with `TIMEOUT` after this long without an answer or a
   * progress notification (waiting for the server and the queue included; a request still
   * waiting for the server then fails with `SERVER_UNAVAILABLE`: it was never sent). `Infinity`: none.
   * @default the server's `callTimeoutMs`
   */
  readonly timeoutMs?: number | undefined;
  /** Hard total deadline, progress or not. `Infinity`: none. @default the server's `callDeadlineMs` (none) */
  readonly deadlineMs?: number | undefined;
  /** Aborting rejects the request with `CANCELLED` and sends `notifications/cancelled`. */
  readonly signal?: AbortSignal | undefined;
  /** Progress notifications from the server; they also reset the idle timeout. */
  readonly onProgress?: ((progress: CallProgress) => void) | undefined;
  /** Entries for the request's `params._meta` (every request: tool calls, reads, subscriptions, prompts, …). */
  readonly meta?: Readonly<Record<string, string>> | undefined;
  /** Told the JSON-RPC id the request goes out with (again if it is sent again after a restart). */
  readonly onSent?: ((requestId: string | number) => void) | undefined;
  /**
   * Who the call is for, given back as `HandlerContext.caller` to the handlers answering its
   * 2026-07-28 input rounds (`input_required`): a gateway routes them to the client that called.
   */
  readonly caller?: unknown;
  /**
   * The client capabilities a 2026-07-28 request declares in place of the client's own (only those
   * the client has too): a gateway declares its downstream client's, so the server asks only what
   * that client can answer. Ignored for a 2025-era server (its session has one set).
   */
  readonly clientCapabilities?: Readonly<Record<string, unknown>> | undefined;
  /**
   * The least severe log level a 2026-07-28 server may send during this request, in place of the
   * one set with `setLoggingLevel`. Ignored for a 2025-era server.
   */
  readonly logLevel?:
    'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency' | undefined;
}
