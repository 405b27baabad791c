// A session's tool tasks on the wire (MCP Tasks, both eras): the `tools/call` that may end in a task, and
// `tasks/get|update|cancel` (2025: `tasks/result` too). One exchange per method, no polling here
// (task-poller.ts polls for `callTool`; the supervisor polls with these itself). The codec is task-wire.ts.
import type { CallToolResult, ServerCapabilities, Tool } from '@modelcontextprotocol/client';
import type { CatalogListing } from './catalog-listing.js';
import { ErrorCode, UniversalMcpError, isUniversalMcpError } from './errors.js';
import type { ClientHandlers } from './handlers.js';
import { answerInputRequests } from './input-required.js';
import { buildParamHeaders } from './mcp-param-headers.js';
import { PROTOCOL_2025, PROTOCOL_2026 } from './protocol-era.js';
import { emptyResult } from './result-checks.js';
import type { SessionChannel } from './session-channel.js';
import type { RequestOptions, StartToolOptions, TaskStateWithResult, ToolOutcome } from './session-types.js';
import { isObject, isTerminalStatus } from './task-status.js';
import {
  TaskMethod,
  advertisesTasks,
  isTaskResult,
  readCreateTask,
  readTaskError,
  readTaskState,
  taskAugmentation2025,
  taskCancelRequest,
  taskGetRequest,
  taskResultRequest,
  taskUpdateRequest,
  type TaskInputRequest,
  type TaskRequest,
  type TaskState,
} from './task-wire.js';
import { checkToolResult, readTaskSupport, toolResult, type TaskSupport } from './tool-list.js';

/** JSON-RPC "invalid params": what a server answers `tasks/get` for a task id it does not know (or no longer). */
const INVALID_PARAMS = -32602;

/** What {@link TaskCalls} works with: the session's channel and listings, and what it declared. */
export interface TaskCallsParts {
  readonly server: string;
  readonly channel: SessionChannel;
  readonly lists: CatalogListing;
  readonly handlers: ClientHandlers;
  /** Tasks are on (OpenSessionOptions.tasks): declared on 2026 requests, asked for from 2025 servers. */
  readonly declared: boolean;
  readonly capabilities: () => ServerCapabilities | undefined;
}

/** The tool-task half of a session (see {@link Session.startTool} and the methods after it). */
export class TaskCalls {
  readonly #parts: TaskCallsParts;
  /** Each listed tool's 2025 `execution.taskSupport` (tools without one are `forbidden`). */
  #support: ReadonlyMap<string, TaskSupport> = new Map();

  constructor(parts: TaskCallsParts) {
    this.#parts = parts;
  }

  get #modern(): boolean {
    return this.#parts.channel.modern;
  }

  /** The server can make tool tasks (2026: advertises the extension we declare; 2025: `capabilities.tasks`). */
  get tasks(): boolean {
    // Off (OpenSessionOptions.tasks: false): no era's server is ever given the chance to make one.
    if (!this.#parts.declared) return false;
    const caps = this.#parts.capabilities();
    if (this.#modern) return advertisesTasks(caps);
    const tasks = (caps as { tasks?: unknown } | undefined)?.tasks;
    const requests = isObject(tasks) ? tasks.requests : undefined;
    const tools = isObject(requests) ? requests.tools : undefined;
    return isObject(tools) && isObject(tools.call);
  }

  /** Keeps the listed tools' `execution.taskSupport` (a 2025 server's; whether to ask for a task). */
  remember(tools: readonly Tool[] | undefined): void {
    if (tools === undefined) return;
    const support = new Map<string, TaskSupport>();
    for (const tool of tools) {
      const taskSupport = readTaskSupport(tool);
      if (taskSupport !== undefined) support.set(tool.name, taskSupport);
    }
    this.#support = support;
  }

  /** A `tools/call` result checked cheaply, and against the tool's outputSchema when it has one. */
  #checkResult(tool: string, raw: Record<string, unknown>): CallToolResult {
    const result = toolResult(raw);
    const validate = this.#parts.lists.outputValidator(tool);
    if (validate === undefined) return result;
    const invalid = checkToolResult(this.#parts.server, tool, result, validate);
    if (invalid !== undefined) throw invalid;
    return result;
  }

  /** One `tools/call` exchange (MRTR rounds included) that may end in a task; see {@link Session.startTool}. */
  startTool(name: string, args: Record<string, unknown> | undefined, options: StartToolOptions): Promise<ToolOutcome> {
    const { channel, lists } = this.#parts;
    const declared = lists.paramHeaders(name);
    const headers = declared === undefined ? undefined : buildParamHeaders(declared, args);
    const params: Record<string, unknown> = { name, arguments: args };
    const era = this.#modern ? PROTOCOL_2026 : PROTOCOL_2025;
    // 2025: the client asks for a task; only where the server and the tool take one (a `required` tool
    // refuses a call without it, and a `forbidden` one refuses it).
    const augmented = !this.#modern && this.#augment(name, options.wantTask === true);
    if (augmented) params.task = taskAugmentation2025(options.ttlMs);
    const taskAllowed = augmented || (this.#modern && this.#parts.declared);
    const check = (raw: Record<string, unknown>): ToolOutcome =>
      taskAllowed && isTaskResult(raw, era)
        ? { kind: 'task', task: readCreateTask(raw, era) }
        : { kind: 'complete', result: this.#checkResult(name, raw) };
    return channel.requestWithInputs('tools/call', params, { ...options, headers }, check, taskAllowed);
  }

  #augment(name: string, wantTask: boolean): boolean {
    if (!this.tasks) return false;
    const support = this.#support.get(name);
    return support === 'required' || (support === 'optional' && wantTask);
  }

  /** `tasks/get` (2025: and `tasks/result` once terminal); see {@link Session.getTask}. */
  async getTask(taskId: string, tool: string, options: RequestOptions): Promise<TaskStateWithResult> {
    const get = taskGetRequest(taskId);
    // Read inside the request's check, so that what is wrong with the answer fails as INVALID_RESULT of this server.
    if (this.#modern)
      return this.#send(get, options, (raw) => this.#withResult(readTaskState(raw, PROTOCOL_2026), tool)).catch(
        (err: unknown) => {
          throw this.#lost(err, taskId);
        },
      );
    const { raw, state } = await this.#send(get, options, (r) => ({
      raw: r,
      state: readTaskState(r, PROTOCOL_2025),
    })).catch((err: unknown) => {
      throw this.#lost(err, taskId);
    });
    if (!isTerminalStatus(state.status) || state.status === 'cancelled') return this.#withResult(state, tool);
    try {
      const read = (payload: Record<string, unknown>): TaskStateWithResult =>
        this.#withResult(readTaskState(raw, PROTOCOL_2025, payload), tool);
      return await this.#send(taskResultRequest(taskId), options, read);
    } catch (err) {
      // The task's own JSON-RPC error is what it ended with, not a failure of this poll.
      if (!isUniversalMcpError(err) || err.code !== ErrorCode.PROTOCOL_ERROR || err.rpcCode === undefined) throw err;
      return { ...this.#withResult(state, tool), error: readTaskError({ code: err.rpcCode, message: err.message }) };
    }
  }

  /** The state with its result (if any) checked like a `tools/call` result of `tool`. */
  #withResult(state: TaskState, tool: string): TaskStateWithResult {
    const { result, ...rest } = state;
    return result === undefined ? rest : { ...rest, result: this.#checkResult(tool, result) };
  }

  /** `tasks/update` (2026 only); see {@link Session.updateTask}. */
  async updateTask(
    taskId: string,
    responses: Readonly<Record<string, unknown>>,
    options: RequestOptions,
  ): Promise<void> {
    if (!this.#modern)
      throw new UniversalMcpError(
        ErrorCode.PROTOCOL_ERROR,
        `Server "${this.#parts.server}" speaks 2025-11-25: input goes by tasks/result (answerTask), not tasks/update`,
        { server: this.#parts.server },
      );
    await this.#send(taskUpdateRequest(taskId, responses), options, emptyResult);
  }

  /** The task's input requests answered by the session's handlers; see {@link Session.answerTask}. */
  async answerTask(
    taskId: string,
    requests: Readonly<Record<string, TaskInputRequest>>,
    options: RequestOptions,
  ): Promise<void> {
    const { server, handlers, channel } = this.#parts;
    if (!this.#modern) return this.#openResult2025(taskId, options);
    const responses = await answerInputRequests(requests, handlers, {
      server,
      method: TaskMethod.update,
      signal: options.signal,
      caller: options.caller,
    }).catch((err: unknown) => {
      throw channel.error(err, options);
    });
    if (Object.keys(responses).length > 0) await this.updateTask(taskId, responses, options);
  }

  /**
   * 2025: a task waiting for input gets it through `tasks/result`, which the server holds open while it sends
   * its `elicitation/create` / `sampling/createMessage` requests (the session's 2025 handlers answer them)
   * and answers once the task ends. The task's own JSON-RPC error is no failure of this call: getTask tells it.
   */
  async #openResult2025(taskId: string, options: RequestOptions): Promise<void> {
    await this.#send(taskResultRequest(taskId), options, emptyResult).catch((err: unknown) => {
      if (isUniversalMcpError(err) && err.code === ErrorCode.PROTOCOL_ERROR && err.rpcCode !== undefined) return;
      throw err;
    });
  }

  /** `tasks/cancel`, resolved on the ack (2025's answer, the cancelled task, is not read). */
  async cancelTask(taskId: string, options: RequestOptions): Promise<void> {
    await this.#send(taskCancelRequest(taskId), options, emptyResult);
  }

  #send<T>(request: TaskRequest, options: RequestOptions, check: (raw: Record<string, unknown>) => T): Promise<T> {
    return this.#parts.channel.request(request.method, request.params, options, check);
  }

  /** -32602 on `tasks/get`: the server does not know the task (never did, forgot it, or it expired). */
  #lost(err: unknown, taskId: string): unknown {
    if (!isUniversalMcpError(err) || err.rpcCode !== INVALID_PARAMS) return err;
    const server = this.#parts.server;
    // No id in the message (a bearer token; messages reach logs, snapshots and history): details.taskId has it.
    return new UniversalMcpError(ErrorCode.TASK_LOST, `Server "${server}" does not know the task (any more)`, {
      server,
      cause: err,
      rpcCode: err.rpcCode,
      details: { taskId, server, reason: 'not-found' },
    });
  }
}
