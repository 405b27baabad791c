import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientHandlers, HandlerContext } from '../src/handlers.js';
import { InputRequiredError, runWithInputs, type InputRound, type SendRequest } from '../src/input-required.js';

// The server here is a function over the params each send carries: what runWithInputs puts on the
// wire is all a server would see. A real SDK v2 server drives the same loop in wire-2026.test.ts.

interface Sent {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** A sender answering with `answers` in turn, recording what it was sent. */
function scripted(...answers: unknown[]): { send: SendRequest; sent: Sent[] } {
  const sent: Sent[] = [];
  const send: SendRequest = async (method, params) => {
    sent.push({ method, params: structuredClone(params) });
    if (answers.length === 0) throw new Error('no more answers');
    return answers.shift();
  };
  return { send, sent };
}

const elicit = (message: string) => ({
  method: 'elicitation/create',
  params: { mode: 'form', message, requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
});
const sample = { method: 'sampling/createMessage', params: { messages: [], maxTokens: 5 } };
const done = { resultType: 'complete', content: [{ type: 'text', text: 'done' }] };
const opts = { server: 'srv', pacingMs: 0 };
const reasonOf = async (p: Promise<unknown>): Promise<InputRequiredError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputRequiredError);
  return err as InputRequiredError;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('runWithInputs: results', () => {
  it('returns a result with no resultType (a 2025 server) or "complete" as it came, after one send', async () => {
    const old = { content: [] };
    const a = scripted(old);
    await expect(runWithInputs(a.send, { method: 'tools/call', params: { name: 't' } }, {}, opts)).resolves.toBe(old);
    const b = scripted(done);
    await expect(runWithInputs(b.send, { method: 'tools/call' }, {}, opts)).resolves.toBe(done);
    expect([a.sent.length, b.sent.length]).toEqual([1, 1]);
  });

  it.each([
    [null, 'invalid-result'],
    [[], 'invalid-result'],
    ['text', 'invalid-result'],
    [{ resultType: 'task' }, 'unsupported-result-type'],
    [{ resultType: 7 }, 'unsupported-result-type'],
    [{ resultType: 'input_required' }, 'invalid-result'],
    [{ resultType: 'input_required', inputRequests: {}, requestState: 5 }, 'invalid-result'],
  ])('fails %j with %s, without a retry', async (answer, reason) => {
    const { send, sent } = scripted(answer);
    expect((await reasonOf(runWithInputs(send, { method: 'tools/call' }, {}, opts))).reason).toBe(reason);
    expect(sent).toHaveLength(1);
  });

  it('passes on what send rejects with', async () => {
    const boom = new Error('connection lost');
    const send: SendRequest = () => Promise.reject(boom);
    await expect(runWithInputs(send, { method: 'tools/call' }, {}, opts)).rejects.toBe(boom);
  });
});

describe('runWithInputs: rounds', () => {
  it('answers every request with its handler, then resends with inputResponses and the state as it came', async () => {
    // A state a re-serializer would change: spacing, escapes, non-ASCII, U+2028, a lone surrogate.
    const state = '{ "b":1,  "a":"\\u00e9" }\u2028é\ud800 ';
    const { send, sent } = scripted(
      {
        resultType: 'input_required',
        inputRequests: { who: elicit('Your name?'), llm: sample, dirs: { method: 'roots/list' } },
        requestState: state,
      },
      done,
    );
    const seen: { kind: string; params: unknown; context: HandlerContext }[] = [];
    const handlers: ClientHandlers = {
      elicitation: (params, context) => (
        seen.push({ kind: 'elicitation', params, context }),
        { action: 'accept', content: { name: 'Ada' } }
      ),
      sampling: (params, context) => (
        seen.push({ kind: 'sampling', params, context }),
        { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }
      ),
      roots: (params, context) => (seen.push({ kind: 'roots', params, context }), { roots: [{ uri: 'file:///w' }] }),
    };
    const rounds: InputRound[] = [];
    const original = { name: 'deploy', arguments: { env: 'prod' }, _meta: { progressToken: 3 } };
    const caller = { downstream: 'request 7' };
    const result = await runWithInputs(send, { method: 'tools/call', params: original }, handlers, {
      ...opts,
      onRound: (r) => rounds.push(r),
      caller,
    });

    expect(result).toBe(done);
    expect(rounds).toEqual([
      {
        round: 1,
        requests: [
          { key: 'who', method: 'elicitation/create' },
          { key: 'llm', method: 'sampling/createMessage' },
          { key: 'dirs', method: 'roots/list' },
        ],
      },
    ]);
    expect(seen.map((s) => [s.kind, s.params, s.context.server])).toEqual([
      ['elicitation', elicit('Your name?').params, 'srv'],
      ['sampling', sample.params, 'srv'],
      ['roots', {}, 'srv'],
    ]);
    // Each handler is told whose call the round serves (a gateway routes by it).
    expect(seen.every((s) => s.context.caller === caller)).toBe(true);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.params).toEqual(original);
    const retry = sent[1]!.params;
    expect(retry.requestState).toBe(state);
    expect(retry).toEqual({
      ...original,
      inputResponses: {
        who: { action: 'accept', content: { name: 'Ada' } },
        llm: { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' },
        dirs: { roots: [{ uri: 'file:///w' }] },
      },
      requestState: state,
    });
    expect(original).toEqual({ name: 'deploy', arguments: { env: 'prod' }, _meta: { progressToken: 3 } });
  });

  it('sends only the latest round: its answers, its state, and no state when the latest has none', async () => {
    const { send, sent } = scripted(
      { resultType: 'input_required', inputRequests: { a: elicit('1') }, requestState: 's1' },
      { resultType: 'input_required', inputRequests: { b: elicit('2') } },
      done,
    );
    const elicitation = vi.fn(async () => ({ action: 'accept' as const, content: { name: 'x' } }));
    await runWithInputs(send, { method: 'prompts/get', params: { name: 'p' } }, { elicitation }, opts);
    expect(sent.map((s) => s.params)).toEqual([
      { name: 'p' },
      { name: 'p', inputResponses: { a: { action: 'accept', content: { name: 'x' } } }, requestState: 's1' },
      { name: 'p', inputResponses: { b: { action: 'accept', content: { name: 'x' } } } },
    ]);
  });

  it('pauses 250 ms before resending a round that only asks for its state back', async () => {
    vi.useFakeTimers();
    const { send, sent } = scripted({ resultType: 'input_required', requestState: 'busy' }, done);
    const rounds: InputRound[] = [];
    const run = runWithInputs(
      send,
      { method: 'resources/read', params: { uri: 'u' } },
      {},
      { server: 's', onRound: (r) => rounds.push(r) },
    );
    await vi.advanceTimersByTimeAsync(249);
    expect(sent).toHaveLength(1);
    expect(rounds).toEqual([{ round: 1, requests: [] }]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(run).resolves.toBe(done);
    expect(sent[1]!.params).toEqual({ uri: 'u', requestState: 'busy' });
  });

  it('fails with too-many-rounds once maxRounds retries still require input', async () => {
    const again = { resultType: 'input_required', requestState: 'more' };
    const { send, sent } = scripted(again, again, again, again, again);
    const err = await reasonOf(runWithInputs(send, { method: 'tools/call' }, {}, { ...opts, maxRounds: 3 }));
    expect([err.reason, err.round, sent.length]).toEqual(['too-many-rounds', 4, 4]);
  });

  it('applies the form schema defaults to an accepted answer, on a copy, as the 2025 path does', async () => {
    const requestedSchema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        tier: { type: 'string', default: 'free' },
        ['__proto__']: { type: 'string', default: { polluted: true } },
      },
    };
    const { send, sent } = scripted(
      {
        resultType: 'input_required',
        inputRequests: { f: { method: 'elicitation/create', params: { message: 'm', requestedSchema } } },
      },
      done,
    );
    const answer = { action: 'accept' as const, content: { name: 'Ada' } };
    await runWithInputs(send, { method: 'tools/call' }, { elicitation: () => answer }, opts);
    const responses = sent[1]!.params.inputResponses as Record<string, { content: object }>;
    expect(responses.f!.content).toEqual({ name: 'Ada', tier: 'free' });
    expect(Object.getPrototypeOf(responses.f!.content)).toBe(Object.prototype);
    expect(answer.content).toEqual({ name: 'Ada' });
  });
  it('applies defaults from a hostile form schema within bounds (deep anyOf, many branches)', async () => {
    const deep = JSON.parse(
      `${'{"anyOf":['.repeat(20_000)}{"type":"object","properties":{"x":{"default":1}}}${']}'.repeat(20_000)}`,
    );
    const wide = {
      anyOf: Array.from({ length: 50_000 }, () => ({ type: 'object', properties: { y: { default: 2 } } })),
    };
    for (const requestedSchema of [deep, wide]) {
      const { send, sent } = scripted(
        {
          resultType: 'input_required',
          inputRequests: { f: { method: 'elicitation/create', params: { message: 'm', requestedSchema } } },
        },
        done,
      );
      await runWithInputs(
        send,
        { method: 'tools/call' },
        { elicitation: () => ({ action: 'accept', content: {} }) },
        opts,
      );
      expect(sent).toHaveLength(2);
    }
  });
});

describe('runWithInputs: requests it cannot answer', () => {
  const round = (inputRequests: unknown) => ({ resultType: 'input_required', inputRequests });
  const all: ClientHandlers = { elicitation: () => ({ action: 'decline' }), sampling: vi.fn(), roots: vi.fn() };

  it.each([
    ['a request with no handler', { k: sample }, { elicitation: all.elicitation }, 'missing-handler'],
    ['an unknown method', { k: { method: 'tools/call', params: {} } }, all, 'unknown-method'],
    ['a request that is a string', { k: 'elicitation/create' }, all, 'invalid-request'],
    ['params that are an array', { k: { method: 'roots/list', params: [] } }, all, 'invalid-request'],
    [
      'sampling without messages',
      { k: { method: 'sampling/createMessage', params: { maxTokens: 1 } } },
      all,
      'invalid-request',
    ],
    [
      'elicitation without a message',
      { k: { method: 'elicitation/create', params: { requestedSchema: {} } } },
      all,
      'invalid-request',
    ],
    [
      'url elicitation without a url',
      { k: { method: 'elicitation/create', params: { mode: 'url', message: 'm' } } },
      all,
      'invalid-request',
    ],
  ])('fails the call on %s, calls no handler and sends no retry', async (_name, requests, handlers, reason) => {
    const { send, sent } = scripted(round({ ok: elicit('fine'), ...requests }));
    const elicitation = vi.fn(() => ({ action: 'decline' as const }));
    const err = await reasonOf(
      runWithInputs(
        send,
        { method: 'tools/call' },
        { ...handlers, elicitation: handlers.elicitation && elicitation },
        opts,
      ),
    );
    expect([err.reason, err.key, err.round]).toEqual([reason, 'k', 1]);
    expect(elicitation).not.toHaveBeenCalled();
    expect(sent).toHaveLength(1);
  });

  it('fails with too-many-requests past maxRequestsPerRound', async () => {
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, elicit('?')]));
    const { send } = scripted(round(many));
    const elicitation = vi.fn();
    expect((await reasonOf(runWithInputs(send, { method: 'tools/call' }, { elicitation }, opts))).reason).toBe(
      'too-many-requests',
    );
    expect(elicitation).not.toHaveBeenCalled();
  });

  it('keeps a "__proto__" key as a key of inputResponses', async () => {
    const { send, sent } = scripted(
      JSON.parse(`{"resultType":"input_required","inputRequests":{"__proto__":{"method":"roots/list"}}}`),
      done,
    );
    await runWithInputs(send, { method: 'tools/call' }, { roots: () => ({ roots: [] }) }, opts);
    const responses = sent[1]!.params.inputResponses as object;
    expect(Object.keys(responses)).toEqual(['__proto__']);
    expect(JSON.stringify(responses)).toBe('{"__proto__":{"roots":[]}}');
  });

  it('bounds what a hostile key or method puts in the error message', async () => {
    const key = 'k'.repeat(100_000);
    const { send } = scripted(round({ [key]: { method: 'm'.repeat(100_000) } }));
    const err = await reasonOf(runWithInputs(send, { method: 'tools/call' }, all, opts));
    expect(err.reason).toBe('unknown-method');
    expect(err.message.length).toBeLessThan(400);
  });
});

describe('runWithInputs: failures and aborts', () => {
  it('fails on the first handler that throws, aborting the others through their signal', async () => {
    const { send, sent } = scripted(
      { resultType: 'input_required', inputRequests: { slow: elicit('wait'), bad: sample } },
      done,
    );
    let slowSignal: AbortSignal | undefined;
    const boom = new Error('model down');
    const handlers: ClientHandlers = {
      elicitation: (_p, { signal }) => {
        slowSignal = signal;
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('cancelled'))),
        );
      },
      sampling: () => Promise.reject(boom),
    };
    const err = await reasonOf(runWithInputs(send, { method: 'tools/call' }, handlers, opts));
    expect([err.reason, err.key, err.cause]).toEqual(['handler-failed', 'bad', boom]);
    expect(slowSignal?.aborted).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('fails when a handler returns something that is not a result object', async () => {
    const { send } = scripted({ resultType: 'input_required', inputRequests: { r: { method: 'roots/list' } } });
    const err = await reasonOf(runWithInputs(send, { method: 'tools/call' }, { roots: () => null as never }, opts));
    expect([err.reason, err.cause]).toEqual(['handler-failed', expect.any(TypeError)]);
  });

  it('rejects at once when the signal aborts, even with a handler that ignores it', async () => {
    const { send, sent } = scripted({ resultType: 'input_required', inputRequests: { q: elicit('forever') } }, done);
    const controller = new AbortController();
    let handlerSignal: AbortSignal | undefined;
    const elicitation: ClientHandlers['elicitation'] = (_p, { signal }) => {
      handlerSignal = signal;
      setTimeout(() => controller.abort(new Error('user cancel')), 1);
      return new Promise(() => undefined);
    };
    const err = await reasonOf(
      runWithInputs(send, { method: 'tools/call' }, { elicitation }, { ...opts, signal: controller.signal }),
    );
    expect([err.reason, (err.cause as Error).message]).toEqual(['aborted', 'user cancel']);
    expect(handlerSignal?.aborted).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('sends nothing when already aborted, and leaves no timer when aborted during the pause', async () => {
    const a = scripted(done);
    expect(
      (await reasonOf(runWithInputs(a.send, { method: 'tools/call' }, {}, { ...opts, signal: AbortSignal.abort() })))
        .reason,
    ).toBe('aborted');
    expect(a.sent).toHaveLength(0);

    vi.useFakeTimers();
    const controller = new AbortController();
    const b = scripted({ resultType: 'input_required', requestState: 's' }, done);
    const run = reasonOf(
      runWithInputs(b.send, { method: 'tools/call' }, {}, { server: 's', signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect((await run).reason).toBe('aborted');
    expect(vi.getTimerCount()).toBe(0);
    expect(b.sent).toHaveLength(1);
  });
});

describe('runWithInputs: parallel calls', () => {
  it('never mixes state or answers between calls in flight at once', async () => {
    // One server for all calls: it asks each call for its own name over three rounds and checks
    // that each retry carries that call's state and answers only.
    const rounds = 3;
    const send: SendRequest = async (_method, params) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      const name = String(params.name);
      const state = params.requestState as string | undefined;
      const round = state === undefined ? 0 : Number(state.split(':')[1]);
      if (state !== undefined) {
        expect(state.split(':')[0]).toBe(name);
        expect(params.inputResponses).toEqual({ [`q${round}`]: { action: 'accept', content: { name } } });
      }
      if (round === rounds) return { resultType: 'complete', content: [{ type: 'text', text: name }] };
      return {
        resultType: 'input_required',
        inputRequests: { [`q${round + 1}`]: elicit(name) },
        requestState: `${name}:${round + 1}`,
      };
    };
    const elicitation: ClientHandlers['elicitation'] = async (params) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return { action: 'accept', content: { name: (params as { message: string }).message } };
    };
    const names = Array.from({ length: 20 }, (_, i) => `call${i}`);
    const results = await Promise.all(
      names.map((name) => runWithInputs(send, { method: 'tools/call', params: { name } }, { elicitation }, opts)),
    );
    expect(results.map((r) => (r.content as { text: string }[])[0]!.text)).toEqual(names);
  });
});
