import {
  InMemoryTransport,
  ProtocolError,
  ResourceNotFoundError,
  SdkError,
  SdkErrorCode,
  UnsupportedProtocolVersionError,
  type JSONRPCMessage,
} from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestChannel } from '../src/request-channel.js';

/** A channel on one end of the SDK's in-memory pair; the test plays the server on the other end. */
async function linked() {
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const channel = new RequestChannel(ours);
  const forSdk: JSONRPCMessage[] = [];
  let sdkClosed = 0;
  // What the SDK Client does on connect: set its handlers, chaining whatever was there.
  ours.onmessage = (message) => forSdk.push(message);
  ours.onclose = () => (sdkClosed += 1);
  const received: JSONRPCMessage[] = [];
  theirs.onmessage = (message) => received.push(message);
  await ours.start();
  await theirs.start();
  const answer = (message: JSONRPCMessage): Promise<void> => theirs.send(message);
  return { channel, ours, theirs, received, forSdk, answer, sdkClosed: () => sdkClosed };
}

describe('RequestChannel', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('sends with a progress token and the meta given, and resolves with the checked result', async () => {
    const t = await linked();
    const told: number[] = [];
    const call = t.channel.request(
      'tools/call',
      { name: 'echo' },
      { timeoutMs: 1000, meta: { traceparent: 'tp' }, onSent: (id) => told.push(id) },
      (result) => ({ ...result, checked: true }),
    );
    expect(t.received).toEqual([
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', _meta: { traceparent: 'tp', progressToken: 1 } },
      },
    ]);
    expect(told).toEqual([1]);
    await t.answer({ jsonrpc: '2.0', id: 1, result: { content: [] } });
    await expect(call).resolves.toEqual({ content: [], checked: true });
    expect(t.channel.pending).toBe(0);
    expect(t.forSdk).toEqual([]);
  });

  it('hands the SDK what is not ours: other ids, server requests, notifications, unknown progress', async () => {
    const t = await linked();
    const others: JSONRPCMessage[] = [
      { jsonrpc: '2.0', id: 0, result: {} },
      { jsonrpc: '2.0', id: 'x', result: {} },
      { jsonrpc: '2.0', id: 7, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'hi' } },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 99, progress: 1 } },
    ];
    for (const m of others) await t.answer(m);
    expect(t.forSdk).toEqual(others);
  });

  it('a server error rejects with the SDK ProtocolError; a failing check rejects with its error', async () => {
    const t = await linked();
    const failed = t.channel.request('x', {}, { timeoutMs: 1000 });
    const unchecked = t.channel.request('y', {}, { timeoutMs: 1000 }, () => {
      throw new Error('bad shape');
    });
    await t.answer({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'no such tool', data: { a: 1 } } });
    await t.answer({ jsonrpc: '2.0', id: 2, result: {} });
    const err = (await failed.catch((e: unknown) => e)) as ProtocolError;
    expect(err).toBeInstanceOf(ProtocolError);
    expect([err.code, err.data]).toEqual([-32602, { a: 1 }]);
    await expect(unchecked).rejects.toThrow('bad shape');
  });

  it('MCP-defined codes reject with the SDK subclass for them (resource not found, unsupported version)', async () => {
    const t = await linked();
    const read = t.channel.request('resources/read', { uri: 'x://gone' }, { timeoutMs: 1000 });
    const old = t.channel.request('tools/list', {}, { timeoutMs: 1000 });
    await t.answer({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'gone', data: { uri: 'x://gone' } } });
    const data = { supported: ['2026-07-28'], requested: '2025-11-25' };
    await t.answer({ jsonrpc: '2.0', id: 2, error: { code: -32022, message: 'unsupported', data } });
    expect(await read.catch((e: unknown) => e)).toBeInstanceOf(ResourceNotFoundError);
    expect(await old.catch((e: unknown) => e)).toBeInstanceOf(UnsupportedProtocolVersionError);
  });

  it('times out on one shared timer, progress moves the deadline on, and the server is told', async () => {
    const t = await linked();
    const progress: unknown[] = [];
    const slow = t.channel.request('slow', {}, { timeoutMs: 1000, onProgress: (p) => progress.push(p) });
    const fast = t.channel.request('fast', {}, { timeoutMs: 5000 });
    const slowOutcome = slow.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(800);
    await t.answer({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } });
    expect(progress).toEqual([{ progress: 1, total: undefined }]);
    await vi.advanceTimersByTimeAsync(800); // 1,600 ms after sending, 800 after the progress: still waiting
    expect(t.channel.pending).toBe(2);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    const err = (await slowOutcome) as SdkError;
    expect(err).toBeInstanceOf(SdkError);
    expect(err.code).toBe(SdkErrorCode.RequestTimeout);
    expect(t.received.at(-1)).toMatchObject({ method: 'notifications/cancelled', params: { requestId: 1 } });
    await t.answer({ jsonrpc: '2.0', id: 2, result: { ok: true } });
    await expect(fast).resolves.toEqual({ ok: true });
    // The timer stays armed for the next request (no timer call per request); firing, it finds nothing.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an abort rejects with its reason, tells the server, and leaves no listener', async () => {
    const t = await linked();
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const done = t.channel.request('a', {}, { timeoutMs: 1000, signal: controller.signal });
    const answered = t.channel.request('b', {}, { timeoutMs: 1000, signal: controller.signal });
    await t.answer({ jsonrpc: '2.0', id: 2, result: {} });
    await answered;
    expect([add.mock.calls.length, remove.mock.calls.length]).toEqual([2, 1]);
    controller.abort(new Error('stop'));
    await expect(done).rejects.toThrow('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.received.at(-1)).toMatchObject({ method: 'notifications/cancelled', params: { requestId: 1 } });
    await expect(t.channel.request('c', {}, { timeoutMs: 1, signal: controller.signal })).rejects.toThrow('stop');
  });

  it('the transport closing tells the SDK, then rejects every request with ConnectionClosed', async () => {
    const t = await linked();
    const a = t.channel.request('a', {}, { timeoutMs: 1000 });
    await t.theirs.close();
    const err = (await a.catch((e: unknown) => e)) as SdkError;
    expect([err.code, t.sdkClosed()]).toEqual([SdkErrorCode.ConnectionClosed, 1]);
    await expect(t.channel.request('b', {}, { timeoutMs: 1000 })).rejects.toThrow('Connection closed');
    expect(vi.getTimerCount()).toBe(0);
  });
});
