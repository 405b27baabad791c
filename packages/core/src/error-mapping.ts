import {
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { ErrorCode } from './error-codes.js';
import { InputRequiredError } from './input-required.js';
import { classifyTransportError, describeNetworkError } from './network-errors.js';
import { MAX_SERVER_TEXT, boundText, stripRpcPrefix } from './server-text.js';
import { UniversalMcpError, type ErrorDetails } from './universal-mcp-error.js';

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
