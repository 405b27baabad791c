import { createRequire } from 'node:module';
import { boundText } from '@universal-mcp/core/internal';
import { UniversalMcpError } from '@universal-mcp/supervisor';
import { parseCliArgs, type CliArgs } from './cli-args.js';
import { helpFor } from './cli-help.js';
import { call } from './call-command.js';
import { prompts, read, resources, servers, tools } from './catalog-commands.js';
import { chatCommand } from './chat-command.js';
import type { Io } from './open-servers.js';
import { watch } from './watch-command.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { serve } from './serve.js';
import { accept, toolChanges } from './tool-changes.js';
import { dashboard } from './dashboard.js';
import { tasksCommand } from './tasks-command.js';

/** This package's version. */
export const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const stdio: Io = {
  out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/**
 * Runs a command that lives until it is stopped: a promise no one awaited that fails (a handler's
 * bug, one bad message) is said on stderr and the command goes on, where Node would end the process.
 */
async function goingOn(io: Io, command: () => Promise<number>): Promise<number> {
  const said = (reason: unknown): void =>
    io.err(`umcp: an operation failed and was dropped (still running): ${boundText(String(reason))}`);
  process.on('unhandledRejection', said);
  try {
    return await command();
  } finally {
    process.off('unhandledRejection', said);
  }
}

/** Runs `umcp` with `argv` (without node and the script); resolves with the exit code. */
export async function run(argv: readonly string[], io: Io = stdio): Promise<number> {
  let args: CliArgs | undefined;
  try {
    const parsed = parseCliArgs(argv);
    args = parsed;
    if (args.version) {
      io.out(`umcp ${VERSION}`);
      return ExitCode.OK;
    }
    if (args.command === 'help' || args.help) {
      io.out(helpFor(args.command === 'help' ? args.positionals[0] : args.command));
      return ExitCode.OK;
    }
    switch (args.command) {
      case 'servers':
        return await servers(args, io);
      case 'tools':
        return await (args.changes ? toolChanges(args, io) : tools(args, io));
      case 'accept':
        return await accept(args, io);
      case 'call':
        return await call(args, io);
      case 'watch':
        return await goingOn(io, () => watch(parsed, io));
      case 'resources':
        return await resources(args, io);
      case 'prompts':
        return await prompts(args, io);
      case 'read':
        return await read(args, io);
      case 'chat':
        return await goingOn(io, () => chatCommand(parsed, io));
      case 'serve':
        return await goingOn(io, () => serve(parsed, io));
      case 'dashboard':
        return await goingOn(io, () => dashboard(parsed, io));
      case 'tasks':
        return await tasksCommand(args, io);
    }
  } catch (err) {
    const code = exitCodeFor(err);
    const label = err instanceof UniversalMcpError ? `${err.code}: ` : '';
    io.err(`umcp: ${label}${err instanceof Error ? err.message : String(err)}`);
    if (args?.debug === true && err instanceof Error && err.stack !== undefined) io.err(err.stack);
    if (code === ExitCode.USAGE && !(err instanceof UniversalMcpError))
      io.err(`Run "umcp help${args?.command && args.command !== 'help' ? ` ${args.command}` : ''}" for usage.`);
    return code;
  }
}

/** Runs `umcp` as a process: the exit code set, and the process ended even if a stray handle would keep it. */
export async function main(argv: readonly string[]): Promise<void> {
  const code = await run(argv);
  process.exitCode = code;
  // Give pending writes a moment, then leave.
  setTimeout(() => process.exit(code), 50).unref();
}
