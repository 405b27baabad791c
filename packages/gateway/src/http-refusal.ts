import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused upload's connection stays open, its rest read and dropped, before it is cut. */
export const LINGER_MS = 2_000;

/** A JSON-RPC error reply, for what is refused before the SDK sees it. */
export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Refuses a request whose body is too large, so that the client hears it: 413 with
 * `Connection: close`, then a lingering close. Node ends such a response by closing the socket
 * once the answer is written; a client still sending then meets a TCP reset, which often reaches
 * it before the 413 does (ECONNRESET instead of an answer). So this socket only half-closes and
 * keeps reading, and dropping, what the client still sends, until the client closes or
 * {@link LINGER_MS} pass (what nginx calls a lingering close).
 */
export function refuseOversized(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => void socket.end();
  const cut = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(cut));
  req.resume();
  refuse(res, 413, `Request body over ${limit} bytes`, { connection: 'close' });
}
