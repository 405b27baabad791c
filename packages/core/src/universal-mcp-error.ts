import { CodedError } from './coded-error.js';
import type { ErrorCode, ErrorDetails } from './error-codes.js';
import type { ProcessExit } from './process-exit.js';

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

/** The error class core and the supervisor throw (a {@link CodedError}). Branch on `code`, never on `message`. */
export class UniversalMcpError extends CodedError<ErrorCode> {
  override readonly name = 'UniversalMcpError';
  readonly server: string | undefined;
  readonly rpcCode: number | undefined;
  /** Detail for programs; its shape depends on `code` (narrow with {@link isUniversalMcpError}). */
  readonly details: ErrorDetails[keyof ErrorDetails] | undefined;
  /** How a stdio server's process ended, when that is what broke the connection (pid, code, signal). */
  readonly exit: ProcessExit | undefined;

  constructor(code: ErrorCode, message: string, options: UniversalMcpErrorOptions = {}) {
    super(code, message, options);
    this.server = options.server;
    this.rpcCode = options.rpcCode;
    this.details = options.details;
    this.exit = options.exit;
  }

  /** A plain object for logs and JSON output (pino serializes `err` with this). */
  override toJSON(): Record<string, unknown> {
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
