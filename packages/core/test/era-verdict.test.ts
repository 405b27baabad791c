import { describe, expect, it } from 'vitest';
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { eraShaped, pinnedEraError } from '../src/era-verdict.js';
import { ErrorCode, UniversalMcpError } from '../src/errors.js';

// The SDK's own error shapes for a probe, as its negotiation throws them (public-*.mjs, classifyProbeOutcome).
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
const unreachable = new SdkError(
  SdkErrorCode.EraNegotiationFailed,
  'Version negotiation probe failed: fetch failed',
  { cause: new TypeError('fetch failed', { cause: refused }) },
  { cause: new TypeError('fetch failed', { cause: refused }) },
);
const serverError = new SdkHttpError(SdkErrorCode.EraNegotiationFailed, 'HTTP 503', { status: 503, statusText: '' });
const legacyServer = new SdkError(SdkErrorCode.EraNegotiationFailed, 'the server did not offer 2026-07-28');
const refusal = new ProtocolError(ProtocolErrorCode.UnsupportedProtocolVersion, 'unsupported', {
  supported: ['2025-11-25'],
});

describe('a pinned era the server lacks, and a server that is only away', () => {
  it('a probe that got no answer is no version error: the connect is retried', () => {
    expect(pinnedEraError(unreachable, 'web', '2026-07-28')).toBeUndefined();
    expect(pinnedEraError(serverError, 'web', '2026-07-28')).toBeUndefined();
  });

  it('a 2025-era answer or a -32022 is one', () => {
    expect(pinnedEraError(legacyServer, 'web', '2026-07-28')?.code).toBe(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
    expect(pinnedEraError(refusal, 'web', '2026-07-28')?.details).toMatchObject({ supported: ['2025-11-25'] });
  });

  it.each([
    [
      'a refused connection',
      new UniversalMcpError(ErrorCode.CONNECT_FAILED, 'x', { cause: unreachable }),
      'connect',
      false,
    ],
    ['a crash', new UniversalMcpError(ErrorCode.CONNECTION_LOST, 'x'), 'discover', false],
    ['a timeout', new UniversalMcpError(ErrorCode.TIMEOUT, 'x'), 'connect', false],
    ['-32601 on a listing', new ProtocolError(ProtocolErrorCode.MethodNotFound, 'x'), 'discover', false],
    ['-32601 on the handshake', new ProtocolError(ProtocolErrorCode.MethodNotFound, 'x'), 'connect', true],
    ['-32022 on a listing', new UniversalMcpError(ErrorCode.PROTOCOL_ERROR, 'x', { cause: refusal }), 'discover', true],
    ['a pinned era not on offer', new UniversalMcpError(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, 'x'), 'connect', true],
    ['a 2025 server without its session', new UniversalMcpError(ErrorCode.SESSION_EXPIRED, 'x'), 'discover', true],
  ] as const)('%s: stale verdict %s', (_, err, phase, stale) => {
    expect(eraShaped(err, phase)).toBe(stale);
  });
});
