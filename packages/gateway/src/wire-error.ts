import { ErrorCode as RpcErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isUniversalMcpError } from '@universal-mcp/supervisor';

/**
 * A JSON-RPC error for a downstream session: the SDK sends its `code`, `message` and `data` as
 * they are. (An SDK `McpError` puts "MCP error <code>: " in front of its message, and the
 * client's SDK puts it in front again on receipt, so a person read the prefix twice.)
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
 * an `McpError` keeps its code and data (its message without the SDK's prefix); anything else is
 * an internal error whose message starts with our error code.
 */
export function toWireError(err: unknown): WireError {
  if (err instanceof WireError) return err;
  if (err instanceof McpError) {
    const prefix = `MCP error ${err.code}: `;
    const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return new WireError(err.code, message, err.data);
  }
  const code = isUniversalMcpError(err) ? err.code : 'INTERNAL';
  return new WireError(RpcErrorCode.InternalError, `${code}: ${err instanceof Error ? err.message : String(err)}`, {
    code,
  });
}
