import type { UniversalMcpError } from '@universal-mcp/core';
import { decide, type RestartAction, type RestartFailure, type RestartState } from './restart-decision.js';

/** What {@link decide} reads of the server beside the record: its policy and where its first attempt stands. */
export type RestartContext = Pick<RestartState, 'policy' | 'stopping' | 'settled' | 'failFirstAttempt'>;

/**
 * What a supervised server remembers of its failures and restarts between two decisions: the
 * state {@link decide} reads and hands back, the restarts scheduled, and why it was given up.
 */
export class RestartRecord {
  /** Restart times in the intensity window (see recordRestart). */
  restartTimes: readonly number[] = [];
  /** Failures since the last connection that stayed up `resetAfterMs`. */
  failures = 0;
  /** When the current connection became ready. */
  readyAt: number | undefined;
  /** Set by restart() on a live connection: the failure that follows is ours, not the server's. */
  restartRequested = false;
  /** Restarts scheduled so far (`ServerInfo.restarts`). */
  restarts = 0;
  /** Why the supervisor gave the server up; undefined while it has not. */
  givenUp: UniversalMcpError | undefined;

  /** What follows a failure, by {@link decide}; the record takes the state it hands back. */
  decide(context: RestartContext, failure: RestartFailure, now: number): RestartAction {
    const { action, state } = decide(
      {
        ...context,
        restartRequested: this.restartRequested,
        readyAt: this.readyAt,
        failures: this.failures,
        restartTimes: this.restartTimes,
      },
      failure,
      now,
    );
    this.restartRequested = state.restartRequested;
    this.readyAt = state.readyAt;
    this.failures = state.failures;
    this.restartTimes = state.restartTimes;
    return action;
  }

  /** A restart asked for by hand: a fresh window, the failures forgotten, the server no longer given up. */
  reset(): void {
    this.givenUp = undefined;
    this.restartTimes = [];
    this.failures = 0;
  }
}
