import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import {
  CodedError,
  ErrorCode,
  UniversalMcpError,
  isCodedError,
  boundText,
  classifyTransportError,
  describeNetworkError,
  isUniversalMcpError,
  stripRpcPrefix,
  toUniversalError,
} from '../src/errors.js';

/** What the SDK's HTTP transport (and ours) throws for an HTTP error answer. */
const httpError = (status: number, message: string, code = SdkErrorCode.ClientHttpNotImplemented): SdkHttpError =>
  new SdkHttpError(code, message, { status });

describe('toUniversalError', () => {
  it.each([
    [new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), 'request', ErrorCode.CONNECTION_LOST],
    [new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'), 'connect', ErrorCode.CONNECT_FAILED],
    [new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), 'request', ErrorCode.TIMEOUT],
    [new ProtocolError(ProtocolErrorCode.InvalidParams, 'bad'), 'request', ErrorCode.PROTOCOL_ERROR],
    [new Error('Not connected'), 'request', ErrorCode.CONNECTION_LOST],
    [new SdkError(SdkErrorCode.NotConnected, 'Not connected'), 'request', ErrorCode.CONNECTION_LOST],
    [new UnauthorizedError(), 'connect', ErrorCode.AUTH_FAILED],
    [
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      'connect',
      ErrorCode.CONNECT_FAILED,
    ],
    [new TypeError('fetch failed'), 'request', ErrorCode.CONNECTION_LOST],
    [httpError(404, 'Error POSTing to endpoint (HTTP 404): Session not found'), 'request', ErrorCode.SESSION_EXPIRED],
    [httpError(400, 'Bad Request: No valid session ID provided'), 'request', ErrorCode.SESSION_EXPIRED],
    [Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' }), 'connect', ErrorCode.CONNECT_FAILED],
    // the shapes a dead HTTP server shows, whichever path they take
    [new Error('SSE stream disconnected: TypeError: terminated'), 'request', ErrorCode.CONNECTION_LOST],
    [new TypeError('terminated'), 'request', ErrorCode.CONNECTION_LOST],
    [new Error('Error POSTing to endpoint (HTTP 404): unknown session'), 'request', ErrorCode.SESSION_EXPIRED],
    [httpError(500, 'Error POSTing to endpoint: boom'), 'request', ErrorCode.PROTOCOL_ERROR],
    // a revoked or wrong token, with or without an auth provider
    [httpError(401, 'Error POSTing to endpoint: {"error":"invalid_token"}'), 'request', ErrorCode.AUTH_FAILED],
    [httpError(401, 'Error POSTing to endpoint: {"error":"invalid_token"}'), 'connect', ErrorCode.AUTH_FAILED],
  ] as const)('%s (%s) → %s', (err, phase, code) => {
    const mapped = toUniversalError(err, 's', phase);
    expect(mapped.code).toBe(code);
    expect(mapped.server).toBe('s');
    expect(mapped.cause).toBe(err);
  });

  it('keeps the JSON-RPC code of a server error', () => {
    expect(toUniversalError(new ProtocolError(-32602, 'bad params'), 's', 'request').rpcCode).toBe(-32602);
  });

  it('types the 2026-07-28 codes by code, with bounded details', () => {
    const supported = ['2026-07-28', 7, 'x'.repeat(10_000), ...Array<string>(100).fill('v')];
    const version = toUniversalError(
      ProtocolError.fromError(-32022, 'Unsupported protocol version', { supported, requested: '2025-11-25' }),
      's',
      'request',
    );
    expect([version.code, version.rpcCode]).toEqual([ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, -32022]);
    expect(isUniversalMcpError(version, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION)).toBe(true);
    const details = version.details as { supported: string[]; requested: string };
    expect(details.requested).toBe('2025-11-25');
    expect(details.supported[0]).toBe('2026-07-28');
    expect(details.supported.length).toBeLessThanOrEqual(16);
    expect(Math.max(...details.supported.map((v) => v.length))).toBeLessThanOrEqual(128);
    // A -32022 whose data is not the spec's shape is still typed by its code.
    expect(toUniversalError(new ProtocolError(-32022, 'no', 'junk'), 's', 'request').details).toEqual({
      supported: [],
      requested: '',
    });

    const header = toUniversalError(new ProtocolError(-32020, 'Mcp-Method does not match'), 's', 'request');
    expect([header.code, header.rpcCode, header.details]).toEqual([
      ErrorCode.PROTOCOL_ERROR,
      -32020,
      { reason: 'header_mismatch' },
    ]);
    const capability = toUniversalError(
      ProtocolError.fromError(-32021, 'needs elicitation', { requiredCapabilities: { elicitation: {}, sampling: {} } }),
      's',
      'request',
    );
    expect([capability.code, capability.details]).toEqual([
      ErrorCode.PROTOCOL_ERROR,
      { reason: 'missing_capability', requiredCapabilities: ['elicitation', 'sampling'] },
    ]);
  });

  it.each([
    ['-32602 naming only the uri', ProtocolError.fromError(-32602, 'Resource not found', { uri: 'x://gone' })],
    ['-32002 (older servers)', ProtocolError.fromError(-32002, 'Resource not found', { uri: 'x://gone' })],
  ])('a resource not found (%s) says so in details', (_, err) => {
    const mapped = toUniversalError(err, 's', 'request');
    expect([mapped.code, mapped.details]).toEqual([
      ErrorCode.PROTOCOL_ERROR,
      { reason: 'resource_not_found', uri: 'x://gone' },
    ]);
  });

  it('an ordinary -32602 is not a resource not found', () => {
    const mapped = toUniversalError(new ProtocolError(-32602, 'bad', { uri: 'x://a', field: 'n' }), 's', 'request');
    expect([mapped.code, mapped.details]).toEqual([ErrorCode.PROTOCOL_ERROR, undefined]);
  });

  it('reports an aborted signal as CANCELLED, never TIMEOUT', () => {
    const ac = new AbortController();
    ac.abort();
    expect(toUniversalError(new SdkError(SdkErrorCode.RequestTimeout, 'x'), 's', 'request', ac.signal).code).toBe(
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
    [httpError(404, 'Error POSTing to endpoint: Session not found'), 'session-expired'],
    [httpError(400, 'Bad Request: No valid session ID provided'), 'session-expired'],
    [new Error('Error POSTing to endpoint (HTTP 404): unknown session'), 'session-expired'],
    // the optional GET stream: a server without it may answer 404 instead of 405
    [httpError(404, 'Failed to open SSE stream: Not Found', SdkErrorCode.ClientHttpFailedToOpenStream), 'other'],
    [httpError(500, 'Error POSTing to endpoint: boom'), 'other'],
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
    const err = httpError(500, `Error POSTing to endpoint: ${'x'.repeat(2_000_000)}`);
    expect(toUniversalError(err, 's', 'request').message.length).toBeLessThan(400);
  });

  it('does not double the SDK prefix of a message the server prefixed itself', () => {
    expect(stripRpcPrefix('MCP error -32602: MCP error -32602: bad')).toBe('bad');
    const mapped = toUniversalError(
      new ProtocolError(ProtocolErrorCode.InvalidParams, 'MCP error -32602: bad'),
      's',
      'request',
    );
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

describe('the shared base of every error', () => {
  it('UniversalMcpError is a CodedError with its code; toJSON keeps the fields it had', () => {
    const err = new UniversalMcpError(ErrorCode.TIMEOUT, 'late', { server: 's', details: { kind: 'idle', ms: 5 } });
    expect(err).toBeInstanceOf(CodedError);
    expect(isCodedError(err, ErrorCode.TIMEOUT)).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
    expect(err.toJSON()).toMatchObject({ name: 'UniversalMcpError', code: 'TIMEOUT', server: 's', message: 'late' });
  });
});
