// A callTool whose server made a task: the caller waits for its end; aborting the signal cancels the task, or with
// `onAbort: 'detach'` leaves it running (polled, stored, listed) while the caller rejects `CANCELLED` at once.
import { ErrorCode, type CallToolResult, type UniversalMcpError } from '@universal-mcp/core';
import type { CallOptions } from './call-options.js';
import { taskError, type TaskEntry } from './task-record.js';

/** What the manager does for the waiting call. */
export interface CallWaiter {
  /** The task's end; `wanted()` false when the caller no longer waits (the store keeps the result). */
  deliver(wanted: () => boolean): Promise<CallToolResult>;
  cancel(reason: UniversalMcpError): Promise<void>;
}

/** Waits for the task's end as the call's options say. */
export function awaitCall(entry: TaskEntry, options: CallOptions, waiter: CallWaiter): Promise<CallToolResult> {
  const { signal } = options;
  if (signal === undefined) return waiter.deliver(() => true);
  return new Promise<CallToolResult>((resolve, reject) => {
    const onAbort = (): void => {
      const { tool, server } = entry.start;
      const cancelled = taskError(entry, ErrorCode.CANCELLED, `Call of "${tool}" on "${server}" was cancelled`);
      if (options.onAbort === 'detach') entry.detached = true;
      else void waiter.cancel(cancelled).catch(() => undefined);
      reject(cancelled);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    waiter
      .deliver(() => !signal.aborted)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
