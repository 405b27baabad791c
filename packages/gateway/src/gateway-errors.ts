import { HttpCodedError, isCodedError, type CodedErrorOptions } from '@universal-mcp/core';

/**
 * What went wrong in the gateway itself, as a stable string to branch on. An upstream fault is not here: it
 * reaches the downstream client as a tool error result or a JSON-RPC error naming core's `ErrorCode`.
 */
export const GatewayErrorCode = {
  /** An option is out of its range (`revisions`, `replica`, a listener's `peers`); nothing was started. */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** The gateway was closed (by its owner): it serves nothing more. */
  CLOSED: 'CLOSED',
  /** A legacy SSE stream was closed (the client went away); nothing more can be sent on it. */
  STREAM_CLOSED: 'STREAM_CLOSED',
} as const;

/** One of the {@link GatewayErrorCode} strings. */
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** The HTTP status an HTTP listener answers with when a {@link GatewayError} of that code reaches it. */
export const GATEWAY_ERROR_STATUS: Readonly<Record<GatewayErrorCode, number>> = {
  INVALID_OPTIONS: 500,
  CLOSED: 503,
  STREAM_CLOSED: 410,
};

/** The errors the gateway throws: a core `HttpCodedError` with a {@link GatewayErrorCode} and its HTTP `status`. */
export class GatewayError extends HttpCodedError<GatewayErrorCode> {
  override readonly name = 'GatewayError';

  constructor(code: GatewayErrorCode, message: string, options?: CodedErrorOptions) {
    super(code, GATEWAY_ERROR_STATUS[code], message, options);
  }
}

/**
 * What a log line says of an upstream's failure: its code (or the error's class name), never its message, which can
 * repeat what it was asked (a resource URI with a key in its query).
 */
export function failureCode(err: unknown): string {
  if (isCodedError(err)) return String(err.code);
  return err instanceof Error ? err.name : typeof err;
}
