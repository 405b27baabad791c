import {
  ProtocolError,
  SdkError,
  SdkErrorCode,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { MAX_TIMER_MS } from './policy.js';
import { envelopeMeta, overridden, type Envelope, type EnvelopeOverride } from './request-envelope.js';

type OnMessage = NonNullable<Transport['onmessage']>;

/** Progress as a request's `onProgress` is told it. */
export interface Progress {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

/** Options for one request on a {@link RequestChannel}. */
export interface ChannelRequestOptions {
  /** Idle timeout: the request fails with an SDK `RequestTimeout` error after this long without answer or progress. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: Progress) => void) | undefined;
  /** Entries for `params._meta` besides the progress token. */
  readonly meta?: Readonly<Record<string, string>> | undefined;
  /** Told the id the request goes out with, before it is sent. */
  readonly onSent?: ((requestId: number) => void) | undefined;
  /** Extra HTTP headers for this request's POST (`Mcp-Param-*`); stdio ignores them. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** What this 2026-07-28 request says of its client in place of the session's. */
  readonly envelope?: EnvelopeOverride | undefined;
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: unknown) => void;
  readonly timeoutMs: number;
  /** When the idle timeout runs out (performance.now() ms); moved on by progress. */
  deadline: number;
  readonly onProgress: ((progress: Progress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
  readonly check: ((result: Record<string, unknown>) => unknown) | undefined;
}

const TIMER_SLACK_MS = 1;

/**
 * Our own JSON-RPC requester on a session's transport, beside the SDK `Client`: after the
 * handshake every request goes through here, and the SDK keeps the handshake, the server's
 * requests to us and the notifications it dispatches. Per request it costs a map entry and one
 * JSON object: no schema parse of the result (each caller checks what it needs: tool results
 * cheaply, lists with the SDK's schemas), no timer of its own (one timer per channel is armed for
 * the earliest idle deadline and left armed; progress only moves a number), no AbortSignal listener unless the
 * caller gave a signal.
 *
 * Ids continue after the SDK's (it used 0 for `initialize` and sends no more requests), and an
 * answer is taken here only when its id is one of ours; everything else goes on to the SDK.
 * Install before the SDK client connects: it then sets the transport's `onmessage` and `onclose`,
 * and this channel stands in front of both.
 */
export class RequestChannel {
  readonly #transport: Transport;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #sdkOnMessage: OnMessage | undefined;
  #sdkOnClose: (() => void) | undefined;
  #closed = false;
  /** The 2026-07-28 `_meta` envelope every request carries; none in the 2025 era. */
  #envelope: (() => Envelope) | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (performance.now() ms). */
  #timerAt = Infinity;

  constructor(transport: Transport) {
    this.#transport = transport;
    const dispatch: OnMessage = (message, extra) => {
      if (!this.#take(message)) this.#sdkOnMessage?.(message, extra);
    };
    const close = (): void => {
      this.#sdkOnClose?.();
      this.#rejectAll(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
    };
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      enumerable: true,
      // Undefined until the SDK sets its own: it reads the old handler to chain it, which must not be this one.
      get: () => (this.#sdkOnMessage === undefined ? undefined : dispatch),
      set: (handler: OnMessage | undefined) => (this.#sdkOnMessage = handler),
    });
    Object.defineProperty(transport, 'onclose', {
      configurable: true,
      enumerable: true,
      get: () => (this.#sdkOnClose === undefined ? undefined : close),
      set: (handler: (() => void) | undefined) => (this.#sdkOnClose = handler),
    });
  }

  /**
   * From now on every request carries the 2026-07-28 `_meta` envelope (read per request: the log
   * level may change); the transport derives the era's HTTP headers from it.
   */
  useEnvelope(envelope: () => Envelope): void {
    this.#envelope = envelope;
  }

  /** Requests sent and not yet answered. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request; resolves with its result, after `check` when given (a throw there rejects).
   * Rejects with the server's error as an SDK `ProtocolError` (its subclass for the codes the SDK
   * knows: `ResourceNotFoundError`, `UnsupportedProtocolVersionError`, …), an `SdkError`
   * `RequestTimeout` after `timeoutMs` without an answer or progress (the server is sent
   * `notifications/cancelled`), the signal's reason on abort (likewise), or `ConnectionClosed`.
   */
  request<T>(
    method: string,
    params: Record<string, unknown> | undefined,
    options: ChannelRequestOptions,
    check?: (result: Record<string, unknown>) => T,
  ): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = signal === undefined ? undefined : (): void => this.#cancel(id, signal.reason);
      const deadline = performance.now() + options.timeoutMs;
      this.#pending.set(id, {
        resolve: resolve as (result: unknown) => void,
        reject,
        timeoutMs: options.timeoutMs,
        deadline,
        onProgress: options.onProgress,
        signal,
        onAbort,
        check: check as Pending['check'],
      });
      if (onAbort !== undefined) signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline + TIMER_SLACK_MS < this.#timerAt) this.#arm(deadline);
      options.onSent?.(id);
      const _meta = options.meta === undefined ? { progressToken: id } : { ...options.meta, progressToken: id };
      const own = this.#envelope?.();
      const envelope = own === undefined ? undefined : overridden(own, options.envelope);
      const body = { ...params, _meta: envelope === undefined ? _meta : envelopeMeta(envelope, _meta) };
      const sent = { jsonrpc: '2.0' as const, id, method, params: body };
      const headers = options.headers;
      const sending = headers === undefined ? this.#transport.send(sent) : this.#transport.send(sent, { headers });
      sending.catch((err: unknown) => {
        const entry = this.#settle(id);
        entry?.reject(err);
      });
    });
  }

  /** An answer or a progress notification for one of our requests: handled here (true), else for the SDK. */
  #take(message: JSONRPCMessage): boolean {
    if ('method' in message) {
      if (message.method !== 'notifications/progress' || 'id' in message) return false;
      const params = (message.params ?? {}) as unknown as { progressToken?: unknown } & Progress;
      const entry = typeof params.progressToken === 'number' ? this.#pending.get(params.progressToken) : undefined;
      if (entry === undefined) return false;
      entry.deadline = performance.now() + entry.timeoutMs;
      const { progress, total, message: text } = params;
      entry.onProgress?.(text === undefined ? { progress, total } : { progress, total, message: text });
      return true;
    }
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'number') return false;
    const entry = this.#settle(id);
    if (entry === undefined) return false;
    if ('error' in message) {
      const { code, message: text, data } = message.error;
      entry.reject(ProtocolError.fromError(code, text, data));
      return true;
    }
    const result = (message as { result: Record<string, unknown> }).result;
    if (entry.check === undefined) entry.resolve(result);
    else {
      try {
        entry.resolve(entry.check(result));
      } catch (err) {
        entry.reject(err);
      }
    }
    return true;
  }

  /** Takes a request out of the books (its abort listener too); undefined if it was not there. */
  #settle(id: number): Pending | undefined {
    const entry = this.#pending.get(id);
    if (entry === undefined) return undefined;
    this.#pending.delete(id);
    if (entry.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
    return entry;
  }

  /** Gives up on a request: the server is told, and the caller gets `reason`. */
  #cancel(id: number, reason: unknown): void {
    const entry = this.#settle(id);
    if (entry === undefined) return;
    entry.reject(reason);
    // Best effort: a transport that cannot send the cancel is closing, and the request is settled here anyway.
    if (this.#closed) return;
    this.#transport
      .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: String(reason) } })
      .catch(() => undefined);
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    // A timer holds at most 2^31-1 ms; a later deadline is reached by arming again when it fires.
    const ms = Math.min(Math.max(0, at - performance.now()) + TIMER_SLACK_MS, MAX_TIMER_MS);
    this.#timer = setTimeout(() => this.#expire(), ms);
    // Left armed when the last request settles (no timer call per request when one runs at a time),
    // and unref'd: a request in flight has an open transport, which keeps the process alive.
    this.#timer.unref();
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** The timer fired: requests past their idle deadline time out; the timer is armed for the next deadline. */
  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, entry] of this.#pending) {
      if (entry.deadline <= now) {
        this.#cancel(id, new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: entry.timeoutMs }));
      } else if (entry.deadline < next) next = entry.deadline;
    }
    if (next !== Infinity) this.#arm(next);
  }

  #rejectAll(err: unknown): void {
    this.#closed = true;
    this.#disarm();
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of entries) {
      if (entry.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
      entry.reject(err);
    }
  }
}
