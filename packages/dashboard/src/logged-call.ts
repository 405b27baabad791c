import { describeError } from './dashboard-calls.js';
import type { CallSources } from './call-sources.js';
import type { History, HistoryEntry } from './history.js';

/** Where the chat's tool calls go: the dashboard's history, and the claims that keep them from being written twice. */
export interface ChatCallLog {
  readonly history: History;
  readonly sources: CallSources;
}

/** A call a part of the dashboard makes itself, as its history entry will name it. */
export interface LoggedCall {
  readonly server: string;
  readonly tool: string;
  readonly args: unknown;
  readonly source: 'chat' | 'app';
  /** Whether the user allowed it (absent when nobody was asked). */
  readonly approved?: boolean | undefined;
}

/**
 * Runs `run`, writing it to the history with its source and redacted arguments. While it runs it is
 * claimed, so the client's `call:end` of it is not taken for the embedding service's own call.
 */
export async function loggedCall<T extends { readonly isError?: boolean | undefined }>(
  log: ChatCallLog,
  call: LoggedCall,
  run: () => Promise<T>,
): Promise<T> {
  const { history, sources } = log;
  const release = sources.claim(call.server, call.tool);
  const started = performance.now();
  const add = (outcome: string, error?: string): void => {
    const entry: HistoryEntry = {
      at: Date.now(),
      server: call.server,
      tool: call.tool,
      arguments: history.redact(call.args ?? {}),
      durationMs: performance.now() - started,
      outcome,
      error,
      source: call.source,
      ...(call.approved === undefined ? {} : { approved: call.approved }),
    };
    history.add(entry);
  };
  try {
    const result = await run();
    add(result.isError === true ? 'tool_error' : 'ok');
    return result;
  } catch (err) {
    const { code, text } = describeError(err);
    add(code, text);
    throw err;
  } finally {
    release();
  }
}
