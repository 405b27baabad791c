// The client's tasks: started through a server's tool-call path, polled on one schedule (task-schedule.ts) one
// exchange at a time through the server's request path (so a poll waits for a restarting server, takes a call
// slot only while it runs, and meets the same timeouts), answered, cancelled, ended, and kept in the task store
// so that a new client polls them again. The facade's task methods are one-liners into here.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { ErrorCode, UniversalMcpError, type CallToolResult } from '@universal-mcp/core';
import type { CallOptions, StartToolOptions } from './call-options.js';
import type { EventHub } from './event-hub.js';
import type { UniversalMcpEvents } from './events.js';
import type { ServerRegistry } from './server-registry.js';
import type { SupervisedServer } from './supervised-server.js';
import type { TaskFilter, TaskHandle, TaskSnapshot } from './task-handle.js';
import { awaitCall } from './task-call.js';
import { EndedTasks } from './task-end.js';
import { answerInput, answersInput, pendingAnswers, type AnswerExchange } from './task-input.js';
import { TaskEntry, checkTaskOptions, endOf, givenUpError, removedError, resumedEntry } from './task-record.js';
import { notFoundError, taskError, taskStart, taskTag } from './task-record.js';
import { PollSlots } from './task-slots.js';
import { TaskSchedule, backoffMs } from './task-schedule.js';
import { TaskWriter } from './task-writer.js';
import { isTransient, taskExchange, type TaskOp, type TaskState } from './task-session.js';
export { MAX_ENDED_TASKS } from './task-end.js';
import type { TaskRecord, TaskStore } from './task-store.js';

/** Polls of one server in flight at most; the others wait their turn. */
export const MAX_POLLS_PER_SERVER = 16;
/** Polls in a row that may fail on a ready server before the task is given up as failed. */
const MAX_POLL_FAILURES = 20;

/** What the manager works with. */
export interface TaskManagerHost {
  readonly servers: ServerRegistry;
  readonly events: EventHub<UniversalMcpEvents>;
  readonly store: TaskStore;
  readonly log: Logger;
  /** Epoch ms. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/** One client's tasks. */
export class TaskManager {
  readonly #host: TaskManagerHost;
  readonly #now: () => number;
  readonly #live = new Map<string, TaskEntry>();
  /** Dropped from the list: a completed one nobody took the result of leaves the store too. */
  readonly #ended = new EndedTasks((entry) => this.#forget(entry));
  readonly #schedule: TaskSchedule;
  readonly #slots = new PollSlots(MAX_POLLS_PER_SERVER);
  readonly #writer: TaskWriter;
  /** Aborts every exchange in flight when the client closes. */
  readonly #closing = new AbortController();
  /** Rejects `CLOSED` when the client closes: what callers still waiting for a task see. */
  readonly #closed: Promise<never>;
  /** The stored tasks, resumed (resolves once they are in `tasks()`; never rejects). */
  readonly loaded: Promise<void>;

  constructor(host: TaskManagerHost) {
    this.#host = host;
    this.#now = host.now ?? Date.now;
    this.#schedule = new TaskSchedule((key) => this.#due(key), this.#now);
    this.#writer = new TaskWriter(host.store, host.log);
    const { signal } = this.#closing;
    // Every exchange in flight listens on this one signal (up to 16 polls per server, more across servers):
    // Node's default of 10 listeners would print a MaxListenersExceededWarning, though each is removed after.
    setMaxListeners(0, signal);
    this.#closed = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason as Error)),
    );
    this.#closed.catch(() => undefined);
    host.events.on('server:ready', ({ server }) => this.#serverReady(server));
    host.events.on('server:given-up', ({ server, error }) => this.#serverGivenUp(server, error));
    this.loaded = host.store.list().then(
      (records) => records.forEach((r) => this.#resume(r)),
      (err: unknown) => host.log.error({ err }, 'stored tasks not read: they are not polled'),
    );
  }

  /**
   * Calls the tool; a task the server makes is polled to its end. The create is one exchange within `timeoutMs`;
   * `deadlineMs` bounds the whole task; the signal cancels it (or, with `onAbort: 'detach'`, leaves it running).
   */
  async call(
    s: SupervisedServer,
    tool: string,
    args: Record<string, unknown> | undefined,
    options: CallOptions | undefined,
  ): Promise<CallToolResult> {
    const started = this.#now();
    const outcome = await s.requests.startTool(tool, args, options, {});
    if (outcome.kind === 'complete') return outcome.result;
    const entry = this.#started(s, tool, outcome.task, started, options ?? {});
    await this.#writer.settled(); // stored before the caller waits: a crash from here on leaves it resumable
    const deadline = options?.deadlineMs ?? s.policy.callDeadlineMs;
    if (deadline !== undefined && Number.isFinite(deadline)) this.#schedule.set(`d:${entry.id}`, started + deadline);
    return awaitCall(entry, options ?? {}, {
      deliver: (wanted) => this.#deliver(entry, wanted),
      cancel: (reason) => this.#cancel(entry, reason),
    });
  }

  /** Calls the tool and hands back the task at once (an already completed one if the server answered at once). */
  async start(
    s: SupervisedServer,
    tool: string,
    args: Record<string, unknown> | undefined,
    options: StartToolOptions | undefined,
  ): Promise<TaskHandle> {
    const started = this.#now();
    const o = options ?? {};
    checkTaskOptions(o);
    const outcome = await s.requests.startTool(tool, args, o, { wantTask: true, ttlMs: o.ttlMs });
    if (outcome.kind === 'task') {
      const entry = this.#started(s, tool, outcome.task, started, o);
      await this.#writer.settled(); // stored before the handle is given
      if (o.deadlineMs !== undefined && Number.isFinite(o.deadlineMs))
        this.#schedule.set(`d:${entry.id}`, started + o.deadlineMs);
      return this.#handle(entry);
    }
    const entry = new TaskEntry(taskStart(s, tool, undefined, started, o), this.#now());
    entry.end('completed', outcome.result);
    this.#ended.add(entry);
    return this.#handle(entry);
  }

  /** The handle of a live or recently ended task; throws `TASK_NOT_FOUND`. */
  handle(id: string): TaskHandle {
    const entry = this.#live.get(id) ?? this.#ended.get(id);
    if (entry === undefined) throw notFoundError(id);
    return this.#handle(entry);
  }

  /** Live tasks and the recently ended ones, oldest first. */
  list(filter: TaskFilter = {}): TaskSnapshot[] {
    const all = [...this.#ended.values(), ...this.#live.values()].sort((a, b) => a.start.createdAt - b.start.createdAt);
    return all
      .filter((e) => filter.server === undefined || e.start.server === filter.server)
      .filter((e) => filter.owner === undefined || e.start.owner === filter.owner)
      .map((e) => e.snapshot());
  }

  /**
   * Tasks whose server is no longer registered end `lost` (`TASK_LOST`, reason `server-removed`): only `server`'s
   * when given (a server removed before the others were added leaves their stored tasks alone).
   */
  async reconcile(server?: string): Promise<void> {
    await this.loaded;
    if (this.#closing.signal.aborted) return;
    for (const entry of [...this.#live.values()]) {
      if (server !== undefined && entry.start.server !== server) continue;
      if (this.#host.servers.has(entry.start.server)) continue;
      this.#end(entry, 'lost', removedError(entry));
    }
  }

  /**
   * Stops polling; the store keeps every task (a new client resumes them); resolves once its writes ended. Waiting
   * callers reject `CLOSED`.
   */
  close(): Promise<void> {
    this.#closing.abort(new UniversalMcpError(ErrorCode.CLOSED, 'The client is closed'));
    this.#schedule.close();
    // Not ended: each task goes on at the server and stays stored; waiting callers reject CLOSED (#closed).
    for (const entry of this.#live.values()) entry.detached = true;
    return this.#writer.settled();
  }

  #started(s: SupervisedServer, tool: string, task: TaskState, createdAt: number, o: StartToolOptions): TaskEntry {
    const entry = new TaskEntry(taskStart(s, tool, task.taskId, createdAt, o), this.#now());
    this.#live.set(entry.id, entry);
    // A task that ended already: its checked result (or error) comes with the first poll, at once.
    const ended = task.status !== 'working' && task.status !== 'input_required';
    this.#observe(entry, { ...task, status: ended ? 'working' : task.status, result: undefined }, true);
    if (ended) this.#schedule.set(entry.id, this.#now());
    return entry;
  }

  #resume(record: TaskRecord): void {
    if (this.#closing.signal.aborted || this.#live.has(record.id)) return;
    this.#live.set(record.id, resumedEntry(record, this.#now()));
    this.#schedule.set(record.id, this.#now());
  }

  #handle(entry: TaskEntry): TaskHandle {
    const { id, server, tool, taskId } = entry.start;
    return {
      id,
      server,
      tool,
      task: taskId !== undefined,
      snapshot: () => {
        // A completed snapshot carries the result: whoever read it has it, the store may forget the task.
        if (entry.status === 'completed') this.#forget(entry);
        return entry.snapshot();
      },
      result: () => this.#deliver(entry),
      cancel: () => this.#cancel(entry),
      respond: (responses) => this.#respond(entry, responses),
    };
  }

  /**
   * The task's end (or `CLOSED` when the client closes first); once a caller that still waits has a completed
   * task's result, the store forgets the task (a detached one stays until someone asks for it).
   */
  #deliver(entry: TaskEntry, wanted: () => boolean = () => true): Promise<CallToolResult> {
    return Promise.race([entry.done(), entry.outage(), this.#closed]).then((result) => {
      if (wanted()) this.#forget(entry);
      return result;
    });
  }

  #due(key: string): void {
    if (key.startsWith('d:')) return this.#deadline(key.slice(2));
    const entry = this.#live.get(key);
    if (entry !== undefined) this.#poll(entry);
  }

  #serverReady(server: string): void {
    // A new session: poll each of its tasks when due (a server that kept nothing answers -32602: lost, no hang).
    for (const entry of this.#live.values()) {
      if (entry.start.server !== server) continue;
      entry.resume();
      if (!entry.polling) this.#schedule.set(entry.id, this.#nextPoll(entry));
    }
  }

  /** Nothing polls its tasks until it is back: waiting callers reject `SERVER_UNAVAILABLE`; the tasks stay stored. */
  #serverGivenUp(server: string, cause: UniversalMcpError): void {
    for (const entry of this.#live.values()) {
      if (entry.start.server !== server) continue;
      entry.detached = true;
      entry.interrupt(givenUpError(entry, cause));
    }
  }

  /** The next poll's time: no sooner than the server's pollIntervalMs after its last answer. */
  #nextPoll(entry: TaskEntry): number {
    return Math.max(this.#now(), entry.lastSeenAt + (entry.pollIntervalMs ?? 0));
  }

  /** One tasks/get through the server's request path; the next is scheduled from its answer. */
  #poll(entry: TaskEntry): void {
    const s = this.#host.servers.find(entry.start.server);
    // Not ready (restarting, given up, not added yet): polled again at its next server:ready.
    if (entry.ended || entry.polling || s === undefined || s.state !== 'ready') return;
    entry.polling = true;
    const { taskId, tool } = entry.start;
    this.#slots.run(entry.start.server, () =>
      this.#exchange(s, entry, (session, o) => session.getTask(taskId ?? '', tool, o))
        .then(
          (state) => this.#observe(entry, state, false),
          (err: unknown) => this.#pollFailed(entry, err),
        )
        .finally(() => (entry.polling = false)),
    );
  }

  #exchange<T>(s: SupervisedServer, entry: TaskEntry, op: TaskOp<T>): Promise<T> {
    return taskExchange(s.requests.path, s.name, entry.start, this.#closing.signal, op);
  }

  /** What a poll (or the create) told: the snapshot moves, the task ends, is answered or polled again. */
  #observe(entry: TaskEntry, state: TaskState & { result?: CallToolResult }, created: boolean): void {
    if (entry.ended) return;
    const now = this.#now();
    const before = JSON.stringify([entry.status, entry.statusMessage, entry.pending().map((p) => p.key)]);
    const statusBefore = entry.status;
    entry.failures = 0;
    entry.lastSeenAt = now;
    entry.pollIntervalMs = state.pollIntervalMs;
    entry.statusMessage = state.statusMessage;
    entry.expiresAt = state.ttlMs === null ? null : entry.start.createdAt + state.ttlMs;
    const end = endOf(entry, state);
    if (end !== undefined) return this.#end(entry, ...end);
    entry.status = state.status;
    entry.requests = state.status === 'input_required' ? (state.inputRequests ?? {}) : {};
    if (created) this.#writer.put(entry);
    if (JSON.stringify([entry.status, entry.statusMessage, entry.pending().map((p) => p.key)]) !== before || created) {
      entry.updatedAt = now;
      this.#changed(entry);
      if (!created && entry.status !== statusBefore) this.#writer.put(entry);
    }
    if (answersInput(entry)) this.#answer(entry);
    this.#schedule.set(entry.id, now + state.pollIntervalMs);
  }

  #pollFailed(entry: TaskEntry, err: unknown): void {
    if (entry.ended || this.#closing.signal.aborted) return;
    const error = err instanceof UniversalMcpError ? err : taskError(entry, ErrorCode.PROTOCOL_ERROR, String(err));
    if (error.code === ErrorCode.TASK_LOST) return this.#end(entry, 'lost', error);
    const s = this.#host.servers.find(entry.start.server);
    if (s === undefined || s.state !== 'ready') return; // polled again at its next server:ready
    entry.failures += 1;
    if (!isTransient(error.code) && entry.failures >= MAX_POLL_FAILURES) return this.#end(entry, 'failed', error);
    this.#host.log.warn({ err: error, task: taskTag(entry.id), failures: entry.failures }, 'task poll failed');
    this.#schedule.set(entry.id, this.#now() + backoffMs(entry.pollIntervalMs ?? 1000, entry.failures));
  }

  /** The client's handlers answer its input (task-input.ts). */
  #answer(entry: TaskEntry): void {
    const s = this.#host.servers.find(entry.start.server);
    if (s === undefined) return;
    const taskId = entry.start.taskId ?? '';
    const exchange: AnswerExchange = (pending) =>
      this.#exchange(s, entry, (session, o) => session.answerTask(taskId, pending, o));
    answerInput(entry, exchange, (keys) => this.#answered(entry, keys), this.#host.log);
  }

  #answered(entry: TaskEntry, keys: readonly string[]): void {
    if (entry.ended) return;
    entry.answer(keys);
    entry.updatedAt = this.#now();
    this.#changed(entry);
    this.#writer.put(entry);
    this.#schedule.set(entry.id, this.#nextPoll(entry));
  }

  async #respond(entry: TaskEntry, responses: Readonly<Record<string, unknown>>): Promise<void> {
    const s = this.#host.servers.get(entry.start.server);
    if (entry.ended)
      throw taskError(entry, ErrorCode.TASK_NOT_FOUND, `Task of "${entry.start.tool}" has ended (${entry.status})`);
    const answers = pendingAnswers(entry, responses);
    if (answers === undefined) return;
    const taskId = entry.start.taskId ?? '';
    await this.#exchange(s, entry, (session, o) => session.updateTask(taskId, answers, o));
    this.#answered(entry, Object.keys(answers));
  }

  /** tasks/cancel; the task ends `cancelled` on the ack (cancelling is cooperative: the server may still end it). */
  #cancel(entry: TaskEntry, reason?: UniversalMcpError): Promise<void> {
    if (entry.ended) return Promise.resolve();
    entry.cancelling ??= (async () => {
      const s = this.#host.servers.get(entry.start.server);
      const taskId = entry.start.taskId ?? '';
      try {
        await this.#exchange(s, entry, (session, o) => session.cancelTask(taskId, o));
      } catch (err) {
        entry.cancelling = undefined;
        if (err instanceof UniversalMcpError && err.code === ErrorCode.TASK_LOST) return this.#end(entry, 'lost', err);
        throw err;
      }
      const error = reason ?? taskError(entry, ErrorCode.CANCELLED, `Task of "${entry.start.tool}" was cancelled`);
      this.#end(entry, 'cancelled', error);
    })();
    return entry.cancelling;
  }

  /** The task's `deadlineMs` passed: it fails `TIMEOUT` at once and is cancelled at the server (best effort). */
  #deadline(id: string): void {
    const entry = this.#live.get(id);
    if (entry === undefined || entry.ended) return;
    const message = `Task of "${entry.start.tool}" on "${entry.start.server}" passed its deadline`;
    const timeout = taskError(entry, ErrorCode.TIMEOUT, message, { details: { kind: 'deadline' } });
    const s = this.#host.servers.find(entry.start.server);
    const taskId = entry.start.taskId ?? '';
    if (s !== undefined)
      this.#exchange(s, entry, (session, o) => session.cancelTask(taskId, o)).catch((err: unknown) =>
        this.#host.log.warn({ err, task: taskTag(id) }, 'task past its deadline not cancelled'),
      );
    this.#end(entry, 'cancelled', timeout);
  }

  #end(
    entry: TaskEntry,
    status: 'completed' | 'failed' | 'cancelled' | 'lost',
    outcome: CallToolResult | UniversalMcpError,
  ): void {
    if (!entry.end(status, outcome)) return;
    entry.updatedAt = this.#now();
    this.#schedule.delete(entry.id);
    this.#schedule.delete(`d:${entry.id}`);
    this.#live.delete(entry.id);
    this.#ended.add(entry);
    // A completed task stays stored until a caller has its result; any other end is final.
    if (status === 'completed') this.#writer.put(entry);
    else this.#forget(entry);
    this.#changed(entry);
    this.#host.events.emit('task:end', entry.snapshot());
  }

  /** The store forgets the task (once). */
  #forget(entry: TaskEntry): void {
    if (entry.forgotten) return;
    entry.forgotten = true;
    this.#writer.forget(entry);
  }

  #changed(entry: TaskEntry): void {
    const snapshot = entry.snapshot();
    this.#host.events.emit('task:status', snapshot);
    try {
      if (!entry.detached) entry.start.onStatus?.(snapshot);
    } catch (err) {
      this.#host.log.error({ err, task: taskTag(entry.id) }, 'onTaskStatus threw');
    }
  }
}
