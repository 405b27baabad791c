import { afterEach, describe, expect, it, vi } from 'vitest';
import { brokerReplicaOf, InputBroker, type Outcome } from '../src/input-broker.js';

// The broker alone: the upstream work is a function that asks through the call's caller, as the
// router does for a 2025 upstream's request or a 2026 upstream's input round.

const offersAll = (): boolean => true;
const never = new AbortController().signal;
const elicit = (message: string) => ({ message, requestedSchema: { type: 'object', properties: {} } });

/** The round a call's next step shows the client (fails the test if it completed instead). */
function roundOf<T>(outcome: Outcome<T>) {
  if (!('input' in outcome)) throw new Error(`expected a round, got ${JSON.stringify(outcome)}`);
  return outcome.input;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('InputBroker', () => {
  it('a call that asks nothing completes on the first request', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 'echo', offersAll);
    call.run(async () => 'done');
    await expect(call.next(never)).resolves.toEqual({ complete: 'done' });
    expect(broker.waiting).toBe(0);
  });

  it("an upstream request becomes a round; the retry's answer settles it and the call completes", async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 'deploy', offersAll);
    call.run(async (signal) => {
      const answer = (await call.caller.ask('elicitation', elicit('Sure?'), signal)) as { action: string };
      return `answered ${answer.action}`;
    });
    const round = roundOf(await call.next(never));
    expect(round.resultType).toBe('input_required');
    expect(Object.values(round.inputRequests)).toEqual([{ method: 'elicitation/create', params: elicit('Sure?') }]);
    expect(brokerReplicaOf(round.requestState)).toBe('a');
    expect(broker.waiting).toBe(1);
    const key = Object.keys(round.inputRequests)[0]!;
    const resumed = broker.resume<string>(round.requestState, 'tools/call', 'deploy', { [key]: { action: 'accept' } });
    expect(resumed).toBe(call);
    await expect(resumed.next(never)).resolves.toEqual({ complete: 'answered accept' });
    expect(broker.waiting).toBe(0);
    // The call has ended: its state names nothing any more.
    expect(() => broker.resume(round.requestState, 'tools/call', 'deploy', {})).toThrow(/has ended or expired/);
  });

  it('requests made together form one round; one left unanswered is asked again in the next', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('prompts/get', 'p', offersAll);
    call.run(async (signal) => {
      const [model, roots] = await Promise.all([
        call.caller.ask('sampling', { messages: [], maxTokens: 5 }, signal),
        call.caller.ask('roots', undefined, signal),
      ]);
      return JSON.stringify([model, roots]);
    });
    const first = roundOf(await call.next(never));
    expect(Object.values(first.inputRequests).map((r) => r.method)).toEqual(['sampling/createMessage', 'roots/list']);
    const [sampleKey, rootsKey] = Object.keys(first.inputRequests) as [string, string];
    broker.resume(first.requestState, 'prompts/get', 'p', { [sampleKey]: { role: 'assistant' } });
    const second = roundOf(await call.next(never));
    expect(second.requestState).not.toBe(first.requestState);
    expect(Object.values(second.inputRequests)).toEqual([{ method: 'roots/list' }]);
    expect(Object.keys(second.inputRequests)).not.toContain(rootsKey);
    // The first round's state is stale now.
    expect(() => broker.resume(first.requestState, 'prompts/get', 'p', {})).toThrow(/earlier round/);
    const key = Object.keys(second.inputRequests)[0]!;
    broker.resume(second.requestState, 'prompts/get', 'p', { [key]: { roots: [] } });
    await expect(call.next(never)).resolves.toEqual({ complete: '[{"role":"assistant"},{"roots":[]}]' });
  });

  it("keeps the upstream's own keys in a round where it gave them, and its own where two would clash", async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 't', offersAll);
    call.run(async (signal) => {
      await Promise.all([
        call.caller.ask('elicitation', elicit('name?'), signal, 'user_name'),
        call.caller.ask('roots', undefined, signal, 'user_name'),
        call.caller.ask('sampling', { messages: [], maxTokens: 1 }, signal),
      ]);
      return 'done';
    });
    const round = roundOf(await call.next(never));
    const keys = Object.keys(round.inputRequests);
    expect(keys[0]).toBe('user_name');
    expect(new Set(keys).size).toBe(3);
    broker.close();
  });

  it('answers given with the first request settle the requests of those keys without a round', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const given = { user_name: { action: 'accept', content: { name: 'Ada' } }, extra: { action: 'accept' } };
    const call = broker.start<string>('tools/call', 't', offersAll, given);
    call.run(async (signal) =>
      JSON.stringify(await call.caller.ask('elicitation', elicit('name?'), signal, 'user_name')),
    );
    await expect(call.next(never)).resolves.toEqual({ complete: JSON.stringify(given.user_name) });
    expect(broker.waiting).toBe(0);
  });

  it('refuses a state it did not mint, of another replica, or of another request, as invalid params', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 'deploy', offersAll);
    call.run(async (signal) => String(await call.caller.ask('roots', undefined, signal)));
    const round = roundOf(await call.next(never));
    const other = round.requestState.replace('gw1.a.', 'gw1.b.');
    const refusal = (state: string, target = 'deploy') => {
      try {
        broker.resume(state, 'tools/call', target, {});
      } catch (err) {
        return err as { code: number; message: string; data: unknown };
      }
      throw new Error('resumed');
    };
    expect(refusal('forged')).toMatchObject({ code: -32602, data: { reason: 'invalid_request_state' } });
    expect(refusal(other).message).toMatch(/replica "b"/);
    expect(refusal(round.requestState, 'rm -rf').message).toMatch(/not this request/);
    broker.close();
  });

  it('a round not answered in time fails the upstream request and cancels the upstream call', async () => {
    vi.useFakeTimers();
    const broker = new InputBroker({ replica: 'a', answerTimeoutMs: 5_000 });
    const call = broker.start<string>('tools/call', 'deploy', offersAll);
    let upstream: AbortSignal | undefined;
    const asked = vi.fn();
    call.run(async (signal) => {
      upstream = signal;
      return String(await call.caller.ask('roots', undefined, signal).catch((err: Error) => (asked(err), 'x')));
    });
    const next = call.next(never);
    await vi.advanceTimersByTimeAsync(0);
    const round = roundOf(await next);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(asked).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/in time/) }));
    expect(upstream?.aborted).toBe(true);
    expect(broker.waiting).toBe(0);
    expect(() => broker.resume(round.requestState, 'tools/call', 'deploy', {})).toThrow(/expired/);
  });

  it('the downstream request going away while the upstream works cancels the upstream call', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 'slow', offersAll);
    let upstream: AbortSignal | undefined;
    call.run(
      (signal) =>
        new Promise((_resolve, reject) => {
          upstream = signal;
          signal.addEventListener('abort', () => reject(new Error('cancelled upstream')));
        }),
    );
    const downstream = new AbortController();
    const next = call.next(downstream.signal);
    downstream.abort(new Error('client gone'));
    await expect(next).rejects.toThrow('client gone');
    expect(upstream?.aborted).toBe(true);
  });

  it('a request the upstream withdraws before the client sees it is not shown', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 't', offersAll);
    const withdraw = new AbortController();
    let finish: (v: string) => void = () => undefined;
    call.run(async (signal) => {
      void call.caller.ask('roots', undefined, withdraw.signal).catch(() => undefined);
      withdraw.abort(new Error('withdrawn'));
      void call.caller.ask('elicitation', elicit('still?'), signal).then(() => finish('ok'));
      return new Promise<string>((resolve) => (finish = resolve));
    });
    const round = roundOf(await call.next(never));
    expect(Object.values(round.inputRequests).map((r) => r.method)).toEqual(['elicitation/create']);
    const key = Object.keys(round.inputRequests)[0]!;
    broker.resume(round.requestState, 'tools/call', 't', { [key]: { action: 'cancel' } });
    await expect(call.next(never)).resolves.toEqual({ complete: 'ok' });
  });

  it('at most maxWaiting calls wait for answers: a round past it fails its upstream request', async () => {
    const broker = new InputBroker({ replica: 'a', maxWaiting: 1 });
    const ask = (name: string) => {
      const call = broker.start<string>('tools/call', name, offersAll);
      const failed = vi.fn();
      call.run(async (signal) => String(await call.caller.ask('roots', undefined, signal).catch(failed)));
      return { call, failed };
    };
    const first = ask('one');
    roundOf(await first.call.next(never));
    const second = ask('two');
    await expect(second.call.next(never)).rejects.toMatchObject({ message: expect.stringMatching(/Too many calls/) });
    expect(second.failed).toHaveBeenCalled();
    expect(broker.waiting).toBe(1);
    broker.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.failed).toHaveBeenCalled();
    expect(broker.waiting).toBe(0);
  });

  it('a second retry of the same round while the first is answered is refused, not left hanging', async () => {
    const broker = new InputBroker({ replica: 'a' });
    const call = broker.start<string>('tools/call', 't', offersAll);
    let release: (v: string) => void = () => undefined;
    call.run(async (signal) => {
      await call.caller.ask('roots', undefined, signal);
      return new Promise<string>((resolve) => (release = resolve));
    });
    const round = roundOf(await call.next(never));
    const key = Object.keys(round.inputRequests)[0]!;
    broker.resume(round.requestState, 'tools/call', 't', { [key]: { roots: [] } });
    const answering = call.next(never);
    expect(() => broker.resume(round.requestState, 'tools/call', 't', { [key]: { roots: [] } })).toThrow(
      /being answered already/,
    );
    await new Promise((resolve) => setImmediate(resolve));
    release('done');
    await expect(answering).resolves.toEqual({ complete: 'done' });
  });

  it('names its replica in the state, and refuses a name that cannot be carried there', () => {
    expect(() => new InputBroker({ replica: 'a.b' })).toThrow(/replica name/);
    expect(new InputBroker().replica).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(brokerReplicaOf('gw1.r-2.AAAAAAAAAAAAAAAAAAAAAA.3')).toBe('r-2');
    expect(brokerReplicaOf('upstream-state')).toBeUndefined();
  });
});
