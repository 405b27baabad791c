// MRTR (MCP 2026-07-28, basic/patterns/mrtr.mdx): a server that needs the user, the model or the
// roots in the middle of `tools/call`, `prompts/get` or `resources/read` answers
// `resultType: "input_required"` with `inputRequests` and an opaque `requestState`; the client
// answers each request with the app's handlers (the same ones 2025 servers reach by sending
// requests) and sends the original request again with `inputResponses` and the state echoed as it
// came. The loop follows the SDK v2's `runInputRequiredDriver`: requests of one round in parallel,
// the first failure fails the call and aborts the others, a state-only round paced, a round cap.
// All its state lives in one call, so parallel calls cannot mix.
import type { ClientHandlers, HandlerContext } from './handlers.js';
import { elicitationWithDefaults } from './elicitation-defaults.js';

/** Sends one request (a new JSON-RPC id each time) and resolves with its raw `result`. */
export type SendRequest = (
  method: string,
  params: Record<string, unknown>,
  signal: AbortSignal | undefined,
) => Promise<unknown>;

/** One round of input requests, as the `onRound` callback sees it. */
export interface InputRound {
  /** 1 for the first `input_required` answer. */
  readonly round: number;
  /** The requests of this round (none when the server only asked for its state back). */
  readonly requests: readonly { readonly key: string; readonly method: string }[];
}

/** Options of {@link runWithInputs}. */
export interface RunWithInputsOptions {
  /** The server's name, for the handlers' context. */
  readonly server: string;
  /** Aborts the call: the pending send, the handlers (through their context) and the pause. */
  readonly signal?: AbortSignal | undefined;
  /** The most retries for one call. @default 10 */
  readonly maxRounds?: number | undefined;
  /** The most input requests in one round (each may ask the user something). @default 32 */
  readonly maxRequestsPerRound?: number | undefined;
  /** The pause before resending when a round has no requests, only state. @default 250 */
  readonly pacingMs?: number | undefined;
  /** Told of each round before its handlers run. A throw fails the call. */
  readonly onRound?: ((round: InputRound) => void) | undefined;
  /** Given to the handlers as `HandlerContext.caller`. */
  readonly caller?: unknown;
  /**
   * Take `resultType: "task"` as the end of the rounds (a `tools/call` that declared the Tasks extension:
   * the server may run MRTR rounds and then make a task). @default false
   */
  readonly acceptTask?: boolean | undefined;
}

/** The original request. */
export interface OriginalRequest {
  readonly method: string;
  readonly params?: Record<string, unknown> | undefined;
}

/** Why {@link runWithInputs} failed. */
export type InputRequiredReason =
  /** The result is not an object, or `input_required` with neither requests nor state. */
  | 'invalid-result'
  /** A `resultType` other than `complete` and `input_required` (and `task`, where accepted). */
  | 'unsupported-result-type'
  /** An input request that is not `{ method, params }` of its kind. */
  | 'invalid-request'
  /** An input request for a method other than elicitation/create, sampling/createMessage, roots/list. */
  | 'unknown-method'
  /** No handler for the request's method (the server asked for a capability the client did not declare). */
  | 'missing-handler'
  /** A handler threw or returned something that is not a result object. */
  | 'handler-failed'
  /** More requests in one round than `maxRequestsPerRound`. */
  | 'too-many-requests'
  /** Still `input_required` after `maxRounds` retries. */
  | 'too-many-rounds'
  /** The signal aborted. */
  | 'aborted';

/** A multi-round-trip request that could not be completed. */
export class InputRequiredError extends Error {
  override readonly name = 'InputRequiredError';
  /** Why. */
  readonly reason: InputRequiredReason;
  /** The original request's method. */
  readonly method: string;
  /** The round it failed in (0: the first answer). */
  readonly round: number;
  /** The input request's key, when one is to blame. */
  readonly key: string | undefined;

  constructor(
    reason: InputRequiredReason,
    message: string,
    details: { method: string; round: number; key?: string | undefined; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.method = details.method;
    this.round = details.round;
    this.key = details.key;
  }
}

type Params<H extends keyof ClientHandlers> = Parameters<NonNullable<ClientHandlers[H]>>[0];
type InputMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
interface Pending {
  readonly key: string;
  readonly method: InputMethod;
  /** Calls the app's handler the way the 2025 path does (elicitation defaults applied). */
  readonly answer: (context: HandlerContext) => Promise<unknown>;
}

const INPUT_METHODS = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const shown = (s: string): string => JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);

/** What a well-formed request of each kind must have; the handlers' types promise it. */
function paramsProblem(method: InputMethod, params: Record<string, unknown>): string | undefined {
  if (method === 'sampling/createMessage')
    return Array.isArray(params.messages) && typeof params.maxTokens === 'number'
      ? undefined
      : 'needs "messages" and "maxTokens"';
  if (method !== 'elicitation/create') return undefined;
  if (typeof params.message !== 'string') return 'needs a "message"';
  if (params.mode === 'url') return typeof params.url === 'string' ? undefined : 'needs a "url" in url mode';
  if (params.mode !== undefined && params.mode !== 'form') return `has an unknown mode ${shown(String(params.mode))}`;
  return isObject(params.requestedSchema) ? undefined : 'needs a "requestedSchema" in form mode';
}

/**
 * Performs `request` through `send`, completing a multi-round-trip request: while the result is
 * `input_required`, answers every input request with `handlers` and sends the request again with
 * `inputResponses` and `requestState` (the same string, never parsed). Resolves with the raw
 * complete result (a missing `resultType` is `complete`); rejects with {@link InputRequiredError},
 * or with what `send` rejects with.
 */
export async function runWithInputs(
  send: SendRequest,
  request: OriginalRequest,
  handlers: ClientHandlers,
  options: RunWithInputsOptions,
): Promise<Record<string, unknown>> {
  const { method, params = {} } = request;
  const { signal, server, onRound } = options;
  const maxRounds = options.maxRounds ?? 10;
  const maxRequests = options.maxRequestsPerRound ?? 32;
  let round = 0;
  const fail = (reason: InputRequiredReason, message: string, key?: string, cause?: unknown): InputRequiredError =>
    new InputRequiredError(reason, `${method}: ${message}`, { method, round, key, cause });
  const aborted = (): InputRequiredError => fail('aborted', 'aborted', undefined, signal?.reason);
  const untilAbort = <T>(work: Promise<T>): Promise<T> => raceAbort(work, signal, aborted);

  if (signal?.aborted) throw aborted();
  let result = await untilAbort(send(method, params, signal));
  for (;;) {
    if (!isObject(result)) throw fail('invalid-result', 'the result is not an object');
    const type = result.resultType;
    if (type === undefined || type === 'complete' || (type === 'task' && options.acceptTask === true)) return result;
    if (type !== 'input_required')
      throw fail(
        'unsupported-result-type',
        `unsupported resultType ${typeof type === 'string' ? shown(type) : typeof type}`,
      );
    const inputRequests = isObject(result.inputRequests) ? result.inputRequests : {};
    const state = typeof result.requestState === 'string' ? result.requestState : undefined;
    const keys = Object.keys(inputRequests);
    if (keys.length === 0 && state === undefined)
      throw fail('invalid-result', 'input_required with neither inputRequests nor requestState');
    round += 1;
    if (round > maxRounds) throw fail('too-many-rounds', `still required input after ${maxRounds} rounds`);
    if (keys.length > maxRequests)
      throw fail('too-many-requests', `${keys.length} input requests in one round (at most ${maxRequests})`);
    const pending = checkRequests(inputRequests, handlers, fail);
    onRound?.({ round, requests: pending.map(({ key, method: m }) => ({ key, method: m })) });
    if (signal?.aborted) throw aborted();

    const retry: Record<string, unknown> = { ...params };
    if (pending.length > 0)
      retry.inputResponses = await untilAbort(fulfil(pending, { server, caller: options.caller }, signal, fail));
    else await untilAbort(pause(options.pacingMs ?? 250, signal));
    if (state !== undefined) retry.requestState = state;
    result = await untilAbort(send(method, retry, signal));
  }
}

/** Options of {@link answerInputRequests}. */
export interface AnswerInputsOptions {
  /** The server's name, for the handlers' context. */
  readonly server: string;
  /** The request the answers are for (`tasks/update`), named in errors. */
  readonly method: string;
  /** Aborts the handlers (through their context) and the wait for them. */
  readonly signal?: AbortSignal | undefined;
  /** Given to the handlers as `HandlerContext.caller`. */
  readonly caller?: unknown;
  /** The most input requests answered at once. @default 32 */
  readonly maxRequests?: number | undefined;
}

/**
 * Answers one set of input requests (by key, MRTR's `inputRequests` shape) with `handlers`, exactly as an
 * MRTR round does: each request checked (method, params, a handler for it), elicitation defaults applied,
 * all in parallel, the first failure aborting the others. A task's input (`tasks/get` → `tasks/update`)
 * goes through here. Resolves with the responses by key; rejects with {@link InputRequiredError}.
 */
export async function answerInputRequests(
  requests: Readonly<Record<string, unknown>>,
  handlers: ClientHandlers,
  options: AnswerInputsOptions,
): Promise<Record<string, unknown>> {
  const { method, signal } = options;
  const fail = (reason: InputRequiredReason, message: string, key?: string, cause?: unknown): InputRequiredError =>
    new InputRequiredError(reason, `${method}: ${message}`, { method, round: 0, key, cause });
  const aborted = (): InputRequiredError => fail('aborted', 'aborted', undefined, signal?.reason);
  const max = options.maxRequests ?? 32;
  const count = Object.keys(requests).length;
  if (count > max) throw fail('too-many-requests', `${count} input requests at once (at most ${max})`);
  if (signal?.aborted) throw aborted();
  const pending = checkRequests(requests, handlers, fail);
  if (pending.length === 0) return {};
  return raceAbort(fulfil(pending, { server: options.server, caller: options.caller }, signal, fail), signal, aborted);
}

/** Every request of a round, checked, or the error that fails the call. */
function checkRequests(
  requests: Readonly<Record<string, unknown>>,
  handlers: ClientHandlers,
  fail: (reason: InputRequiredReason, message: string, key?: string) => InputRequiredError,
): Pending[] {
  return Object.keys(requests).map((key) => checkRequest(key, requests[key], handlers, fail));
}

/** The request at `key`, checked, or the error that fails the call. */
function checkRequest(
  key: string,
  entry: unknown,
  handlers: ClientHandlers,
  fail: (reason: InputRequiredReason, message: string, key?: string) => InputRequiredError,
): Pending {
  if (!isObject(entry) || typeof entry.method !== 'string')
    throw fail('invalid-request', `input request ${shown(key)} is not a request with a method`, key);
  const m = entry.method;
  if (!INPUT_METHODS.has(m)) throw fail('unknown-method', `input request ${shown(key)} asks for ${shown(m)}`, key);
  const method = m as InputMethod;
  const answer = answerFor(method, handlers);
  if (answer === undefined) throw fail('missing-handler', `input request ${shown(key)}: no handler for ${method}`, key);
  if (entry.params !== undefined && !isObject(entry.params))
    throw fail('invalid-request', `input request ${shown(key)} (${method}) has params that are not an object`, key);
  const params = entry.params ?? {};
  const problem = paramsProblem(method, params);
  if (problem !== undefined) throw fail('invalid-request', `input request ${shown(key)} (${method}) ${problem}`, key);
  return { key, method, answer: (context) => answer(params, context) };
}

/** The app's handler for `method`, called the way the 2025 path calls it; undefined when there is none. */
function answerFor(
  method: InputMethod,
  handlers: ClientHandlers,
): ((params: Record<string, unknown>, context: HandlerContext) => Promise<unknown>) | undefined {
  const { elicitation, sampling, roots } = handlers;
  if (method === 'elicitation/create')
    return elicitation === undefined
      ? undefined
      : async (params, context) => {
          const p = params as Params<'elicitation'>;
          return elicitationWithDefaults(p, await elicitation(p, context));
        };
  if (method === 'sampling/createMessage')
    return sampling === undefined
      ? undefined
      : async (params, context) => sampling(params as Params<'sampling'>, context);
  return roots === undefined ? undefined : async (params, context) => roots(params as Params<'roots'>, context);
}

/** Runs one round's handlers in parallel; the first failure aborts the others and fails the round. */
async function fulfil(
  pending: readonly Pending[],
  who: Pick<HandlerContext, 'server' | 'caller'>,
  outer: AbortSignal | undefined,
  fail: (reason: InputRequiredReason, message: string, key?: string, cause?: unknown) => InputRequiredError,
): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const base: HandlerContext = {
    server: who.server,
    signal: controller.signal,
    ...(who.caller === undefined ? {} : { caller: who.caller }),
  };
  try {
    const answers = await Promise.all(
      pending.map(async ({ key, method, answer }) => {
        try {
          const result = await answer({ ...base, inputKey: key });
          if (!isObject(result))
            throw new TypeError(
              `the ${method} handler returned ${result === null ? 'null' : typeof result}, not a result object`,
            );
          return [key, result] as const;
        } catch (err) {
          const error = fail(
            'handler-failed',
            // The handler's own words say why (a gateway's: which client, which capability).
            `the ${method} handler failed for input request ${shown(key)}: ${shown(messageOf(err))}`,
            key,
            err,
          );
          controller.abort(error);
          throw error;
        }
      }),
    );
    return Object.fromEntries(answers);
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
}

/** `work`, or a rejection as soon as `signal` aborts (a handler or sender that ignores it cannot hold the call). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, aborted: () => Error): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    // Abandoned (already aborted): its outcome has no one to go to, and must not go unhandled.
    work.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? aborted() : err);
      },
    );
  });
}

/** Waits `ms` (none when ≤ 0), ending early (and clearing its timer) when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
