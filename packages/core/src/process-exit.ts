/** How a stdio server's process ended. */
export interface ProcessExit {
  /** The process that ended (undefined if it never started). */
  readonly pid?: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** "process exited with code 1" / "process killed by SIGKILL". */
export function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `process killed by ${exit.signal}` : `process exited with code ${exit.code}`;
}
