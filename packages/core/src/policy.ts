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

/** The policy fields, every one optional: a server's own, or the client's `defaults`. */
export const policyShape = {
  /** `permanent` restarts always; `transient` only after an abnormal end (not after exit code 0); `temporary` never. @default 'permanent' */
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
   * A request to a server that is connecting or reconnecting: `'wait'` for it within the request's
   * own timeout, or `'fail'` at once with `SERVER_UNAVAILABLE`. A given-up server fails at once either way.
   * @default 'wait'
   */
  whileReconnecting: z.enum(['wait', 'fail']).optional(),
};

/** Validates a client-wide {@link ServerPolicy} (the `defaults` option). */
export const serverPolicySchema = z.strictObject(policyShape);

/** Supervision policy; every field optional here, filled from the client's defaults. */
export type ServerPolicy = z.infer<typeof serverPolicySchema>;

/** Restart type, as in OTP: always, only after a failure, or never. */
export type RestartType = NonNullable<ServerPolicy['restart']>;

type Filled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** Backoff between restarts, every field filled. */
export type BackoffPolicy = Filled<NonNullable<ServerPolicy['backoff']>>;
/** The restart-intensity limit, filled. */
export type IntensityPolicy = Filled<NonNullable<ServerPolicy['intensity']>>;
/** Per-server throttling, filled (`intervalCap` stays optional: no rate limit). */
export type QueuePolicy = Filled<Omit<NonNullable<ServerPolicy['queue']>, 'intervalCap'>> & { readonly intervalCap: number | undefined };
/** Health checks, filled. */
export type HealthPolicy = Filled<NonNullable<ServerPolicy['health']>>;
/** A server's policy with every default filled in. */
export type ResolvedPolicy = Filled<Omit<ServerPolicy, 'backoff' | 'intensity' | 'queue' | 'health' | 'callDeadlineMs'>> & {
  readonly backoff: BackoffPolicy;
  readonly intensity: IntensityPolicy;
  readonly queue: QueuePolicy;
  readonly health: HealthPolicy;
  readonly callDeadlineMs: number | undefined;
};

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
