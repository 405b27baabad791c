import { ErrorCode, type ProcessExit, type ResolvedPolicy } from '@universal-mcp/core';
import { backoffDelay, recordRestart, shouldRestart } from './restart-policy.js';

/** Failures of a first connection that the same attempt would meet again: the server is given up, not retried. */
const GIVE_UP_AT_CONNECT: ReadonlySet<string> = new Set([
  ErrorCode.AUTH_FAILED,
  ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
  ErrorCode.HOST_NOT_ALLOWED,
]);

/** What the restart decision reads of a supervised server when its connection fails. */
export interface RestartState {
  /** The restart type, backoff and intensity in force. */
  readonly policy: Pick<ResolvedPolicy, 'restart' | 'backoff' | 'intensity'>;
  /** The server is being removed. */
  readonly stopping: boolean;
  /** `restart()` ended a live connection: this failure is ours, not the server's. */
  readonly restartRequested: boolean;
  /** The first attempt has settled (a `ready`, a give-up or a stop). */
  readonly settled: boolean;
  /** A failure before the first `ready` ends the server instead of restarting it. */
  readonly failFirstAttempt: boolean;
  /** When the connection that failed became ready; undefined when it never did. */
  readonly readyAt: number | undefined;
  /** Failures since the last connection that stayed up `resetAfterMs`: the backoff's attempt number. */
  readonly failures: number;
  /** Restart times in the intensity window. */
  readonly restartTimes: readonly number[];
}

/** The failure being decided on: its error code and, for a process, how it exited. */
export interface RestartFailure {
  readonly code: string;
  readonly exit?: ProcessExit | undefined;
}

/**
 * What the server does after a failure. `restart` schedules a restart after `delayMs`; `give-up` ends it (with
 * `intensity`, the error says the limit was passed); `reject-first` rejects the first attempt and does nothing else;
 * `none` does nothing (the server is being removed).
 */
export type RestartAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'reject-first' }
  | { readonly kind: 'give-up'; readonly reason: 'fails-at-connect' | 'restart-type' | 'intensity' }
  | { readonly kind: 'restart'; readonly delayMs: number; readonly reason: 'requested' | 'immediate' | 'backoff' };

/** An action and the state the server keeps afterwards. */
export interface RestartDecision {
  readonly action: RestartAction;
  readonly state: RestartState;
}

/**
 * Decides what follows a failed connection, without side effects: give up, restart after a delay, or nothing. The
 * counters come back in `state` (failures, restart window, `readyAt` cleared, a requested restart consumed), to be
 * kept by the caller whatever the action. `random` spreads the backoff (see {@link backoffDelay}).
 */
export function decide(
  state: RestartState,
  failure: RestartFailure,
  now: number,
  random: () => number = Math.random,
): RestartDecision {
  if (state.stopping) return { action: { kind: 'none' }, state };
  if (state.restartRequested) {
    return {
      action: { kind: 'restart', delayMs: 0, reason: 'requested' },
      state: { ...state, restartRequested: false, readyAt: undefined },
    };
  }
  if (!state.settled && state.failFirstAttempt) return { action: { kind: 'reject-first' }, state };
  const { readyAt, policy } = state;
  const wasReady = readyAt !== undefined;
  // Credentials refused while connecting: the same credentials will be refused again. So with a pinned revision
  // the server does not offer (or, with 'auto', neither era), or a host outboundHosts refuses (a redirect, an
  // OAuth endpoint): a restart asks the same of the same server.
  if (GIVE_UP_AT_CONNECT.has(failure.code) && !wasReady)
    return { action: { kind: 'give-up', reason: 'fails-at-connect' }, state };
  // A live server that forgot our session, or revoked our token, is restarted at once, not after a backoff.
  const immediate = wasReady && (failure.code === ErrorCode.SESSION_EXPIRED || failure.code === ErrorCode.AUTH_FAILED);
  let failures = wasReady && now - readyAt >= policy.backoff.resetAfterMs ? 0 : state.failures;
  if (!immediate) failures += 1;
  const counted: RestartState = { ...state, readyAt: undefined, failures };
  if (!shouldRestart(policy.restart, failure.exit))
    return { action: { kind: 'give-up', reason: 'restart-type' }, state: counted };
  const { allowed, times } = recordRestart(state.restartTimes, policy.intensity, now);
  const next: RestartState = { ...counted, restartTimes: times };
  if (!allowed) return { action: { kind: 'give-up', reason: 'intensity' }, state: next };
  return immediate
    ? { action: { kind: 'restart', delayMs: 0, reason: 'immediate' }, state: next }
    : {
        action: { kind: 'restart', delayMs: backoffDelay(failures, policy.backoff, random), reason: 'backoff' },
        state: next,
      };
}
