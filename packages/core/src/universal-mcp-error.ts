import { CodedError } from './coded-error.js';
import type { ErrorCode } from './error-codes.js';
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
  /** Calls running and waiting at the server (or waiting for it to restart). */
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
    | { readonly reason: 'resource_not_found'; readonly uri: string }
    /** A task ended `failed`: its JSON-RPC error is `rpcCode`. */
    | { readonly reason: 'task_failed'; readonly taskId: string };
  /** The versions the server supports (at most 16) and the one the request carried. */
  UNSUPPORTED_PROTOCOL_VERSION: { readonly supported: readonly string[]; readonly requested: string };
  /** The server's task id, the server, and why the task is gone. */
  TASK_LOST: {
    readonly taskId: string;
    readonly server?: string | undefined;
    readonly reason: 'not-found' | 'expired' | 'unsupported' | 'server-removed';
  };
  /** From `whenReady`: the servers not ready when one was removed. */
  CLOSED: { readonly servers?: Readonly<Record<string, ServerNotReady>> | undefined };
}
