import { z } from 'zod';
import type { FetchLike, OAuthClientProvider } from '@modelcontextprotocol/client';
import type { AuthorizationCodeConfig, HttpAuthConfig } from './auth-providers.js';
import { didYouMeanText } from './did-you-mean.js';
import { ErrorCode, UniversalMcpError } from './errors.js';
import type { ClientHandlers } from './handlers.js';
import { toolPolicySchema, type ToolPolicy } from './tool-policy.js';
import { policyShape, serverPolicySchema, type MatchesSchema, type ServerPolicy } from './policy.js';
import { PROTOCOL_2025, PROTOCOL_2026, type ProtocolSetting } from './protocol-era.js';

const positiveInt = z.number().int().positive();

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'expected a function');
const handlersSchema = z.strictObject({
  sampling: fn<NonNullable<ClientHandlers['sampling']>>().optional(),
  elicitation: fn<NonNullable<ClientHandlers['elicitation']>>().optional(),
  roots: fn<NonNullable<ClientHandlers['roots']>>().optional(),
});

const name = z.string().trim().min(1, 'expected a non-empty name').max(200);
const httpUrl = z
  .string()
  .refine(
    (s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol),
    'expected an absolute http:// or https:// URL',
  );
const stringRecord = z.record(z.string(), z.string());

const nonEmpty = z.string().min(1);
const authSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('oauth'),
    provider: z.custom<OAuthClientProvider>(
      (v) => typeof v === 'object' && v !== null && 'tokens' in v,
      'expected an OAuthClientProvider',
    ),
  }),
  z.strictObject({
    type: z.literal('client_credentials'),
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    scope: z.string().optional(),
    expectedIssuer: httpUrl.optional(),
  }),
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

/** Which MCP revision to speak; see {@link ServerConfigBase.protocol}. */
const protocolSchema = z.enum(['auto', PROTOCOL_2026, PROTOCOL_2025]);

const stdioSchema = z.strictObject({
  name,
  handlers: handlersSchema.optional(),
  protocol: protocolSchema.optional(),
  tools: toolPolicySchema.optional(),
  trusted: z.boolean().optional(),
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
  protocol: protocolSchema.optional(),
  tools: toolPolicySchema.optional(),
  trusted: z.boolean().optional(),
  url: httpUrl,
  headers: stringRecord.optional(),
  auth: authSchema.optional(),
  /** The fetch the HTTP transport uses (a proxy, custom TLS); by default `nodeFetch` over node:http. */
  fetch: fn<FetchLike>().optional(),
  /** The largest message accepted from the server (a JSON body, or one SSE event). @default 16 MiB */
  maxMessageBytes: positiveInt.optional(),
  ...policyShape,
};
const sseSchema = z.strictObject({
  transport: z.literal('sse'),
  ...httpShape,
  // HTTP+SSE is a 2025-era transport: there is no 2026-07-28 over it.
  protocol: z.enum(['auto', PROTOCOL_2025], { error: 'HTTP+SSE servers speak 2025-11-25 only' }).optional(),
});
const streamableSchema = z.strictObject({ transport: z.literal('streamable_http'), ...httpShape });

/** What every server config has, whatever its transport. */
export interface ServerConfigBase extends ServerPolicy {
  /** The server's name: how calls, events and logs refer to it (unique in a client, 1–200 characters). */
  readonly name: string;
  /** Answers to this server's requests (sampling, elicitation, roots); they win over the client's `handlers`. */
  readonly handlers?: ClientHandlers | undefined;
  /**
   * The MCP revision to speak: `'auto'` probes with `server/discover` and falls back to `initialize`
   * (the verdict is kept across restarts); a pinned revision the server does not offer fails with
   * `UNSUPPORTED_PROTOCOL_VERSION`. @default the client's `protocol` option, else `'auto'`
   */
  readonly protocol?: ProtocolSetting | undefined;
  /** Which of this server's tools are offered and which calls need approval (see {@link ToolPolicy}). */
  readonly tools?: ToolPolicy | undefined;
  /**
   * The server is trusted: its tool annotations are believed (a `readOnlyHint` tool runs unasked under
   * `approval: 'annotations'`) and its `instructions` are passed to the model. @default false
   */
  readonly trusted?: boolean | undefined;
}

/** A stdio server: a child process speaking JSON-RPC lines on stdin and stdout. */
export interface StdioServerConfig extends ServerConfigBase {
  readonly transport: 'stdio';
  /** The program to start, found on `PATH` (or a path, relative to `cwd`). */
  readonly command: string;
  /** Its arguments. */
  readonly args?: string[] | undefined;
  /**
   * Added to a minimal default environment (`PATH`, `HOME`, …), never the host's whole environment. Redacted wherever
   * shown.
   */
  readonly env?: Record<string, string> | undefined;
  /** Its working directory. @default the host process's (for a server from a config file: the file's directory) */
  readonly cwd?: string | undefined;
  /** The largest message accepted from the server, in bytes. @default 16 MiB */
  readonly maxMessageBytes?: number | undefined;
}

/** What Streamable HTTP and legacy SSE servers have. */
export interface HttpServerConfigBase extends ServerConfigBase {
  /** The endpoint: an absolute http:// or https:// URL (credentials in it are redacted wherever shown). */
  readonly url: string;
  /** Sent with every request (secret-looking ones are redacted wherever shown). */
  readonly headers?: Record<string, string> | undefined;
  /** OAuth and other authorization (see {@link HttpAuthConfig}). */
  readonly auth?: HttpAuthConfig | undefined;
  /**
   * The fetch every request goes through (a proxy, custom TLS). It replaces the session's own,
   * and with it the message limit, the socket release on cancel and the stale-socket retry.
   * @default a `createNodeFetch()` of the session's own
   */
  readonly fetch?: FetchLike | undefined;
  /** The largest message accepted from the server (a JSON body, or one SSE event), in bytes. @default 16 MiB */
  readonly maxMessageBytes?: number | undefined;
}

/** A Streamable HTTP server (MCP 2025-03-26 and later). */
export interface StreamableHttpServerConfig extends HttpServerConfigBase {
  readonly transport: 'streamable_http';
}

/** A legacy HTTP+SSE server (MCP 2024-11-05). */
export interface SseServerConfig extends HttpServerConfigBase {
  readonly transport: 'sse';
  /** HTTP+SSE is a 2025-era transport. @default 'auto' (which is 2025-11-25 here) */
  readonly protocol?: 'auto' | typeof PROTOCOL_2025 | undefined;
}

// The schemas validate what the interfaces document; the compiler keeps them the same.
const stdioMatches: MatchesSchema<z.infer<typeof stdioSchema>, StdioServerConfig> = true;
const sseMatches: MatchesSchema<z.infer<typeof sseSchema>, SseServerConfig> = true;
const streamableMatches: MatchesSchema<z.infer<typeof streamableSchema>, StreamableHttpServerConfig> = true;
void [stdioMatches, sseMatches, streamableMatches];

/** One server to supervise, discriminated on `transport`. */
export type ServerConfig = StdioServerConfig | SseServerConfig | StreamableHttpServerConfig;
/** The transports this library speaks. */
export type TransportKind = ServerConfig['transport'];

/** Every transport name, as this library reports it. */
export const TRANSPORTS: readonly TransportKind[] = ['stdio', 'sse', 'streamable_http'];

/** The spellings of a transport hosts write (`type` in their config files), and the name we report. */
export const TRANSPORT_ALIASES: Readonly<Record<string, TransportKind>> = {
  stdio: 'stdio',
  sse: 'sse',
  http: 'streamable_http',
  streamable_http: 'streamable_http',
  'streamable-http': 'streamable_http',
  streamableHttp: 'streamable_http',
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A server config written as the hosts write theirs: `type` (`"stdio"`, `"http"`, `"sse"`) instead
 * of `transport`, or neither (`command` means stdio, `url` Streamable HTTP).
 */
export type HostStyleServerConfig =
  | (Omit<StdioServerConfig, 'transport'> & { readonly type?: 'stdio' | undefined })
  | (Omit<StreamableHttpServerConfig, 'transport'> & {
      readonly type?: 'http' | 'streamable_http' | 'streamable-http' | 'streamableHttp' | undefined;
    })
  | (Omit<SseServerConfig, 'transport'> & { readonly type: 'sse' });

/** What `addServer` accepts: our spelling or the hosts'. */
export type ServerConfigInput = ServerConfig | HostStyleServerConfig;

/** A host-style entry without its name (the name is its key in the file). */
export type UnnamedServerConfig = DistributiveOmit<ServerConfigInput, 'name'>;

/**
 * The transport an input names (`transport` or `type`, any spelling) or implies; `undefined` when it names none we
 * know.
 */
function transportOf(raw: Record<string, unknown>): {
  transport: TransportKind | undefined;
  field: 'transport' | 'type';
  given: unknown;
} {
  const field = raw.transport !== undefined ? 'transport' : 'type';
  const given = raw[field];
  if (given === undefined) {
    if (typeof raw.command === 'string') return { transport: 'stdio', field, given };
    if (typeof raw.url === 'string') return { transport: 'streamable_http', field, given };
    return { transport: undefined, field, given };
  }
  return {
    transport:
      typeof given === 'string' && Object.hasOwn(TRANSPORT_ALIASES, given) ? TRANSPORT_ALIASES[given] : undefined,
    field,
    given,
  };
}

/** The keys an object schema at `path` inside `schema` knows (every member's, for a union). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  if (schema instanceof z.ZodOptional) return keysAt(schema.unwrap() as z.ZodType, path);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap((o) => keysAt(o, path));
  if (!(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  if (path.length === 0) return Object.keys(shape);
  const [first, ...rest] = path;
  const inner = typeof first === 'string' && Object.hasOwn(shape, first) ? shape[first] : undefined;
  return inner === undefined ? [] : keysAt(inner, rest);
}

function describe(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): string {
  return issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(config)';
      if (issue.code === 'unrecognized_keys') {
        const known = [...new Set(keysAt(schema, issue.path))];
        const keys = issue.keys.map((k) => `"${k}"${didYouMeanText(k, known)}`).join(', ');
        return `${path}: unknown field(s) ${keys}${known.length > 0 ? `; expected one of ${known.join(', ')}` : ''}`;
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

function invalid(message: string, server: string | undefined, field: string | undefined): UniversalMcpError {
  return new UniversalMcpError(ErrorCode.CONFIG_INVALID, message, {
    server,
    details: field === undefined ? undefined : { field },
  });
}

/**
 * Validates one server config and returns it typed, in our spelling: it accepts `transport`
 * (`stdio`, `streamable_http`, `sse`) or the hosts' `type` (`stdio`, `http`, `sse`), or neither
 * (`command` means stdio, `url` Streamable HTTP). Throws `CONFIG_INVALID` naming the field.
 * Nothing is started by this function.
 */
export function parseServerConfig(input: unknown): ServerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('Server config must be an object', undefined, undefined);
  }
  const raw = input as Record<string, unknown>;
  const label = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : undefined;
  const where = label === undefined ? 'Invalid server config' : `Invalid config for server "${label}"`;
  const { transport, field, given } = transportOf(raw);
  if (raw.transport !== undefined && raw.type !== undefined && TRANSPORT_ALIASES[String(raw.type)] !== transport) {
    throw invalid(
      `${where}: type: ${JSON.stringify(raw.type)} and transport: ${JSON.stringify(raw.transport)} disagree; give one`,
      label,
      'type',
    );
  }
  const schema =
    transport === 'stdio'
      ? stdioSchema
      : transport === 'sse'
        ? sseSchema
        : transport === 'streamable_http'
          ? streamableSchema
          : undefined;
  if (schema === undefined) {
    const got = given === undefined ? 'nothing (and neither command nor url)' : JSON.stringify(given);
    const expected = field === 'type' ? '"stdio", "http" or "sse"' : TRANSPORTS.map((t) => `"${t}"`).join(', ');
    throw invalid(`${where}: ${field}: expected one of ${expected}, got ${got}`, label, field);
  }
  const { type: _type, ...rest } = raw;
  const result = schema.safeParse({ ...rest, transport });
  if (!result.success) {
    const first = result.error.issues[0];
    throw invalid(`${where}: ${describe(result.error.issues, schema)}`, label, first?.path.join('.'));
  }
  return result.data;
}

/** Validates client-wide handlers. Throws `CONFIG_INVALID` naming the field. */
export function parseHandlers(input: unknown): ClientHandlers {
  const result = handlersSchema.safeParse(input ?? {});
  if (!result.success)
    throw invalid(
      `Invalid handlers: ${describe(result.error.issues, handlersSchema)}`,
      undefined,
      result.error.issues[0]?.path.join('.'),
    );
  return result.data;
}

/** Validates client-wide policy defaults. Throws `CONFIG_INVALID` naming the field. */
export function parseServerPolicy(input: unknown): ServerPolicy {
  const result = serverPolicySchema.safeParse(input ?? {});
  if (!result.success) {
    throw invalid(
      `Invalid defaults: ${describe(result.error.issues, serverPolicySchema)}`,
      undefined,
      result.error.issues[0]?.path.join('.'),
    );
  }
  return result.data;
}

const SECRET_NAME = /auth|token|key|secret|password|passwd|cookie|session|credential/i;

/**
 * Whether a name (a header, an env variable, an argument key) looks like it holds a secret: it
 * contains auth, token, key, secret, password, passwd, cookie, session or credential, in any case.
 * The one rule for what is redacted wherever something is shown or written down.
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
