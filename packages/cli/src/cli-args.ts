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
}

/** The default of `--wait`. */
export const DEFAULT_WAIT_MS = 30_000;

const GLOBAL_HELP = `umcp — supervised MCP servers from the command line

Usage: umcp <command> [options]

Commands:
  servers                          the servers in the config: transport, state, tools, restarts, last error
  tools [server]                   tools with one-line descriptions (--json: full schemas);
                                   --changes: tools changed since they were pinned, with diffs
  accept <server>/<tool>           accept a changed tool: pin its current definition
  call <server> <tool> [json]      call a tool; arguments as one JSON object or --arg key=value ...
  watch                            keep the servers supervised and print lifecycle events live
  resources [server]               resources and resource templates
  prompts [server]                 prompts and their arguments
  read <server> <uri>              read a resource
  chat --provider P --model M      talk to a model that uses the servers' tools
  serve --http H:P | --stdio       every server as one MCP server (a gateway)
  dashboard [--port N]             a live console in the browser (127.0.0.1:8931, with a token)
  help [command]                   this text, or a command's

Options:
  -c, --config <file>      config file (default: the first of ./mcp.json, ./.mcp.json, .vscode/mcp.json)
                           Claude Desktop, Claude Code, Cursor and VS Code formats are read as they are
  -s, --server <name>      only this server (repeatable)
      --wait <ms>          how long to wait for servers to be ready (default 30000); then exit 3
      --protocol <rev>     auto, 2026-07-28 or 2025-11-25 for every server whose config does not
                           say (default auto: server/discover, else initialize)
      --outbound-host <h>  only reach HTTP servers, OAuth endpoints and redirects at this host
                           (host, host:port, *.domain; repeatable; adds to the config's outboundHosts)
      --log-level <level>  pino logs on stderr: trace, debug, info, warn, error, silent (default: silent)
      --json               machine-readable output (NDJSON for watch)
      --debug              show stack traces
  -h, --help               help
  -V, --version            the version

Exit codes: 0 ok, 1 the tool returned isError (or the server answered with an error),
2 usage or config error, 3 server unavailable, 130 interrupted.`;

const COMMAND_HELP: Record<Command, string> = {
  servers: `Usage: umcp servers [--server <name>] [--json]

Connects to every server in the config and prints a table: name, transport, state, the protocol
revision it speaks (2026-07-28, or the 2025-era one initialize settled), tools, restarts, last
error. A server that cannot start is listed as failed with the reason.`,
  tools: `Usage: umcp tools [server [tool]] [--search "request"] [--changes] [--json]

Lists each server's tools with a one-line description: only the tools the tool policy offers (a
tool denied in the config, e.g. by "disabledTools", or held after a change, is not listed). With a
server and a tool: that tool's whole description, its parameters (type, required, description) and
annotations. --json prints the full tool objects, input and output schemas included. --search ranks
every tool for a request in words (names, descriptions, parameters; offline, no model) and prints
the best ten.
--changes lists the tool changes not accepted yet: a tool whose definition differs from the one
pinned (redefined) or that shadows another server's tool, with the policy's action (warn, hold,
block) and a diff; "umcp accept <server>/<tool>" accepts one. Changes across runs are caught only
when the config names a "pins" file (without one, each run pins what it first sees).`,
  accept: `Usage: umcp accept <server>/<tool>

Accepts a tool change that "umcp tools --changes" lists: pins the tool's current definition in the
config's "pins" file, so a held or blocked tool is offered again and a warned one is no longer
flagged. Needs "pins" in the config (without it nothing is kept beyond the command); exits 1 when
the tool has no pending change.`,
  call: `Usage: umcp call <server> <tool> [json-args] [--arg key=value ...] [--timeout <ms>] [--json]

Calls a tool and prints the result: text content as text, structured content as JSON
(--json: the whole result). Arguments come as one JSON object, or as --arg key=value pairs
(each value takes the type the tool's inputSchema gives its parameter: --arg count=3 is a number
where count is a number, and the string "3" where it is a string; without a schema, JSON values
are parsed). Waits up to --wait ms for the server; a server that is not ready by then exits 3.
Progress is shown on stderr while the tool reports it; Ctrl-C cancels the call (the server
receives notifications/cancelled) and exits 130. Exits 1 when the tool answers isError.`,
  watch: `Usage: umcp watch [--watch] [--json]

Keeps the servers supervised and prints every lifecycle event as one line (NDJSON with --json):
state changes, restarts, given-up servers, tool list changes, stderr lines, server logs, and the
rounds in which a 2026-07-28 server asks for input before it answers (input required).
With --watch the config file is re-applied whenever it changes: added servers start, removed
ones stop, changed ones restart, policy-only changes apply live. Ctrl-C stops cleanly.`,
  resources: `Usage: umcp resources [server] [--json]

Lists each server's resources (every page) and resource templates.`,
  prompts: `Usage: umcp prompts [server] [--json]

Lists each server's prompts with their arguments.`,
  chat: `Usage: umcp chat --provider openai|openai-responses|anthropic --model <model> [--base-url <url>] [--yes]

A terminal chat with a model that uses every server's tools (those the tool policy offers). Type a
message and press Enter; the answer streams as it comes, and each tool call and its result show as
one line each. Before a call the tool policy says needs approval (by default every call to a server
not marked "trusted"; a trusted server's tools annotated read-only run unasked), umcp shows the
server, the tool, the arguments, whether the server is trusted, its annotations and, for a tool
changed since it was pinned, the diff, and asks: y (yes), a (always: this tool runs unasked for the
rest of the chat), n (no). --yes never asks. Ctrl-C stops the answer under way; Ctrl-D or /exit
ends the chat. Trusted servers' instructions are passed to the model.

The key comes from the environment: OPENAI_API_KEY (openai, openai-responses) or
ANTHROPIC_API_KEY (anthropic). --base-url points at another endpoint: a local OpenAI-compatible
server needs no key (Ollama: --base-url http://127.0.0.1:11434/v1, llama.cpp, vLLM).`,
  serve: `Usage: umcp serve (--http <host:port> [--token-env <VAR>] [--stateless] [--allow-host <host>]...
                  [--max-sessions <n>] [--replica <name> --peer <name=url>...] | --stdio)
                  [--revisions <list>]

Serves every server of the config as one MCP server: their tools, prompts and resources merged
under collision-free names, kept current, each call supervised (a crashed server answers with a
tool error naming the code while it restarts).

--http serves Streamable HTTP at http://<host:port>/mcp (legacy SSE at /sse for old clients; also
/healthz, /readyz and Prometheus /metrics). Every
request needs "Authorization: Bearer <token>": the token is read from the variable --token-env
names, or generated and printed on stderr (on 127.0.0.1 only: another address needs --token-env).
--stateless answers each request on its own, so replicas behind a load balancer can share clients.
--allow-host accepts that Host header too (the name clients use through a proxy, e.g.
mcp.example.com or 127.0.0.1:8080); by default only the loopback names with the port are.
--max-sessions caps the stateful sessions, and the legacy SSE streams, open at once (default 100
each); a client past it gets HTTP 429.
--replica names this replica, --peer another one (repeat it for each): 2026-07-28 requests need no
affinity, but a call waiting for its client's answers (an input round) waits in the replica that
started it; a retry reaching another replica is forwarded there (e.g. --replica a
--peer b=http://10.0.0.2:8930/mcp). Without them such a retry fails and the client calls again.
--stdio serves one session on stdin/stdout, for hosts that spawn their servers (Claude Desktop,
Cursor): point the host's config at "umcp serve --config <file> --stdio".
Both MCP revisions are served, on the same endpoint: 2026-07-28 (stateless requests) and 2025-11-25
(sessions; every 2025-era version). --revisions 2026-07-28 (or 2025-11-25) serves one only: a client of
the other gets the unsupported-version error naming the versions served.`,
  dashboard: `Usage: umcp dashboard [--port <n>] [--token-env <VAR>] [--data-dir <dir>]
                      [--provider openai|openai-responses|anthropic --model <model> [--base-url <url>]]

Opens a live console over the servers of the config on http://127.0.0.1:<port> (default 8931; 0 picks
a free one): every server's state, restarts, latency, queue and last error, its timeline, and
restart / remove / add. The URL printed on stderr carries the token every request needs (from
--token-env's variable, or generated). Prometheus /metrics is served beside it (with the token).
Every call is kept in <dir>/history.ndjson (rotated at 1 MiB; default
$XDG_STATE_HOME/universal-mcp, else ~/.local/state/universal-mcp), arguments redacted.

The Chat view talks to a model that uses the servers' tools. --provider and --model name one (its
key from OPENAI_API_KEY or ANTHROPIC_API_KEY; --base-url for another endpoint); the config's "chat"
key can list more: {"chat": {"providers": [{"name": "claude", "type": "anthropic", "models":
["claude-sonnet-4-5"], "apiKeyEnv": "ANTHROPIC_API_KEY"}]}} (each provider: type, models, and
optionally name, apiKeyEnv, and baseURL for another endpoint). Keys stay in this process, never in
the page. Conversations are kept in <dir>/chat.sqlite.`,
  read: `Usage: umcp read <server> <uri> [--json]

Reads a resource and prints its text (binary contents are described). --json prints the result.`,
  help: GLOBAL_HELP,
};

/** Help for a command, or the general help. */
export function helpFor(command?: string): string {
  if (command !== undefined && (COMMANDS as readonly string[]).includes(command))
    return COMMAND_HELP[command as Command];
  return GLOBAL_HELP;
}

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
  };
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

/** The part of a JSON Schema `--arg` typing reads. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The JSON types a parameter's schema allows (`type`, or the members of `anyOf`/`oneOf`). */
function typesOf(schema: JsonSchema | undefined): string[] {
  if (schema === undefined) return [];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(typesOf);
}

/** A `--arg` value as the parameter's type wants it: a string stays a string, a number is parsed, and so on. */
function coerce(key: string, raw: string, schema: JsonSchema | undefined): unknown {
  const types = typesOf(schema);
  if (types.includes('string')) return raw;
  if (types.length > 0 && types.every((t) => t === 'number' || t === 'integer')) {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--arg ${key}: expected a number, got "${raw}"`);
    return n;
  }
  if (types.length === 1 && types[0] === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new UsageError(`--arg ${key}: expected true or false, got "${raw}"`);
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    if (types.includes('object') || types.includes('array'))
      throw new UsageError(`--arg ${key}: expected JSON (${types.join(' or ')}), got "${raw}"`);
    return raw;
  }
}

/**
 * Tool arguments from `[json]` and `--arg k=v` pairs, each pair typed by the tool's `inputSchema` when there is one.
 */
export function toolArguments(
  json: string | undefined,
  pairs: readonly string[],
  inputSchema?: object,
): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (json !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new UsageError(`arguments are not valid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new UsageError('arguments must be a JSON object, e.g. \'{"city":"Oslo"}\'');
    args = value as Record<string, unknown>;
  }
  const properties = (inputSchema as JsonSchema | undefined)?.properties ?? {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    args[key] = coerce(key, pair.slice(eq + 1), Object.hasOwn(properties, key) ? properties[key] : undefined);
  }
  return args;
}
