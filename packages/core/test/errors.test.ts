import { describe, expect, it } from 'vitest';
import { McpError, ErrorCode as RpcCode } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, UniversalMcpError, classifyTransportError, isUniversalMcpError, toUniversalError } from '../src/errors.js';

describe('toUniversalError', () => {
  it.each([
    [new McpError(RpcCode.ConnectionClosed, 'Connection closed'), 'request', ErrorCode.CONNECTION_LOST],
    [new McpError(RpcCode.ConnectionClosed, 'Connection closed'), 'connect', ErrorCode.CONNECT_FAILED],
    [new McpError(RpcCode.RequestTimeout, 'Request timed out'), 'request', ErrorCode.TIMEOUT],
    [new McpError(RpcCode.InvalidParams, 'bad'), 'request', ErrorCode.PROTOCOL_ERROR],
    [new Error('Not connected'), 'request', ErrorCode.CONNECTION_LOST],
    [new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), 'connect', ErrorCode.CONNECT_FAILED],
    [new TypeError('fetch failed'), 'request', ErrorCode.CONNECTION_LOST],
    [new StreamableHTTPError(404, 'Error POSTing to endpoint (HTTP 404): Session not found'), 'request', ErrorCode.SESSION_EXPIRED],
    [new StreamableHTTPError(400, 'Bad Request: No valid session ID provided'), 'request', ErrorCode.SESSION_EXPIRED],
    [Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' }), 'connect', ErrorCode.CONNECT_FAILED],
    // the shapes a dead HTTP server shows, whichever path they take
    [new Error('SSE stream disconnected: TypeError: terminated'), 'request', ErrorCode.CONNECTION_LOST],
    [new TypeError('terminated'), 'request', ErrorCode.CONNECTION_LOST],
    [new Error('Error POSTing to endpoint (HTTP 404): unknown session'), 'request', ErrorCode.SESSION_EXPIRED],
    [new StreamableHTTPError(500, 'Error POSTing to endpoint: boom'), 'request', ErrorCode.PROTOCOL_ERROR],
  ] as const)('%s (%s) → %s', (err, phase, code) => {
    const mapped = toUniversalError(err, 's', phase);
    expect(mapped.code).toBe(code);
    expect(mapped.server).toBe('s');
    expect(mapped.cause).toBe(err);
  });

  it('keeps the JSON-RPC code of a server error', () => {
    expect(toUniversalError(new McpError(-32602, 'bad params'), 's', 'request').rpcCode).toBe(-32602);
  });

  it('reports an aborted signal as CANCELLED, never TIMEOUT', () => {
    const ac = new AbortController();
    ac.abort();
    expect(toUniversalError(new McpError(RpcCode.RequestTimeout, 'x'), 's', 'request', ac.signal).code).toBe(ErrorCode.CANCELLED);
  });

  it('passes our own errors through and narrows with isUniversalMcpError', () => {
    const e = new UniversalMcpError(ErrorCode.QUEUE_FULL, 'full');
    expect(toUniversalError(e, 's', 'request')).toBe(e);
    expect(isUniversalMcpError(e, ErrorCode.QUEUE_FULL)).toBe(true);
    expect(isUniversalMcpError(e, ErrorCode.TIMEOUT)).toBe(false);
    expect(isUniversalMcpError(new Error('x'))).toBe(false);
  });
});

describe('classifyTransportError', () => {
  it.each([
    [new StreamableHTTPError(404, 'Error POSTing to endpoint: Session not found'), 'session-expired'],
    [new StreamableHTTPError(400, 'Bad Request: No valid session ID provided'), 'session-expired'],
    [new Error('Error POSTing to endpoint (HTTP 404): unknown session'), 'session-expired'],
    // the optional GET stream: a server without it may answer 404 instead of 405
    [new StreamableHTTPError(404, 'Failed to open SSE stream: Not Found'), 'other'],
    [new StreamableHTTPError(500, 'Error POSTing to endpoint: boom'), 'other'],
    [new Error('SSE stream disconnected: TypeError: terminated'), 'lost'],
    [new TypeError('fetch failed'), 'lost'],
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'lost'],
    [new Error('Server wrote a line that is not JSON'), 'other'],
  ] as const)('%s → %s', (err, kind) => {
    expect(classifyTransportError(err)).toBe(kind);
  });
});
