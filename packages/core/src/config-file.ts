import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  TRANSPORT_ALIASES,
  parseServerConfig,
  parseServerPolicy,
  type ServerConfig,
  type UnnamedServerConfig,
} from './config.js';
import { POLICY_KEYS, type ServerPolicy } from './policy.js';
import { didYouMean } from './did-you-mean.js';
import { ErrorCode, UniversalMcpError, isUniversalMcpError } from './errors.js';
import { HOST_TOOL_KEYS, entryToolPolicy, parseToolPolicy } from './host-tool-keys.js';
import type { ToolPolicy } from './tool-policy.js';

/** What a config file holds, validated: the servers to run and the client-wide policy. */
export interface LoadedConfig {
  /** Servers not marked `disabled`, validated, variables filled in. */
  readonly servers: ServerConfig[];
  /** Names of servers marked `"disabled": true`. */
  readonly disabled: string[];
  /** Client-wide policy from the top-level `defaults` key. */
  readonly defaults: ServerPolicy;
  /** The client-wide tool policy from the top-level `tools` key. */
  readonly tools?: ToolPolicy | undefined;
  /** The pins file from the top-level `pins` key, resolved against the config file's directory. */
  readonly pins?: string | undefined;
  /** The file it came from, when it came from one. */
  readonly source: string | undefined;
}

/** One server entry of a config file: a host's own keys, or ours beside them. */
export type ConfigFileEntry = UnnamedServerConfig & {
  /** Leave this server out. */
  readonly disabled?: boolean | undefined;
  /** The hosts' call timeout in ms: our `callTimeoutMs`. */
  readonly timeout?: number | undefined;
  readonly [hostKey: string]: unknown;
};

/**
 * A config file as Claude Desktop, Claude Code, Cursor (`mcpServers`) or VS Code (`servers`) write it, with our
 * `defaults`.
 */
export interface ConfigFile {
  readonly mcpServers?: Readonly<Record<string, ConfigFileEntry>> | undefined;
  readonly servers?: Readonly<Record<string, ConfigFileEntry>> | undefined;
  /** The client-wide policy. */
  readonly defaults?: ServerPolicy | undefined;
  /** The client-wide tool policy. */
  readonly tools?: ToolPolicy | undefined;
  /** Where pinned tool definitions persist (relative to the config file). */
  readonly pins?: string | undefined;
  readonly [hostKey: string]: unknown;
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Where `${VAR}` values come from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Keys of ours allowed beside the hosts' own in a server entry: every policy field, and a few more. */
const OUR_KEYS = new Set<string>([
  ...POLICY_KEYS,
  'maxMessageBytes',
  'disabled',
  'transport',
  'protocol',
  'tools',
  'trusted',
]);
/** Top-level keys: the server lists, our defaults, tools and pins, the console's chat, the hosts' own. */
const TOP_KEYS = [
  'mcpServers',
  'servers',
  'defaults',
  'tools',
  'pins',
  'chat',
  'inputs',
  '$schema',
  'globalShortcut',
  'preferences',
];
/** Keys the hosts write that we accept and ignore (they describe the host, not the connection). */
const HOST_KEYS = new Set(['type', 'description', 'envFile', 'timeout', 'gallery', 'version']);
/** The hosts' tool keys, read into `tools` (see host-tool-keys.ts). */
const TOOL_KEYS = new Set(HOST_TOOL_KEYS);

const VAR = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}/g;

class ConfigFileError extends UniversalMcpError {}

function fail(source: string | undefined, server: string | undefined, path: string, message: string): never {
  const where = [
    source === undefined ? 'config' : source,
    server === undefined ? undefined : `server "${server}"`,
    path === '' ? undefined : path,
  ]
    .filter((p) => p !== undefined)
    .join(', ');
  throw new ConfigFileError(ErrorCode.CONFIG_INVALID, `${where}: ${message}`, {
    server,
    details: { file: source, path },
  });
}

function interpolate(
  value: string,
  env: LoadConfigOptions['env'],
  source: string | undefined,
  server: string,
  path: string,
): string {
  return value.replace(
    VAR,
    (whole, name: string | undefined, fallback: string | undefined, other: string | undefined) => {
      if (name === undefined)
        fail(
          source,
          server,
          path,
          `"${whole}" is not a variable this loader fills in ` +
            `(use \${VAR}, \${env:VAR} or \${VAR:-default}; "${other}" is not one)`,
        );
      const v = env?.[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      return fail(
        source,
        server,
        path,
        `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
      );
    },
  );
}

function strings(value: unknown, source: string | undefined, server: string, path: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    fail(source, server, path, `expected an array of strings, got ${JSON.stringify(value)}`);
  return value as string[];
}

function record(value: unknown, source: string | undefined, server: string, path: string): Record<string, string> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  ) {
    fail(source, server, path, `expected an object of strings, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, string>;
}

function transportOf(
  entry: Record<string, unknown>,
  source: string | undefined,
  name: string,
  base: string,
): ServerConfig['transport'] {
  const declared = entry.transport ?? entry.type;
  if (declared === undefined) {
    if (typeof entry.command === 'string') return 'stdio';
    if (typeof entry.url === 'string') return 'streamable_http';
    return fail(source, name, base, 'expected "command" (a stdio server) or "url" (an HTTP server)');
  }
  const known =
    typeof declared === 'string' && Object.hasOwn(TRANSPORT_ALIASES, declared)
      ? TRANSPORT_ALIASES[declared]
      : undefined;
  if (known !== undefined) return known;
  return fail(
    source,
    name,
    `${base}.${entry.transport !== undefined ? 'transport' : 'type'}`,
    `expected "stdio", "http" or "sse", got ${JSON.stringify(declared)}`,
  );
}

/** Turns one host-format entry into our config, with variables filled in. */
function toServerConfig(
  name: string,
  entry: unknown,
  base: string,
  source: string | undefined,
  env: LoadConfigOptions['env'],
): ServerConfig | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return fail(source, name, base, 'expected an object');
  const e = entry as Record<string, unknown>;
  if (e.disabled === true) return undefined;
  const transport = transportOf(e, source, name, base);
  const out: Record<string, unknown> = { name, transport };
  for (const [key, value] of Object.entries(e)) {
    const path = `${base}.${key}`;
    if (HOST_KEYS.has(key) || TOOL_KEYS.has(key) || key === 'tools' || key === 'disabled' || key === 'transport')
      continue;
    if (key === 'command' || key === 'cwd')
      out[key] = typeof value === 'string' ? interpolate(value, env, source, name, path) : value;
    else if (key === 'args')
      out.args = strings(value, source, name, path).map((a, i) => interpolate(a, env, source, name, `${path}[${i}]`));
    else if (key === 'env' || key === 'headers') {
      out[key] = Object.fromEntries(
        Object.entries(record(value, source, name, path)).map(([k, v]) => [
          k,
          interpolate(v, env, source, name, `${path}.${k}`),
        ]),
      );
    } else if (key === 'url') out.url = typeof value === 'string' ? interpolate(value, env, source, name, path) : value;
    else if (OUR_KEYS.has(key)) out[key] = value;
    else {
      const guess = didYouMean(key, [...OUR_KEYS, 'command', 'args', 'env', 'cwd', 'url', 'headers']);
      const ours = [...OUR_KEYS].filter((k) => k !== 'transport').join(', ');
      fail(
        source,
        name,
        path,
        `unknown field "${key}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`} (expected ` +
          `command/args/env/cwd for stdio, url/headers for HTTP, or one of ${ours})`,
      );
    }
  }
  const tools = entryToolPolicy(e, (key, message) => fail(source, name, `${base}.${key}`, message));
  if (tools !== undefined) out.tools = tools;
  // Claude Code and others write `timeout` (ms) for the server's calls: our callTimeoutMs.
  if (typeof e.timeout === 'number' && out.callTimeoutMs === undefined) out.callTimeoutMs = e.timeout;
  // A stdio server from a file runs where the file is, so that its relative paths mean what they say
  // wherever the program reading the file was started.
  if (transport === 'stdio' && source !== undefined) {
    const base = resolve(dirname(source));
    out.cwd = typeof out.cwd === 'string' ? (isAbsolute(out.cwd) ? out.cwd : resolve(base, out.cwd)) : base;
  }
  try {
    return parseServerConfig(out);
  } catch (err) {
    const field = isUniversalMcpError(err, ErrorCode.CONFIG_INVALID) ? err.details?.field : undefined;
    const message = (err as Error).message.replace(/^Invalid (config for server "[^"]*"|server config): /, '');
    return fail(source, name, typeof field === 'string' && field !== '' ? `${base}.${field}` : base, message);
  }
}

/**
 * Reads a server list in the formats hosts already write — Claude Desktop's
 * `claude_desktop_config.json` and Claude Code's / Cursor's `mcp.json` (`mcpServers`), VS Code's
 * `.vscode/mcp.json` (`servers`) — unchanged, plus our own keys beside them (restart, backoff,
 * queue, health, timeouts, `disabled`) and a top-level `defaults`. Every error names the file,
 * the server and the JSON path of the bad value; nothing is started here.
 */
export async function loadConfig(input: string | ConfigFile, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  let raw: unknown = input;
  let source: string | undefined;
  if (typeof input === 'string') {
    source = resolve(input);
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (err) {
      throw new ConfigFileError(
        ErrorCode.CONFIG_INVALID,
        `${source}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        {
          cause: err,
          details: { file: source },
        },
      );
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return fail(source, undefined, '', `not valid JSON: ${(err as Error).message}`);
    }
  }
  return parseConfigObject(raw, source, options.env ?? process.env);
}

/** The synchronous core of {@link loadConfig}, for an already parsed object. */
export function parseConfigObject(
  raw: unknown,
  source: string | undefined,
  env: LoadConfigOptions['env'] = process.env,
): LoadedConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail(source, undefined, '', 'expected a JSON object');
  const doc = raw as Record<string, unknown>;
  for (const top of Object.keys(doc)) {
    if (TOP_KEYS.includes(top)) continue;
    const guess = didYouMean(top, TOP_KEYS);
    fail(
      source,
      undefined,
      top,
      `unknown top-level key "${top}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; ` +
        `expected ${TOP_KEYS.slice(0, 3)
          .map((k) => `"${k}"`)
          .join(', ')}`,
    );
  }
  const key = doc.mcpServers !== undefined ? 'mcpServers' : doc.servers !== undefined ? 'servers' : undefined;
  if (key === undefined)
    return fail(
      source,
      undefined,
      '',
      'expected a "mcpServers" object (Claude, Cursor) or a "servers" object (VS Code)',
    );
  const entries = doc[key];
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
    return fail(source, undefined, key, 'expected an object of servers by name');
  let defaults: ServerPolicy = {};
  if (doc.defaults !== undefined) {
    try {
      defaults = parseServerPolicy(doc.defaults);
    } catch (err) {
      const field = isUniversalMcpError(err, ErrorCode.CONFIG_INVALID) ? err.details?.field : undefined;
      fail(
        source,
        undefined,
        `defaults${typeof field === 'string' && field !== '' ? `.${field}` : ''}`,
        (err as Error).message.replace(/^Invalid defaults: /, ''),
      );
    }
  }
  const servers: ServerConfig[] = [];
  const disabled: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const config = toServerConfig(name, entry, `${key}.${name}`, source, env);
    if (config === undefined) disabled.push(name);
    else servers.push(config);
  }
  const tools =
    doc.tools === undefined
      ? undefined
      : parseToolPolicy(doc.tools, (path, message) => fail(source, undefined, path, message));
  let pins: string | undefined;
  if (doc.pins !== undefined) {
    if (typeof doc.pins !== 'string' || doc.pins === '')
      fail(source, undefined, 'pins', `expected a file path, got ${JSON.stringify(doc.pins)}`);
    // Relative to the file, so that the pins do not move with the working directory of whoever reads it.
    pins = resolve(source === undefined ? '.' : dirname(source), doc.pins);
  }
  return {
    servers,
    disabled,
    defaults,
    ...(tools === undefined ? {} : { tools }),
    ...(pins === undefined ? {} : { pins }),
    source,
  };
}
