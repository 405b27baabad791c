import { isUniversalMcpError, type ServerConfig } from '@universal-mcp/core';
import type { Attributes } from '@opentelemetry/api';

/**
 * Attribute names: the OpenTelemetry semantic conventions for MCP (gen-ai, status development),
 * written out here because `@opentelemetry/semantic-conventions` deprecates its MCP constants;
 * `umcp.*` are this library's own.
 */
export const TelemetryAttributes = {
  /** The request's method (`tools/call`). */
  METHOD: 'mcp.method.name',
  /** The JSON-RPC id the request went out with (spans only). */
  REQUEST_ID: 'jsonrpc.request.id',
  /** The Streamable HTTP session id. */
  SESSION_ID: 'mcp.session.id',
  /** The protocol version the connection speaks (agreed at `initialize`, or 2026-07-28). */
  PROTOCOL_VERSION: 'mcp.protocol.version',
  /** The resource a read is of (spans only: high cardinality). */
  RESOURCE_URI: 'mcp.resource.uri',
  /** The tool called. */
  TOOL_NAME: 'gen_ai.tool.name',
  /** The prompt got or completed. */
  PROMPT_NAME: 'gen_ai.prompt.name',
  /** `execute_tool` on tool calls. */
  OPERATION_NAME: 'gen_ai.operation.name',
  /** `pipe` for stdio, `tcp` for HTTP. */
  NETWORK_TRANSPORT: 'network.transport',
  /** `http` for HTTP servers. */
  NETWORK_PROTOCOL: 'network.protocol.name',
  /** An HTTP server's host. */
  SERVER_ADDRESS: 'server.address',
  /** An HTTP server's port. */
  SERVER_PORT: 'server.port',
  /** The JSON-RPC error code the server answered with (`-32602`), else our code (`TIMEOUT`, …), or `tool_error`. */
  ERROR_TYPE: 'error.type',
  /** The JSON-RPC error code the server answered with, as a string (`-32602`). */
  RPC_STATUS_CODE: 'rpc.response.status_code',
  /** The supervised server's name (as added to the client). */
  SERVER_NAME: 'umcp.server.name',
  /** A connection state (`connecting`, `ready`, …). */
  STATE: 'umcp.server.state',
  /** How a call ended: `ok`, `tool_error`, or an error code (`TIMEOUT`, `CONNECTION_LOST`, …). */
  OUTCOME: 'umcp.outcome',
} as const;
const A = TelemetryAttributes;

/** Metric names: the conventions' two, then the supervisor's own in the same style. */
export const TelemetryMetrics = {
  /** Histogram, seconds: a request from sent to answered (the conventions' buckets). */
  OPERATION_DURATION: 'mcp.client.operation.duration',
  /** Histogram, seconds: a session from ready to its end (`error.type` when it failed). */
  SESSION_DURATION: 'mcp.client.session.duration',
  /** Counter: requests, by server, method and `umcp.outcome`. */
  CALLS: 'umcp.client.calls',
  /** Counter: restarts scheduled, by server (and the error that caused them). */
  RESTARTS: 'umcp.server.restarts',
  /** Up-down counter: 1 for the state each server is in, 0 for the others. */
  SERVERS: 'umcp.server.state',
  /** Gauge: calls running at each server. */
  IN_FLIGHT: 'umcp.client.calls.in_flight',
  /** Gauge: calls waiting for a slot or for the server, by server. */
  QUEUED: 'umcp.client.queue.depth',
} as const;

/** `network.transport`, `server.address` and `server.port` of a config, computed once per server. */
export function connectionAttributes(config: ServerConfig): Attributes {
  if (config.transport === 'stdio') return { [A.NETWORK_TRANSPORT]: 'pipe' };
  const url = new URL(config.url);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return {
    [A.NETWORK_TRANSPORT]: 'tcp',
    [A.NETWORK_PROTOCOL]: 'http',
    [A.SERVER_ADDRESS]: url.hostname.replace(/^\[|\]$/g, ''),
    [A.SERVER_PORT]: port,
  };
}

/** The low-cardinality class of a failure: our error code. */
export function errorType(err: unknown): string {
  return isUniversalMcpError(err) ? err.code : '_OTHER';
}

/** How a failed request is recorded: its attributes on the span, and on the metrics (bounded). */
export interface Failure {
  readonly span: Attributes;
  readonly metric: Attributes;
}

/** How a tool result with `isError: true` is recorded. */
export const TOOL_ERROR: Failure = { span: { [A.ERROR_TYPE]: 'tool_error' }, metric: { [A.ERROR_TYPE]: 'tool_error' } };

/**
 * `error.type` of a failure, and `rpc.response.status_code` when the server answered with a
 * JSON-RPC error: then both are its code as a string (`-32602`), as the conventions say. On the
 * metrics, a code outside the range JSON-RPC reserves (-32768 … -32000, where MCP's and the SDK's
 * are) is `_OTHER`: a server minting a code per answer must not mint a series per answer.
 */
export function failureOf(err: unknown): Failure {
  const rpcCode = isUniversalMcpError(err) ? err.rpcCode : undefined;
  if (rpcCode === undefined) {
    const type = { [A.ERROR_TYPE]: errorType(err) };
    return { span: type, metric: type };
  }
  const code = String(rpcCode);
  const label = Number.isInteger(rpcCode) && rpcCode >= -32768 && rpcCode <= -32000 ? code : '_OTHER';
  return {
    span: { [A.ERROR_TYPE]: code, [A.RPC_STATUS_CODE]: code },
    metric: { [A.ERROR_TYPE]: label, [A.RPC_STATUS_CODE]: label },
  };
}
