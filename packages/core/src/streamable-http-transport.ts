import http from 'node:http';
import https from 'node:https';
import {
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  StreamableHTTPClientTransport,
  type JSONRPCMessage,
  type StreamableHTTPClientTransportOptions,
  type TransportSendOptions,
} from '@modelcontextprotocol/client';
import { checkStreamableEndpoint, htmlText } from './endpoint-check.js';
import { admit } from './json-rpc-shape.js';
import { tooLargeAnswer } from './message-limit.js';
import { PROTOCOL_2026 } from './protocol-era.js';
import { requestHeaders } from './request-envelope.js';
import { failedOnStaleSocket } from './node-fetch.js';
import { SseParser } from './sse-parser.js';
import { errorText, isErrorFor, readText } from './response-body.js';

/** Statuses the SDK's own `send` handles: the auth flows (the request did not run) and redirects. */
const SDK_HANDLES = new Set([301, 302, 303, 307, 308, 401, 403]);

/** Options for {@link StreamableHttpTransport}. */
export interface StreamableHttpTransportOptions extends StreamableHTTPClientTransportOptions {
  /** The config's headers, sent on every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Off: every message goes the SDK's way (a `fetch` given by the config). */
  readonly fastPath: boolean;
  /** The largest message accepted in an answer (a JSON body, or one SSE event). */
  readonly maxMessageBytes: number;
  /** Sockets for our POSTs. @default 256 */
  readonly maxSockets?: number | undefined;
}

interface InFlight {
  readonly req: http.ClientRequest;
  /** Ends the request without a word to anyone (the caller gave up on it). */
  release(): void;
}

const idOf = (message: JSONRPCMessage): number | string | undefined =>
  'method' in message && 'id' in message ? message.id : undefined;

/**
 * The SDK's Streamable HTTP client transport, with the request path our own: after the handshake
 * each message is POSTed on node:http keep-alive sockets; an `application/json` answer is parsed
 * once, an `text/event-stream` answer by {@link SseParser} straight off the socket; each message is
 * checked for its JSON-RPC shape, not parsed by a schema. What is rare stays the SDK's: the
 * handshake, the standalone GET stream, the OAuth flows (a 401 or 403 sends the message again its
 * way), redirects, and resuming a cut answer stream (`Last-Event-ID`, after the server's `retry`).
 * A `notifications/cancelled` releases the socket of the request it cancels (and in 2026-07-28 is
 * not sent: the closed stream is the cancellation).
 */
export class StreamableHttpTransport extends StreamableHTTPClientTransport {
  readonly #options: StreamableHttpTransportOptions;
  readonly #agent: http.Agent | undefined;
  readonly #inFlight = new Map<number | string, InFlight>();
  readonly #headers: Record<string, string>;
  /** Where our POSTs go, worked out once from the URL (node:http would convert the URL on every request). */
  readonly #target: http.RequestOptions;
  readonly #http: typeof http | typeof https;
  #closed = false;

  constructor(url: URL, options: StreamableHttpTransportOptions) {
    // A URL that is not a Streamable HTTP endpoint (a legacy SSE one, an HTML page) fails saying so.
    super(url, { ...options, fetch: checkStreamableEndpoint(options.fetch ?? fetch, url) });
    this.#options = options;
    const secure = url.protocol === 'https:';
    this.#agent = !options.fastPath
      ? undefined
      : new (secure ? https : http).Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
    this.#headers = lowerCased(options.headers);
    this.#http = secure ? https : http;
    const { username, password, hostname } = url;
    this.#target = {
      protocol: url.protocol,
      hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: 'POST',
      ...(username === '' && password === ''
        ? {}
        : { auth: `${decodeURIComponent(username)}:${decodeURIComponent(password)}` }),
    };
  }

  override send(message: JSONRPCMessage | JSONRPCMessage[], options?: TransportSendOptions): Promise<void> {
    if (!Array.isArray(message) && 'method' in message && message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof id === 'number' || typeof id === 'string') this.#inFlight.get(id)?.release();
      // 2026-07-28 Streamable HTTP: closing the request's answer stream IS the cancellation (spec
      // basic/transports, "Cancellation"); a notification is not sent as well.
      if (this.protocolVersion === PROTOCOL_2026) return Promise.resolve();
    }
    if (
      this.#agent === undefined ||
      this.protocolVersion === undefined ||
      Array.isArray(message) ||
      options?.resumptionToken !== undefined ||
      ('method' in message && message.method === 'notifications/initialized')
    )
      return super.send(message, options);
    const provider = this.#options.authProvider;
    // A 2026-07-28 request: the headers its `_meta` envelope implies, and the caller's `Mcp-Param-*`.
    const perRequest = 'method' in message && 'id' in message ? requestHeaders(message, options?.headers) : {};
    // No provider, no await: the headers are known now.
    const posting =
      provider === undefined
        ? this.#post(message, this.#headersWith(undefined, perRequest), false, options)
        : bearerToken(provider).then((token) =>
            this.#post(message, this.#headersWith(token, perRequest), false, options),
          );
    return posting
      .then((handled) => (handled ? undefined : super.send(message, options)))
      .catch((err: unknown) => {
        if (this.#closed) return;
        this.onerror?.(err as Error);
        throw err;
      });
  }

  override async close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#inFlight.values()) entry.req.destroy();
    this.#inFlight.clear();
    this.#agent?.destroy();
    await super.close();
  }

  /** The headers the SDK would send: the token, the session and the version, then the config's, then the types. */
  #headersWith(token: string | undefined, perRequest: Readonly<Record<string, string>>): Record<string, string> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const session = this.sessionId;
    if (session !== undefined) headers['mcp-session-id'] = session;
    const version = this.protocolVersion;
    if (version !== undefined) headers['mcp-protocol-version'] = version;
    Object.assign(headers, this.#headers);
    for (const [key, value] of Object.entries(perRequest)) headers[key.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json, text/event-stream';
    return headers;
  }

  /**
   * POSTs one message and delivers what comes back. Resolves false when the SDK should send it
   * instead (auth, redirects); true once the answer is delivered (JSON) or its stream is being read
   * (SSE).
   */
  #post(
    message: JSONRPCMessage,
    headers: Record<string, string>,
    retried: boolean,
    options: TransportSendOptions | undefined,
  ): Promise<boolean> {
    const body = JSON.stringify(message);
    headers['content-length'] = String(Buffer.byteLength(body));
    const id = idOf(message);
    return new Promise<boolean>((resolve, reject) => {
      const agent = retried ? false : this.#agent;
      const req = this.#http.request({ ...this.#target, headers, agent });
      let settled = false;
      let released = false;
      const entry: InFlight = {
        req,
        release: () => {
          released = true;
          this.#forget(id, entry);
          req.destroy();
          if (!settled) {
            settled = true;
            resolve(true);
          }
        },
      };
      if (id !== undefined) this.#inFlight.set(id, entry);
      // The caller's end of a long-lived request (the SDK's `listen()` aborts it to close the stream).
      const signal = options?.requestSignal;
      if (signal?.aborted === true) entry.release();
      else signal?.addEventListener('abort', () => entry.release(), { once: true });
      req.on('error', (err: NodeJS.ErrnoException) => {
        this.#forget(id, entry);
        if (settled || released) return;
        settled = true;
        if (!retried && failedOnStaleSocket(req, err)) {
          resolve(this.#post(message, headers, true, options));
          return;
        }
        reject(new TypeError('fetch failed', { cause: err }));
      });
      req.on('response', (res) => {
        settled = true;
        this.#answer(res, id, entry, options?.onRequestStreamEnd).then(resolve, reject);
      });
      req.end(body);
    });
  }

  #forget(id: number | string | undefined, entry: InFlight): void {
    if (id !== undefined && this.#inFlight.get(id) === entry) this.#inFlight.delete(id);
  }

  async #answer(
    res: http.IncomingMessage,
    id: number | string | undefined,
    entry: InFlight,
    onStreamEnd: (() => void) | undefined,
  ): Promise<boolean> {
    const status = res.statusCode ?? 0;
    if (SDK_HANDLES.has(status)) {
      res.resume();
      this.#forget(id, entry);
      return false;
    }
    if (status < 200 || status >= 300) {
      this.#forget(id, entry);
      const text = await errorText(res);
      // A 2026-07-28 server answers a refused request (-32020 header mismatch, -32022 version) with an
      // HTTP 400 whose body is the JSON-RPC error for it: the request's answer, as the SDK takes it.
      if (status === 400 && id !== undefined && this.protocolVersion === PROTOCOL_2026 && isErrorFor(text, id)) {
        this.#deliverText(text);
        return true;
      }
      const html = (res.headers['content-type'] ?? '').toLowerCase().startsWith('text/html');
      // The error the SDK's own send throws for the same answer.
      throw new SdkHttpError(
        SdkErrorCode.ClientHttpNotImplemented,
        `Error POSTing to endpoint: ${html ? htmlText(text) : text}`,
        { status, statusText: res.statusMessage },
      );
    }
    if (status === 202 || id === undefined) {
      res.resume();
      this.#forget(id, entry);
      return true;
    }
    const type = (res.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('text/event-stream')) {
      this.#stream(res, id, entry, onStreamEnd);
      return true;
    }
    if (!type.startsWith('application/json')) {
      res.resume();
      this.#forget(id, entry);
      const contentType = res.headers['content-type'] ?? '';
      throw new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `Unexpected content type: ${contentType}`, {
        contentType,
      });
    }
    const max = this.#options.maxMessageBytes;
    let text: string | undefined;
    try {
      text = await readText(res, max);
    } catch (err) {
      if ((err as { tooLarge?: number }).tooLarge === undefined) throw new TypeError('fetch failed', { cause: err });
      this.#deliverText(tooLargeAnswer(id, (err as { tooLarge: number }).tooLarge, max));
      return true;
    } finally {
      this.#forget(id, entry);
    }
    this.#deliverText(text);
    return true;
  }

  /**
   * Reads an answer's event stream; a stream that ends before the answer with an event id is resumed
   * the SDK's way. A request with `onStreamEnd` (`subscriptions/listen`) has its stream's end, clean
   * or cut, told there alone: it is no answer and no transport fault (its owner opens a new one).
   */
  #stream(
    res: http.IncomingMessage,
    id: number | string,
    entry: InFlight,
    onStreamEnd: (() => void) | undefined,
  ): void {
    let lastEventId: string | undefined;
    let retryMs: number | undefined;
    let answered = false;
    const max = this.#options.maxMessageBytes;
    const parser = new SseParser(
      {
        event: (event) => {
          if (event.id !== undefined) lastEventId = event.id;
          if (event.data === '' || (event.event !== undefined && event.event !== 'message')) return;
          const message = this.#deliverText(event.data);
          if (message !== undefined && 'id' in message && !('method' in message) && message.id === id) answered = true;
        },
        retry: (ms) => (retryMs = ms),
        tooLarge: (bytes) => {
          answered = true;
          this.#deliverText(tooLargeAnswer(id, bytes, max));
        },
      },
      max,
    );
    res.on('data', (chunk: Buffer) => parser.push(chunk));
    let done = false;
    const ended = (err?: unknown): void => {
      if (done) return;
      done = true;
      // Not ours any more: released (the caller gave up on it) or the transport closed.
      const released = this.#inFlight.get(id) !== entry;
      this.#forget(id, entry);
      if (this.#closed || answered || released) return;
      if (onStreamEnd !== undefined) {
        onStreamEnd();
        return;
      }
      if (lastEventId !== undefined) {
        // Resumed the SDK's way: a GET with Last-Event-ID, its answer given this request's id.
        const resume = (): void => {
          if (this.#closed) return;
          // A resume that fails leaves the request to its timeout, which answers the caller.
          super.send({ jsonrpc: '2.0', id, method: 'ping' }, { resumptionToken: lastEventId }).catch(() => undefined);
        };
        setTimeout(resume, retryMs ?? 0);
        return;
      }
      if (err !== undefined) {
        this.onerror?.(new Error(`SSE stream disconnected: ${String(err)}`));
        return;
      }
      // Ended cleanly with no answer and nothing to resume from: the answer will never come.
      this.#deliverText(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          error: { code: -32603, message: 'the server ended the answer stream without an answer' },
        }),
      );
    };
    res.once('end', () => ended());
    res.once('error', (err) => ended(err));
    res.once('aborted', () => ended(new Error('the server closed the response')));
  }

  /** Parses and checks one message and hands it on; a malformed answer becomes an error answer for its id. */
  #deliverText(text: string): JSONRPCMessage | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.onerror?.(new Error(`Server sent a message that is not JSON: ${text.slice(0, 120)}`, { cause: err }));
      return undefined;
    }
    const messages = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    let last: JSONRPCMessage | undefined;
    for (const message of messages) {
      const { deliver, problem } = admit(message);
      if (problem !== undefined)
        this.onerror?.(new Error(`Server sent a malformed JSON-RPC message (${problem}): ${text.slice(0, 120)}`));
      if (deliver === undefined) continue;
      last = deliver;
      this.onmessage?.(deliver);
    }
    return last;
  }
}

/** The bearer token the SDK would send: an OAuth provider's access token, or a plain provider's token. */
function bearerToken(
  provider: NonNullable<StreamableHTTPClientTransportOptions['authProvider']>,
): Promise<string | undefined> {
  return 'tokens' in provider
    ? Promise.resolve(provider.tokens()).then((tokens) => tokens?.access_token)
    : provider.token();
}

function lowerCased(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = value;
  return out;
}
