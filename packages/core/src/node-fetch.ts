import { getMaxListeners, setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { FetchLike } from '@modelcontextprotocol/client';
import { SseEventLimiter, findMessageId, tooLargeAnswer } from './message-limit.js';

const NO_BODY = new Set([101, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** The most redirects one request follows (as undici's fetch). */
export const MAX_REDIRECTS = 20;

/** True for a status that redirects (and so may carry a `Location` to follow). */
export function isRedirect(status: number): boolean {
  return REDIRECT.has(status);
}

/**
 * The request to send to a redirect's target: a 307 or 308 keeps the method and body; any other
 * redirect becomes a GET without body (a HEAD stays a HEAD), as browsers and undici do. A redirect to another
 * origin drops `Authorization`, `Proxy-Authorization` and `Cookie`.
 */
export function redirectInit(status: number, init: RequestInit, from: URL, to: URL): RequestInit {
  // Credentials are for the origin they were given for: a redirect elsewhere does not carry them (as fetch does).
  const headers = from.origin === to.origin ? init.headers : withoutCredentials(init.headers);
  if (status === 307 || status === 308) return { ...init, headers };
  const method = (init.method ?? 'GET').toUpperCase();
  return { ...init, headers, method: method === 'HEAD' ? 'HEAD' : 'GET', body: undefined };
}

/** The headers a cross-origin redirect drops, as the Fetch standard does. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

function withoutCredentials(headers: RequestInit['headers']): Headers | undefined {
  if (headers === undefined) return undefined;
  const copy = new Headers(headers);
  for (const name of CREDENTIAL_HEADERS) copy.delete(name);
  return copy;
}

/**
 * Our listeners live only while their request does, so a signal shared by many requests in flight (the SDK's
 * transport signal) holds one per request: allow that many.
 */
const SHARED_SIGNAL_LISTENERS = 1024;
/** Errors of a reused keep-alive socket that the server had already closed: the request never reached it. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * True when `req` failed on a pooled keep-alive socket the server had already closed (without
 * `Connection: close`) before any byte came back: it never reached the server, so it may be sent
 * once more on a fresh socket.
 */
export function failedOnStaleSocket(req: http.ClientRequest, err: NodeJS.ErrnoException): boolean {
  return req.reusedSocket && (STALE_SOCKET.has(err.code ?? '') || err.message === 'socket hang up');
}

/** Options for {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /**
   * The largest JSON-RPC message accepted in a response, in bytes: a whole `application/json`
   * body, or one event of a `text/event-stream`. A message over it is not read on; the request it
   * answers gets a JSON-RPC error (-32099, MESSAGE_TOO_LARGE) instead. @default no limit
   */
  readonly maxMessageBytes?: number | undefined;
  /** Sockets per origin. @default 256 */
  readonly maxSockets?: number | undefined;
}

/** A `fetch` with its own socket pool, which {@link NodeFetch.destroy} closes. */
export interface NodeFetch extends FetchLike {
  /** Closes every pooled socket (an ended session's keep-alive connections). */
  destroy(): void;
}

interface InFlight {
  /** Ends the request: before its response, the fetch resolves as `202 Accepted`; after, its body ends. */
  release(): void;
}

/**
 * `fetch` over node:http with keep-alive agents of its own, for the SDK's HTTP transports.
 *
 * - undici's fetch costs about three times as much per request here, and the SDK's one long-lived
 *   AbortSignal collects a listener per undici request until GC; this one removes its abort
 *   listener when the response ends.
 * - Each instance has its own agents, so one server's hung requests never starve another's, even
 *   at the same origin; the session destroys them at close.
 * - A request the client gives up on (the SDK sends `notifications/cancelled` for it after a
 *   timeout or an abort) releases its socket at once: before its response the fetch resolves as
 *   `202 Accepted` (the SDK expects nothing more), after it the body ends.
 * - `maxMessageBytes` is enforced while reading (see {@link NodeFetchOptions}).
 * - A request that fails on a reused keep-alive socket before any byte came back (a server that
 *   closes idle sockets without `Connection: close`) is sent once more on a fresh socket.
 *
 * Network failures reject with `TypeError('fetch failed', { cause })`, as undici's do. Redirects
 * are returned as they are when `redirect: 'manual'` (the SDK follows them itself) and followed
 * otherwise.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const maxSockets = options.maxSockets ?? 256;
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };
  const inFlight = new Map<string | number, InFlight>();
  const fetch = ((input, init = {}) =>
    request(new URL(String(input)), init, 0, false, {
      agents,
      inFlight,
      maxMessageBytes: options.maxMessageBytes,
    })) as NodeFetch;
  fetch.destroy = () => {
    agents.http.destroy();
    agents.https.destroy();
    inFlight.clear();
  };
  return fetch;
}

/**
 * The shared default instance: a config without its own `fetch` gets a {@link createNodeFetch} of its own per
 * session.
 */
export const nodeFetch: FetchLike = createNodeFetch();

interface Context {
  readonly agents: { http: http.Agent; https: https.Agent };
  readonly inFlight: Map<string | number, InFlight>;
  readonly maxMessageBytes: number | undefined;
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (headers === undefined) return {};
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function bodyOf(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('node fetch: unsupported request body type');
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The id of the one JSON-RPC request a POST body carries (the SDK puts it last), if it carries one. */
function requestIdOf(body: string | Buffer | undefined): string | number | undefined {
  if (typeof body !== 'string' || !body.includes('"method"') || body.startsWith('[')) return undefined;
  const quick = findMessageId(body.slice(0, 256), body.slice(-256));
  if (quick !== undefined || !body.includes('"id"')) return quick;
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The request a `notifications/cancelled` body gives up on. */
function cancelledIdOf(body: string | Buffer | undefined): string | number | undefined {
  if (typeof body !== 'string' || !body.includes('"notifications/cancelled"')) return undefined;
  try {
    const id = (JSON.parse(body) as { params?: { requestId?: unknown } }).params?.requestId;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

function request(url: URL, init: RequestInit, redirects: number, retried: boolean, ctx: Context): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const method = (init.method ?? 'GET').toUpperCase();
  const body = bodyOf(init.body);
  const headers = headerRecord(init.headers);
  if (body !== undefined && headers['content-type'] === undefined && init.body instanceof URLSearchParams) {
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const secure = url.protocol === 'https:';
  const rpcId = method === 'POST' ? requestIdOf(body) : undefined;
  const cancelled = method === 'POST' ? cancelledIdOf(body) : undefined;
  if (cancelled !== undefined) ctx.inFlight.get(cancelled)?.release();
  return new Promise<Response>((resolve, reject) => {
    // A retry takes a socket of its own: another pooled one may be as stale as the first.
    const agent = retried ? false : secure ? ctx.agents.https : ctx.agents.http;
    const req = (secure ? https : http).request(url, { method, headers, agent });
    let settled = false;
    let released = false;
    let endBody: (() => void) | undefined;
    const track: InFlight = {
      release: () => {
        if (released) return;
        released = true;
        forget();
        if (!settled) {
          settled = true;
          detach();
          req.destroy();
          resolve(new Response(null, { status: 202 }));
        } else {
          endBody?.();
        }
      },
    };
    const forget = (): void => {
      if (rpcId !== undefined && ctx.inFlight.get(rpcId) === track) ctx.inFlight.delete(rpcId);
    };
    if (rpcId !== undefined) ctx.inFlight.set(rpcId, track);
    const onAbort = (): void => {
      req.destroy();
      forget();
      if (!settled) {
        settled = true;
        if (signal !== undefined) reject(abortError(signal));
      }
    };
    const detach = (): void => signal?.removeEventListener('abort', onAbort);
    if (signal !== undefined && getMaxListeners(signal) < SHARED_SIGNAL_LISTENERS)
      setMaxListeners(SHARED_SIGNAL_LISTENERS, signal);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => {
      detach();
      if (settled || released) return;
      settled = true;
      forget();
      if (!retried && failedOnStaleSocket(req, err)) {
        resolve(request(url, init, redirects, true, ctx));
        return;
      }
      reject(new TypeError('fetch failed', { cause: err }));
    });
    req.on('response', (res) => {
      settled = true;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT.has(status) && location !== undefined && init.redirect !== 'manual' && init.redirect !== 'error') {
        res.resume();
        detach();
        forget();
        if (redirects >= MAX_REDIRECTS)
          return reject(new TypeError('fetch failed', { cause: new Error('too many redirects') }));
        const next = new URL(location, url);
        return resolve(request(next, redirectInit(status, init, url, next), redirects + 1, false, ctx));
      }
      const responseHeaders = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2)
        responseHeaders.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '');
      res.once('close', () => {
        detach();
        forget();
      });
      const hasBody = method !== 'HEAD' && !NO_BODY.has(status);
      if (!hasBody) res.resume();
      const stream = hasBody
        ? bodyStream(res, responseHeaders.get('content-type'), ctx.maxMessageBytes, rpcId)
        : undefined;
      endBody = stream?.end;
      const response = new Response(stream?.body ?? null, {
        status,
        statusText: res.statusMessage ?? '',
        headers: responseHeaders,
      });
      Object.defineProperty(response, 'url', { value: url.href });
      resolve(response);
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/**
 * The response body as a web stream, with backpressure, the message limit applied, and an `end`
 * that closes it cleanly (a released request: the SDK sees its stream end, not an error).
 */
function bodyStream(
  res: http.IncomingMessage,
  contentType: string | null,
  maxBytes: number | undefined,
  rpcId: string | number | undefined,
): { body: ReadableStream<Uint8Array>; end: () => void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    controller.close();
  };
  const enqueue = (chunk: Buffer): void => {
    if (closed) return;
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 1) <= 0) res.pause();
  };
  let push: (chunk: Buffer) => void = enqueue;
  if (maxBytes !== undefined) {
    if (/^\s*text\/event-stream/i.test(contentType ?? '')) {
      const limiter = new SseEventLimiter(maxBytes, { push: enqueue }, rpcId);
      push = (chunk) => limiter.push(chunk);
    } else {
      let bytes = 0;
      push = (chunk) => {
        bytes += chunk.length;
        if (bytes <= maxBytes) return enqueue(chunk);
        // Over the limit: stop reading; the request it answers gets an error answer instead.
        // What was already passed on is a prefix the SDK has not parsed yet (it reads the whole body).
        if (closed) return;
        closed = true;
        const id = rpcId;
        if (id === undefined)
          controller.error(
            new TypeError('fetch failed', { cause: new Error(`response over the ${maxBytes}-byte limit`) }),
          );
        else {
          pending = Buffer.from(tooLargeAnswer(id, bytes, maxBytes));
          replaced = true;
          controller.close();
        }
        res.destroy(); // after settling: destroy() emits 'aborted' at once
      };
    }
  }
  // A JSON body over the limit is replaced whole: what was enqueued before is discarded by wrapping
  // the stream so nothing reaches the reader until the body is complete (JSON is read whole anyway).
  let pending: Buffer | undefined;
  let replaced = false;
  const raw = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      res.on('data', (chunk: Buffer) => push(chunk));
      res.once('end', close);
      res.once('error', (err) => {
        if (closed) return;
        closed = true;
        controller.error(new TypeError('fetch failed', { cause: err }));
      });
      res.once('aborted', () => {
        if (closed) return;
        closed = true;
        controller.error(new TypeError('terminated', { cause: new Error('the server closed the response') }));
      });
    },
    pull() {
      res.resume();
    },
    cancel() {
      closed = true;
      res.destroy();
    },
  });
  const end = (): void => {
    close(); // first: destroy() emits 'aborted' at once, which would error the stream
    res.destroy();
  };
  if (maxBytes === undefined || /^\s*text\/event-stream/i.test(contentType ?? '')) return { body: raw, end };
  return { body: wholeBody(raw, () => (replaced ? pending : undefined)), end };
}

/**
 * Gathers a (JSON) body whole before handing it on, so that an answer over the limit can be replaced by an error
 * answer.
 */
function wholeBody(raw: ReadableStream<Uint8Array>, replacement: () => Buffer | undefined): ReadableStream<Uint8Array> {
  const reader = raw.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
      }
      const instead = replacement();
      if (instead !== undefined) controller.enqueue(instead);
      else if (parts.length > 0) controller.enqueue(Buffer.concat(parts));
      controller.close();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
