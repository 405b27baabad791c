import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { isUniversalMcpError } from '@universal-mcp/supervisor';

/**
 * A JSON-RPC error for a downstream client: the SDK sends its `code`, `message` and `data` as
 * they are.
 */
export class WireError extends Error {
  override readonly name = 'WireError';
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/**
 * An upstream failure of a request that has no error result (prompts, resources, completions):
 * an SDK `ProtocolError` keeps its code, message and data; anything else is an internal error whose
 * message starts with our error code.
 */
export function toWireError(err: unknown): WireError {
  if (err instanceof WireError) return err;
  if (err instanceof ProtocolError) return new WireError(err.code, err.message, err.data);
  const code = isUniversalMcpError(err) ? err.code : 'INTERNAL';
  return new WireError(
    ProtocolErrorCode.InternalError,
    `${code}: ${err instanceof Error ? err.message : String(err)}`,
    {
      code,
    },
  );
}
