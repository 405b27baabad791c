import {
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { InputRequiredError } from './input-required.js';
import type { ProcessExit } from './process-exit.js';

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
  /** The server is not ready (reconnecting, given up, or stopped); the call was not sent. */
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
} as const;

/** One of the {@link ErrorCode} strings. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options for {@link UniversalMcpError}. */
export interface UniversalMcpErrorOptions {
  /** The server the error concerns, where there is one. */
  readonly server?: string | undefined;
  /** What the SDK or the OS threw. */
  readonly cause?: unknown;
  /** The JSON-RPC error code, for `PROTOCOL_ERROR`. */
  readonly rpcCode?: number | undefined;
  /** Detail for programs, by code (see {@link ErrorDetails}). */
  readonly details?: ErrorDetails[keyof ErrorDetails] | undefined;
  /** How a stdio server's process ended, when that is what broke the connection. */
  readonly exit?: ProcessExit | undefined;
}

/** The one error class this library throws. Branch on `code`, never on `message`. */
export class UniversalMcpError extends Error {
  override readonly name = 'UniversalMcpError';
  readonly code: ErrorCode;
  readonly server: string | undefined;
  readonly rpcCode: number | undefined;
  /** Detail for programs; its shape depends on `code` (narrow with {@link isUniversalMcpError}). */
  readonly details: ErrorDetails[keyof ErrorDetails] | undefined;
  /** How a stdio server's process ended, when that is what broke the connection (pid, code, signal). */
  readonly exit: ProcessExit | undefined;

  constructor(code: ErrorCode, message: string, options: UniversalMcpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.server = options.server;
    this.rpcCode = options.rpcCode;
    this.details = options.details;
    this.exit = options.exit;
  }

  /** A plain object for logs and JSON output (pino serializes `err` with this). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      server: this.server,
      message: this.message,
      rpcCode: this.rpcCode,
      details: this.details,
      exit: this.exit,
    };
  }
}

/** What a server was doing when {@link UniversalMcpClient.whenReady} gave up on it. */
export interface ServerNotReady {
  readonly state: string;
  readonly error: UniversalMcpError | undefined;
}

/**
 * `details` by error code. A code not listed here carries none.
 * @example
 * if (isUniversalMcpError(err, ErrorCode.TIMEOUT)) console.log(err.details?.kind, err.details?.ms);
 */
export interface ErrorDetails {
  /** The field that failed validation (a JSON path), and the config file it is in. */
  CONFIG_INVALID: {
    readonly field?: string | undefined;
    readonly file?: string | undefined;
    readonly path?: string | undefined;
  };
  /** The servers that are registered, and the one the name looks like a typo of. */
  SERVER_NOT_FOUND: { readonly available: readonly string[]; readonly didYouMean?: string | undefined };
  /** From `whenReady`: each server that was given up, and why. */
  SERVER_UNAVAILABLE: { readonly servers: Readonly<Record<string, ServerNotReady>> };
  /**
   * Which limit passed (`idle`: no answer or progress; `deadline`: the hard total), its length; from `whenReady`, the
   * servers not ready.
   */
  TIMEOUT: {
    readonly kind: 'idle' | 'deadline';
    readonly ms: number;
    readonly servers?: Readonly<Record<string, ServerNotReady>> | undefined;
  };
  /** Calls running and waiting at the server (or waiting for it to reconnect). */
  QUEUE_FULL: {
    readonly pending?: number | undefined;
    readonly queued?: number | undefined;
    readonly waiting?: number | undefined;
  };
  /** The tool asked for, the tools there are, and the one the name looks like a typo of. */
  TOOL_NOT_FOUND: {
    readonly tool: string;
    readonly available: readonly string[];
    readonly didYouMean?: string | undefined;
  };
  /** The tool, and what is wrong with its definition. */
  TOOL_INVALID: { readonly tool: string; readonly reason: string };
  /** The tool, and why the policy does not offer it. */
  TOOL_DENIED: {
    readonly tool: string;
    readonly reason: 'denied' | 'not-allowed' | 'not-read-only' | 'held' | 'blocked';
  };
  /** The host refused, and the allow list it is not in. */
  HOST_NOT_ALLOWED: { readonly host: string; readonly outboundHosts: readonly string[] };
  /** The tool, and the argument that broke its inputSchema. */
  INVALID_ARGUMENTS: { readonly tool: string; readonly field?: string | undefined };
  /**
   * The tool whose result broke its outputSchema; for a 2026-07-28 `input_required` answer that could not be
   * completed, `reason` says why (`too-many-rounds`, `unknown-method`, `missing-handler`…).
   */
  INVALID_RESULT: { readonly tool?: string | undefined; readonly reason?: string | undefined };
  /** Which MCP-defined JSON-RPC error the server sent, where it is one (see {@link ErrorCode.PROTOCOL_ERROR}). */
  PROTOCOL_ERROR:
    | { readonly reason: 'header_mismatch' }
    /** The top-level capability names the server asked for (at most 16). */
    | { readonly reason: 'missing_capability'; readonly requiredCapabilities: readonly string[] }
    | { readonly reason: 'resource_not_found'; readonly uri: string };
  /** The versions the server supports (at most 16) and the one the request carried. */
  UNSUPPORTED_PROTOCOL_VERSION: { readonly supported: readonly string[]; readonly requested: string };
  /** From `whenReady`: the servers not ready when one was removed. */
  CLOSED: { readonly servers?: Readonly<Record<string, ServerNotReady>> | undefined };
}

/** A {@link UniversalMcpError} with the given code, its `details` typed for that code. */
export type UniversalMcpErrorOf<C extends ErrorCode> = UniversalMcpError & {
  readonly code: C;
  readonly details: (C extends keyof ErrorDetails ? ErrorDetails[C] : never) | undefined;
};

/** True when `err` is a {@link UniversalMcpError}, optionally with the given code (then its `details` are typed). */
export function isUniversalMcpError<C extends ErrorCode = ErrorCode>(
  err: unknown,
  code?: C,
): err is UniversalMcpErrorOf<C> {
  return err instanceof UniversalMcpError && (code === undefined || err.code === code);
}

/** The JSON-RPC error code our stdio transport answers a request with when its response was too large. */
export const MESSAGE_TOO_LARGE_RPC_CODE = -32099;

/** The JSON-RPC error code our transports answer a request with when its answer was malformed. */
export const MALFORMED_MESSAGE_RPC_CODE = -32098;

/** The JSON-RPC error code of a 2026-07-28 server whose `Mcp-*` headers do not match the request body. */
export const HEADER_MISMATCH_RPC_CODE = -32020;

/** The most entries (and characters each) taken from a list a server sent into `details`. */
const MAX_DETAIL_ENTRIES = 16;
const MAX_DETAIL_TEXT = 128;

/** Up to {@link MAX_DETAIL_ENTRIES} strings of a server-sent array, each bounded; anything else is dropped. */
function boundedStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value.slice(0, MAX_DETAIL_ENTRIES))
    if (typeof item === 'string') out.push(item.slice(0, MAX_DETAIL_TEXT));
  return out;
}

/** The most characters of text taken from a server (an error page, a message) into an error message. */
export const MAX_SERVER_TEXT = 300;

/**
 * Text a server sent, bounded for an error message: a 2 MB HTML error page must not become a
 * 2-million-character message. Whitespace runs fold to one space; the cut says how much was left out.
 */
export function boundText(text: string, max = MAX_SERVER_TEXT): string {
  const folded = text.length > max * 4 ? text.slice(0, max * 4).replace(/\s+/g, ' ') : text.replace(/\s+/g, ' ');
  if (folded.length <= max && text.length <= max * 4) return folded.trim();
  return `${folded.slice(0, max).trim()}… (+${text.length - max} more characters)`;
}

/** "MCP error -32602: MCP error -32602: x" → "x": the SDK prefixes a message that a server already prefixed. */
export function stripRpcPrefix(message: string): string {
  return message.replace(/^(?:MCP error -?\d+: )+/, '');
}

/** A network failure as a person reads it: "connection refused 127.0.0.1:9", "host not found example.invalid". */
export function describeNetworkError(err: unknown): string | undefined {
  let e = err as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 4 && e !== undefined && e !== null; depth += 1) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined) {
      const where =
        typeof e.address === 'string'
          ? `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}`
          : typeof e.hostname === 'string'
            ? e.hostname
            : '';
      const what = NETWORK_WORDS[code];
      if (what !== undefined) return `${what}${where === '' ? '' : ` ${where}`}`;
    }
    e = e.cause as typeof e;
  }
  // Some SDK errors keep only the text of the cause: "SSE error: TypeError: fetch failed: connect ECONNREFUSED
  // 127.0.0.1:9".
  const text = (err as { message?: unknown } | undefined)?.message;
  const m = typeof text === 'string' ? /\b(?:connect|getaddrinfo|read|write) (E[A-Z_]+)(?: (\S+))?/.exec(text) : null;
  const what = m?.[1] === undefined ? undefined : NETWORK_WORDS[m[1]];
  if (what !== undefined) return `${what}${m?.[2] === undefined ? '' : ` ${m[2]}`}`;
  // undici's word for a response whose socket closed mid-body: "SSE stream disconnected: TypeError: terminated".
  return typeof text === 'string' && /(?:^|TypeError: )terminated(?:$|:)/.test(text)
    ? 'the server closed the stream'
    : undefined;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** What a transport error means for the connection that reported it. */
export type TransportErrorKind = 'lost' | 'session-expired' | 'unauthorized' | 'other';

/**
 * Classifies an error a transport reported through `onerror` (or a request failed with):
 * `lost` when the connection itself is gone (fetch failed, stream cut, socket reset),
 * `session-expired` when an HTTP server no longer knows the session, `unauthorized` on an HTTP
 * 401 (the credentials were revoked or never good), else `other`.
 */
export function classifyTransportError(err: unknown): TransportErrorKind {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  // The SDK's HTTP errors carry the status apart; a legacy SSE error (SseError) carries it as a numeric code.
  const status = err instanceof SdkHttpError ? err.status : typeof e?.code === 'number' ? e.code : undefined;
  if (err instanceof SdkError) {
    // The standalone GET stream is optional: servers without it answer 405, or 404 in the wild.
    if (err.code === SdkErrorCode.ClientHttpFailedToOpenStream) return 'other';
    if (err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.ConnectionClosed) return 'lost';
  }
  if (/Failed to open SSE stream/.test(message)) return 'other';
  // A plain 401 only: the SDK's UnauthorizedError means an OAuth flow is under way (session.ts finishes it).
  if (status === 401) return 'unauthorized';
  if (status === 404 || (status === 400 && /session/i.test(message))) return 'session-expired';
  if (/\(HTTP 404\)|HTTP 404|unknown session|session not found|No valid session/i.test(message))
    return 'session-expired';
  const sysCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (sysCode !== undefined && NETWORK_CODES.has(sysCode)) return 'lost';
  if (message === 'fetch failed' || message === 'terminated' || message === 'Not connected') return 'lost';
  if (/SSE stream disconnected|Failed to reconnect SSE stream|other side closed|socket hang up/i.test(message))
    return 'lost';
  return 'other';
}

/** Where the error happened: decides how a connection-shaped failure is labelled. */
export type ErrorPhase = 'connect' | 'request';

/**
 * Maps whatever the SDK, undici or the OS threw to a {@link UniversalMcpError}. The SDK throws
 * many shapes for one fault (`SdkError` ConnectionClosed/RequestTimeout, `SdkHttpError` with the HTTP
 * status, `ProtocolError` with the server's JSON-RPC code, `TypeError('fetch failed')`, `SseError`,
 * `DOMException`); this is the one place that knows them. SDK errors are told apart by their `code`.
 */
export function toUniversalError(
  err: unknown,
  server: string | undefined,
  phase: ErrorPhase,
  signal?: AbortSignal,
): UniversalMcpError {
  if (err instanceof UniversalMcpError) return err;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof UniversalMcpError) return reason;
    return new UniversalMcpError(ErrorCode.CANCELLED, `Request to "${server}" was cancelled`, { server, cause: err });
  }
  const fail = (code: ErrorCode, message: string): UniversalMcpError =>
    new UniversalMcpError(code, message, { server, cause: err });
  if (err instanceof InputRequiredError) return fromInputRequired(err, server);
  const lostOrConnect = phase === 'connect' ? ErrorCode.CONNECT_FAILED : ErrorCode.CONNECTION_LOST;

  if (err instanceof SdkError && !(err instanceof SdkHttpError)) {
    if (err.code === SdkErrorCode.ConnectionClosed || err.code === SdkErrorCode.NotConnected)
      return fail(lostOrConnect, `Connection to "${server}" closed`);
    if (err.code === SdkErrorCode.RequestTimeout) return fail(ErrorCode.TIMEOUT, `Request to "${server}" timed out`);
    if (err.code === SdkErrorCode.InvalidResult)
      return fail(ErrorCode.INVALID_RESULT, `Result from "${server}" is invalid: ${boundText(err.message)}`);
  }
  if (err instanceof ProtocolError) return fromProtocolError(err, server);
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  const message = boundText(typeof e?.message === 'string' ? e.message : String(err));
  // An HTTP 401 (a revoked token, wrong credentials) is an authorization failure whatever the SDK wrapped it in.
  if (err instanceof UnauthorizedError || e?.code === 401 || (err instanceof SdkHttpError && err.status === 401)) {
    return fail(ErrorCode.AUTH_FAILED, `Not authorized by "${server}": ${message}`);
  }
  const sysCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (sysCode === 'ENOENT' || sysCode === 'EACCES')
    return fail(ErrorCode.CONNECT_FAILED, `Cannot start "${server}": ${message}`);
  // The same shapes the transports report through onerror: one list, in classifyTransportError.
  const kind = classifyTransportError(err);
  if (kind === 'session-expired') {
    const code = err instanceof SdkHttpError ? err.status : e?.code;
    const status = typeof code === 'number' ? ` (HTTP ${code})` : '';
    return fail(ErrorCode.SESSION_EXPIRED, `Server "${server}" no longer knows the session${status}`);
  }
  if (kind === 'lost') {
    const why = describeNetworkError(err) ?? sysCode ?? message;
    return fail(
      lostOrConnect,
      phase === 'connect' ? `Cannot connect to "${server}": ${why}` : `Connection to "${server}" lost: ${why}`,
    );
  }
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError')
    return fail(ErrorCode.TIMEOUT, `Request to "${server}" timed out`);
  return fail(
    phase === 'connect' ? ErrorCode.CONNECT_FAILED : ErrorCode.PROTOCOL_ERROR,
    phase === 'connect' ? `Cannot connect to "${server}": ${message}` : `Request to "${server}" failed: ${message}`,
  );
}

/**
 * A 2026-07-28 multi-round-trip request that could not be completed: an abort is CANCELLED (or the
 * abort's own typed reason, a TIMEOUT); a handler's failure is its typed cause, else PROTOCOL_ERROR;
 * anything the server did wrong is INVALID_RESULT with the reason.
 */
function fromInputRequired(err: InputRequiredError, server: string | undefined): UniversalMcpError {
  const cause: unknown = err.cause;
  const text = boundText(err.message);
  if (err.reason === 'aborted') {
    if (cause instanceof UniversalMcpError) return cause;
    return new UniversalMcpError(ErrorCode.CANCELLED, `Request to "${server}" was cancelled`, { server, cause: err });
  }
  if (err.reason === 'handler-failed') {
    if (cause instanceof UniversalMcpError) return cause;
    return new UniversalMcpError(ErrorCode.PROTOCOL_ERROR, `Request to "${server}" failed: ${text}`, {
      server,
      cause: err,
    });
  }
  return new UniversalMcpError(ErrorCode.INVALID_RESULT, `Result from "${server}" is invalid: ${text}`, {
    server,
    cause: err,
    details: { reason: err.reason },
  });
}

/**
 * A JSON-RPC error the server answered with, typed by its code (the MCP-defined ones get `details`; anything a
 * server put in `data` is bounded before it is kept).
 */
function fromProtocolError(err: ProtocolError, server: string | undefined): UniversalMcpError {
  const text = boundText(stripRpcPrefix(err.message));
  const data = (typeof err.data === 'object' && err.data !== null ? err.data : {}) as Record<string, unknown>;
  const fail = (code: ErrorCode, message: string, details?: ErrorDetails[keyof ErrorDetails]): UniversalMcpError =>
    new UniversalMcpError(code, message, { server, cause: err, rpcCode: err.code, details });
  const answered = `Server "${server}" answered with error ${err.code}: ${text}`;
  switch (err.code) {
    case MESSAGE_TOO_LARGE_RPC_CODE:
      return fail(ErrorCode.MESSAGE_TOO_LARGE, `Answer from "${server}" too large: ${text}`);
    case ProtocolErrorCode.UnsupportedProtocolVersion: {
      const requested = typeof data.requested === 'string' ? data.requested.slice(0, MAX_DETAIL_TEXT) : '';
      return fail(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, answered, {
        supported: boundedStrings(data.supported),
        requested,
      });
    }
    case HEADER_MISMATCH_RPC_CODE:
      return fail(ErrorCode.PROTOCOL_ERROR, answered, { reason: 'header_mismatch' });
    case ProtocolErrorCode.MissingRequiredClientCapability: {
      const required = data.requiredCapabilities;
      const names = typeof required === 'object' && required !== null ? Object.keys(required) : [];
      return fail(ErrorCode.PROTOCOL_ERROR, answered, {
        reason: 'missing_capability',
        requiredCapabilities: boundedStrings(names),
      });
    }
    case ProtocolErrorCode.ResourceNotFound:
    case ProtocolErrorCode.InvalidParams: {
      // -32602 is resource-not-found only when its data names the uri and nothing else (the 2026-07-28 rule);
      // -32002 is the older code for the same.
      const uri = typeof data.uri === 'string' ? data.uri.slice(0, MAX_SERVER_TEXT) : undefined;
      const onlyUri = uri !== undefined && Object.keys(data).length === 1;
      if (uri !== undefined && (err.code === ProtocolErrorCode.ResourceNotFound || onlyUri))
        return fail(ErrorCode.PROTOCOL_ERROR, answered, { reason: 'resource_not_found', uri });
      return fail(ErrorCode.PROTOCOL_ERROR, answered);
    }
    default:
      return fail(ErrorCode.PROTOCOL_ERROR, answered);
  }
}
