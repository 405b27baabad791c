import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import type { Logger } from '@universal-mcp/core';
import { boundJson, DEFAULT_MAX_MESSAGE_BYTES } from '@universal-mcp/core/internal';
import { isUniversalMcpError, type CallEndEvent, type UniversalMcpClient } from '@universal-mcp/supervisor';
import type { CallSources } from './call-sources.js';
import type { History } from './history.js';

/** A failure as the page shows it: its code (ours, or `INTERNAL`), and `CODE: message`. */
export function describeError(err: unknown): { code: string; text: string } {
  const code = isUniversalMcpError(err) ? err.code : 'INTERNAL';
  return { code, text: `${code}: ${err instanceof Error ? err.message : String(err)}` };
}

/** How much of a result the page is sent: as much as the client takes in a message, but never too deep to write. */
const RESULT_BOUNDS = { maxDepth: 64, maxChars: DEFAULT_MAX_MESSAGE_BYTES } as const;

/** A result as the page is sent it: cut to {@link RESULT_BOUNDS}, with a note when it was. */
export function shownResult(result: unknown): { result: unknown; note?: string } {
  const { value, cut } = boundJson(result, RESULT_BOUNDS);
  if (!cut) return { result };
  const { maxDepth, maxChars } = RESULT_BOUNDS;
  const note =
    `The result was cut to be shown: what nests deeper than ${maxDepth} levels or passes ${maxChars} ` +
    'characters is replaced by a [cut: …] note.';
  return { result: value, note };
}

/** What the page hears of a call it made: progress, then the result or the error. */
export interface CallUpdate {
  readonly id: string;
  readonly progress?: { progress: number; total?: number | undefined; message?: string | undefined };
  /** The result, cut where it nests deeper than 64 levels or passes 16 M characters (see `note`). */
  readonly result?: unknown;
  /** Says the result was cut to be shown, and how; absent when it is whole. */
  readonly note?: string;
  readonly error?: string;
  readonly durationMs?: number;
  /** The call runs as a task: its id in the Tasks view, its status and the server's status line. */
  readonly task?: { readonly id: string; readonly status: string; readonly statusMessage?: string | undefined };
}

/**
 * Tool calls made from the dashboard: each with an id, progress and its end sent as updates,
 * cancellable, and written to the history (with redacted arguments). The embedding service's own
 * calls reach the history from the client's `call:end` events (without arguments: the event has
 * none).
 */
export class DashboardCalls extends EventEmitter<{ update: (u: CallUpdate) => void }> {
  readonly #client: UniversalMcpClient;
  readonly #history: History;
  readonly #running = new Map<string, AbortController>();
  /** Dashboard calls in flight per `server\0tool`: their `call:end` is not the service's. */
  readonly #ours = new Map<string, number>();
  readonly #detach: () => void;

  readonly #logger: Logger | undefined;

  /**
   * `others`: calls other parts of the dashboard make (the chat's) and write to the history themselves.
   * `logger`: where a failed update is said; without one, as a process warning.
   */
  constructor(client: UniversalMcpClient, history: History, others?: CallSources, logger?: Logger) {
    super();
    this.#logger = logger;
    this.#client = client;
    this.#history = history;
    const ended = (e: CallEndEvent): void => {
      const key = `${e.server}\u0000${e.tool}`;
      const ours = this.#ours.get(key) ?? 0;
      if (ours > 0 || others?.claimed(e.server, e.tool) === true) return;
      history.add({
        at: Date.now(),
        server: e.server,
        tool: e.tool,
        durationMs: e.durationMs,
        outcome: e.ok ? 'ok' : (e.error?.code ?? 'INTERNAL'),
        error: e.error?.message,
        source: 'client',
      });
    };
    this.#detach = client.on('call:end', ended);
  }

  /** Starts a call; its updates follow as `update` events. */
  start(server: string, tool: string, args: Record<string, unknown>): string {
    const id = randomUUID();
    const controller = new AbortController();
    this.#running.set(id, controller);
    const key = `${server}\u0000${tool}`;
    this.#ours.set(key, (this.#ours.get(key) ?? 0) + 1);
    const started = performance.now();
    let taskId: string | undefined;
    const done = (update: Omit<CallUpdate, 'id' | 'durationMs'>, outcome: string): void => {
      this.#running.delete(id);
      const n = (this.#ours.get(key) ?? 1) - 1;
      if (n > 0) this.#ours.set(key, n);
      else this.#ours.delete(key);
      const durationMs = performance.now() - started;
      this.#history.add({
        at: Date.now(),
        server,
        tool,
        arguments: args,
        durationMs,
        outcome,
        error: update.error,
        source: 'console',
        ...(taskId === undefined ? {} : { taskId }),
      });
      this.emit('update', { id, durationMs, ...update });
    };
    this.#client
      .callTool(server, tool, args, {
        signal: controller.signal,
        onProgress: (progress) => this.emit('update', { id, progress }),
        onTaskStatus: (s) => {
          taskId = s.id;
          this.emit('update', { id, task: { id: s.id, status: s.status, statusMessage: s.statusMessage } });
        },
      })
      .then(
        (result) => done(shownResult(result), result.isError === true ? 'tool_error' : 'ok'),
        (err: unknown) => {
          const { code, text } = describeError(err);
          done({ error: text }, code);
        },
      )
      // A listener of `update` that threw must not become an unhandled rejection (it would end the process).
      .catch((err: unknown) => {
        if (this.#logger !== undefined) this.#logger.warn({ err, server, tool }, "a dashboard call's update failed");
        else process.emitWarning(`A dashboard call's update failed: ${describeError(err).text}`);
      });
    return id;
  }

  /** Whether a call made here is running on `server` (its sampling/elicitation requests come here). */
  inFlight(server: string): boolean {
    for (const key of this.#ours.keys()) if (key.startsWith(`${server}\u0000`)) return true;
    return false;
  }

  /** Cancels a call made here (the server is told); false when it is not running. */
  cancel(id: string): boolean {
    const controller = this.#running.get(id);
    controller?.abort();
    return controller !== undefined;
  }

  close(): void {
    this.#detach();
    for (const c of this.#running.values()) c.abort();
    this.removeAllListeners();
  }
}
