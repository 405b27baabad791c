import { EventEmitter } from 'eventemitter3';
import type { Hono } from 'hono';
import { ErrorCode } from '@universal-mcp/core';
import { isUniversalMcpError, type TaskSnapshot, type UniversalMcpClient } from '@universal-mcp/supervisor';
import { describeError, shownResult } from './dashboard-calls.js';

/** A task as the page is shown it: the client's snapshot without its owner, its result bounded. */
export interface TaskRow {
  readonly id: string;
  readonly server: string;
  readonly tool: string;
  /** False: the server answered at once (no server task exists). */
  readonly task: boolean;
  readonly status: TaskSnapshot['status'];
  readonly statusMessage?: string | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | null;
  readonly label?: string | undefined;
  /** What the server asks for (answered in the page's requests, `/api/requests`). */
  readonly pendingInput: readonly { readonly key: string; readonly method: string }[];
  /** A completed task's result, cut as a dashboard call's is (see `note`). */
  readonly result?: unknown;
  readonly note?: string;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
}

/** A pushed change: `task:status` on every change, `task:end` once at the end. */
export interface TaskChange {
  readonly event: 'task:status' | 'task:end';
  readonly row: TaskRow;
}

/** The row of a snapshot: the owner (a gateway principal) never leaves the server. */
export function taskRow(s: TaskSnapshot): TaskRow {
  return {
    id: s.id,
    server: s.server,
    tool: s.tool,
    task: s.task,
    status: s.status,
    statusMessage: s.statusMessage,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    expiresAt: s.expiresAt,
    label: s.label,
    // The params are the server's words: the page answers them where the request is queued, not here.
    pendingInput: s.pendingInput.map((p) => ({ key: p.key, method: p.method })),
    ...(s.result === undefined ? {} : shownResult(s.result)),
    error: s.error === undefined ? undefined : { code: s.error.code, message: s.error.message },
  };
}

/**
 * The client's tasks for the Tasks view: the list (live and recently ended, as the client keeps
 * them), each change as a `change` event, and cancel. Input is not answered here: a task's
 * `input_required` goes to the client's handlers, the dashboard's request queue among them.
 */
export class DashboardTasks extends EventEmitter<{ change: (c: TaskChange) => void }> {
  readonly #client: UniversalMcpClient;
  readonly #off: (() => void)[];

  constructor(client: UniversalMcpClient) {
    super();
    this.#client = client;
    this.#off = [
      client.on('task:status', (s) => this.emit('change', { event: 'task:status', row: taskRow(s) })),
      client.on('task:end', (s) => this.emit('change', { event: 'task:end', row: taskRow(s) })),
    ];
  }

  /** Every task the client holds, newest first. */
  list(): TaskRow[] {
    return this.#client
      .tasks()
      .map(taskRow)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Cancels a task (resolves on the server's ack); false when the client has no such task. */
  async cancel(id: string): Promise<boolean> {
    try {
      await this.#client.task(id).cancel();
      return true;
    } catch (err) {
      if (isUniversalMcpError(err) && err.code === ErrorCode.TASK_NOT_FOUND) return false;
      throw err;
    }
  }

  close(): void {
    for (const off of this.#off) off();
    this.removeAllListeners();
  }
}

/**
 * `GET /api/tasks` (the list) and `POST /api/tasks/:id/cancel` (404 when there is no such task, 400 with
 * the code when the server refused). Behind the same token, Host and Origin checks as every `/api/*` route.
 */
export function taskRoutes(app: Hono, tasks: DashboardTasks): void {
  app.get('/api/tasks', (c) => c.json(tasks.list()));
  app.post('/api/tasks/:id/cancel', async (c) => {
    try {
      if (await tasks.cancel(c.req.param('id'))) return c.json({ ok: true });
      return c.json({ error: 'No such task' }, 404);
    } catch (err) {
      return c.json({ error: describeError(err).text }, 400);
    }
  });
}
