import { getMaxListeners, setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });
const NO_BODY = new Set([101, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Our listeners live only while their request does, so a signal shared by many requests in flight (the SDK's transport signal) holds one per request: allow that many. */
const SHARED_SIGNAL_LISTENERS = 1024;

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

/**
 * `fetch` over node:http with keep-alive agents, for the SDK's HTTP transports. undici's fetch
 * costs about three times as much per request here, and the SDK's one long-lived AbortSignal
 * collects a listener per undici request until GC (MaxListenersExceeded warnings by the hundred);
 * this one removes its abort listener when the response ends. Network failures reject with
 * `TypeError('fetch failed', { cause })`, as undici does. Redirects are returned as they are when
 * `redirect: 'manual'` (the SDK follows them itself) and followed otherwise.
 */
export const nodeFetch: FetchLike = (input, init = {}) => request(new URL(String(input)), init, 0);

function request(url: URL, init: RequestInit, redirects: number): Promise<Response> {
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
  return new Promise<Response>((resolve, reject) => {
    const req = (secure ? https : http).request(url, { method, headers, agent: secure ? httpsAgent : httpAgent });
    let settled = false;
    const onAbort = (): void => {
      req.destroy();
      if (!settled) {
        settled = true;
        reject(abortError(signal!));
      }
    };
    const detach = (): void => signal?.removeEventListener('abort', onAbort);
    if (signal !== undefined && getMaxListeners(signal) < SHARED_SIGNAL_LISTENERS) setMaxListeners(SHARED_SIGNAL_LISTENERS, signal);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      detach();
      if (settled) return;
      settled = true;
      reject(new TypeError('fetch failed', { cause: err }));
    });
    req.on('response', (res) => {
      settled = true;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECT.has(status) && location !== undefined && init.redirect !== 'manual' && init.redirect !== 'error') {
        res.resume();
        detach();
        if (redirects >= MAX_REDIRECTS) return reject(new TypeError('fetch failed', { cause: new Error('too many redirects') }));
        const next = new URL(location, url);
        const keepBody = status === 307 || status === 308;
        const nextInit: RequestInit = keepBody ? init : { ...init, method: method === 'HEAD' ? 'HEAD' : 'GET', body: undefined };
        return resolve(request(next, nextInit, redirects + 1));
      }
      const responseHeaders = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      res.once('close', detach);
      const hasBody = method !== 'HEAD' && !NO_BODY.has(status);
      if (!hasBody) res.resume();
      const response = new Response(hasBody ? (Readable.toWeb(res) as ReadableStream<Uint8Array>) : null, {
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
