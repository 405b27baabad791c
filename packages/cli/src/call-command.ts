// `umcp call`: one tool call, followed to its end. A task-backed call shows the task's status, and
// Ctrl-C can leave the task running (detach) for `umcp tasks wait` to pick up later.
import { jsonText } from '@universal-mcp/core/internal';
import type { CallToolResult, LoadedConfig, TaskHandle, UniversalMcpClient } from '@universal-mcp/supervisor';
import type { CliArgs } from './cli-args.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { Interrupts, promptTerminal } from './interrupt-choice.js';
import { openOne, type Io } from './open-servers.js';
import { ProgressView } from './progress.js';
import { renderContent, WHOLE } from './render.js';
import { toolArguments } from './tool-arguments.js';

/** Prints a result as one document (the whole result as JSON with --json, else the content as text). */
export function printResult(result: CallToolResult, args: CliArgs, io: Io): number {
  io.out(args.json ? jsonText(result, WHOLE, 2) : renderContent(result));
  return result.isError === true ? ExitCode.TOOL_ERROR : ExitCode.OK;
}

/**
 * Leaves a task running: its id on stdout (for `id=$(umcp call --detach …)`; with --json an object), how
 * to resume or cancel it on stderr. Exits OK: the task is fine, the command just stops following it.
 */
export function printDetached(client: UniversalMcpClient, handle: TaskHandle, args: CliArgs, io: Io): number {
  const { id, server, tool, status } = handle.snapshot();
  io.out(args.json ? jsonText({ id, server, tool, status, detached: true }, WHOLE, 2) : id);
  io.err(
    `umcp: task ${id} keeps running on "${server}"; resume: umcp tasks wait ${id}; cancel: umcp tasks cancel ${id}`,
  );
  // A stdio server is this command's child and stops with it: its tasks live on only if it keeps them itself.
  if (client.getServerInfo(server)?.transport === 'stdio')
    io.err(`umcp: "${server}" is a stdio server and stops now: the task survives only if the server keeps its tasks`);
  return ExitCode.OK;
}

/**
 * Follows a task until it ends or Ctrl-C decides: prints its result, leaves it running (detach), or
 * cancels it (then the result rejects `CANCELLED`, exit 130, unless it ended first).
 */
export async function followTask(
  client: UniversalMcpClient,
  handle: TaskHandle,
  interrupts: Interrupts,
  progress: ProgressView,
  args: CliArgs,
  io: Io,
): Promise<number> {
  const result = handle.result();
  // Raced below: once the race is decided by Ctrl-C, the result's own ending is not this command's concern.
  result.catch(() => undefined);
  interrupts.taskStarted(() => progress.done());
  const first = await Promise.race([
    result.then((r) => ({ result: r }) as const),
    interrupts.decided.then((choice) => ({ choice }) as const),
  ]);
  progress.done();
  if ('result' in first) return printResult(first.result, args, io);
  if (first.choice === 'detach') return printDetached(client, handle, args, io);
  await handle.cancel();
  return printResult(await result, args, io);
}

/** The config's `callDeadlineMs` for the server (its own, else the file's defaults'): startTool takes only its own. */
function deadlineOf(loaded: LoadedConfig, server: string): number | undefined {
  return loaded.servers.find((s) => s.name === server)?.callDeadlineMs ?? loaded.defaults.callDeadlineMs;
}

/** `umcp call <server> <tool> [json-args] [--arg k=v …] [--deadline ms] [--detach] [--on-interrupt cancel|detach]`. */
export async function call(args: CliArgs, io: Io): Promise<number> {
  const [server, tool, json, ...extra] = args.positionals;
  if (server === undefined || tool === undefined)
    throw new UsageError('usage: umcp call <server> <tool> [json-args] [--arg key=value ...]');
  if (extra.length > 0)
    throw new UsageError(
      `unexpected argument "${extra[0]}" (put tool arguments in one JSON object or use --arg key=value)`,
    );
  toolArguments(json, args.args); // usage mistakes are reported before anything starts
  const { client, loaded } = await openOne(args, server);
  let toolArgs: Record<string, unknown>;
  try {
    toolArgs = toolArguments(json, args.args, client.listTools(server).find((t) => t.name === tool)?.inputSchema);
  } catch (err) {
    await client.close();
    throw err;
  }
  const interrupts = new Interrupts(args.onInterrupt, io, promptTerminal());
  const progress = new ProgressView();
  progress.start(`${server}.${tool}`);
  try {
    const handle = await client.startTool(server, tool, toolArgs, {
      signal: interrupts.signal,
      timeoutMs: args.timeoutMs,
      deadlineMs: args.deadlineMs ?? deadlineOf(loaded, server),
      onProgress: (p) => progress.update(p.progress, p.total, p.message),
      onTaskStatus: (snapshot) => {
        // The task exists from its first status on, before startTool resolves (the store is written first).
        interrupts.taskStarted(() => progress.done());
        progress.taskStatus(snapshot);
      },
    });
    if (!handle.task) {
      progress.done();
      return printResult(await handle.result(), args, io);
    }
    if (args.detach) {
      progress.done();
      return printDetached(client, handle, args, io);
    }
    return await followTask(client, handle, interrupts, progress, args, io);
  } finally {
    progress.done();
    interrupts.close();
    // Closing stops polling and keeps the store: a detached task stays resumable.
    await client.close();
  }
}
