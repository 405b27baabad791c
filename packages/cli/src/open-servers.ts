import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { didYouMeanText } from '@universal-mcp/core/internal';
import {
  ErrorCode,
  FileTaskStore,
  UniversalMcpClient,
  UniversalMcpError,
  loadConfig,
  type ClientHandlers,
  type LoadedConfig,
  type ServerInfo,
  type TaskStore,
  type TelemetryOptions,
} from '@universal-mcp/supervisor';
import type { CliArgs } from './cli-args.js';
import { findConfig } from './config-discovery.js';
import { UsageError } from './exit-codes.js';

/** Where a command writes. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** The servers a command started, with the config they came from (`names`: those it asked for). */
export interface Opened {
  readonly client: UniversalMcpClient;
  readonly loaded: LoadedConfig;
  readonly file: string;
  readonly names: string[];
  /** The client's logger (stderr, `--log-level`): the gateway and the console log through it too. */
  readonly logger: Logger;
}

/**
 * Loads the config, keeps the servers asked for, and starts them (without waiting). `apps`: the
 * command serves MCP Apps to something that renders them (the dashboard, a gateway's host), so every
 * server is told the client takes them.
 */
export async function open(
  args: CliArgs,
  only: readonly string[] = [],
  handlers?: ClientHandlers,
  telemetry?: TelemetryOptions,
  apps = false,
): Promise<Opened> {
  const file = findConfig(args.config);
  const loaded = await loadConfig(file);
  const wanted = [...new Set([...args.servers, ...only])];
  const known = loaded.servers.map((s) => s.name);
  for (const name of wanted) {
    if (!known.includes(name)) {
      const hint = loaded.disabled.includes(name) ? ' (it is disabled)' : '';
      const guess = hint === '' ? didYouMeanText(name, known) : '';
      throw new UsageError(`no server "${name}" in ${file}${hint}${guess}; servers: ${known.join(', ') || '(none)'}`);
    }
  }
  const servers = wanted.length === 0 ? loaded.servers : loaded.servers.filter((s) => wanted.includes(s.name));
  const logger = cliLogger(args);
  // Only the commands that run or resume tasks keep them: `umcp servers` must not poll anyone's tasks.
  const tasks = args.command === 'call' || args.command === 'tasks' ? tasksFile(args) : undefined;
  const client = clientFor(args, loaded, { handlers, telemetry, apps, logger, tasks });
  await Promise.all(servers.map((s) => client.addServer(s, { waitForReady: false })));
  return { client, loaded, file, names: servers.map((s) => s.name), logger };
}

/** The CLI's logger: pino on stderr at `--log-level`. */
export function cliLogger(args: CliArgs): Logger {
  return pino({ level: args.logLevel }, pino.destination(2));
}

/**
 * A client with the config's defaults, tools and pins and the flags' logging, protocol and outbound
 * hosts (no server added yet). `more`: what the command adds (handlers, telemetry, Apps).
 */
export function clientFor(
  args: CliArgs,
  loaded: LoadedConfig,
  more: {
    handlers?: ClientHandlers | undefined;
    telemetry?: TelemetryOptions | undefined;
    apps?: boolean;
    logger?: Logger;
    tasks?: string | TaskStore | undefined;
  } = {},
): UniversalMcpClient {
  return new UniversalMcpClient({
    defaults: loaded.defaults,
    tools: loaded.tools,
    pins: loaded.pins,
    ...more,
    logger: more.logger ?? cliLogger(args),
    protocol: args.protocol,
    outboundHosts: outboundHostsOf(args, loaded),
  });
}

/**
 * The task store file: `--tasks-file`, else `$XDG_STATE_HOME/umcp/tasks.json` (an absolute
 * `XDG_STATE_HOME` only, as the XDG spec says), else `~/.local/state/umcp/tasks.json`. The store
 * creates its directory 0700 and the file 0600: it holds the servers' task ids, which are bearer tokens.
 */
export function tasksFile(args: Pick<CliArgs, 'tasksFile'>, env: NodeJS.ProcessEnv = process.env): string {
  if (args.tasksFile !== undefined) return resolve(args.tasksFile);
  const state = env.XDG_STATE_HOME;
  const base = state !== undefined && isAbsolute(state) ? state : join(homedir(), '.local', 'state');
  return join(base, 'umcp', 'tasks.json');
}

/** `--outbound-host` flags and the config's `outboundHosts` together; undefined (no restriction) with neither. */
function outboundHostsOf(args: CliArgs, loaded: LoadedConfig): readonly string[] | undefined {
  if (loaded.outboundHosts === undefined && args.outboundHosts.length === 0) return undefined;
  return [...(loaded.outboundHosts ?? []), ...args.outboundHosts];
}

/** The token `--token-env` names; undefined without the flag. */
export function tokenFrom(args: CliArgs): string | undefined {
  if (args.tokenEnv === undefined) return undefined;
  const token = process.env[args.tokenEnv];
  if (token === undefined || token === '')
    throw new UsageError(`--token-env ${args.tokenEnv}: that variable is not set`);
  return token;
}

/** Resolves when every server is ready or has failed at least once (or after `timeoutMs`, `--wait`). */
export function settle(client: UniversalMcpClient, names: readonly string[], timeoutMs: number): Promise<void> {
  const settled = (): boolean =>
    names.every((n) => {
      const info = client.getServerInfo(n);
      return info === undefined || info.state === 'ready' || info.state === 'failed' || info.lastError !== undefined;
    });
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = client.on('server:state', () => {
      if (!settled()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, timeoutMs);
  });
}

/** Opens one server and waits for it; throws its error if it cannot be reached. */
export async function openOne(args: CliArgs, server: string): Promise<Opened> {
  const opened = await open(args, [server]);
  await settle(opened.client, [server], args.waitMs);
  const info = infoOf(opened.client, server);
  if (info.state !== 'ready') {
    await opened.client.close();
    throw (
      info.lastError ??
      new UniversalMcpError(
        ErrorCode.SERVER_UNAVAILABLE,
        `server "${server}" was not ready within ${args.waitMs} ms (state: ${info.state}); --wait <ms> waits longer`,
        { server },
      )
    );
  }
  return opened;
}

/**
 * The client for stored task `id` of `server`: that server alone, started and ready (it alone can answer for
 * the task). A server no longer in the config is not an error: the task ends `lost` (`TASK_LOST`, reason
 * `server-removed`) as `applyConfig` ends it, and leaves the store. The client then sees that one record only:
 * the store may be shared by other configs, whose tasks must not end lost for not being in this one.
 */
export async function openTaskServer(args: CliArgs, server: string, id: string): Promise<UniversalMcpClient> {
  const file = findConfig(args.config);
  const loaded = await loadConfig(file);
  if (loaded.servers.some((s) => s.name === server)) return (await openOne(args, server)).client;
  const store = new FileTaskStore(tasksFile(args));
  const one: TaskStore = {
    put: (record) => store.put(record),
    get: (name, taskId) => store.get(name, taskId),
    delete: (name, taskId) => store.delete(name, taskId),
    list: async (name) => (await store.list(name)).filter((r) => r.id === id),
  };
  const client = clientFor(args, loaded, { tasks: one });
  try {
    await client.applyConfig({ ...loaded, servers: [] }); // resolves once the task ended lost
  } catch (err) {
    await client.close();
    throw err;
  }
  return client;
}

/** A server this command opened (so it is registered). */
export function infoOf(client: UniversalMcpClient, name: string): ServerInfo {
  const info = client.getServerInfo(name);
  if (info === undefined) throw new UsageError(`no server "${name}"`);
  return info;
}
