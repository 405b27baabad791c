import { ErrorCode, UniversalMcpError, boundText, describeNetworkError, toUniversalError } from './errors.js';
import { probeEndedServer } from './era-verdict.js';
import { describeExit, type ProcessExit } from './process-exit.js';
import type { StderrTail } from './stderr-tail.js';

/** What a failed connection attempt left to tell why. */
export interface FailedAttempt {
  readonly server: string;
  /** A host refused by `outboundHosts` on the way (the SDK may have wrapped it in another error). */
  readonly refused: UniversalMcpError | undefined;
  /** How the stdio server's process ended, if it has. */
  readonly exit: ProcessExit | undefined;
  readonly stderr: StderrTail;
}

/**
 * The `CONNECT_FAILED` (or `AUTH_FAILED`) for a connection attempt that failed, saying why:
 * command not found, connection refused, process exited, handshake timed out, and what the
 * server wrote to stderr.
 */
export function connectError(err: unknown, attempt: FailedAttempt): UniversalMcpError {
  // A host refused by outboundHosts is said as such, whatever the SDK wrapped it in.
  if (attempt.refused !== undefined) return attempt.refused;
  const { server, exit, stderr } = attempt;
  const mapped = toUniversalError(err, server, 'connect');
  const parts: string[] = [];
  if (mapped.code === ErrorCode.TIMEOUT) parts.push('handshake timed out');
  else if (exit !== undefined) parts.push(describeExit(exit));
  else {
    // Our own spawn errors say what to fix in full; anything from elsewhere is bounded.
    // A probe that failed for another reason (refused, an HTML page) is told by that reason.
    const shown = probeEndedServer(err) && (err as Error).cause !== undefined ? (err as Error).cause : err;
    const spawnFailed = ['ENOENT', 'EACCES'].includes(String((shown as { code?: unknown } | undefined)?.code));
    const message = (shown as Error | undefined)?.message ?? String(shown);
    parts.push(describeNetworkError(shown) ?? (spawnFailed ? message : boundText(message)));
  }
  const salient = stderr.salient();
  if (salient !== undefined) parts.push(salient);
  const tail = stderr.last(3).filter((line) => line !== salient);
  if (tail.length > 0) parts.push(`stderr: ${tail.join(' | ')}`);
  // A refusal of our credentials stays AUTH_FAILED: a restart with them unchanged is pointless.
  const code = mapped.code === ErrorCode.AUTH_FAILED ? ErrorCode.AUTH_FAILED : ErrorCode.CONNECT_FAILED;
  return new UniversalMcpError(code, `Cannot connect to "${server}": ${parts.join('; ')}`, {
    server,
    cause: err,
    exit,
  });
}
