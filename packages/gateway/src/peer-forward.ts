import { GatewayError, GatewayErrorCode } from './gateway-errors.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { brokerReplicaOf } from './input-broker.js';
import { refuse } from './http-refusal.js';

/** Marks a request one replica forwarded to another: it is never forwarded again (no loops). */
const FORWARDED = 'x-umcp-forwarded-by';
/** Request headers not passed on: the connection's own, and what the peer sets itself. */
const NOT_PASSED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'origin']);
/** Response headers not passed back (the Node response frames the body itself). */
const NOT_RETURNED = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** The listener's `peers`, checked: names as replicas have them, http(s) URLs. Throws on a bad one. */
export function peerUrls(peers: Readonly<Record<string, string>> | undefined): Map<string, URL> {
  const out = new Map<string, URL>();
  for (const [name, value] of Object.entries(peers ?? {})) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
      throw new GatewayError(
        GatewayErrorCode.INVALID_OPTIONS,
        `A peer's name is 1 to 64 letters, digits, '-' or '_', got ${JSON.stringify(name)}`,
      );
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new GatewayError(GatewayErrorCode.INVALID_OPTIONS, `Peer "${name}": not a URL: ${JSON.stringify(value)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new GatewayError(
        GatewayErrorCode.INVALID_OPTIONS,
        `Peer "${name}": an http(s) URL is needed, got ${url.protocol}`,
      );
    out.set(name, url);
  }
  return out;
}

/**
 * The replica a 2026-07-28 retry belongs to when it is not this one: a POST whose `params.requestState`
 * was minted by another replica's input broker, and that no replica has forwarded yet.
 */
export function peerFor(req: IncomingMessage, body: unknown, self: string): string | undefined {
  if (req.headers[FORWARDED] !== undefined || typeof body !== 'object' || body === null) return undefined;
  const params = (body as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  const replica = brokerReplicaOf((params as { requestState?: unknown }).requestState);
  return replica === undefined || replica === self ? undefined : replica;
}

/**
 * Sends a retry to the replica whose call waits for it, and the answer back as it comes (an SSE
 * stream stays a stream). The client's credentials go with it: peers are the operator's own
 * replicas, listed in the listener's `peers`. A peer that cannot be reached is a 502.
 */
export async function forwardToPeer(
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: Buffer,
  peer: URL,
  self: string,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || NOT_PASSED.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  headers.set(FORWARDED, self);
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  let answer: Response;
  try {
    answer = await fetch(peer, { method: 'POST', headers, body: rawBody, signal: gone.signal, redirect: 'manual' });
  } catch (err) {
    if (gone.signal.aborted) return;
    return refuse(res, 502, `The gateway replica this retry belongs to cannot be reached: ${String(err)}`);
  }
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!NOT_RETURNED.has(name)) out[name] = value;
  });
  res.writeHead(answer.status, out);
  if (answer.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream)
    .on('error', () => res.destroy())
    .pipe(res);
}
