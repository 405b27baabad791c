import { z } from 'zod';

/** The longest delay a Node timer keeps (2^31 - 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const TOO_LONG = `at most ${MAX_TIMER_MS} ms (about 24.8 days; a Node timer cannot wait longer)`;
const ms = z.number().finite().max(MAX_TIMER_MS, TOO_LONG);
const nonNegativeMs = ms.nonnegative();
const positiveMs = ms.positive();
const positiveInt = z.number().int().positive();

const backoffSchema = z.strictObject({
  /** Delay before the first restart, in ms. @default 1000 */
  initialDelayMs: nonNegativeMs.optional(),
  /** Delay n = min(initialDelayMs × multiplier^(n-1), maxDelayMs). @default 1.6 */
  multiplier: z.number().finite().min(1).optional(),
  /** The fraction of the delay added or taken at random. @default 0.2 */
  jitter: z.number().min(0).max(1).optional(),
  /** The longest delay, in ms. @default 30000 */
  maxDelayMs: nonNegativeMs.optional(),
  /** After this long in `ready`, the next failure starts the backoff from the beginning. @default 60000 */
  resetAfterMs: z.number().nonnegative().optional(),
});

const intensitySchema = z.strictObject({
  /** More restarts than this within `windowMs` and the server is given up. @default 10 */
  maxRestarts: z.number().int().nonnegative().optional(),
  /** @default 300000 */
  windowMs: z.number().positive().optional(),
});

const queueSchema = z.strictObject({
  /** Calls in flight at the server at once. @default 64 */
  concurrency: positiveInt.optional(),
  /** Calls started per `interval`; unset means no rate limit. */
  intervalCap: positiveInt.optional(),
  /** The window for `intervalCap`, in ms. @default 1000 when intervalCap is set */
  interval: nonNegativeMs.optional(),
  /** Calls allowed to wait for a slot (or for the server); one more is rejected with `QUEUE_FULL`. @default 1000 */
  maxQueued: z.number().int().nonnegative().optional(),
});

const healthSchema = z.strictObject({
  /** Ping a ready connection this often, in ms; 0 turns health checks off. @default 30000 */
  intervalMs: nonNegativeMs.optional(),
  /** How long a ping may take. @default 10000 */
  timeoutMs: positiveMs.optional(),
  /** Consecutive failed pings that count as a lost connection. @default 2 */
  failuresBeforeRestart: positiveInt.optional(),
});

/** The policy fields, as validated (documented on {@link ServerPolicy}). */
export const policyShape = {
  /**
   * `permanent` restarts always; `transient` only after an abnormal end (not after exit code 0); `temporary` never.
   * @default 'permanent'
   */
  restart: z.enum(['permanent', 'transient', 'temporary']).optional(),
  /** Backoff between restarts. */
  backoff: backoffSchema.optional(),
  /** The restart-intensity limit. */
  intensity: intensitySchema.optional(),
  /** Per-server call throttling. */
  queue: queueSchema.optional(),
  /** Pings on a ready connection. */
  health: healthSchema.optional(),
  /** A call's idle timeout unless it names its own: no answer and no progress for this long, in ms. @default 60000 */
  callTimeoutMs: positiveMs.optional(),
  /** A call's hard total deadline, progress or not, in ms; unset means none. */
  callDeadlineMs: positiveMs.optional(),
  /** Start-up plus the `initialize` handshake, in ms; catalog discovery gets as long again. @default 30000 */
  connectTimeoutMs: positiveMs.optional(),
  /** Check tool arguments against the tool's `inputSchema` before sending (`INVALID_ARGUMENTS`). @default true */
  validateArguments: z.boolean().optional(),
  /**
   * A request to a server that is connecting or waiting for a restart: `'wait'` for it within the request's
   * own timeout, or `'fail'` at once with `SERVER_UNAVAILABLE`. A given-up server fails at once either way.
   * @default 'wait'
   */
  whileReconnecting: z.enum(['wait', 'fail']).optional(),
};

/** Validates a {@link ServerPolicy}. */
export const serverPolicySchema = z.strictObject(policyShape);

/** Restart type, as in OTP: always, only after a failure, or never. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** Backoff between restarts: attempt n waits `min(initialDelayMs × multiplier^(n-1), maxDelayMs)`, ± `jitter`. */
export interface BackoffPolicy {
  /** Delay before the first restart, in ms. @default 1000 */
  readonly initialDelayMs: number;
  /** @default 1.6 */
  readonly multiplier: number;
  /** The fraction of the delay added or taken at random (0 to 1). @default 0.2 */
  readonly jitter: number;
  /** The longest delay, in ms. @default 30000 */
  readonly maxDelayMs: number;
  /** After this long in `ready`, the next failure starts the backoff from the beginning, in ms. @default 60000 */
  readonly resetAfterMs: number;
}

/** The restart-intensity limit: more than `maxRestarts` restarts within `windowMs` and the server is given up. */
export interface IntensityPolicy {
  /** @default 10 */
  readonly maxRestarts: number;
  /** In ms. @default 300000 */
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
  /**
   * Calls allowed to wait for a slot (or for the server to be ready); one more is rejected with `QUEUE_FULL`.
   * @default 1000
   */
  readonly maxQueued: number;
}

/** Pings on a ready connection. */
export interface HealthPolicy {
  /** Ping every this many ms; 0 turns health checks off. @default 30000 */
  readonly intervalMs: number;
  /** How long a ping may take, in ms. @default 10000 */
  readonly timeoutMs: number;
  /** Consecutive failed pings that count as a lost connection. @default 2 */
  readonly failuresBeforeRestart: number;
}

/**
 * Supervision policy: a server's own (in its config), or the client's `defaults`. Every field is
 * optional; what is unset comes from the client's defaults, then from {@link DEFAULT_POLICY}.
 * Times are in ms, at most 2^31-1 (about 24.8 days, the longest a Node timer waits).
 */
export interface ServerPolicy {
  /**
   * `permanent` restarts always; `transient` only after an abnormal end (not after exit code 0); `temporary` never.
   * @default 'permanent'
   */
  readonly restart?: RestartType | undefined;
  /** Backoff between restarts. */
  readonly backoff?: Partial<BackoffPolicy> | undefined;
  /** The restart-intensity limit. */
  readonly intensity?: Partial<IntensityPolicy> | undefined;
  /** Per-server call throttling. */
  readonly queue?: Partial<QueuePolicy> | undefined;
  /** Pings on a ready connection. */
  readonly health?: Partial<HealthPolicy> | undefined;
  /** A call's idle timeout unless it names its own: no answer and no progress for this long. @default 60000 */
  readonly callTimeoutMs?: number | undefined;
  /** A call's hard total deadline, progress or not; unset means none. */
  readonly callDeadlineMs?: number | undefined;
  /** Start-up plus the `initialize` handshake; catalog discovery gets as long again. @default 30000 */
  readonly connectTimeoutMs?: number | undefined;
  /** Check tool arguments against the tool's `inputSchema` before sending (`INVALID_ARGUMENTS`). @default true */
  readonly validateArguments?: boolean | undefined;
  /**
   * A request to a server that is connecting or waiting for a restart: `'wait'` for it within the request's
   * own timeout, or `'fail'` at once with `SERVER_UNAVAILABLE`. A given-up server fails at once either way.
   * @default 'wait'
   */
  readonly whileReconnecting?: 'wait' | 'fail' | undefined;
}

/** A server's policy with every default filled in. */
export interface ResolvedPolicy {
  readonly restart: RestartType;
  readonly backoff: BackoffPolicy;
  readonly intensity: IntensityPolicy;
  readonly queue: QueuePolicy;
  readonly health: HealthPolicy;
  readonly callTimeoutMs: number;
  readonly callDeadlineMs: number | undefined;
  readonly connectTimeoutMs: number;
  readonly validateArguments: boolean;
  readonly whileReconnecting: 'wait' | 'fail';
}

// The schema validates what the interfaces document; the compiler keeps the two the same: the same
// types, and the same keys (an optional field in one only would pass the type check alone).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameKeys<A, B> =
  Same<keyof A, keyof B> extends true
    ? {
        [K in keyof A & keyof B]-?: NonNullable<A[K]> extends Record<string, unknown>
          ? Same<keyof NonNullable<A[K]>, keyof NonNullable<B[K]>>
          : true;
      }[keyof A & keyof B]
    : false;
/** True when a schema's type and an interface are the same, keys included (one level deep). */
export type MatchesSchema<A, B> = Same<A, B> extends true ? (SameKeys<A, B> extends true ? true : false) : false;
const policyMatchesSchema: MatchesSchema<z.infer<typeof serverPolicySchema>, ServerPolicy> = true;
void policyMatchesSchema;

/** The policy's field names, from the schema: the one place they are declared. */
export const POLICY_KEYS: readonly (keyof ServerPolicy)[] = Object.keys(policyShape) as (keyof ServerPolicy)[];

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
