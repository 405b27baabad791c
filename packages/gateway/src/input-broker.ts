import { GatewayError, GatewayErrorCode } from './gateway-errors.js';
import { randomBytes } from 'node:crypto';
import type { DownstreamCaller, InputKind } from './downstream-caller.js';
import { WireError } from './wire-error.js';

// A 2026-07-28 client cannot be sent a request: what an upstream server asks of its client
// (sampling, elicitation, roots — as a 2025 server's request, or as a 2026 server's input round
// answered through the client's handlers) reaches it as an `input_required` result instead. The
// upstream call stays open on this gateway while the client answers; its retry, under a new
// JSON-RPC id, names the call by `requestState` and its answers settle the upstream's requests.

/** The wire method of each kind of input request. */
const METHOD_OF: Readonly<Record<InputKind, string>> = {
  sampling: 'sampling/createMessage',
  elicitation: 'elicitation/create',
  roots: 'roots/list',
};

/** What `requestState` minted here starts with: `gw1.<replica>.<call id>.<round>`. */
const STATE_PREFIX = 'gw1.';
const STATE_PATTERN = /^gw1\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{22})\.(\d{1,6})$/;
/** JSON-RPC invalid params, with the reason the SDK gives for a state it cannot use. */
const INVALID_PARAMS = -32602;

/** An `input_required` result as a 2026-07-28 client receives it. */
export interface InputRequiredResult {
  readonly resultType: 'input_required';
  readonly inputRequests: Record<string, { method: string; params?: unknown }>;
  readonly requestState: string;
  [key: string]: unknown;
}

/** What {@link BrokeredCall.next} resolves with: the upstream's result, or a round for the client. */
export type Outcome<T> = { readonly complete: T } | { readonly input: InputRequiredResult };

/** Where and how long calls wait for their client's answers. */
export interface InputBrokerOptions {
  /** This gateway's name in the `requestState` it mints (replicas each have their own). @default random */
  readonly replica?: string | undefined;
  /** Calls waiting for a client's answers at once; a round past it fails its upstream request. @default 1000 */
  readonly maxWaiting?: number | undefined;
  /** How long a round waits for the client's retry (a person may be answering). @default 10 minutes */
  readonly answerTimeoutMs?: number | undefined;
}

/** One upstream request waiting for a client's answer. */
interface Ask {
  /** The upstream's key for it, if it gave one. */
  readonly key: string | undefined;
  readonly method: string;
  readonly params: unknown;
  resolve(answer: unknown): void;
  reject(err: unknown): void;
}

/** Whether `state` names a call of some gateway's broker (this replica's or another's). */
export function brokerReplicaOf(state: unknown): string | undefined {
  return typeof state === 'string' ? STATE_PATTERN.exec(state)?.[1] : undefined;
}

/** The error a client gets for a `requestState` that cannot be used (the SDK's wording and reason). */
function stateError(why: string): WireError {
  return new WireError(INVALID_PARAMS, `Invalid or expired requestState: ${why}`, { reason: 'invalid_request_state' });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One downstream 2026-07-28 call through the gateway: its upstream work, the requests the upstream
 * made of the client that are not yet answered, and the rounds it has shown the client.
 */
export class BrokeredCall<T> {
  #id: string | undefined;
  /**
   * Its name in the `requestState`: minted when first asked for (when it shows a round), so a call
   * the upstream asks nothing of never pays for the randomness.
   */
  get id(): string {
    return (this.#id ??= randomBytes(16).toString('base64url'));
  }
  /** Whether it has been named (only a named call can be waiting in the broker). */
  get named(): boolean {
    return this.#id !== undefined;
  }
  /** Given to the upstream call (`CallOptions.caller`) and to the router: the upstream's requests come here. */
  readonly caller: DownstreamCaller;
  /** The request it serves, which every retry must repeat. */
  readonly method: string;
  readonly target: string;
  readonly #broker: InputBroker;
  readonly #upstream = new AbortController();
  #settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  /** Asked by the upstream and not yet shown to the client. */
  #asked: Ask[] = [];
  /** Shown to the client in the current round, by key. */
  #shown = new Map<string, Ask>();
  #round = 0;
  #keys = 0;
  #wake: (() => void) | undefined;
  #expiry: NodeJS.Timeout | undefined;
  /** Whether a downstream request is waiting on the call now (one at a time). */
  #busy = false;
  /** Where the upstream's progress goes: the downstream request waiting now. */
  #progress: ((progress: unknown) => void) | undefined;

  /** Answers the client sent with its first request (no round yet), for the upstream's requests of those keys. */
  readonly #given: Map<string, unknown>;

  constructor(
    broker: InputBroker,
    method: string,
    target: string,
    offers: (kind: InputKind) => boolean,
    given: unknown,
  ) {
    this.#broker = broker;
    this.#given = new Map(isObject(given) ? Object.entries(given) : []);
    this.method = method;
    this.target = target;
    this.caller = {
      owner: this,
      offers,
      ask: (kind, params, signal, key) => this.#ask(METHOD_OF[kind], params, signal, key),
    };
  }

  /** Aborted when the call is given up (its client went away, or did not answer in time). */
  get signal(): AbortSignal {
    return this.#upstream.signal;
  }

  /** Progress of the upstream work, for the downstream request waiting now (if any). */
  readonly relay = (progress: unknown): void => this.#progress?.(progress);

  /** Starts the upstream work; its result or failure is what a later {@link next} returns. */
  run(work: (signal: AbortSignal) => Promise<T>): void {
    Promise.resolve(this.#upstream.signal)
      .then(work)
      .then(
        (value) => this.#settle({ ok: true, value }),
        (error: unknown) => this.#settle({ ok: false, error }),
      );
  }

  #settle(outcome: { ok: true; value: T } | { ok: false; error: unknown }): void {
    this.#settled ??= outcome;
    this.#wake?.();
  }

  #ask(method: string, params: unknown, signal: AbortSignal, key: string | undefined): Promise<unknown> {
    if (this.#settled !== undefined || this.#upstream.signal.aborted)
      return Promise.reject(new WireError(-32603, 'The downstream call has ended'));
    // A stateless client may answer before it is asked (the same keys the upstream uses): taken once.
    const early = key === undefined ? undefined : this.#given.get(key);
    if (key !== undefined && isObject(early)) {
      this.#given.delete(key);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const ask: Ask = {
        key,
        method,
        params,
        resolve: (answer) => {
          signal.removeEventListener('abort', gone);
          resolve(answer);
        },
        reject: (err) => {
          signal.removeEventListener('abort', gone);
          reject(err);
        },
      };
      // The upstream withdrew its request (cancelled, or its connection ended): no answer is wanted.
      const gone = (): void => {
        this.#asked = this.#asked.filter((a) => a !== ask);
        for (const [key, a] of this.#shown) if (a === ask) this.#shown.delete(key);
        reject(signal.reason);
      };
      if (signal.aborted) return gone();
      signal.addEventListener('abort', gone, { once: true });
      this.#asked.push(ask);
      this.#wake?.();
    });
  }

  /**
   * What the downstream request waiting now answers: the upstream's result once it has one, or a
   * round of the upstream's requests not yet answered. `signal` is that request's: aborted while
   * no round is out, it gives the whole call up (the upstream call is cancelled).
   */
  async next(signal: AbortSignal, onProgress?: (progress: unknown) => void): Promise<Outcome<T>> {
    if (this.#busy) throw stateError('a retry of this round is being answered already');
    this.#busy = true;
    this.#progress = onProgress;
    this.#stopExpiry();
    try {
      return await this.#next(signal);
    } finally {
      this.#busy = false;
      this.#progress = undefined;
    }
  }

  async #next(signal: AbortSignal): Promise<Outcome<T>> {
    for (;;) {
      const settled = this.#settled;
      if (settled !== undefined) {
        this.#broker.forget(this);
        if (settled.ok) return { complete: settled.value };
        throw settled.error;
      }
      if (signal.aborted) {
        this.#giveUp(signal.reason);
        throw signal.reason;
      }
      // Asked and not shown, or shown and left unanswered by the retry: the client gets a round.
      if (this.#asked.length > 0 || this.#shown.size > 0) {
        // Requests made together (one input round of a 2026 upstream) go to the client together.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#settled === undefined && !signal.aborted && (this.#asked.length > 0 || this.#shown.size > 0))
          return { input: this.#present() };
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Shows the client every request asked and not yet answered, as one `input_required` round. */
  #present(): InputRequiredResult {
    const unanswered = [...this.#shown.values(), ...this.#asked];
    this.#asked = [];
    // The upstream's own key where it has one and no other request of the round took it; ours otherwise.
    this.#shown = new Map();
    for (const ask of unanswered) {
      const own = ask.key !== undefined && ask.key.length <= 256 && !this.#shown.has(ask.key) ? ask.key : undefined;
      let key = own;
      while (key === undefined || this.#shown.has(key)) key = `input-${++this.#keys}`;
      this.#shown.set(key, ask);
    }
    this.#round += 1;
    try {
      this.#broker.park(this);
    } catch (err) {
      this.#giveUp(err);
      throw err;
    }
    this.#expiry = setTimeout(
      () => this.#giveUp(new WireError(-32603, 'The client did not answer the input request in time')),
      this.#broker.answerTimeoutMs,
    );
    this.#expiry.unref();
    const inputRequests: InputRequiredResult['inputRequests'] = {};
    for (const [key, ask] of this.#shown)
      inputRequests[key] =
        ask.params === undefined ? { method: ask.method } : { method: ask.method, params: ask.params };
    return {
      resultType: 'input_required',
      inputRequests,
      requestState: `${STATE_PREFIX}${this.#broker.replica}.${this.id}.${this.#round}`,
    };
  }

  /** A retry's answers: each settles the upstream request it is keyed by; the rest are shown again. */
  answer(round: number, responses: unknown): void {
    if (this.#busy) throw stateError('a retry of this round is being answered already');
    if (round !== this.#round) throw stateError('it names an earlier round');
    const given = isObject(responses) ? responses : {};
    for (const [key, ask] of this.#shown) {
      const response = given[key];
      if (!isObject(response)) continue;
      this.#shown.delete(key);
      ask.resolve(response);
    }
  }

  #stopExpiry(): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
  }

  /** Ends the call: its requests fail upstream, the upstream call is cancelled. */
  #giveUp(reason: unknown): void {
    this.#stopExpiry();
    this.#broker.forget(this);
    for (const ask of [...this.#asked, ...this.#shown.values()]) ask.reject(reason);
    this.#asked = [];
    this.#shown.clear();
    this.#upstream.abort(reason);
    this.#settle({ ok: false, error: reason });
  }

  /** The gateway is closing. */
  close(): void {
    this.#giveUp(new WireError(-32603, 'The gateway closed'));
  }
}

/**
 * The calls of 2026-07-28 clients that wait for the client's answers between rounds, found again
 * by the `requestState` of the client's retry. Calls live in this process: a retry that another
 * replica receives is forwarded here (see the listener's `peers`).
 */
export class InputBroker {
  readonly replica: string;
  readonly answerTimeoutMs: number;
  readonly #maxWaiting: number;
  readonly #waiting = new Map<string, BrokeredCall<unknown>>();

  constructor(options: InputBrokerOptions = {}) {
    const replica = options.replica ?? randomBytes(6).toString('base64url');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(replica))
      throw new GatewayError(
        GatewayErrorCode.INVALID_OPTIONS,
        `A replica name is 1 to 64 letters, digits, '-' or '_', got ${JSON.stringify(replica)}`,
      );
    this.replica = replica;
    this.answerTimeoutMs = options.answerTimeoutMs ?? 10 * 60_000;
    this.#maxWaiting = options.maxWaiting ?? 1000;
  }

  /** Calls waiting for a client's answers now. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /**
   * A new call of a downstream request (`method` on `target`, a tool, prompt or resource);
   * `inputResponses` the request carried anyway (answers to requests the upstream makes by those keys).
   */
  start<T>(
    method: string,
    target: string,
    offers: (kind: InputKind) => boolean,
    inputResponses?: unknown,
  ): BrokeredCall<T> {
    return new BrokeredCall<T>(this, method, target, offers, inputResponses);
  }

  /**
   * The call a retry's `requestState` names, given the retry's answers; throws the wire error a
   * client gets for a state that is not (or no longer) good, or for a retry of another request.
   */
  resume<T>(state: string, method: string, target: string, responses: unknown): BrokeredCall<T> {
    const m = STATE_PATTERN.exec(state);
    const invalid = stateError;
    if (m === null) throw invalid('this gateway did not mint it');
    const [, replica, id, round] = m as unknown as [string, string, string, string];
    if (replica !== this.replica) throw invalid(`it belongs to gateway replica "${replica}", which is not this one`);
    const call = this.#waiting.get(id) as BrokeredCall<T> | undefined;
    if (call === undefined) throw invalid('the call it names has ended or expired; send the request again without it');
    if (call.method !== method || call.target !== target)
      throw invalid(`it belongs to ${call.method} of "${call.target}", not this request`);
    call.answer(Number(round), responses);
    return call;
  }

  /** @internal A call shows the client a round: it waits here until the retry. */
  park(call: BrokeredCall<unknown>): void {
    if (!this.#waiting.has(call.id) && this.#waiting.size >= this.#maxWaiting)
      throw new WireError(-32603, `Too many calls wait for their client's answers (${this.#maxWaiting})`);
    this.#waiting.set(call.id, call);
  }

  /** @internal */
  forget(call: BrokeredCall<unknown>): void {
    if (call.named && this.#waiting.get(call.id) === call) this.#waiting.delete(call.id);
  }

  /** Gives up every waiting call (their upstream requests fail). */
  close(): void {
    for (const call of [...this.#waiting.values()]) call.close();
  }
}
