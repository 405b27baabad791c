// The commands that print what the servers are and offer, or read one thing: servers,
// tools, resources, prompts, read (`call` is in call-command.ts).
import { jsonText } from '@universal-mcp/core/internal';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/supervisor';
import { didYouMeanText } from '@universal-mcp/core/internal';
import { createToolset } from '@universal-mcp/llm';
import type { CliArgs } from './cli-args.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { infoOf, open, openOne, settle, type Io } from './open-servers.js';
import { rankedToolsTable, renderResource, renderTool, serversTable, table, toolsTable, WHOLE } from './render.js';

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
