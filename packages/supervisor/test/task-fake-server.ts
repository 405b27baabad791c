import { ErrorCode, UniversalMcpError, type CallToolResult } from '@universal-mcp/core';
import type { Session } from '@universal-mcp/core/internal';
import type { FakeConnection } from './fake-connection.js';
import type { TaskState, TaskStatus } from '../src/task-session.js';

// A fake 2026-07-28 server that makes a task of every call to `echo` (and answers `read` at once), with the task
// methods of the Session contract. Its tasks outlive a connection (as a 2026 HTTP server's do) until `forget()`.

interface FakeTask {
  status: TaskStatus;
  statusMessage?: string | undefined;
  result?: CallToolResult | undefined;
  error?: { code: number; message: string } | undefined;
  inputRequests?: Record<string, { method: string; params: Record<string, unknown> }> | undefined;
}

/** One method call the server saw: which session (index in fake.sessions), when (Date.now) and its task. */
export interface Seen {
  readonly method: string;
  readonly taskId?: string | undefined;
  readonly session: number;
  readonly at: number;
  readonly keys?: string[] | undefined;
  /** The `caller` of the exchange's options (answerTask). */
  readonly caller?: unknown;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class FakeTaskServer {
  readonly tasks = new Map<string, FakeTask>();
  readonly seen: Seen[] = [];
  pollIntervalMs = 200;
  /** What answerTask rejects with (a client without the handler, say); undefined: it answers. */
  answerError: Error | undefined;
  /** How long each tasks/get takes. */
  getDelayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  #next = 0;
  readonly #fake: FakeConnection;

  constructor(fake: FakeConnection) {
    this.#fake = fake;
    // The connection's next sessions speak 2026 and carry the task methods (Object.assign onto each new session).
    fake.era = this.#methods();
  }

  #methods(): FakeConnection['era'] {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the methods' own `this` is the session
    const server = this;
    return {
      era: '2026-07-28',
      protocolVersion: '2026-07-28',
      tasks: true,
      startTool(this: Session, name: string) {
        return server.#startTool(this, name);
      },
      getTask(this: Session, taskId: string) {
        return server.#getTask(this, taskId);
      },
      updateTask(this: Session, taskId: string, responses: Record<string, unknown>) {
        server.#see(this, 'tasks/update', taskId, Object.keys(responses));
        server.#answered(taskId, Object.keys(responses));
        return Promise.resolve();
      },
      answerTask(this: Session, taskId: string, requests: Record<string, unknown>, options: { caller?: unknown }) {
        server.#see(this, 'answer', taskId, Object.keys(requests), options.caller);
        return server.answerError === undefined ? Promise.resolve() : Promise.reject(server.answerError);
      },
      cancelTask(this: Session, taskId: string) {
        server.#see(this, 'tasks/cancel', taskId);
        const task = server.tasks.get(taskId);
        if (task !== undefined) task.status = 'cancelled';
        return Promise.resolve();
      },
    } as FakeConnection['era'];
  }

  /** The calls of `method` seen. */
  calls(method: string): Seen[] {
    return this.seen.filter((s) => s.method === method);
  }

  finish(taskId: string, text = 'done'): void {
    const task = this.#task(taskId);
    task.status = 'completed';
    task.result = { content: [{ type: 'text', text }] };
  }

  fail(taskId: string, code: number, message: string): void {
    Object.assign(this.#task(taskId), { status: 'failed', error: { code, message } });
  }

  ask(taskId: string, requests: FakeTask['inputRequests']): void {
    Object.assign(this.#task(taskId), { status: 'input_required', inputRequests: requests });
  }

  say(taskId: string, statusMessage: string): void {
    this.#task(taskId).statusMessage = statusMessage;
  }

  /** A server restarted without its state. */
  forget(): void {
    this.tasks.clear();
  }

  #task(taskId: string): FakeTask {
    const task = this.tasks.get(taskId);
    if (task === undefined) throw new Error(`no task ${taskId}`);
    return task;
  }

  #see(session: Session, method: string, taskId?: string, keys?: string[], caller?: unknown): void {
    const index = this.#fake.sessions.indexOf(session as never);
    const more = { ...(keys === undefined ? {} : { keys }), ...(caller === undefined ? {} : { caller }) };
    this.seen.push({ method, taskId, session: index, at: Date.now(), ...more });
  }

  #answered(taskId: string, keys: string[]): void {
    const task = this.tasks.get(taskId);
    if (task?.inputRequests === undefined) return;
    const left = Object.fromEntries(Object.entries(task.inputRequests).filter(([key]) => !keys.includes(key)));
    task.inputRequests = left;
    if (Object.keys(left).length === 0) Object.assign(task, { status: 'working', inputRequests: undefined });
  }

  #state(taskId: string): TaskState & { result?: CallToolResult } {
    const task = this.#task(taskId);
    return {
      taskId,
      status: task.status,
      statusMessage: task.statusMessage,
      createdAt: '2026-12-05T00:00:00Z',
      lastUpdatedAt: '2026-12-05T00:00:00Z',
      ttlMs: 3_600_000,
      pollIntervalMs: this.pollIntervalMs,
      ...(task.status === 'completed' ? { result: task.result } : {}),
      ...(task.status === 'failed' ? { error: task.error } : {}),
      ...(task.status === 'input_required' ? { inputRequests: { ...task.inputRequests } } : {}),
    };
  }

  async #startTool(session: Session, name: string): Promise<unknown> {
    this.#see(session, 'tools/call');
    if (name !== 'echo') return { kind: 'complete', result: { content: [{ type: 'text', text: 'at once' }] } };
    this.#next += 1;
    const taskId = `t${this.#next}`;
    this.tasks.set(taskId, { status: 'working' });
    return { kind: 'task', task: this.#state(taskId) };
  }

  async #getTask(session: Session, taskId: string): Promise<unknown> {
    this.#see(session, 'tasks/get', taskId);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.getDelayMs > 0) await sleep(this.getDelayMs);
      if (!this.tasks.has(taskId))
        throw new UniversalMcpError(ErrorCode.TASK_LOST, `Task ${taskId} is unknown to the server`, {
          server: 'a',
          details: { taskId, reason: 'not-found' } as never,
        });
      return this.#state(taskId);
    } finally {
      this.inFlight -= 1;
    }
  }
}
