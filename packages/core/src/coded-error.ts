/** Options for {@link CodedError}. */
export interface CodedErrorOptions {
  /** What was thrown underneath (kept as the standard `cause`). */
  readonly cause?: unknown;
}

/**
 * The base every error of Universal MCP shares: a stable `code` from its package's code table
 * (core's `ErrorCode`, llm's `LlmErrorCode`, the gateway's and the console's). Branch on `code`, never on
 * `message`; `instanceof CodedError` tells ours apart from anything a dependency threw.
 */
export class CodedError<C extends string = string> extends Error {
  override readonly name: string = 'CodedError';
  readonly code: C;

  constructor(code: C, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** A plain object for logs and JSON output (pino serializes `err` with this). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** True when `err` is one of ours ({@link CodedError}), optionally with the given code. */
export function isCodedError<C extends string = string>(err: unknown, code?: C): err is CodedError<C> {
  return err instanceof CodedError && (code === undefined || err.code === code);
}

/**
 * A {@link CodedError} that carries the HTTP status it answers with (as Hono's `HTTPException` does): the gateway's
 * and the console's errors, each code with its status in their package's table.
 */
export class HttpCodedError<C extends string = string> extends CodedError<C> {
  override readonly name: string = 'HttpCodedError';
  /** The HTTP status an HTTP endpoint answers with when this error ends a request. */
  readonly status: number;

  constructor(code: C, status: number, message: string, options: CodedErrorOptions = {}) {
    super(code, message, options);
    this.status = status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}
