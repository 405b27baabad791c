import {
  DEFAULT_POLICY,
  type BackoffPolicy,
  type IntensityPolicy,
  type ProcessExit,
  type ResolvedPolicy,
  type RestartType,
  type ServerConfig,
  type ServerPolicy,
} from '@universal-mcp/core';

/** Fills a server's policy: its own fields, then the client's defaults, then {@link DEFAULT_POLICY}. */
export function resolvePolicy(defaults: ServerPolicy, config: ServerPolicy | ServerConfig): ResolvedPolicy {
  const d = DEFAULT_POLICY;
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
    callTimeoutMs: config.callTimeoutMs ?? defaults.callTimeoutMs ?? d.callTimeoutMs,
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

/**
 * Records a restart at `now` in a sliding window of restart times: `allowed` is false when it would pass the limit
 * (the server is to be given up), and `times` is the window afterwards (older times dropped; `now` added only when
 * allowed). Pure: `times` is not changed.
 */
export function recordRestart(
  times: readonly number[],
  policy: IntensityPolicy,
  now: number,
): { allowed: boolean; times: readonly number[] } {
  const since = now - policy.windowMs;
  const kept = times.filter((t) => t > since);
  if (kept.length >= policy.maxRestarts) return { allowed: false, times: kept };
  return { allowed: true, times: [...kept, now] };
}

/** Counts restarts in a sliding window; tells when the intensity limit is passed. */
export class RestartIntensity {
  readonly #policy: IntensityPolicy;
  #times: readonly number[] = [];

  constructor(policy: IntensityPolicy) {
    this.#policy = policy;
  }

  /** Records a restart at `now`; false when it would pass the limit (the server is to be given up). */
  allow(now: number): boolean {
    const { allowed, times } = recordRestart(this.#times, this.#policy, now);
    this.#times = times;
    return allowed;
  }

  /** Forgets every recorded restart (a manual restart starts afresh). */
  reset(): void {
    this.#times = [];
  }
}
