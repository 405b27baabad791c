// The public shape of a task: what a caller holds (TaskHandle) and sees (TaskSnapshot). Public declarations only:
// this file reaches no internal module (see call-options.ts for why).
import type { CallToolResult, ErrorCode } from '@universal-mcp/core';

/** Where a task is: the server's statuses, and `lost` when the server no longer knows it (or is gone). */
export type TaskPhase = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled' | 'lost';

/** One input a task waits for (`input: 'manual'` tasks, until {@link TaskHandle.respond}). */
export interface TaskPendingInput {
  /** The server's key for it: answer with `respond({ [key]: … })`. */
  readonly key: string;
  /** What kind of input: `elicitation/create`, `sampling/createMessage`, `roots/list`. */
  readonly method: string;
  /** The request's params, as the server sent them (bounded by the wire codec). */
  readonly params: Record<string, unknown>;
}

/** Why a task did not complete. */
export interface TaskFailure {
  /** The code the task's `result()` rejected with: `PROTOCOL_ERROR`, `CANCELLED`, `TASK_LOST`, `TIMEOUT`… */
  readonly code: ErrorCode;
  /** What happened, in words (a server's text bounded). */
  readonly message: string;
  /** The JSON-RPC error code the server gave a failed task. */
  readonly rpcCode?: number | undefined;
}

/** A task as the client knows it now (a copy: it never changes after it is returned). */
export interface TaskSnapshot {
  /** The client's own id: opaque, stable across client restarts (stored); not the server's task id. */
  readonly id: string;
  /** The server's name (as added). */
  readonly server: string;
  /** The tool called. */
  readonly tool: string;
  /** False when the server answered at once: no server task exists, the snapshot is already `completed`. */
  readonly task: boolean;
  /** Where the task is (`lost`: the server no longer knows it, or left the config). */
  readonly status: TaskPhase;
  /** The server's words on the status (bounded). */
  readonly statusMessage?: string | undefined;
  /** When the client made the call (epoch ms, this machine's clock). */
  readonly createdAt: number;
  /** When the status, message or pending input last changed (epoch ms). */
  readonly updatedAt: number;
  /** The interval the server asked polls to keep, as last told. */
  readonly pollIntervalMs?: number | undefined;
  /** When the server may forget the task (receipt time plus its ttl, this machine's clock); null: no ttl. */
  readonly expiresAt: number | null;
  /** Input the task waits for and no one has given yet. */
  readonly pendingInput: readonly TaskPendingInput[];
  /** The tool's result, once `completed`. */
  readonly result?: CallToolResult | undefined;
  /** Why it ended `failed`, `cancelled` or `lost`. */
  readonly error?: TaskFailure | undefined;
  /** Who started it (a gateway's principal), as given to `startTool`. */
  readonly owner?: string | undefined;
  /** The caller's label, as given to `startTool`. */
  readonly label?: string | undefined;
}

/** Which tasks {@link UniversalMcpClient.tasks} lists. */
export interface TaskFilter {
  /** Only this server's tasks. */
  readonly server?: string | undefined;
  /** Only the tasks started with this `owner`. */
  readonly owner?: string | undefined;
}

/** A tool call that may run as a task on the server: polled by the client until it ends. */
export interface TaskHandle {
  /** The client's own id (see {@link TaskSnapshot.id}); `client.task(id)` finds the handle again. */
  readonly id: string;
  /** The server's name (as added). */
  readonly server: string;
  /** The tool called. */
  readonly tool: string;
  /** False when the server answered at once (the handle is already completed). */
  readonly task: boolean;
  /** The task now. */
  snapshot(): TaskSnapshot;
  /**
   * The tool's result (one with `isError: true` resolves). Rejects with a `UniversalMcpError`: a failed task
   * `PROTOCOL_ERROR` (`details.rpcCode`, `details.taskId`), a cancelled one `CANCELLED`, a lost one `TASK_LOST`,
   * one past its `deadlineMs` `TIMEOUT` (it is cancelled then).
   */
  result(): Promise<CallToolResult>;
  /** Asks the server to cancel (`tasks/cancel`); resolves on its ack and the task ends `cancelled`. Idempotent. */
  cancel(): Promise<void>;
  /** Answers pending input by key (`tasks/update`); the keys are never asked for again. */
  respond(responses: Readonly<Record<string, unknown>>): Promise<void>;
}
