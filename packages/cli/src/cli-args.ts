import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes.js';

/** The commands `umcp` knows. */
export const COMMANDS = ['servers', 'tools', 'call', 'watch', 'resources', 'prompts', 'read', 'help'] as const;
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
  readonly args: string[];
  readonly timeoutMs: number | undefined;
  readonly watch: boolean;
}

const GLOBAL_HELP = `umcp — supervised MCP servers from the command line

Usage: umcp <command> [options]

Commands:
  servers                          the servers in the config: transport, state, tools, restarts, last error
  tools [server]                   tools with one-line descriptions (--json: full schemas)
  call <server> <tool> [json]      call a tool; arguments as one JSON object or --arg key=value ...
  watch                            keep the servers supervised and print lifecycle events live
  resources [server]               resources and resource templates
  prompts [server]                 prompts and their arguments
  read <server> <uri>              read a resource
  help [command]                   this text, or a command's

Options:
  -c, --config <file>      config file (default: the first of ./mcp.json, ./.mcp.json, .vscode/mcp.json)
                           Claude Desktop, Claude Code, Cursor and VS Code formats are read as they are
  -s, --server <name>      only this server (repeatable)
      --log-level <level>  pino logs on stderr: trace, debug, info, warn, error, silent (default: silent)
      --json               machine-readable output (NDJSON for watch)
      --debug              show stack traces
  -h, --help               help

Exit codes: 0 ok, 1 the tool returned isError (or the server answered with an error),
2 usage or config error, 3 server unavailable, 130 interrupted.`;

const COMMAND_HELP: Record<Command, string> = {
  servers: `Usage: umcp servers [--server <name>] [--json]

Connects to every server in the config and prints a table: name, transport, state, tools,
restarts, last error. A server that cannot start is listed as failed with the reason.`,
  tools: `Usage: umcp tools [server] [--json]

Lists each server's tools with a one-line description. --json prints the full tool objects,
input and output schemas included, by server.`,
  call: `Usage: umcp call <server> <tool> [json-args] [--arg key=value ...] [--timeout <ms>] [--json]

Calls a tool and prints the result: text content as text, structured content as JSON
(--json: the whole result). Arguments come as one JSON object, or as --arg key=value pairs
(values are parsed as JSON when they can be: --arg count=3 is a number, --arg name=ada a string).
Progress is shown on stderr while the tool reports it; Ctrl-C cancels the call (the server
receives notifications/cancelled) and exits 130. Exits 1 when the tool answers isError.`,
  watch: `Usage: umcp watch [--watch] [--json]

Keeps the servers supervised and prints every lifecycle event as one line (NDJSON with --json):
state changes, restarts, given-up servers, tool list changes, stderr lines, server logs.
With --watch the config file is re-applied whenever it changes: added servers start, removed
ones stop, changed ones restart, policy-only changes apply live. Ctrl-C stops cleanly.`,
  resources: `Usage: umcp resources [server] [--json]

Lists each server's resources (every page) and resource templates.`,
  prompts: `Usage: umcp prompts [server] [--json]

Lists each server's prompts with their arguments.`,
  read: `Usage: umcp read <server> <uri> [--json]

Reads a resource and prints its text (binary contents are described). --json prints the result.`,
  help: GLOBAL_HELP,
};

/** Help for a command, or the general help. */
export function helpFor(command?: string): string {
  if (command !== undefined && (COMMANDS as readonly string[]).includes(command)) return COMMAND_HELP[command as Command];
  return GLOBAL_HELP;
}

/** Parses argv (without node and the script). Throws UsageError for mistakes. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        server: { type: 'string', short: 's', multiple: true },
        'log-level': { type: 'string' },
        json: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        arg: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        watch: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = (first ?? 'help') as Command;
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${first}" (expected one of ${COMMANDS.join(', ')})`);
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UsageError(`--timeout must be a positive number of milliseconds, got "${values.timeout}"`);
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
  const logLevel = values['log-level'] ?? 'silent';
  if (!levels.includes(logLevel)) throw new UsageError(`--log-level must be one of ${levels.join(', ')}, got "${logLevel}"`);
  return {
    command,
    positionals: rest,
    config: values.config,
    servers: values.server ?? [],
    logLevel,
    json: values.json ?? false,
    debug: values.debug ?? false,
    help: values.help ?? false,
    args: values.arg ?? [],
    timeoutMs,
    watch: values.watch ?? false,
  };
}

/** Tool arguments from `[json]` and `--arg k=v` pairs. */
export function toolArguments(json: string | undefined, pairs: readonly string[]): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (json !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new UsageError(`arguments are not valid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('arguments must be a JSON object, e.g. \'{"city":"Oslo"}\'');
    args = value as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg expects key=value, got "${pair}"`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    args[pair.slice(0, eq)] = value;
  }
  return args;
}
