// Its own file, not beside the request path: the public declarations then reach no internal
// module (core/internal, and through it xstate's own declarations, which a consumer compiling with
// `exactOptionalPropertyTypes` and `skipLibCheck: false` cannot check).
import type { TaskSnapshot } from './task-handle.js';

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
  /**
   * Hard total deadline, progress or not. `Infinity`: none. For a tool call the server runs as a task: the
   * task's whole life (polls included); past it the task is cancelled and the call fails with `TIMEOUT`
   * (`timeoutMs` then bounds each exchange: the call and each poll). @default the server's `callDeadlineMs` (none)
   */
  readonly deadlineMs?: number | undefined;
  /**
   * Aborting rejects the request with `CANCELLED` and sends `notifications/cancelled`; a tool call running as a
   * task is cancelled (`tasks/cancel`) unless `onAbort` is `'detach'`.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * What aborting `signal` does to a tool call the server runs as a task: `'cancel'` cancels it; `'detach'`
   * leaves it running (polled, in `client.tasks()` and the task store) and only this call rejects `CANCELLED`.
   * @default 'cancel'
   */
  readonly onAbort?: 'cancel' | 'detach' | undefined;
  /** Told every change of a tool call's task (status, message, pending input); not for a call answered at once. */
  readonly onTaskStatus?: ((snapshot: TaskSnapshot) => void) | undefined;
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

/** Options of `startTool`: a call's options, and what the task keeps. */
export interface StartToolOptions extends CallOptions {
  /**
   * Who answers the task's input requests: `'handlers'` the client's handlers (elicitation, sampling, roots),
   * as for a call's input rounds; `'manual'` nobody: they wait in `snapshot().pendingInput` for `respond()`.
   * @default 'handlers'
   */
  readonly input?: 'handlers' | 'manual' | undefined;
  /** Who the task is for (a gateway's principal): `client.tasks({ owner })` filters by it. Stored. */
  readonly owner?: string | undefined;
  /** A label for lists. Stored. */
  readonly label?: string | undefined;
  /** How long a 2025-11-25 server should keep the task (`params.task.ttl`); 2026 servers decide alone. */
  readonly ttlMs?: number | undefined;
}
