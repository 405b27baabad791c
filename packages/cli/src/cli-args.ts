import { parseArgs } from 'node:util';
import { PROTOCOL_2025, PROTOCOL_2026, type ProtocolEra, type ProtocolSetting } from '@universal-mcp/core';
import { didYouMean, didYouMeanText } from '@universal-mcp/core/internal';
import { UsageError } from './exit-codes.js';

/** The commands `umcp` knows. */
export const COMMANDS = [
  'servers',
  'tools',
  'accept',
  'call',
  'watch',
  'resources',
  'prompts',
  'read',
  'chat',
  'serve',
  'dashboard',
  'tasks',
  'help',
] as const;
export type Command = (typeof COMMANDS)[number];

/** A parsed command line. */
export interface CliArgs {
  readonly command: Command;
  readonly positionals: string[];
  readonly config: string | undefined;
  readonly servers: string[];
  readonly logLevel: string;
  readonly json: boolean;
  readonly debug: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly args: string[];
  readonly timeoutMs: number | undefined;
  /** `call`: the whole call's deadline, a task's whole life included (`deadlineMs`); unset: the config's. */
  readonly deadlineMs: number | undefined;
  /** How long to wait for the servers to be ready (or to fail once) before giving up: exit 3. */
  readonly waitMs: number;
  readonly watch: boolean;
  /** `chat`: `openai`, `openai-responses` or `anthropic`. */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  /** `chat`: an OpenAI-compatible (or Anthropic) endpoint other than the provider's own. */
  readonly baseUrl: string | undefined;
  /** `chat`: run tools without asking. */
  readonly yes: boolean;
  /** `tools`: rank the tools for this request instead of listing them. */
  readonly search: string | undefined;
  /** `tools`: list the tool changes not accepted yet, with their diffs. */
  readonly changes: boolean;
  /** `serve`: `host:port` to serve Streamable HTTP on. */
  readonly http: string | undefined;
  /** `serve`: serve one session on stdin/stdout. */
  readonly stdio: boolean;
  /** `serve`: the environment variable holding the bearer token. */
  readonly tokenEnv: string | undefined;
  /** `serve`: each HTTP request on its own. */
  readonly stateless: boolean;
  /** `serve`: `Host` headers accepted besides the loopback names (a load balancer's, a public name). */
  readonly allowHosts: readonly string[];
  /** `serve`: stateful HTTP sessions, and legacy SSE streams, open at once (each). */
  readonly maxSessions: number | undefined;
  /** `serve`: the MCP revisions served downstream (undefined: both). */
  readonly revisions: readonly ProtocolEra[] | undefined;
  /** `serve`: this gateway's name among replicas (the `requestState` of its input rounds names it). */
  readonly replica: string | undefined;
  /** `serve`: the other replicas, by name → MCP endpoint URL (`--peer name=url`). */
  readonly peers: Readonly<Record<string, string>>;
  /** `dashboard`: the port to serve on. */
  readonly port: number | undefined;
  /** `dashboard`: where the call history is kept. */
  readonly dataDir: string | undefined;
  /** The MCP revision for every server whose config does not say (the client's `protocol` option). */
  readonly protocol: ProtocolSetting | undefined;
  /** `--outbound-host`: hosts HTTP servers may be reached at (joined to the config's `outboundHosts`). */
  readonly outboundHosts: readonly string[];
  /** `call`, `tasks wait`: what Ctrl-C does to a running task (undefined: ask on a terminal, else cancel). */
  readonly onInterrupt: InterruptChoice | undefined;
  /** `call`: return once the server made the task (it keeps running; `umcp tasks wait <id>` resumes). */
  readonly detach: boolean;
  /** `call`, `tasks`: the task store file (undefined: the default under `$XDG_STATE_HOME`). */
  readonly tasksFile: string | undefined;
}

/** What Ctrl-C does to a running task: cancel it on the server, or leave it running and exit. */
export type InterruptChoice = 'cancel' | 'detach';

/** The default of `--wait`. */
export const DEFAULT_WAIT_MS = 30_000;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  server: { type: 'string', short: 's', multiple: true },
  'log-level': { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  arg: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  deadline: { type: 'string' },
  wait: { type: 'string' },
  watch: { type: 'boolean' },
  provider: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  search: { type: 'string' },
  changes: { type: 'boolean' },
  http: { type: 'string' },
  stdio: { type: 'boolean' },
  'token-env': { type: 'string' },
  stateless: { type: 'boolean' },
  'allow-host': { type: 'string', multiple: true },
  'max-sessions': { type: 'string' },
  revisions: { type: 'string' },
  replica: { type: 'string' },
  peer: { type: 'string', multiple: true },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  protocol: { type: 'string' },
  'outbound-host': { type: 'string', multiple: true },
  'on-interrupt': { type: 'string' },
  detach: { type: 'boolean' },
  'tasks-file': { type: 'string' },
} as const;

const PROTOCOLS: readonly ProtocolSetting[] = ['auto', PROTOCOL_2026, PROTOCOL_2025];

/** `--protocol`: one of the three settings. */
function protocol(value: string | undefined): ProtocolSetting | undefined {
  if (value === undefined || (PROTOCOLS as readonly string[]).includes(value)) return value as ProtocolSetting;
  throw new UsageError(`--protocol wants ${PROTOCOLS.join(', ')}, got "${value}"${didYouMeanText(value, PROTOCOLS)}`);
}

/** `--peer name=url`, repeated: the other replicas' endpoints (checked again, fully, by the listener). */
function peers(values: readonly string[] | undefined): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1)
      throw new UsageError(`--peer wants name=url (e.g. b=http://10.0.0.2:8930/mcp), got "${value}"`);
    out[value.slice(0, at)] = value.slice(at + 1);
  }
  return out;
}

/** `--revisions`: a comma list of the two revisions the gateway serves. */
function revisions(value: string | undefined): readonly ProtocolEra[] | undefined {
  if (value === undefined) return undefined;
  const eras: readonly string[] = [PROTOCOL_2026, PROTOCOL_2025];
  const list = value.split(',').map((v) => v.trim());
  const bad = list.find((v) => !eras.includes(v));
  if (bad !== undefined || list.length === 0)
    throw new UsageError(`--revisions wants a comma list of ${eras.join(', ')}, got "${value}"`);
  return [...new Set(list)] as ProtocolEra[];
}

function positiveMs(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new UsageError(`${flag} must be a positive number of milliseconds, got "${value}"`);
  return ms;
}

/** Parses argv (without node and the script). Throws UsageError for mistakes. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    const unknown = /Unknown option '([^']+)'/.exec((err as Error).message)?.[1];
    if (unknown === undefined) throw new UsageError((err as Error).message);
    const guess = didYouMean(unknown.replace(/^-+/, '').replace(/=.*$/, ''), Object.keys(OPTIONS));
    const known = Object.keys(OPTIONS)
      .map((o) => `--${o}`)
      .join(', ');
    throw new UsageError(
      `unknown option ${unknown}${guess === undefined ? '' : ` (did you mean --${guess}?)`}; options: ${known}`,
    );
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = (first ?? 'help') as Command;
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(
      `unknown command "${first}"${didYouMeanText(String(first), COMMANDS)} (expected one of ${COMMANDS.join(', ')})`,
    );
  const timeoutMs = positiveMs(values.timeout, '--timeout');
  const waitMs = positiveMs(values.wait, '--wait') ?? DEFAULT_WAIT_MS;
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
  const logLevel = values['log-level'] ?? 'silent';
  if (!levels.includes(logLevel))
    throw new UsageError(`--log-level must be one of ${levels.join(', ')}, got "${logLevel}"`);
  return {
    command,
    positionals: rest,
    config: values.config,
    servers: values.server ?? [],
    logLevel,
    json: values.json ?? false,
    debug: values.debug ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    args: values.arg ?? [],
    timeoutMs,
    deadlineMs: positiveMs(values.deadline, '--deadline'),
    waitMs,
    watch: values.watch ?? false,
    provider: values.provider,
    model: values.model,
    baseUrl: values['base-url'],
    yes: values.yes ?? false,
    search: values.search,
    changes: values.changes ?? false,
    http: values.http,
    stdio: values.stdio ?? false,
    tokenEnv: values['token-env'],
    stateless: values.stateless ?? false,
    allowHosts: values['allow-host'] ?? [],
    maxSessions: positiveCount(values['max-sessions'], '--max-sessions'),
    revisions: revisions(values.revisions),
    replica: values.replica,
    peers: peers(values.peer),
    port: port(values.port),
    dataDir: values['data-dir'],
    protocol: protocol(values.protocol),
    outboundHosts: values['outbound-host'] ?? [],
    onInterrupt: interruptChoice(values['on-interrupt']),
    detach: values.detach ?? false,
    tasksFile: values['tasks-file'],
  };
}

/** `--on-interrupt`: cancel or detach. */
function interruptChoice(value: string | undefined): InterruptChoice | undefined {
  if (value === undefined || value === 'cancel' || value === 'detach') return value;
  throw new UsageError(
    `--on-interrupt wants cancel or detach, got "${value}"${didYouMeanText(value, ['cancel', 'detach'])}`,
  );
}

/** A whole number of 1 or more. */
function positiveCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new UsageError(`${flag} wants a whole number of 1 or more, got "${value}"`);
  return Number(value);
}

/** `--port`: 0 to 65535. */
function port(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65535) throw new UsageError(`--port wants 0 to 65535, got "${value}"`);
  return n;
}
