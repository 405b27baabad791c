// A task's input requests, answered by the client's own handlers (the same as MRTR and elicitation). A 2025 server
// sends its requests only while tasks/result is open: that is opened for every 2025 task that waits for input,
// whatever its input mode, with the caller given at start (the gateway routes the requests by caller).
import type { Logger } from 'pino';
import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import type { TaskInputRequest } from '@universal-mcp/core';
import { taskTag, type TaskEntry } from './task-record.js';
import { isTransient } from './task-session.js';

/** Sends the answers of `pending` (a session's answerTask through the request path). */
export type AnswerExchange = (pending: Readonly<Record<string, TaskInputRequest>>) => Promise<void>;

/** True when the task's input goes to the handlers now: `input: 'handlers'`, or any 2025 task. */
export function answersInput(entry: TaskEntry): boolean {
  return entry.status === 'input_required' && (entry.start.input === 'handlers' || entry.start.era !== '2026-07-28');
}

/**
 * The handlers answer the requests not answered before (2025: through tasks/result); `answered` gets the keys.
 * No handler, or one that failed: those keys are not asked again each poll; the input waits for respond().
 */
export function answerInput(
  entry: TaskEntry,
  exchange: AnswerExchange,
  answered: (keys: readonly string[]) => void,
  log: Logger,
): void {
  const open = ([key]: [string, unknown]): boolean => !entry.answered.has(key) && !entry.unanswerable.has(key);
  const pending = Object.fromEntries(Object.entries(entry.requests).filter(open));
  const keys = Object.keys(pending);
  if (entry.answering || (keys.length === 0 && entry.start.era === '2026-07-28')) return;
  entry.answering = true;
  exchange(pending)
    .then(
      () => answered(keys),
      (err: unknown) => {
        const code = err instanceof UniversalMcpError ? err.code : ErrorCode.PROTOCOL_ERROR;
        if (!isTransient(code)) for (const key of keys) entry.unanswerable.add(key);
        log.warn({ err, task: taskTag(entry.id) }, 'task input not answered');
      },
    )
    .finally(() => (entry.answering = false));
}

/** The responses to keys the server asked for and nobody answered yet; undefined when none is left to send. */
export function pendingAnswers(
  entry: TaskEntry,
  responses: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  // Any other key would cost the server an update (and a poll) for nothing.
  const pending = new Set(entry.pending().map((p) => p.key));
  const answers = Object.fromEntries(Object.entries(responses).filter(([key]) => pending.has(key)));
  return Object.keys(answers).length === 0 ? undefined : answers;
}
