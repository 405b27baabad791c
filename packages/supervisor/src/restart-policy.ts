import type { ProcessExit, RestartType, ServerConfig, ServerPolicy } from '@universal-mcp/core';

/** Backoff between restarts: `min(initial × multiplier^(n-1), max)`, then ± `jitter`. */
export interface BackoffPolicy {
  /** @default 1000 */
  readonly initialDelayMs: number;
  /** @default 1.6 */
  readonly multiplier: number;
  /** Fraction of the delay added or taken at random. @default 0.2 */
  readonly jitter: number;
  /** @default 30000 */
  readonly maxDelayMs: number;
  /** After this long in `ready`, the next failure starts the backoff from the beginning. @default 60000 */
  readonly resetAfterMs: number;
}

/** At most `maxRestarts` restarts within `windowMs`; one more and the server is given up. */
export interface IntensityPolicy {
  /** @default 10 */
  readonly maxRestarts: number;
  /** @default 300000 */
  readonly windowMs: number;
}

/** Per-server call throttling. */
export interface QueuePolicy {
  /** Calls in flight at the server at once. @default 64 */
  readonly concurrency: number;
  /** Calls started per `interval`; unset means no rate limit. */
  readonly intervalCap: number | undefined;
  /** The window for `intervalCap`, in ms. @default 1000 when intervalCap is set */
  readonly interval: number;
  /** Calls allowed to wait for a slot; one more is rejected with `QUEUE_FULL`. @default 1000 */
  readonly maxQueued: number;
}

/** Pings on an idle connection. */
export interface HealthPolicy {
  /** 0 turns health checks off. @default 30000 */
  readonly intervalMs: number;
  /** @default 10000 */
  readonly timeoutMs: number;
  /** @default 2 */
  readonly failuresBeforeRestart: number;
}

/** A server's policy with every default filled in. */
export interface ResolvedPolicy {
  /** @default 'permanent' */
  readonly restart: RestartType;
  readonly backoff: BackoffPolicy;
  readonly intensity: IntensityPolicy;
  readonly queue: QueuePolicy;
  readonly health: HealthPolicy;
  /**
   * Idle timeout of each call unless the call names its own: no answer and no progress for this
   * long. @default 60000 (an HTTP server's `timeoutMs` if set)
   */
  readonly callTimeoutMs: number;
  /** Hard total deadline of each call, progress or not; unset means none. */
  readonly callDeadlineMs: number | undefined;
  /** Deadline of start-up plus the `initialize` handshake and discovery. @default 30000 */
  readonly connectTimeoutMs: number;
  /** Check tool arguments against the tool's inputSchema before sending (`INVALID_ARGUMENTS`). @default true */
  readonly validateArguments: boolean;
  /**
   * A call to a server that is connecting or reconnecting: `'wait'` for it within the call's own
   * timeout, or `'fail'` at once with `SERVER_UNAVAILABLE`. A given-up server fails at once either way.
   * @default 'wait'
   */
  readonly whileReconnecting: 'wait' | 'fail';
}

/** The defaults every unset policy field takes. */
export const DEFAULT_POLICY: ResolvedPolicy = {
  restart: 'permanent',
  backoff: { initialDelayMs: 1000, multiplier: 1.6, jitter: 0.2, maxDelayMs: 30_000, resetAfterMs: 60_000 },
  intensity: { maxRestarts: 10, windowMs: 300_000 },
  queue: { concurrency: 64, intervalCap: undefined, interval: 0, maxQueued: 1000 },
  health: { intervalMs: 30_000, timeoutMs: 10_000, failuresBeforeRestart: 2 },
  callTimeoutMs: 60_000,
  callDeadlineMs: undefined,
  connectTimeoutMs: 30_000,
  validateArguments: true,
  whileReconnecting: 'wait',
};

/** Fills a server's policy: its own fields, then the client's defaults, then {@link DEFAULT_POLICY}. */
export function resolvePolicy(defaults: ServerPolicy, config: ServerConfig | ServerPolicy): ResolvedPolicy {
  const d = DEFAULT_POLICY;
  const httpTimeout = 'timeoutMs' in config ? config.timeoutMs : undefined;
  const intervalCap = config.queue?.intervalCap ?? defaults.queue?.intervalCap;
  return {
    restart: config.restart ?? defaults.restart ?? d.restart,
    backoff: { ...d.backoff, ...defaults.backoff, ...config.backoff },
    intensity: { ...d.intensity, ...defaults.intensity, ...config.intensity },
    queue: {
      concurrency: config.queue?.concurrency ?? defaults.queue?.concurrency ?? d.queue.concurrency,
      intervalCap,
      interval: config.queue?.interval ?? defaults.queue?.interval ?? (intervalCap === undefined ? 0 : 1000),
      maxQueued: config.queue?.maxQueued ?? defaults.queue?.maxQueued ?? d.queue.maxQueued,
    },
    health: { ...d.health, ...defaults.health, ...config.health },
    callTimeoutMs: config.callTimeoutMs ?? httpTimeout ?? defaults.callTimeoutMs ?? d.callTimeoutMs,
    callDeadlineMs: config.callDeadlineMs ?? defaults.callDeadlineMs ?? d.callDeadlineMs,
    connectTimeoutMs: config.connectTimeoutMs ?? defaults.connectTimeoutMs ?? d.connectTimeoutMs,
    validateArguments: config.validateArguments ?? defaults.validateArguments ?? d.validateArguments,
    whileReconnecting: config.whileReconnecting ?? defaults.whileReconnecting ?? d.whileReconnecting,
  };
}

/**
 * The delay before restart number `attempt` (1-based): `min(initial × multiplier^(attempt-1), max)`,
 * then spread uniformly by ± `jitter` of itself. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, backoff: BackoffPolicy, random: () => number = Math.random): number {
  const n = Math.max(1, attempt);
  const base = Math.min(backoff.initialDelayMs * backoff.multiplier ** (n - 1), backoff.maxDelayMs);
  const spread = base * backoff.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

/**
 * Whether a failed server is restarted at all: `permanent` always, `temporary` never,
 * `transient` only after an abnormal end (anything but a process that exited with code 0).
 */
export function shouldRestart(restart: RestartType, exit: ProcessExit | undefined): boolean {
  if (restart === 'permanent') return true;
  if (restart === 'temporary') return false;
  return !(exit !== undefined && exit.code === 0 && exit.signal === null);
}

/** Counts restarts in a sliding window; tells when the intensity limit is passed. */
export class RestartIntensity {
  readonly #policy: IntensityPolicy;
  #times: number[] = [];

  constructor(policy: IntensityPolicy) {
    this.#policy = policy;
  }

  /** Records a restart at `now`; false when it would pass the limit (the server is to be given up). */
  allow(now: number): boolean {
    const since = now - this.#policy.windowMs;
    this.#times = this.#times.filter((t) => t > since);
    if (this.#times.length >= this.#policy.maxRestarts) return false;
    this.#times.push(now);
    return true;
  }

  /** Forgets every recorded restart (a manual restart starts afresh). */
  reset(): void {
    this.#times = [];
  }
}
