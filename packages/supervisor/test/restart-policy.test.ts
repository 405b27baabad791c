import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '@universal-mcp/core';
import { RestartIntensity, backoffDelay, resolvePolicy, shouldRestart } from '../src/restart-policy.js';

const backoff = { initialDelayMs: 1000, multiplier: 1.6, jitter: 0.2, maxDelayMs: 30_000, resetAfterMs: 60_000 };
const noJitter = { ...backoff, jitter: 0 };

describe('backoffDelay', () => {
  it('grows as initial × multiplier^(n-1) and stops at the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, noJitter))).toEqual([1000, 1600, 2560, 4096]);
    expect(backoffDelay(50, noJitter)).toBe(30_000);
    expect(backoffDelay(0, noJitter)).toBe(1000);
  });

  it('spreads by ± jitter of the delay, uniformly', () => {
    expect(backoffDelay(1, backoff, () => 0)).toBe(800);
    expect(backoffDelay(1, backoff, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, backoff, () => 0.999999)).toBe(1200);
    expect(backoffDelay(50, backoff, () => 0)).toBe(24_000);
    for (let n = 1; n <= 20; n += 1) {
      const base = Math.min(1000 * 1.6 ** (n - 1), 30_000);
      const d = backoffDelay(n, backoff);
      expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
      expect(d).toBeLessThanOrEqual(Math.ceil(base * 1.2));
    }
  });
});

describe('shouldRestart', () => {
  const clean = { code: 0, signal: null };
  const crash = { code: null, signal: 'SIGKILL' as const };
  it('permanent always, temporary never, transient only after an abnormal end', () => {
    expect(shouldRestart('permanent', clean)).toBe(true);
    expect(shouldRestart('temporary', crash)).toBe(false);
    expect(shouldRestart('transient', clean)).toBe(false);
    expect(shouldRestart('transient', crash)).toBe(true);
    expect(shouldRestart('transient', { code: 1, signal: null })).toBe(true);
    expect(shouldRestart('transient', undefined)).toBe(true);
  });
});

describe('RestartIntensity', () => {
  it('allows maxRestarts in the window, refuses the next, and forgets old ones', () => {
    const r = new RestartIntensity({ maxRestarts: 3, windowMs: 1000 });
    expect([r.allow(0), r.allow(100), r.allow(200)]).toEqual([true, true, true]);
    expect(r.allow(300)).toBe(false);
    expect(r.allow(1001)).toBe(true); // the restart at 0 has left the window
    r.reset();
    expect([r.allow(1002), r.allow(1003)]).toEqual([true, true]);
  });

  it('with maxRestarts 0 never restarts', () => {
    expect(new RestartIntensity({ maxRestarts: 0, windowMs: 1000 }).allow(0)).toBe(false);
  });
});

describe('resolvePolicy', () => {
  it('takes the server, then the defaults, then the built-ins', () => {
    const p = resolvePolicy(
      { restart: 'transient', backoff: { initialDelayMs: 5 }, queue: { concurrency: 2 } },
      { backoff: { maxDelayMs: 50 }, queue: { maxQueued: 3 } },
    );
    expect(p.restart).toBe('transient');
    expect(p.backoff).toEqual({ ...DEFAULT_POLICY.backoff, initialDelayMs: 5, maxDelayMs: 50 });
    expect(p.queue).toEqual({ concurrency: 2, intervalCap: undefined, interval: 0, maxQueued: 3 });
    expect(p.callTimeoutMs).toBe(60_000);
  });

  it('takes a 1 s interval for a bare intervalCap', () => {
    const p = resolvePolicy({}, { callTimeoutMs: 5000, queue: { intervalCap: 10 } });
    expect(p.callTimeoutMs).toBe(5000);
    expect(p.queue.interval).toBe(1000);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_POLICY.backoff).toMatchObject({
      initialDelayMs: 1000,
      multiplier: 1.6,
      jitter: 0.2,
      maxDelayMs: 30_000,
    });
  });
});
