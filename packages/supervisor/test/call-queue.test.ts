import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { CallQueue } from '../src/call-queue.js';

const never = () => new Promise<never>(() => undefined);
const timeoutError = () => new UniversalMcpError(ErrorCode.TIMEOUT, 'waited too long');
const policy = { concurrency: 1, intervalCap: undefined, interval: 0, maxQueued: 2 };

describe('CallQueue', () => {
  afterEach(() => vi.useRealTimers());

  it('runs up to concurrency at once and lets maxQueued wait; the next is QUEUE_FULL at once', async () => {
    const q = new CallQueue('s', policy);
    let release!: () => void;
    const first = q.run(() => new Promise<string>((r) => (release = () => r('one'))), undefined, 10_000, timeoutError);
    const waiting = [
      q.run(async () => 'two', undefined, 10_000, timeoutError),
      q.run(async () => 'three', undefined, 10_000, timeoutError),
    ];
    expect(q.pending).toBe(1);
    expect(q.queued).toBe(2);
    await expect(q.run(async () => 'four', undefined, 10_000, timeoutError)).rejects.toMatchObject({
      code: ErrorCode.QUEUE_FULL,
      server: 's',
    });
    release();
    await expect(first).resolves.toBe('one');
    await expect(Promise.all(waiting)).resolves.toEqual(['two', 'three']);
  });

  it('with maxQueued 0 still runs a call when a slot is free', async () => {
    const q = new CallQueue('s', { ...policy, maxQueued: 0 });
    await expect(q.run(async () => 1, undefined, 1000, timeoutError)).resolves.toBe(1);
    void q.run(never, undefined, 1000, timeoutError);
    await expect(q.run(async () => 2, undefined, 1000, timeoutError)).rejects.toMatchObject({
      code: ErrorCode.QUEUE_FULL,
    });
    q.close(new UniversalMcpError(ErrorCode.CLOSED, 'closed'));
  });

  it('rejects a call that waits past its deadline, and it never runs', async () => {
    vi.useFakeTimers();
    const q = new CallQueue('s', policy);
    void q.run(never, undefined, 10_000, timeoutError);
    const task = vi.fn(async () => 'late');
    const waiting = q.run(task, undefined, 500, timeoutError);
    const settled = expect(waiting).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    await vi.advanceTimersByTimeAsync(500);
    await settled;
    expect(task).not.toHaveBeenCalled();
    q.close(new UniversalMcpError(ErrorCode.CLOSED, 'closed'));
  });

  it('close() rejects every waiting call and refuses new ones; no timer is left', async () => {
    vi.useFakeTimers();
    const q = new CallQueue('s', { ...policy, maxQueued: 10 });
    void q.run(never, undefined, 60_000, timeoutError);
    const waiting = [1, 2, 3].map(() => q.run(async () => 'x', undefined, 60_000, timeoutError));
    q.close(new UniversalMcpError(ErrorCode.CLOSED, 'closed'));
    for (const w of waiting) await expect(w).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    await expect(q.run(async () => 'y', undefined, 1000, timeoutError)).rejects.toMatchObject({
      code: ErrorCode.CLOSED,
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a waiting call aborted by its signal is rejected and removed', async () => {
    const q = new CallQueue('s', policy);
    void q.run(never, undefined, 60_000, timeoutError);
    const ac = new AbortController();
    const task = vi.fn(async () => 'x');
    const waiting = q.run(task, ac.signal, 60_000, timeoutError);
    ac.abort();
    await expect(waiting).rejects.toBeDefined();
    expect(q.queued).toBe(0);
    expect(task).not.toHaveBeenCalled();
    q.close(new UniversalMcpError(ErrorCode.CLOSED, 'closed'));
  });
});
