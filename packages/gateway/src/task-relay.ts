import {
  ProtocolErrorCode,
  type CallToolResult,
  type Server,
  type ServerContext,
  type StandardSchemaV1,
} from '@modelcontextprotocol/server';
import { TASKS_EXTENSION } from '@universal-mcp/core';
import { META_RELATED_TASK } from '@universal-mcp/core/internal';
import {
  isUniversalMcpError,
  type CallOptions,
  type StartToolOptions,
  type TaskHandle,
  type TaskSnapshot,
  type UniversalMcpClient,
} from '@universal-mcp/supervisor';
import type { DownstreamCaller, InputKind } from './downstream-caller.js';
import { boundResult } from './response-guard.js';
import {
  createTaskResult,
  declaresTasks,
  detailedTask,
  failedError,
  offersTasks,
  task2025,
  TASK_PARAMS,
  taskNotFound,
  undeclared,
} from './task-wire-down.js';
import { toWireError, WireError } from './wire-error.js';

/**
 * The gateway's side of the Tasks extension: downstream task ids are the supervisor's own (opaque, random,
 * never an upstream's: two upstreams' ids may collide, and an id is a bearer token), each bound to the
 * downstream principal it was started for. Another principal's id, an unknown one and one whose upstream
 * forgot it get the same "not found". The supervisor polls each upstream task once, however many downstream
 * clients poll it; downstream `tasks/get` answers from its latest snapshot.
 */
export class TaskRelay {
  readonly #client: UniversalMcpClient;

  constructor(client: UniversalMcpClient) {
    this.#client = client;
  }

  /** Whether `server`'s connection says it can make tool tasks (either era). */
  offers(server: string): boolean {
    return offersTasks(this.#client.getServerInfo(server)?.capabilities);
  }

  /** Whether any upstream can make tool tasks (the gateway then advertises the extension). */
  anyOffers(): boolean {
    return this.#client.listServers().some((s) => this.offers(s));
  }

  /**
   * Starts `tool` on `server` for `owner`; resolves once the upstream answered the `tools/call`. `signal`
   * covers that exchange only: a task, once made, outlives the downstream request that started it.
   */
  async start(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: StartToolOptions,
    signal: AbortSignal | undefined,
  ): Promise<TaskHandle> {
    const creating = new AbortController();
    const abort = (): void => creating.abort(signal?.reason);
    if (signal?.aborted === true) abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.#client.startTool(server, tool, args, { ...options, signal: creating.signal });
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * Starts a 2025 client's task (`options.owner` its owner): the `tools/call` answer, `{ task }` with the
   * gateway's id, or the result itself when the upstream answered at once. Its input waits in the snapshot for
   * the client's `tasks/result`, which asks the session for it.
   */
  async start2025(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: StartToolOptions,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    const handle = await this.start(server, tool, args, { ...options, input: 'manual' }, signal);
    if (!handle.task) return handle.result();
    // The SDK's own check wants `content` beside `task` (an empty list a 2025 client ignores).
    return { content: [], task: task2025(handle.snapshot()) } as CallToolResult;
  }

  /** `owner`'s task `id`, or -32602 "Task not found" (the same answer whatever the reason). */
  handle(owner: string, id: string): TaskHandle {
    let handle: TaskHandle;
    try {
      handle = this.#client.task(id);
    } catch {
      throw taskNotFound();
    }
    const s = handle.snapshot();
    if (s.owner !== owner || s.status === 'lost') throw taskNotFound();
    return handle;
  }

  /** `owner`'s tasks (live and recently ended), the upstream-forgotten ones left out. */
  list(owner: string): TaskSnapshot[] {
    return this.#client.tasks({ owner }).filter((s) => s.owner === owner && s.status !== 'lost');
  }
}

/**
 * The downstream principal a request acts for: its OAuth subject when it has one, else its OAuth client id, else
 * `fallback` (the instance's). Subjects and client ids get their own namespaces: a client id equal to some user's
 * subject must not reach that user's tasks.
 */
export function principalOf(ctx: ServerContext, fallback: string): string {
  const auth = ctx.http?.authInfo;
  if (auth === undefined) return fallback;
  const subject = auth.extra?.['sub'];
  return typeof subject === 'string' ? `oauth-sub:${subject}` : `oauth-client:${auth.clientId}`;
}

/**
 * `options` with the Tasks extension declared upstream, for a 2025 session's tool call: that client cannot declare
 * the 2026 extension itself, and the gateway answers it either way (a task it asked for, or a task polled to its
 * end underneath a sync call).
 */
export function declaringTasks(options: CallOptions): CallOptions {
  const capabilities = options.clientCapabilities ?? {};
  const extensions = { ...(capabilities['extensions'] as object | undefined), [TASKS_EXTENSION]: {} };
  return { ...options, clientCapabilities: { ...capabilities, extensions } };
}

/** A task-API failure as the downstream hears it: a task gone meanwhile is "not found", like an unknown id. */
export function relayError(err: unknown): Error {
  if (isUniversalMcpError(err) && (err.code === 'TASK_NOT_FOUND' || err.code === 'TASK_LOST')) return taskNotFound();
  return toWireError(err);
}

/**
 * What a 2026 downstream `tools/call` that declared Tasks gets: a CreateTaskResult with the gateway's id when
 * the upstream made a task, else the result as a sync call would have had it.
 */
export async function answerOf(handle: TaskHandle): Promise<Record<string, unknown>> {
  if (!handle.task) return (await handle.result()) as unknown as Record<string, unknown>;
  return createTaskResult(handle.snapshot());
}

/** Registers the 2026 `tasks/get`, `tasks/update` and `tasks/cancel` on a request's server instance. */
export function serveTasks2026(session: Server, relay: TaskRelay, ownerOf: (ctx: ServerContext) => string): void {
  /** The request's task, after the gate every tasks/* request passes (-32021 when it did not declare Tasks). */
  const taskOf = (taskId: string, ctx: ServerContext): TaskHandle => {
    if (!declaresTasks(ctx.mcpReq.envelope)) throw undeclared();
    return relay.handle(ownerOf(ctx), taskId);
  };
  // The 3-argument form: the 2026 era serves these method names only as a custom-schema registration.
  session.setRequestHandler('tasks/get', { params: TASK_PARAMS }, (params, ctx) =>
    detailedTask(taskOf(params.taskId, ctx).snapshot()),
  );
  session.setRequestHandler('tasks/update', { params: TASK_PARAMS }, async (params, ctx) => {
    const handle = taskOf(params.taskId, ctx);
    // The SDK lifts inputResponses off the params into the context, as for an MRTR retry.
    const responses = ctx.mcpReq.inputResponses ?? params['inputResponses'];
    if (typeof responses === 'object' && responses !== null && Object.keys(responses).length > 0)
      await handle.respond(responses as Record<string, unknown>).catch((err: unknown) => {
        throw relayError(err);
      });
    return { resultType: 'complete' };
  });
  session.setRequestHandler('tasks/cancel', { params: TASK_PARAMS }, async (params, ctx) => {
    // Idempotent: cancelling an ended task acks the same (spec: cancel of a terminal task).
    await taskOf(params.taskId, ctx)
      .cancel()
      .catch((err: unknown) => {
        throw relayError(err);
      });
    return { resultType: 'complete' };
  });
}

/** What the 2025 face needs of its session besides the relay. */
export interface TaskSession2025 {
  /** Whose tasks the request may see. */
  ownerOf(ctx: ServerContext): string;
  /** The session as a caller, its requests on the stream of the downstream request `ctx` answers. */
  callerOf(ctx: ServerContext): DownstreamCaller;
}

/** How often a waiting `tasks/result` looks for new input requests in the task's (local) snapshot. */
const INPUT_CHECK_MS = 100;

/** The downstream request kind of an upstream input request's method. */
const KINDS: Readonly<Record<string, InputKind>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/**
 * Asks the session for each input the task waits for (once per key), on the `tasks/result` stream with the
 * related-task `_meta`, and passes each answer on; an elicitation the session cannot or will not answer is
 * answered `cancel` so the task does not wait for ever.
 */
function askFor(handle: TaskHandle, caller: DownstreamCaller, asked: Set<string>, signal: AbortSignal): void {
  for (const request of handle.snapshot().pendingInput) {
    if (asked.has(request.key)) continue;
    asked.add(request.key);
    const kind = KINDS[request.method];
    if (kind === undefined) continue;
    const meta = { ...(request.params['_meta'] as object | undefined), [META_RELATED_TASK]: { taskId: handle.id } };
    const answer = caller.offers(kind)
      ? caller.ask(kind, { ...request.params, _meta: meta }, signal)
      : Promise.reject(new Error('not offered'));
    void answer
      .catch(() => (kind === 'elicitation' ? { action: 'cancel' } : undefined))
      .then((response) => (response === undefined ? undefined : handle.respond({ [request.key]: response })))
      // The task ended or went meanwhile: its input has no one left to reach.
      .catch(() => undefined);
  }
}

/** `handle`'s result, asking the session for the task's input while it waits (the 2025 `tasks/result`). */
async function resultWithInput(
  handle: TaskHandle,
  caller: DownstreamCaller,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const done = handle.result();
  let ended = false;
  const settled = done.then(
    () => (ended = true),
    () => (ended = true),
  );
  const asked = new Set<string>();
  while (!ended && !signal.aborted) {
    askFor(handle, caller, asked, signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise((r) => (timer = setTimeout(r, INPUT_CHECK_MS)))]);
    clearTimeout(timer);
  }
  // The client gave up on this tasks/result (the task goes on): no answer waits for the task's end.
  if (!ended) signal.throwIfAborted();
  return done;
}

/**
 * Registers the 2025-11-25 `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel` on a session. The
 * task's input requests reach the session while a `tasks/result` waits (the 2025 way: the requestor opens
 * `tasks/result` when a task needs input), on that request's stream.
 */
export function serveTasks2025(session: Server, relay: TaskRelay, face: TaskSession2025): void {
  const taskOf = (taskId: string, ctx: ServerContext): TaskHandle => relay.handle(face.ownerOf(ctx), taskId);
  session.setRequestHandler('tasks/get', { params: TASK_PARAMS }, (params, ctx) =>
    task2025(taskOf(params.taskId, ctx).snapshot()),
  );
  session.setRequestHandler('tasks/result', { params: TASK_PARAMS }, async (params, ctx) => {
    const handle = taskOf(params.taskId, ctx);
    try {
      const result = await resultWithInput(handle, face.callerOf(ctx), ctx.mcpReq.signal);
      return boundResult({ ...result, _meta: { ...result._meta, [META_RELATED_TASK]: { taskId: handle.id } } });
    } catch (err) {
      const s = handle.snapshot();
      // A failed task's error is the upstream's JSON-RPC error, as the 2025 tasks/result returns it.
      throw s.status === 'failed' ? failedError(s) : relayError(err);
    }
  });
  session.setRequestHandler('tasks/list', { params: LIST_PARAMS }, (_params, ctx) => ({
    tasks: relay.list(face.ownerOf(ctx)).map(task2025),
  }));
  session.setRequestHandler('tasks/cancel', { params: TASK_PARAMS }, async (params, ctx) => {
    const handle = taskOf(params.taskId, ctx);
    // 2025: cancelling an ended task is an error, and the answer is the task, cancelled.
    if (TERMINAL.has(handle.snapshot().status))
      throw new WireError(ProtocolErrorCode.InvalidParams, 'Task already ended');
    await handle.cancel().catch((err: unknown) => {
      throw relayError(err);
    });
    return task2025({ ...handle.snapshot(), status: 'cancelled' });
  });
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'lost']);

/** `tasks/list` params: an optional cursor, ignored (one page: the supervisor keeps a bounded number). */
const LIST_PARAMS: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'universal-mcp',
    validate: (value) => ({
      value: typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {},
    }),
  },
};
