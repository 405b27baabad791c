// What the gateway sends downstream comes from servers it does not trust. A result nested deeper
// than JSON.stringify's recursion (a RangeError) makes a transport's send throw, or, on the SDK's
// Streamable HTTP transport, drop the message after closing the request's stream; either way the
// SDK only logs it and the downstream request never gets an answer. Results are bounded before
// they are returned, and every response is checked at the transport as a last resort.
import { ProtocolErrorCode, type JSONRPCMessage, type RequestId, type Transport } from '@modelcontextprotocol/server';
import { boundJson, boundText } from '@universal-mcp/core/internal';

/**
 * How much of an upstream result the gateway passes on: containers nested deeper than the console
 * shows (100 levels) are replaced by a `[cut: …]` note. Size is not cut here: the upstream
 * connection already bounds a message's bytes, and a cut base64 blob would be silently corrupt.
 */
const RESULT_BOUNDS = { maxDepth: 100, maxChars: Number.POSITIVE_INFINITY } as const;

/** Results made by {@link boundResult}: they always serialize, so the guard need not try them again. */
const bounded = new WeakSet<object>();

/** An upstream result (or notification payload) that any transport can serialize, cut where it nests too deep. */
export function boundResult<T>(result: T): T {
  const value = boundJson(result, RESULT_BOUNDS).value;
  if (typeof value === 'object' && value !== null) bounded.add(value);
  return value as T;
}

/** Whether a response may fail to serialize: anything but a result {@link boundResult} made. */
function mayNotSerialize(message: JSONRPCMessage): boolean {
  const result = 'result' in message ? message.result : undefined;
  return typeof result !== 'object' || result === null || !bounded.has(result);
}

/** A response (result or error) to a downstream request, as opposed to a request or notification. */
function responseId(message: JSONRPCMessage): RequestId | undefined {
  return 'method' in message || !('id' in message) ? undefined : message.id;
}

/** The error sent in place of a response that could not be sent. */
function unsendable(id: RequestId, err: unknown): JSONRPCMessage {
  const reason = boundText(err instanceof Error ? err.message : String(err));
  return {
    jsonrpc: '2.0',
    id,
    error: { code: ProtocolErrorCode.InternalError, message: `The gateway could not send this answer: ${reason}` },
  };
}

/**
 * Makes `transport` answer every downstream request: a response that does not serialize, or
 * whose send throws, is replaced by a JSON-RPC internal error (-32603) for the same id.
 * The transport is changed in place (the SDK sets its callbacks on the object it is given).
 */
export function guardResponses<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    const id = responseId(message);
    if (id === undefined) return send(message, options);
    let safe = message;
    // A bounded result was walked once already; a second full serialization per answer is waste.
    if (mayNotSerialize(message))
      try {
        JSON.stringify(message);
      } catch (err) {
        safe = unsendable(id, err);
      }
    try {
      await send(safe, options);
    } catch (err) {
      if (safe !== message) throw err; // the error itself could not go: the transport is gone
      await send(unsendable(id, err), options);
    }
  };
  return transport;
}
