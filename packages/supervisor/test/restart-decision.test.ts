import { describe, expect, it } from 'vitest';
import { ErrorCode, type ProcessExit } from '@universal-mcp/core';
import { decide, type RestartAction, type RestartState } from '../src/restart-decision.js';

// Pure arithmetic, so no timers at all: the clock is the `now` argument and the jitter is fixed at its midpoint
// (random 0.5 spreads by zero), so each delay is initial × multiplier^(failures-1), capped.
const half = (): number => 0.5;
const base: RestartState = {
  policy: {
    restart: 'permanent',
    backoff: { initialDelayMs: 1000, multiplier: 2, jitter: 0.2, maxDelayMs: 30_000, resetAfterMs: 60_000 },
    intensity: { maxRestarts: 3, windowMs: 10_000 },
  },
  stopping: false,
  restartRequested: false,
  settled: true,
  failFirstAttempt: false,
  readyAt: undefined,
  failures: 0,
  restartTimes: [],
};
const NOW = 100_000;
const crash: ProcessExit = { code: 1, signal: null };
const clean: ProcessExit = { code: 0, signal: null };

interface Row {
  name: string;
  state?: Partial<RestartState>;
  code?: string;
  exit?: ProcessExit;
  action: RestartAction;
  /** What the server keeps afterwards; unnamed fields as they were. */
  after?: Partial<RestartState>;
}

const rows: Row[] = [
  // Nothing to decide
  {
    name: 'a server being removed: nothing, not even a requested restart',
    state: { stopping: true, restartRequested: true, readyAt: NOW - 5, failures: 2 },
    action: { kind: 'none' },
  },
  {
    name: 'a requested restart: at once, not counted against the backoff or the intensity',
    state: { restartRequested: true, readyAt: NOW - 5, failures: 2, restartTimes: [NOW - 1, NOW - 2, NOW - 3] },
    action: { kind: 'restart', delayMs: 0, reason: 'requested' },
    after: { restartRequested: false, readyAt: undefined },
  },
  {
    name: 'failFirstAttempt before the first ready: the first attempt is rejected, nothing else',
    state: { settled: false, failFirstAttempt: true },
    code: ErrorCode.CONNECT_FAILED,
    action: { kind: 'reject-first' },
  },
  {
    name: 'failFirstAttempt once settled: restarted like any failure',
    state: { settled: true, failFirstAttempt: true },
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { failures: 1, restartTimes: [NOW] },
  },
  {
    name: 'not settled without failFirstAttempt: restarted',
    state: { settled: false },
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { failures: 1, restartTimes: [NOW] },
  },
  // Codes the same attempt would meet again
  ...[ErrorCode.AUTH_FAILED, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, ErrorCode.HOST_NOT_ALLOWED].map((code): Row => ({
    name: `${code} while connecting: given up, nothing counted`,
    state: { failures: 2 },
    code,
    action: { kind: 'give-up', reason: 'fails-at-connect' },
  })),
  {
    name: 'UNSUPPORTED_PROTOCOL_VERSION after a ready: backed off like any failure',
    state: { readyAt: NOW - 1000 },
    code: ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { readyAt: undefined, failures: 1, restartTimes: [NOW] },
  },
  // At once after a live session was dropped
  ...[ErrorCode.AUTH_FAILED, ErrorCode.SESSION_EXPIRED].map((code): Row => ({
    name: `${code} after a ready: reconnected at once, the failure not counted`,
    state: { readyAt: NOW - 1000, failures: 2 },
    code,
    action: { kind: 'restart', delayMs: 0, reason: 'immediate' },
    after: { readyAt: undefined, failures: 2, restartTimes: [NOW] },
  })),
  {
    name: 'AUTH_FAILED after a long ready: at once, and the backoff starts afresh',
    state: { readyAt: NOW - 60_000, failures: 4 },
    code: ErrorCode.AUTH_FAILED,
    action: { kind: 'restart', delayMs: 0, reason: 'immediate' },
    after: { readyAt: undefined, failures: 0, restartTimes: [NOW] },
  },
  {
    name: 'SESSION_EXPIRED while connecting: backed off',
    code: ErrorCode.SESSION_EXPIRED,
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { failures: 1, restartTimes: [NOW] },
  },
  // Backoff and its reset
  {
    name: 'the fourth failure in a row waits initial × 2³',
    state: { failures: 3 },
    action: { kind: 'restart', delayMs: 8000, reason: 'backoff' },
    after: { failures: 4, restartTimes: [NOW] },
  },
  {
    name: 'the backoff stops at maxDelayMs',
    state: { failures: 20 },
    action: { kind: 'restart', delayMs: 30_000, reason: 'backoff' },
    after: { failures: 21, restartTimes: [NOW] },
  },
  {
    name: 'ready for resetAfterMs exactly: the backoff starts afresh',
    state: { readyAt: NOW - 60_000, failures: 4 },
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { readyAt: undefined, failures: 1, restartTimes: [NOW] },
  },
  {
    name: 'ready a millisecond short of resetAfterMs: the backoff goes on',
    state: { readyAt: NOW - 59_999, failures: 4 },
    action: { kind: 'restart', delayMs: 16_000, reason: 'backoff' },
    after: { readyAt: undefined, failures: 5, restartTimes: [NOW] },
  },
  // Restart type
  {
    name: 'temporary: given up, the failure still counted',
    state: { policy: { ...base.policy, restart: 'temporary' }, readyAt: NOW - 10, failures: 1 },
    exit: crash,
    action: { kind: 'give-up', reason: 'restart-type' },
    after: { readyAt: undefined, failures: 2 },
  },
  {
    name: 'transient after exit code 0: given up',
    state: { policy: { ...base.policy, restart: 'transient' } },
    exit: clean,
    action: { kind: 'give-up', reason: 'restart-type' },
    after: { failures: 1 },
  },
  {
    name: 'transient after a crash: restarted',
    state: { policy: { ...base.policy, restart: 'transient' } },
    exit: crash,
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { failures: 1, restartTimes: [NOW] },
  },
  {
    name: 'permanent after exit code 0: restarted',
    exit: clean,
    action: { kind: 'restart', delayMs: 1000, reason: 'backoff' },
    after: { failures: 1, restartTimes: [NOW] },
  },
  // Intensity
  {
    name: 'maxRestarts already in the window: given up for intensity',
    state: { restartTimes: [NOW - 9_999, NOW - 5, NOW - 1], failures: 3 },
    action: { kind: 'give-up', reason: 'intensity' },
    after: { failures: 4 },
  },
  {
    name: 'a restart windowMs old has left the window: allowed, and dropped',
    state: { restartTimes: [NOW - 10_000, NOW - 5, NOW - 1], failures: 3 },
    action: { kind: 'restart', delayMs: 8000, reason: 'backoff' },
    after: { failures: 4, restartTimes: [NOW - 5, NOW - 1, NOW] },
  },
  {
    name: 'an immediate reconnect counts against the intensity too',
    state: { readyAt: NOW - 10, restartTimes: [NOW - 3, NOW - 2, NOW - 1] },
    code: ErrorCode.SESSION_EXPIRED,
    action: { kind: 'give-up', reason: 'intensity' },
    after: { readyAt: undefined },
  },
  {
    name: 'maxRestarts 0: the first restart is refused',
    state: { policy: { ...base.policy, intensity: { maxRestarts: 0, windowMs: 10_000 } } },
    action: { kind: 'give-up', reason: 'intensity' },
    after: { failures: 1 },
  },
];

describe('decide', () => {
  it.each(rows)('$name', (row) => {
    const state = { ...base, ...row.state };
    const before = structuredClone(state);
    const decision = decide(state, { code: row.code ?? ErrorCode.CONNECTION_LOST, exit: row.exit }, NOW, half);
    expect(decision.action).toEqual(row.action);
    expect(decision.state).toEqual({ ...state, ...row.after });
    expect(state).toEqual(before); // pure: the state passed in is not changed
  });

  it('spreads the backoff by ± jitter through the random source', () => {
    const decision = (random: () => number): RestartAction => decide(base, { code: 'X' }, NOW, random).action;
    expect(decision(() => 0)).toEqual({ kind: 'restart', delayMs: 800, reason: 'backoff' });
    expect(decision(() => 0.999999)).toEqual({ kind: 'restart', delayMs: 1200, reason: 'backoff' });
  });
});
