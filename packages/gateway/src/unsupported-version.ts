import type { ServerResponse } from 'node:http';
import { META_PROTOCOL_VERSION } from '@universal-mcp/core/internal';
import { versionsOf, type Revision } from './revisions.js';

/** The spec's "unsupported protocol version" error code (2026-07-28). */
const UNSUPPORTED_VERSION = -32022;

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
  const message = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const claimed = meta?.[META_PROTOCOL_VERSION] ?? request.headers.get('mcp-protocol-version');
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      jsonrpc: '2.0',
      id,
      error: {
        code: UNSUPPORTED_VERSION,
        message: 'Unsupported protocol version',
        data: { supported: versionsOf(revisions), requested: typeof claimed === 'string' ? claimed : null },
      },
    }),
  );
}
