import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';

/** A network failure as a person reads it: "connection refused 127.0.0.1:9", "host not found example.invalid". */
export function describeNetworkError(err: unknown): string | undefined {
  let e = err as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 4 && e !== undefined && e !== null; depth += 1) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined) {
      const where =
        typeof e.address === 'string'
          ? `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}`
          : typeof e.hostname === 'string'
            ? e.hostname
            : '';
      const what = NETWORK_WORDS[code];
      if (what !== undefined) return `${what}${where === '' ? '' : ` ${where}`}`;
    }
    e = e.cause as typeof e;
  }
  // Some SDK errors keep only the text of the cause: "SSE error: TypeError: fetch failed: connect ECONNREFUSED
  // 127.0.0.1:9".
  const text = (err as { message?: unknown } | undefined)?.message;
  const m = typeof text === 'string' ? /\b(?:connect|getaddrinfo|read|write) (E[A-Z_]+)(?: (\S+))?/.exec(text) : null;
  const what = m?.[1] === undefined ? undefined : NETWORK_WORDS[m[1]];
  if (what !== undefined) return `${what}${m?.[2] === undefined ? '' : ` ${m[2]}`}`;
  // undici's word for a response whose socket closed mid-body: "SSE stream disconnected: TypeError: terminated".
  return typeof text === 'string' && /(?:^|TypeError: )terminated(?:$|:)/.test(text)
    ? 'the server closed the stream'
    : undefined;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** What a transport error means for the connection that reported it. */
export type TransportErrorKind = 'lost' | 'session-expired' | 'unauthorized' | 'other';

/**
 * Classifies an error a transport reported through `onerror` (or a request failed with):
 * `lost` when the connection itself is gone (fetch failed, stream cut, socket reset),
 * `session-expired` when an HTTP server no longer knows the session, `unauthorized` on an HTTP
 * 401 (the credentials were revoked or never good), else `other`.
 */
export function classifyTransportError(err: unknown): TransportErrorKind {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  // The SDK's HTTP errors carry the status apart; a legacy SSE error (SseError) carries it as a numeric code.
  const status = err instanceof SdkHttpError ? err.status : typeof e?.code === 'number' ? e.code : undefined;
  if (err instanceof SdkError) {
    // The standalone GET stream is optional: servers without it answer 405, or 404 in the wild.
    if (err.code === SdkErrorCode.ClientHttpFailedToOpenStream) return 'other';
    if (err.code === SdkErrorCode.NotConnected || err.code === SdkErrorCode.ConnectionClosed) return 'lost';
  }
  if (/Failed to open SSE stream/.test(message)) return 'other';
  // A plain 401 only: the SDK's UnauthorizedError means an OAuth flow is under way (session.ts finishes it).
  if (status === 401) return 'unauthorized';
  if (status === 404 || (status === 400 && /session/i.test(message))) return 'session-expired';
  if (/\(HTTP 404\)|HTTP 404|unknown session|session not found|No valid session/i.test(message))
    return 'session-expired';
  const sysCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (sysCode !== undefined && NETWORK_CODES.has(sysCode)) return 'lost';
  if (message === 'fetch failed' || message === 'terminated' || message === 'Not connected') return 'lost';
  if (/SSE stream disconnected|Failed to reconnect SSE stream|other side closed|socket hang up/i.test(message))
    return 'lost';
  return 'other';
}
