// What the gateway uses of the supervisor's task API (issue 30 contract): the client's tasks, by the client's
// own opaque id, with the owner they were started for. The gateway never reaches into Session or core for tasks.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { CallOptions } from '@universal-mcp/supervisor';

/** A task's phase as the supervisor tracks it (`lost`: its server forgot it). */
export type TaskPhase = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled' | 'lost';

/** One task as the supervisor last saw it. */
export interface TaskSnapshot {
  readonly id: string;
  readonly server: string;
  readonly tool: string;
  readonly task: boolean;
  readonly status: TaskPhase;
  readonly statusMessage?: string | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly pollIntervalMs?: number | undefined;
  readonly expiresAt: number | null;
  readonly pendingInput: readonly {
    readonly key: string;
    readonly method: string;
    readonly params: Record<string, unknown>;
  }[];
  readonly result?: CallToolResult | undefined;
  readonly error?:
    { readonly code: string; readonly message: string; readonly rpcCode?: number | undefined } | undefined;
  readonly owner?: string | undefined;
}

/** A started task (or a call the server answered at once: `task` false). */
export interface TaskHandle {
  readonly id: string;
  readonly task: boolean;
  snapshot(): TaskSnapshot;
  result(): Promise<CallToolResult>;
  cancel(): Promise<void>;
  respond(responses: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Options of `startTool`. */
export interface StartToolOptions extends CallOptions {
  readonly input?: 'handlers' | 'manual' | undefined;
  readonly owner?: string | undefined;
  readonly ttlMs?: number | undefined;
}

/** The client's task methods. */
export interface TaskClient {
  startTool(
    server: string,
    tool: string,
    args?: Record<string, unknown>,
    options?: StartToolOptions,
  ): Promise<TaskHandle>;
  task(id: string): TaskHandle;
  tasks(filter?: { server?: string; owner?: string }): TaskSnapshot[];
}
