import { describe, expect, it } from 'vitest';
import { McpError, ErrorCode as RpcCode } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ErrorCode,
  UniversalMcpError,
  boundText,
  classifyTransportError,
  describeNetworkError,
  isUniversalMcpError,
  stripRpcPrefix,
  toUniversalError,
} from '../src/errors.js';

describe('toUniversalError', () => {
  it.each([
    [new McpError(RpcCode.ConnectionClosed, 'Connection closed'), 'request', ErrorCode.CONNECTION_LOST],
    [new McpError(RpcCode.ConnectionClosed, 'Connection closed'), 'connect', ErrorCode.CONNECT_FAILED],
    [new McpError(RpcCode.RequestTimeout, 'Request timed out'), 'request', ErrorCode.TIMEOUT],
    [new McpError(RpcCode.InvalidParams, 'bad'), 'request', ErrorCode.PROTOCOL_ERROR],
    [new Error('Not connected'), 'request', ErrorCode.CONNECTION_LOST],
    [
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      'connect',
      ErrorCode.CONNECT_FAILED,
    ],
    [new TypeError('fetch failed'), 'request', ErrorCode.CONNECTION_LOST],
    [
      new StreamableHTTPError(404, 'Error POSTing to endpoint (HTTP 404): Session not found'),
      'request',
      ErrorCode.SESSION_EXPIRED,
    ],
    [new StreamableHTTPError(400, 'Bad Request: No valid session ID provided'), 'request', ErrorCode.SESSION_EXPIRED],
    [Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' }), 'connect', ErrorCode.CONNECT_FAILED],
    // the shapes a dead HTTP server shows, whichever path they take
    [new Error('SSE stream disconnected: TypeError: terminated'), 'request', ErrorCode.CONNECTION_LOST],
    [new TypeError('terminated'), 'request', ErrorCode.CONNECTION_LOST],
    [new Error('Error POSTing to endpoint (HTTP 404): unknown session'), 'request', ErrorCode.SESSION_EXPIRED],
    [new StreamableHTTPError(500, 'Error POSTing to endpoint: boom'), 'request', ErrorCode.PROTOCOL_ERROR],
    // a revoked or wrong token, with or without an auth provider
    [
      new StreamableHTTPError(401, 'Error POSTing to endpoint: {"error":"invalid_token"}'),
      'request',
      ErrorCode.AUTH_FAILED,
    ],
    [
      new StreamableHTTPError(401, 'Error POSTing to endpoint: {"error":"invalid_token"}'),
      'connect',
      ErrorCode.AUTH_FAILED,
    ],
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
    expect(toUniversalError(new McpError(RpcCode.RequestTimeout, 'x'), 's', 'request', ac.signal).code).toBe(
      ErrorCode.CANCELLED,
    );
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

describe('texts from elsewhere', () => {
  it('bounds a server text and says how much was left out', () => {
    const page = `<html>${'<p>error</p>\n'.repeat(200_000)}</html>`;
    const bounded = boundText(page);
    expect(bounded.length).toBeLessThan(360);
    expect(bounded).toMatch(/… \(\+\d+ more characters\)$/);
    expect(boundText('short  text\n here')).toBe('short text here');
  });

  it('bounds what toUniversalError takes from a server', () => {
    const err = new StreamableHTTPError(500, `Error POSTing to endpoint: ${'x'.repeat(2_000_000)}`);
    expect(toUniversalError(err, 's', 'request').message.length).toBeLessThan(400);
  });

  it('does not double the SDK prefix of a message the server prefixed itself', () => {
    expect(stripRpcPrefix('MCP error -32602: MCP error -32602: bad')).toBe('bad');
    const mapped = toUniversalError(new McpError(RpcCode.InvalidParams, 'MCP error -32602: bad'), 's', 'request');
    expect(mapped.message).toBe('Server "s" answered with error -32602: bad');
  });

  it.each([
    [
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
          code: 'ECONNREFUSED',
          address: '127.0.0.1',
          port: 9,
        }),
      }),
      'connection refused 127.0.0.1:9',
    ],
    [
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND a.invalid'), {
          code: 'ENOTFOUND',
          hostname: 'a.invalid',
        }),
      }),
      'host not found a.invalid',
    ],
    [
      new Error('SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:38227'),
      'connection refused 127.0.0.1:38227',
    ],
    [new Error('SSE stream disconnected: TypeError: terminated'), 'the server closed the stream'],
    [new Error('SSE error: TypeError: terminated: the server closed the response'), 'the server closed the stream'],
    [new Error('something else'), undefined],
  ])('describes a network failure as a person reads it: %s', (err, text) => {
    expect(describeNetworkError(err)).toBe(text);
  });

  it('a refused connection says where', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }),
    });
    expect(toUniversalError(err, 's', 'connect').message).toBe('Cannot connect to "s": connection refused 127.0.0.1:9');
  });
});
