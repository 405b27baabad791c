import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { META_PROTOCOL_VERSION } from '@universal-mcp/core/internal';
import { versionsOf, type Revision } from './revisions.js';

/** The spec's "unsupported protocol version" error code (2026-07-28). */
const UNSUPPORTED_VERSION = -32022;

/** The revision a message's 2026-07-28 `_meta` envelope claims (undefined: a 2025-era message). */
function claimedRevision(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const meta = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
  const claimed = meta?.[META_PROTOCOL_VERSION];
  return typeof claimed === 'string' ? claimed : undefined;
}

/** The -32022 answer to a request: the versions served, and the one it asked for. */
function unsupported(message: unknown, requested: string | null, revisions: readonly Revision[]) {
  const id = (message as { id?: unknown } | null)?.id;
  return {
    jsonrpc: '2.0' as const,
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: {
      code: UNSUPPORTED_VERSION,
      message: 'Unsupported protocol version',
      data: { supported: versionsOf(revisions), requested },
    },
  };
}

/**
 * Answers a 2026-07-28 request on an endpoint that serves only the 2025 era: -32022 with the
 * versions served, HTTP 400, so a negotiating client falls back to `initialize`.
 */
export function unsupportedVersion(
  res: ServerResponse,
  request: Request,
  body: unknown,
  revisions: readonly Revision[],
): void {
  const requested = claimedRevision(body) ?? request.headers.get('mcp-protocol-version');
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify(unsupported(body, requested, revisions)));
}

/**
 * `inner` for a 2025-only server: a request with the 2026-07-28 envelope (a negotiating client's
 * `server/discover`) is answered -32022 naming the 2025 versions, and never reaches the server
 * (the SDK would answer it "method not found", which a client does not read as "fall back").
 */
export function refusingModern(inner: Transport, revisions: readonly Revision[]): Transport {
  const outer: Transport = {
    start: () => inner.start(),
    send: (message, options) => inner.send(message, options),
    close: () => inner.close(),
  };
  inner.onmessage = (message, extra) => {
    const requested = claimedRevision(message);
    if (requested === undefined) return outer.onmessage?.(message, extra);
    // A notification has nobody to answer.
    if ('id' in message)
      void inner
        .send(unsupported(message, requested, revisions) as JSONRPCMessage)
        .catch((err: unknown) => outer.onerror?.(err as Error));
  };
  inner.onclose = () => outer.onclose?.();
  inner.onerror = (err) => outer.onerror?.(err);
  return outer;
}
