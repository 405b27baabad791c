// `umcp tasks list | wait <id> | cancel <id>`: the tasks kept in the task store (those `umcp call` left
// running, detached). The client resumes polling them itself once their servers are ready.
import { jsonText } from '@universal-mcp/core/internal';
import {
  ErrorCode,
  FileTaskStore,
  UniversalMcpError,
  type TaskHandle,
  type TaskSnapshot,
  type UniversalMcpClient,
} from '@universal-mcp/supervisor';
import { printable } from './approval-prompt.js';
import { followTask } from './call-command.js';
import type { CliArgs } from './cli-args.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { Interrupts, promptTerminal } from './interrupt-choice.js';
import { open, openTaskServer, settle, tasksFile, type Io } from './open-servers.js';
import { elapsedText, ProgressView } from './progress.js';
import { clip, table, WHOLE } from './render.js';

const USAGE = 'usage: umcp tasks [list] | wait <id> | cancel <id>';

/** `umcp tasks`: the subcommand's exit code. */
export async function tasksCommand(args: CliArgs, io: Io): Promise<number> {
  const [action = 'list', id, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; ${USAGE}`);
  if (action === 'list' && id !== undefined) throw new UsageError(`unexpected argument "${id}"; ${USAGE}`);
  if (action !== 'list' && action !== 'wait' && action !== 'cancel')
    throw new UsageError(`unknown tasks command "${action}"; ${USAGE}`);
  if (action === 'list') return list(args, io);
  if (id === undefined) throw new UsageError(`umcp tasks ${action} needs a task id; ${USAGE}`);
  const stored = (await new FileTaskStore(tasksFile(args)).list()).find((r) => r.id === id);
  if (stored === undefined)
    throw new UniversalMcpError(ErrorCode.TASK_NOT_FOUND, `No task "${clip(printable(id), 64)}" in ${tasksFile(args)}`);
  const client = await openTaskServer(args, stored.server, id);
  try {
    const handle = await taskOf(client, id);
    if (action === 'wait') return await wait(client, handle, args, io);
    await handle.cancel();
    // Lost (its server forgot it, or is gone from the config): result() rejects TASK_LOST, exit 5.
    if (handle.snapshot().status === 'lost') await handle.result();
    io.err(`umcp: task ${handle.id} cancelled`);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

/** The handle of stored task `id`, once the client has read its store too. */
async function taskOf(client: UniversalMcpClient, id: string): Promise<TaskHandle> {
  await client.whenTasksLoaded();
  return client.task(id);
}

/**
 * The stored tasks, as the client knows them once the servers are ready (or failed): the status last seen, or
 * newer if a poll answered already; a task its server no longer knows shows `lost` once polled.
 */
async function list(args: CliArgs, io: Io): Promise<number> {
  const { client, names } = await open(args);
  let tasks: TaskSnapshot[];
  try {
    const stored = await new FileTaskStore(tasksFile(args)).list();
    await settle(client, names, args.waitMs);
    await Promise.all(stored.map((r) => taskOf(client, r.id).catch(() => undefined)));
    tasks = client.tasks();
  } finally {
    await client.close();
  }
  if (args.json) {
    io.out(jsonText(tasks.map(publicFields), WHOLE, 2));
    return ExitCode.OK;
  }
  const now = Date.now();
  const rows = tasks.map((t) => [
    t.id,
    t.server,
    t.tool,
    t.status,
    elapsedText(now - t.createdAt),
    clip(printable(t.statusMessage ?? t.error?.message ?? ''), 60),
  ]);
  if (rows.length === 0) io.err(`umcp: no tasks in ${tasksFile(args)}`);
  else io.out(table(['ID', 'SERVER', 'TOOL', 'STATUS', 'AGE', 'MESSAGE'], rows));
  return ExitCode.OK;
}

/** A snapshot without its owner (a gateway principal: never shown). */
function publicFields(snapshot: TaskSnapshot): Omit<TaskSnapshot, 'owner'> {
  const { owner: _owner, ...rest } = snapshot;
  return rest;
}

/** Follows a stored task to its end, like `umcp call` does; Ctrl-C as there. */
async function wait(client: UniversalMcpClient, handle: TaskHandle, args: CliArgs, io: Io): Promise<number> {
  const interrupts = new Interrupts(args.onInterrupt, io, promptTerminal());
  const progress = new ProgressView();
  progress.taskStatus(handle.snapshot());
  const stop = client.on('task:status', (snapshot) => {
    if (snapshot.id === handle.id) progress.taskStatus(snapshot);
  });
  try {
    return await followTask(client, handle, interrupts, progress, args, io);
  } finally {
    stop();
    progress.done();
    interrupts.close();
  }
}
