import { ErrorCode, UniversalMcpError } from '@universal-mcp/supervisor';

/** What `umcp` exits with. */
export const ExitCode = {
  OK: 0,
  /** The tool answered with `isError: true`, or the server answered with an error. */
  TOOL_ERROR: 1,
  /** Bad command line, bad config file, unknown (or policy-denied) server or tool, bad arguments. */
  USAGE: 2,
  /** The server could not be reached or did not answer in time. */
  UNAVAILABLE: 3,
  /** No task with that id in the task store (`umcp tasks wait|cancel <id>`): a typo, or it ended long ago. */
  TASK_NOT_FOUND: 4,
  /** The server no longer knows the task (restarted without keeping it, expired, or gone from the config). */
  TASK_LOST: 5,
  /** Interrupted (Ctrl-C): the call, or the task, was cancelled. A task left running (detached) exits OK. */
  INTERRUPTED: 130,
} as const;

const USAGE = new Set<string>([
  ErrorCode.CONFIG_INVALID,
  ErrorCode.SERVER_NOT_FOUND,
  ErrorCode.TOOL_NOT_FOUND,
  ErrorCode.TOOL_DENIED,
  ErrorCode.TOOL_INVALID,
  ErrorCode.INVALID_ARGUMENTS,
  ErrorCode.SERVER_EXISTS,
  ErrorCode.HOST_NOT_ALLOWED,
]);
const UNAVAILABLE = new Set<string>([
  ErrorCode.SERVER_UNAVAILABLE,
  ErrorCode.CONNECT_FAILED,
  ErrorCode.CONNECTION_LOST,
  ErrorCode.SESSION_EXPIRED,
  ErrorCode.TIMEOUT,
  ErrorCode.QUEUE_FULL,
  ErrorCode.AUTH_FAILED,
  ErrorCode.CLOSED,
]);

/** A command-line mistake (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code for an error that ended a command. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return ExitCode.USAGE;
  if (err instanceof UniversalMcpError) {
    if (err.code === ErrorCode.CANCELLED) return ExitCode.INTERRUPTED;
    if (err.code === ErrorCode.TASK_NOT_FOUND) return ExitCode.TASK_NOT_FOUND;
    if (err.code === ErrorCode.TASK_LOST) return ExitCode.TASK_LOST;
    if (USAGE.has(err.code)) return ExitCode.USAGE;
    if (UNAVAILABLE.has(err.code)) return ExitCode.UNAVAILABLE;
    return ExitCode.TOOL_ERROR;
  }
  return ExitCode.TOOL_ERROR;
}
