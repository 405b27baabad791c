import { watch as watchFile } from 'node:fs';
import { pino } from 'pino';
import { jsonText } from '@universal-mcp/core/internal';
import {
  ErrorCode,
  UniversalMcpClient,
  UniversalMcpError,
  loadConfig,
  type ClientHandlers,
  type LoadedConfig,
  type TelemetryOptions,
  type ServerInfo,
  type UniversalMcpEventName,
} from '@universal-mcp/supervisor';
import { didYouMeanText } from '@universal-mcp/core/internal';
import { toolArguments, type CliArgs } from './cli-args.js';
import { findConfig } from './config-discovery.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { createToolset } from '@universal-mcp/llm';
import { chat, modelFromArgs } from './chat.js';
import { ProgressView } from './progress.js';
import {
  eventJson,
  eventLine,
  rankedToolsTable,
  renderContent,
  renderResource,
  renderTool,
  serversTable,
  table,
  toolsTable,
  WHOLE,
} from './render.js';

/** Where a command writes. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

interface Opened {
  readonly client: UniversalMcpClient;
  readonly loaded: LoadedConfig;
  readonly file: string;
  readonly names: string[];
}

/**
 * Loads the config, keeps the servers asked for, and starts them (without waiting). `apps`: the
 * command serves MCP Apps to something that renders them (the console, a gateway's host), so every
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
  const logger = pino({ level: args.logLevel }, pino.destination(2));
  const client = new UniversalMcpClient({
    logger,
    defaults: loaded.defaults,
    tools: loaded.tools,
    pins: loaded.pins,
    handlers,
    telemetry,
    apps,
    protocol: args.protocol,
    outboundHosts: outboundHostsOf(args, loaded),
  });
  await Promise.all(servers.map((s) => client.addServer(s, { waitForReady: false })));
  return { client, loaded, file, names: servers.map((s) => s.name) };
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

/** A server this command opened (so it is registered). */
function infoOf(client: UniversalMcpClient, name: string): ServerInfo {
  const info = client.getServerInfo(name);
  if (info === undefined) throw new UsageError(`no server "${name}"`);
  return info;
}

const print = (io: Io, value: unknown): void => io.out(jsonText(value, WHOLE, 2));

export async function servers(args: CliArgs, io: Io): Promise<number> {
  const { client, names } = await open(args);
  try {
    await settle(client, names, args.waitMs);
    const infos = names.map((n) => infoOf(client, n));
    if (args.json) {
      print(
        io,
        infos.map((i) => ({
          name: i.name,
          transport: i.transport,
          state: i.state,
          givenUp: i.givenUp,
          era: i.era ?? null,
          protocolVersion: i.protocolVersion ?? null,
          tools: i.tools.length,
          restarts: i.restarts,
          lastError: i.lastError === undefined ? null : { code: i.lastError.code, message: i.lastError.message },
          pid: i.pid ?? null,
          sessionId: i.sessionId ?? null,
        })),
      );
    } else {
      io.out(serversTable(infos));
    }
    return infos.every((i) => i.state === 'ready') ? ExitCode.OK : ExitCode.UNAVAILABLE;
  } finally {
    await client.close();
  }
}

/** tools / resources / prompts: list a catalog, for all servers or one. */
async function catalog(args: CliArgs, io: Io, kind: 'tools' | 'resources' | 'prompts'): Promise<number> {
  const [only, item, ...extra] = args.positionals;
  if (extra.length > 0 || (item !== undefined && kind !== 'tools'))
    throw new UsageError(`unexpected argument "${extra[0] ?? item}"`);
  const { client, names } = only === undefined ? await open(args) : await openOne(args, only);
  try {
    await settle(client, names, args.waitMs);
    if (kind === 'tools' && args.search !== undefined) {
      const toolset = createToolset(client, { prefix: 'always' });
      const ranked = toolset.search(args.search, { k: 10 });
      toolset.close();
      if (args.json)
        print(
          io,
          ranked.map((t, i) => ({ rank: i + 1, server: t.server, tool: t.tool, description: t.description })),
        );
      else if (ranked.length === 0) io.err(`umcp: no tools match "${args.search}"`);
      else io.out(rankedToolsTable(ranked));
      return ranked.length > 0 ? ExitCode.OK : ExitCode.TOOL_ERROR;
    }
    if (only !== undefined && item !== undefined) {
      const tools = client.listTools(only);
      const tool = tools.find((t) => t.name === item);
      if (tool === undefined) {
        // A tool the policy hides is said to be hidden, not missing (and not shown).
        const access = client.toolAccess(only, item);
        if (access !== undefined && !access.offered)
          throw new UniversalMcpError(
            ErrorCode.TOOL_DENIED,
            `tool "${item}" on "${only}" is not offered (${access.reason ?? 'denied'} by the tool policy)`,
            { server: only, details: { tool: item, reason: access.reason ?? 'denied' } },
          );
        const invalid = client.getServerInfo(only)?.invalidTools.find((t) => t.name === item);
        if (invalid !== undefined)
          throw new UniversalMcpError(
            ErrorCode.TOOL_INVALID,
            `tool "${item}" on "${only}" has a broken definition: ${invalid.reason}`,
            { server: only },
          );
        const known = tools.map((t) => t.name);
        throw new UniversalMcpError(
          ErrorCode.TOOL_NOT_FOUND,
          `no tool "${item}" on "${only}"${didYouMeanText(item, known)}; tools: ${known.join(', ') || '(none)'}`,
          { server: only },
        );
      }
      io.out(args.json ? jsonText(tool, WHOLE, 2) : renderTool(only, tool));
      return ExitCode.OK;
    }
    const ready = names.filter((n) => client.getServerInfo(n)?.state === 'ready');
    for (const n of names)
      if (!ready.includes(n))
        io.err(`umcp: server "${n}" is unavailable: ${client.getServerInfo(n)?.lastError?.message ?? 'not ready'}`);
    const pick = <T>(all: Record<string, T[]>): Record<string, T[]> =>
      Object.fromEntries(ready.map((n) => [n, all[n] ?? []]));
    if (kind === 'tools') {
      const tools = pick(client.listTools());
      io.out(args.json ? jsonText(tools, WHOLE, 2) : toolsTable(tools));
    } else if (kind === 'prompts') {
      const prompts = pick(client.listPrompts());
      if (args.json) print(io, prompts);
      else {
        const rows = Object.entries(prompts).flatMap(([s, ps]) =>
          ps.map((p) => [
            s,
            p.name,
            (p.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`).join(', '),
            (p.description ?? '').replace(/\n[^]*$/, ''),
          ]),
        );
        io.out(table(['SERVER', 'PROMPT', 'ARGUMENTS', 'DESCRIPTION'], rows));
      }
    } else {
      const resources = pick(client.listResources());
      const templates = pick(client.listResourceTemplates());
      if (args.json) print(io, { resources, resourceTemplates: templates });
      else {
        const rows = [
          ...Object.entries(resources).flatMap(([s, rs]) => rs.map((r) => [s, r.uri, r.name, r.mimeType ?? ''])),
          ...Object.entries(templates).flatMap(([s, ts]) => ts.map((t) => [s, t.uriTemplate, t.name, 'template'])),
        ];
        io.out(table(['SERVER', 'URI', 'NAME', 'TYPE'], rows));
      }
    }
    return ready.length === names.length ? ExitCode.OK : ExitCode.UNAVAILABLE;
  } finally {
    await client.close();
  }
}

export const tools = (args: CliArgs, io: Io): Promise<number> => catalog(args, io, 'tools');
export const resources = (args: CliArgs, io: Io): Promise<number> => catalog(args, io, 'resources');
export const prompts = (args: CliArgs, io: Io): Promise<number> => catalog(args, io, 'prompts');

export async function call(args: CliArgs, io: Io): Promise<number> {
  const [server, tool, json, ...extra] = args.positionals;
  if (server === undefined || tool === undefined)
    throw new UsageError('usage: umcp call <server> <tool> [json-args] [--arg key=value ...]');
  if (extra.length > 0)
    throw new UsageError(
      `unexpected argument "${extra[0]}" (put tool arguments in one JSON object or use --arg key=value)`,
    );
  toolArguments(json, args.args); // usage mistakes are reported before anything starts
  const { client } = await openOne(args, server);
  let toolArgs: Record<string, unknown>;
  try {
    toolArgs = toolArguments(json, args.args, client.listTools(server).find((t) => t.name === tool)?.inputSchema);
  } catch (err) {
    await client.close();
    throw err;
  }
  const cancel = new AbortController();
  const onSigint = (): void => {
    io.err('umcp: cancelling the call…');
    cancel.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = new ProgressView();
  progress.start(`${server}.${tool}`);
  try {
    const result = await client.callTool(server, tool, toolArgs, {
      signal: cancel.signal,
      timeoutMs: args.timeoutMs,
      onProgress: (p) => progress.update(p.progress, p.total, p.message),
    });
    progress.done();
    // One document for a pipe: the whole result as JSON with --json, else the content as text.
    io.out(args.json ? jsonText(result, WHOLE, 2) : renderContent(result));
    return result.isError === true ? ExitCode.TOOL_ERROR : ExitCode.OK;
  } finally {
    progress.done();
    process.off('SIGINT', onSigint);
    await client.close();
  }
}

export async function read(args: CliArgs, io: Io): Promise<number> {
  const [server, uri] = args.positionals;
  if (server === undefined || uri === undefined) throw new UsageError('usage: umcp read <server> <uri>');
  const { client } = await openOne(args, server);
  try {
    const result = await client.readResource(server, uri, { timeoutMs: args.timeoutMs });
    io.out(args.json ? jsonText(result, WHOLE, 2) : renderResource(result));
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

const WATCHED: UniversalMcpEventName[] = [
  'server:state',
  'server:reconnecting',
  'server:given-up',
  'server:ready',
  'server:removed',
  'server:warning',
  'tools:changed',
  'server:stderr',
  'server:log',
  'server:input-required',
];

/** The monitoring view: runs until SIGINT or SIGTERM. */
export async function watch(args: CliArgs, io: Io): Promise<number> {
  const file = findConfig(args.config);
  const loaded = await loadConfig(file);
  const logger = pino({ level: args.logLevel }, pino.destination(2));
  const client = new UniversalMcpClient({
    logger,
    defaults: loaded.defaults,
    tools: loaded.tools,
    pins: loaded.pins,
    protocol: args.protocol,
    outboundHosts: outboundHostsOf(args, loaded),
  });
  const emitLine = (
    event: UniversalMcpEventName | 'config:applied' | 'config:invalid',
    payload: Record<string, unknown>,
  ): void => {
    // A listener that threw would throw into the server's connection: one bad event is said, and watching goes on.
    try {
      io.out(
        args.json
          ? eventJson(event as UniversalMcpEventName, payload)
          : eventLine(event as UniversalMcpEventName, payload),
      );
    } catch (err) {
      io.err(`umcp: could not print a ${event} event: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  for (const event of WATCHED)
    client.on(event, (payload: object) => emitLine(event, payload as Record<string, unknown>));
  const keep = (servers: LoadedConfig['servers']) =>
    args.servers.length === 0 ? servers : servers.filter((s) => args.servers.includes(s.name));
  await Promise.all(keep(loaded.servers).map((s) => client.addServer(s, { waitForReady: false })));

  let reload: NodeJS.Timeout | undefined;
  const watcher = args.watch
    ? watchFile(file, () => {
        clearTimeout(reload);
        reload = setTimeout(() => {
          loadConfig(file)
            .then((next) => client.applyConfig({ ...next, servers: keep(next.servers) }))
            .then(
              (result) =>
                io.out(
                  args.json
                    ? JSON.stringify({ t: new Date().toISOString(), event: 'config:applied', ...result })
                    : `${new Date().toISOString()} config applied: ${JSON.stringify(result)}`,
                ),
              (err: unknown) => io.err(`umcp: config not applied: ${(err as Error).message}`),
            );
        }, 200);
      })
    : undefined;

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher?.close();
  clearTimeout(reload);
  await client.close();
  return ExitCode.OK;
}

/** `umcp chat`: every server of the config supervised, their tools handed to the model. */
export async function chatCommand(args: CliArgs, io: Io): Promise<number> {
  const model = modelFromArgs(args); // what is missing is said before anything starts
  const { client, names } = await open(args);
  try {
    await settle(client, names, args.waitMs);
    for (const n of names) {
      const info = infoOf(client, n);
      if (info.state !== 'ready')
        io.err(`umcp: server "${n}" is unavailable: ${info.lastError?.message ?? info.state}`);
    }
    return await chat(
      client,
      args,
      { input: process.stdin, out: (t) => process.stdout.write(t), err: (t) => io.err(t) },
      model,
    );
  } finally {
    await client.close();
  }
}
