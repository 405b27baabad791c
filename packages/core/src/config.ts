import { z } from 'zod';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AuthorizationCodeConfig } from './auth-providers.js';
import { ErrorCode, UniversalMcpError } from './errors.js';
import type { ClientHandlers } from './handlers.js';

/** The longest delay a Node timer keeps (2^31 - 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const TOO_LONG = `at most ${MAX_TIMER_MS} ms (about 24.8 days; a Node timer cannot wait longer)`;
const ms = z.number().finite().max(MAX_TIMER_MS, TOO_LONG);
const nonNegative = ms.nonnegative();
const positiveMs = ms.positive();
const positiveInt = z.number().int().positive();

const backoffSchema = z.strictObject({
  initialDelayMs: nonNegative.optional(),
  multiplier: z.number().finite().min(1).optional(),
  jitter: z.number().min(0).max(1).optional(),
  maxDelayMs: nonNegative.optional(),
  resetAfterMs: z.number().nonnegative().optional(),
});
const intensitySchema = z.strictObject({
  maxRestarts: z.number().int().nonnegative().optional(),
  windowMs: z.number().positive().optional(),
});
const queueSchema = z.strictObject({
  concurrency: positiveInt.optional(),
  intervalCap: positiveInt.optional(),
  interval: nonNegative.optional(),
  maxQueued: z.number().int().nonnegative().optional(),
});
const healthSchema = z.strictObject({
  intervalMs: nonNegative.optional(),
  timeoutMs: positiveMs.optional(),
  failuresBeforeRestart: positiveInt.optional(),
});

const policyShape = {
  restart: z.enum(['permanent', 'transient', 'temporary']).optional(),
  backoff: backoffSchema.optional(),
  intensity: intensitySchema.optional(),
  queue: queueSchema.optional(),
  health: healthSchema.optional(),
  callTimeoutMs: positiveMs.optional(),
  callDeadlineMs: positiveMs.optional(),
  /** Check tool arguments against the tool's inputSchema before sending. @default true */
  validateArguments: z.boolean().optional(),
  connectTimeoutMs: positiveMs.optional(),
  /** A call to a server that is (re)connecting waits for it within its own timeout, or fails at once. @default 'wait' */
  whileReconnecting: z.enum(['wait', 'fail']).optional(),
};

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'expected a function');
const handlersSchema = z.strictObject({
  sampling: fn<NonNullable<ClientHandlers['sampling']>>().optional(),
  elicitation: fn<NonNullable<ClientHandlers['elicitation']>>().optional(),
  roots: fn<NonNullable<ClientHandlers['roots']>>().optional(),
});

/** Validates a client-wide {@link ServerPolicy} (the `defaults` option). */
export const serverPolicySchema = z.strictObject(policyShape);

const name = z.string().trim().min(1, 'expected a non-empty name').max(200);
const httpUrl = z
  .string()
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'expected an absolute http:// or https:// URL');
const stringRecord = z.record(z.string(), z.string());

const nonEmpty = z.string().min(1);
const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('oauth'), provider: z.custom<OAuthClientProvider>((v) => typeof v === 'object' && v !== null && 'tokens' in v, 'expected an OAuthClientProvider') }),
  z.strictObject({ type: z.literal('client_credentials'), clientId: nonEmpty, clientSecret: nonEmpty, scope: z.string().optional(), expectedIssuer: httpUrl.optional() }),
  z.strictObject({
    type: z.literal('private_key_jwt'),
    clientId: nonEmpty,
    privateKey: z.union([nonEmpty, z.record(z.string(), z.unknown())]),
    algorithm: nonEmpty,
    scope: z.string().optional(),
    expectedIssuer: httpUrl.optional(),
  }),
  z.strictObject({
    type: z.literal('authorization_code'),
    redirectUrl: httpUrl,
    onAuthorize: fn<AuthorizationCodeConfig['onAuthorize']>(),
    clientId: nonEmpty.optional(),
    clientSecret: nonEmpty.optional(),
    clientMetadataUrl: httpUrl.optional(),
    clientName: z.string().optional(),
    scope: z.string().optional(),
    maxAttempts: positiveInt.optional(),
  }),
  z.strictObject({
    type: z.literal('cross_app_access'),
    idpTokenEndpoint: httpUrl,
    idpClientId: nonEmpty,
    idToken: z.union([nonEmpty, fn<() => Promise<string>>()]),
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    scope: z.string().optional(),
  }),
]);

const stdioSchema = z.strictObject({
  name,
  handlers: handlersSchema.optional(),
  transport: z.literal('stdio'),
  command: z.string().trim().min(1, 'expected a non-empty command'),
  args: z.array(z.string()).optional(),
  env: stringRecord.optional(),
  cwd: z.string().min(1).optional(),
  maxMessageBytes: positiveInt.optional(),
  ...policyShape,
});
const httpShape = {
  name,
  handlers: handlersSchema.optional(),
  url: httpUrl,
  headers: stringRecord.optional(),
  auth: authSchema.optional(),
  /** The fetch the HTTP transport uses (a proxy, custom TLS); by default `nodeFetch` over node:http. */
  fetch: fn<FetchLike>().optional(),
  /** The largest message accepted from the server (a JSON body, or one SSE event). @default 16 MiB */
  maxMessageBytes: positiveInt.optional(),
  timeoutMs: positiveMs.optional(),
  ...policyShape,
};
const sseSchema = z.strictObject({ transport: z.literal('sse'), ...httpShape });
const streamableSchema = z.strictObject({ transport: z.literal('streamable_http'), ...httpShape });

/** Restart type, as in OTP: always, only after a failure, or never. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** Supervision policy; every field optional here, filled from the client's defaults. */
export type ServerPolicy = z.infer<typeof serverPolicySchema>;
/** A stdio server: a child process speaking JSON-RPC lines on stdin/stdout. */
export type StdioServerConfig = z.infer<typeof stdioSchema>;
/** A legacy HTTP+SSE server (protocol 2024-11-05). */
export type SseServerConfig = z.infer<typeof sseSchema>;
/** A Streamable HTTP server. */
export type StreamableHttpServerConfig = z.infer<typeof streamableSchema>;
/** One server to supervise, discriminated on `transport`. */
export type ServerConfig = StdioServerConfig | SseServerConfig | StreamableHttpServerConfig;
/** The transports this library speaks. */
export type TransportKind = ServerConfig['transport'];

/** Every transport name {@link parseServerConfig} accepts. */
export const TRANSPORTS: readonly TransportKind[] = ['stdio', 'sse', 'streamable_http'];

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(config)';
      if (issue.code === 'unrecognized_keys') return `${path}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

function invalid(message: string, server: string | undefined, field: string | undefined): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.CONFIG_INVALID, message, { server, details: field === undefined ? undefined : { field } });
}

/**
 * Validates one server config and returns it typed. Throws `CONFIG_INVALID` naming the field.
 * Nothing is started by this function.
 */
export function parseServerConfig(input: unknown): ServerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('Server config must be an object', undefined, undefined);
  }
  const raw = input as Record<string, unknown>;
  const label = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : undefined;
  const where = label === undefined ? 'Invalid server config' : `Invalid config for server "${label}"`;
  const transport = raw.transport;
  const schema = transport === 'stdio' ? stdioSchema : transport === 'sse' ? sseSchema : transport === 'streamable_http' ? streamableSchema : undefined;
  if (schema === undefined) {
    const got = transport === undefined ? 'nothing' : JSON.stringify(transport);
    throw invalid(`${where}: transport: expected one of ${TRANSPORTS.map((t) => `"${t}"`).join(', ')}, got ${got}`, label, 'transport');
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const first = result.error.issues[0];
    throw invalid(`${where}: ${describe(result.error.issues)}`, label, first?.path.join('.'));
  }
  return result.data;
}

/** Validates client-wide handlers. Throws `CONFIG_INVALID` naming the field. */
export function parseHandlers(input: unknown): ClientHandlers {
  const result = handlersSchema.safeParse(input ?? {});
  if (!result.success) throw invalid(`Invalid handlers: ${describe(result.error.issues)}`, undefined, result.error.issues[0]?.path.join('.'));
  return result.data;
}

/** Validates client-wide policy defaults. Throws `CONFIG_INVALID` naming the field. */
export function parseServerPolicy(input: unknown): ServerPolicy {
  const result = serverPolicySchema.safeParse(input ?? {});
  if (!result.success) {
    throw invalid(`Invalid defaults: ${describe(result.error.issues)}`, undefined, result.error.issues[0]?.path.join('.'));
  }
  return result.data;
}

const SECRET_NAME = /auth|token|key|secret|password|passwd|cookie|session|credential/i;
const REDACTED = '[redacted]';

function redactUrl(url: string): string {
  const u = new URL(url);
  // A username can be a token too (https://TOKEN@host/): neither part of the credentials is shown.
  if (u.username !== '') u.username = REDACTED;
  if (u.password !== '') u.password = REDACTED;
  for (const key of [...u.searchParams.keys()]) if (SECRET_NAME.test(key)) u.searchParams.set(key, REDACTED);
  return u.toString();
}

/**
 * A copy of the config safe to log or show: env values, secret-looking headers and URL
 * credentials replaced by `[redacted]`.
 */
export function redactConfig<T extends ServerConfig>(config: T): T {
  if (config.transport === 'stdio') {
    if (config.env === undefined) return { ...config };
    return { ...config, env: Object.fromEntries(Object.keys(config.env).map((k) => [k, REDACTED])) };
  }
  const auth = config.auth === undefined ? {} : { auth: redactAuth(config.auth) };
  const headers =
    config.headers === undefined
      ? undefined
      : Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, SECRET_NAME.test(k) ? REDACTED : v]));
  return { ...config, url: redactUrl(config.url), ...(headers === undefined ? {} : { headers }), ...auth };
}

function redactAuth(auth: NonNullable<StreamableHttpServerConfig['auth']>): NonNullable<StreamableHttpServerConfig['auth']> {
  switch (auth.type) {
    case 'client_credentials':
      return { ...auth, clientSecret: REDACTED };
    case 'private_key_jwt':
      return { ...auth, privateKey: REDACTED };
    case 'authorization_code':
      return auth.clientSecret === undefined ? auth : { ...auth, clientSecret: REDACTED };
    case 'cross_app_access':
      return { ...auth, clientSecret: REDACTED, idToken: REDACTED };
    case 'oauth':
      // The provider object holds tokens and client secrets: never handed out.
      return { type: 'oauth', provider: REDACTED as unknown as typeof auth.provider };
  }
}
