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
  const missing = missingCapability(err);
  if (missing !== undefined) return missing;
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

/**
 * An upstream's "the client lacks a capability this needs" (-32021), as the downstream client's own
 * error: the gateway declared that client's capabilities upstream, so it is that client's to hear
 * (the SDK answers it with HTTP 400 to a 2026 client). Undefined for any other failure.
 */
export function missingCapability(err: unknown): WireError | undefined {
  if (!isUniversalMcpError(err) || err.rpcCode !== ProtocolErrorCode.MissingRequiredClientCapability) return undefined;
  const details = err.details as { requiredCapabilities?: readonly string[] } | undefined;
  const required = Object.fromEntries(
    (details?.requiredCapabilities ?? []).map((name) => [name, name === 'extensions' ? extensionsOf(err.cause) : {}]),
  );
  return new WireError(ProtocolErrorCode.MissingRequiredClientCapability, err.message, {
    requiredCapabilities: required,
  });
}

/** How many extension ids a -32021 passes on, and how long each may be (the upstream's data is not trusted). */
const MAX_EXTENSIONS = 16;
const MAX_EXTENSION_ID = 200;

/**
 * The extensions a -32021 names (`data.requiredCapabilities.extensions`, e.g. the Tasks extension for a task-only
 * tool), each as `{}`: the downstream client learns which one to declare. Bounded in count and length.
 */
function extensionsOf(cause: unknown): Record<string, object> {
  const data = (cause as { data?: { requiredCapabilities?: { extensions?: unknown } } } | undefined)?.data;
  const extensions = data?.requiredCapabilities?.extensions;
  if (typeof extensions !== 'object' || extensions === null) return {};
  const ids = Object.keys(extensions).filter((id) => id.length <= MAX_EXTENSION_ID);
  return Object.fromEntries(ids.slice(0, MAX_EXTENSIONS).map((id) => [id, {}]));
}
