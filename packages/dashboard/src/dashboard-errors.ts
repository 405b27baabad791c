import { HttpCodedError, type CodedErrorOptions } from '@universal-mcp/core';

/**
 * What went wrong in the dashboard (its pages, its API and its chat), as a stable string to branch on. A server's
 * fault is not here: it comes back as core's `ErrorCode` in the answer's `code`.
 */
export const DashboardErrorCode = {
  /** A request's body or an option is not what it must be (the message says which field); nothing changed. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The conversation (or the message to edit, or to answer again) is not there. */
  NOT_FOUND: 'NOT_FOUND',
  /** The conversation is already running: stop it first. */
  RUNNING: 'RUNNING',
  /** No model provider is configured, or none by that name. */
  NO_PROVIDER: 'NO_PROVIDER',
  /** A prompt or a resource attached to a message could not be got from its server (the cause says why). */
  UPSTREAM_FAILED: 'UPSTREAM_FAILED',
  /** The chat store is closed, or its database is newer than this dashboard knows. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** The operator cancelled the request (a sampling or elicitation request raised by a dashboard call). */
  CANCELLED: 'CANCELLED',
} as const;

/** One of the {@link DashboardErrorCode} strings. */
export type DashboardErrorCode = (typeof DashboardErrorCode)[keyof typeof DashboardErrorCode];

/**
 * The HTTP status the dashboard answers with when a {@link DashboardError} of that code ends a request. The chat's
 * routes answer 400 for every error a request's work throws (what the page has always been told): kept.
 */
export const DASHBOARD_ERROR_STATUS: Readonly<Record<DashboardErrorCode, number>> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 400,
  RUNNING: 400,
  NO_PROVIDER: 400,
  UPSTREAM_FAILED: 400,
  STORE_UNAVAILABLE: 400,
  CANCELLED: 400,
};

/** The errors the dashboard throws: a core `HttpCodedError` with a {@link DashboardErrorCode} and its HTTP `status`. */
export class DashboardError extends HttpCodedError<DashboardErrorCode> {
  override readonly name = 'DashboardError';

  constructor(code: DashboardErrorCode, message: string, options?: CodedErrorOptions) {
    super(code, DASHBOARD_ERROR_STATUS[code], message, options);
  }
}

/** A {@link DashboardError} of `INVALID_INPUT`: what most request checks throw. */
export const invalidInput = (message: string): DashboardError =>
  new DashboardError(DashboardErrorCode.INVALID_INPUT, message);
