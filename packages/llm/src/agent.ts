import { setTimeout } from 'node:timers/promises';
import { silentLogger, type Logger } from '@universal-mcp/core';
import type { AgentEvent, AgentResult } from './agent-run.js';
import { AgentRun } from './agent-run.js';
import { Approver, type ApprovalMode, type Approve } from './approval.js';
import { trimHistory } from './history-trim.js';
import { LlmError, LlmErrorCode, MaxStepsError, RunAbortedError } from './llm-errors.js';
import type {
  ChatMessage,
  ModelAdapter,
  ModelEvent,
  ToolCallRecord,
  ToolResultRecord,
  Usage,
  UserImage,
} from './model.js';
import { retryDelay } from './model-retry.js';
import type { ToolOutcome } from './results.js';
import { ToolSelector, type ToolSelectionOptions } from './tool-selection.js';
import type { LlmTool } from './llm-tool.js';
import type { Toolset } from './toolset.js';

// The agent's parts live in files named after them; the package's index imports them from here.
export { AgentRun, MaxStepsError, RunAbortedError, trimHistory };
export type { AgentEvent, AgentResult };

/** Options for {@link Agent}. */
export interface AgentOptions {
  /** The model: `openAiChat(...)`, `openAiResponses(...)`, `anthropicMessages(...)` or `aiSdkModel(...)`. */
  readonly model: ModelAdapter;
  readonly toolset: Toolset;
  /**
   * The system prompt. The toolset's trusted servers' instructions ({@link Toolset.instructions}) are
   * sent after it, each labelled with its server; an untrusted server's never are.
   */
  readonly instructions?: string | undefined;
  /** Model turns in one run; one more ends it with {@link MaxStepsError}. @default 10 */
  readonly maxSteps?: number | undefined;
  /** Tool calls of one step run at once, at most this many. @default 4 */
  readonly toolConcurrency?: number | undefined;
  /**
   * Asked before a tool call that needs approval (see `approval`), with the server, the tool, the
   * arguments, the annotations, whether the server is trusted and the tool's pending change. `true`
   * runs it; `'always'` runs it and every later call of that tool in the conversation unasked (see
   * the run's `remembered`); false, or a throw, denies it and the model is told so in the call's result.
   */
  readonly approve?: Approve | undefined;
  /**
   * Which calls need approval: `policy` (the client's tool policy, per tool: an untrusted server's
   * `readOnlyHint` does not spare a call), `all`, `none`; `non-read-only` is a deprecated alias of
   * `policy`. Without an `approve` function nothing is asked.
   * @default 'policy'
   */
  readonly approval?: ApprovalMode | undefined;
  /** The history is trimmed (oldest turns first, never a tool call without its result) to about this many tokens. */
  readonly maxHistoryTokens?: number | undefined;
  /**
   * A model turn that fails with 429 or 5xx before it streams anything is tried again, at most this many times.
   * @default 2
   */
  readonly maxRetries?: number | undefined;
  /** A tool call's idle timeout, in ms. @default the server's policy */
  readonly toolTimeoutMs?: number | undefined;
  /**
   * What a stopped run does to its tool calls that run as tasks (MCP Tasks): `cancel` them (the server is
   * told; no orphan keeps running), or `detach` (the task runs on and stays in `client.tasks()`).
   * @default 'cancel'
   */
  readonly onAbort?: 'cancel' | 'detach' | undefined;
  /**
   * Offers a part of the catalog per turn (see {@link ToolSelectionOptions}); `off` sends every tool.
   * @default `off`, or `{ mode: 'per-turn', k: 16 }` when the catalog is larger than the model takes (`maxTools`)
   */
  readonly toolSelection?: ToolSelectionOptions | 'off' | undefined;
  /**
   * Where the agent logs what it does not throw: an `approve` function that threw (the call is denied). Lines
   * carry the server and tool, never the arguments. A pino logger fits.
   * @default silent
   */
  readonly logger?: Logger | undefined;
}

/** Options for one {@link Agent.run}. */
export interface AgentRunOptions {
  /** Stops the run (see {@link Agent.run}). */
  readonly signal?: AbortSignal | undefined;
  /** A previous run's `result.history`: the conversation so far. */
  readonly history?: readonly ChatMessage[] | undefined;
  /**
   * The tools approved `'always'` in this conversation (keys `server/tool`, plus the change of a tool flagged as
   * changed); the run adds to it. Pass the same set with each run of a conversation, a new one for a new
   * conversation.
   * @default a new set for this run (an agent serving several users' conversations carries nothing over)
   */
  readonly remembered?: Set<string> | undefined;
  /** Images sent with `input` (the user's message), for models that take images. */
  readonly images?: readonly UserImage[] | undefined;
}

const add = (a: Usage, b: Usage | undefined): Usage => ({
  inputTokens: a.inputTokens + (b?.inputTokens ?? 0),
  outputTokens: a.outputTokens + (b?.outputTokens ?? 0),
});

/**
 * The conversation loop: the model streams, the tools it calls run (in parallel, bounded; with
 * approval where asked), their results go back, until the model answers without a tool call.
 */
export class Agent {
  readonly #options: AgentOptions;
  /** What `'always'` answers remember when a run is given no set of its own. */

  constructor(options: AgentOptions) {
    this.#options = options;
  }

  /**
   * Runs one user message. `history` is a previous run's `result.history`. Aborting `signal`
   * stops the model stream and cancels the tool calls in flight (the servers receive
   * `notifications/cancelled`); the run rejects with {@link RunAbortedError}, its partial answer kept.
   * @example
   * const run = agent.run('What is in my notes?');
   * for await (const e of run) if (e.type === 'text-delta') process.stdout.write(e.text);
   * const { history } = await run.result;
   */
  run(input: string, options: AgentRunOptions = {}): AgentRun {
    return new AgentRun((emit) => this.#run(input, options, emit));
  }

  async #run(input: string, options: AgentRunOptions, emit: (e: AgentEvent) => void): Promise<AgentResult> {
    const { model, toolset } = this.#options;
    const maxSteps = this.#options.maxSteps ?? 10;
    const controller = new AbortController();
    const signal =
      options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
    const history: ChatMessage[] = [
      ...(options.history ?? []),
      { role: 'user', content: input, ...(options.images?.length ? { images: options.images } : {}) },
    ];
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    const selector = this.#selector(input);
    const approver = new Approver(
      this.#options.approve,
      this.#options.approval ?? 'policy',
      options.remembered ?? new Set(),
      this.#options.logger ?? silentLogger,
    );
    const instructions = [this.#options.instructions, toolset.instructions()].filter(
      (i): i is string => i !== undefined,
    );
    const system = instructions.length === 0 ? undefined : instructions.join('\n\n');
    for (let step = 1; step <= maxSteps; step += 1) {
      if (signal.aborted) throw new RunAbortedError();
      const tools = selector === undefined ? toolset.list() : selector.tools();
      if (model.maxTools !== undefined && tools.length > model.maxTools) {
        throw new LlmError(
          LlmErrorCode.TOO_MANY_TOOLS,
          `${tools.length} tools, but ${model.provider} takes at most ${model.maxTools}: ` +
            "filter the toolset, or set toolSelection (it is 'off')",
        );
      }
      if (selector !== undefined) emit({ type: 'tools-selected', step, tools: tools.map((t) => t.name) });
      const messages =
        this.#options.maxHistoryTokens === undefined ? history : trimHistory(history, this.#options.maxHistoryTokens);
      let text = '';
      const calls: ToolCallRecord[] = [];
      let stepUsage: Usage | undefined;
      try {
        for await (const event of this.#stream(model, { instructions: system, messages, tools, signal }, emit)) {
          if (event.type === 'text-delta') {
            text += event.text;
            emit(event);
          } else if (event.type === 'reasoning-delta') emit(event);
          else if (event.type === 'tool-call') calls.push(event.call);
          else stepUsage = event.usage;
        }
      } catch (err) {
        // After an abort the stream's error is the abort's echo: the run ends with RunAbortedError just below.
        if (!signal.aborted) throw err;
      }
      // Some SDKs end their stream quietly when aborted: the partial answer is kept, then the run ends.
      if (signal.aborted) {
        if (text !== '') history.push({ role: 'assistant', content: text });
        throw Object.assign(new RunAbortedError(), { history });
      }
      usage = add(usage, stepUsage);
      history.push({ role: 'assistant', content: text, ...(calls.length > 0 ? { toolCalls: calls } : {}) });
      if (calls.length === 0) {
        emit({ type: 'step-finish', step, usage: stepUsage ?? { inputTokens: 0, outputTokens: 0 } });
        return { text, history, usage, steps: step };
      }
      const results = await this.#runTools(calls, signal, emit, selector, approver);
      history.push({ role: 'tool', results });
      emit({ type: 'step-finish', step, usage: stepUsage ?? { inputTokens: 0, outputTokens: 0 } });
      if (signal.aborted) throw Object.assign(new RunAbortedError(), { history });
    }
    throw new MaxStepsError(maxSteps);
  }

  /** The run's tool selector: as asked, or per-turn when the catalog is larger than the model takes. */
  #selector(input: string): ToolSelector | undefined {
    const { model, toolset, toolSelection } = this.#options;
    if (toolSelection === 'off') return undefined;
    if (toolSelection !== undefined) return new ToolSelector(toolset, toolSelection, input, model.maxTools);
    if (model.maxTools === undefined || toolset.list().length <= model.maxTools) return undefined;
    return new ToolSelector(toolset, { mode: 'per-turn', k: Math.min(16, model.maxTools) }, input, model.maxTools);
  }

  /** One model turn, retried on 429/5xx that come before anything was streamed. */
  async *#stream(
    model: ModelAdapter,
    request: Parameters<ModelAdapter['stream']>[0],
    emit: (e: AgentEvent) => void,
  ): AsyncIterable<ModelEvent> {
    const maxRetries = this.#options.maxRetries ?? 2;
    for (let attempt = 1; ; attempt += 1) {
      let started = false;
      try {
        for await (const event of model.stream(request)) {
          started = true;
          yield event;
        }
        return;
      } catch (err) {
        const delay = started || request.signal.aborted || attempt > maxRetries ? undefined : retryDelay(err, attempt);
        if (delay === undefined) throw err;
        emit({ type: 'retry', attempt, delayMs: delay, error: err });
        // An abort rejects the wait; the run then ends with RunAbortedError (see #run).
        await setTimeout(delay, undefined, { signal: request.signal });
      }
    }
  }

  /** Runs a step's tool calls, at most `toolConcurrency` at once, in the order the model made them. */
  async #runTools(
    calls: readonly ToolCallRecord[],
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
    selector: ToolSelector | undefined,
    approver: Approver,
  ): Promise<ToolResultRecord[]> {
    const { toolset } = this.#options;
    const results: ToolResultRecord[] = new Array(calls.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < calls.length) {
        const index = next++;
        const call = calls[index] as ToolCallRecord;
        const tool = toolset.get(call.name);
        const isSearch = selector !== undefined && call.name === selector.searchToolName && tool === undefined;
        emit({ type: 'tool-call', call, server: tool?.server, tool: tool?.tool });
        selector?.called(call.name);
        const started = performance.now();
        let outcome: ToolOutcome;
        if (isSearch) outcome = selector.search(call.args);
        else if (signal.aborted)
          outcome = {
            parts: [{ type: 'text', text: 'The run was stopped before this call was made.' }],
            isError: true,
          };
        else if (!(await this.#approved(call, tool, emit, approver)))
          outcome = { parts: [{ type: 'text', text: 'The user denied this tool call.' }], isError: true };
        else
          outcome = await toolset.run(call.name, call.args, {
            signal,
            onAbort: this.#options.onAbort ?? 'cancel',
            // A task-backed call is one step: its status goes into the run's events while it is polled.
            onTaskStatus: (task) =>
              emit({
                type: 'tool-status',
                call,
                taskId: task.id,
                status: task.status,
                statusMessage: task.statusMessage,
              }),
            ...(this.#options.toolTimeoutMs === undefined ? {} : { timeoutMs: this.#options.toolTimeoutMs }),
          });
        results[index] = { id: call.id, name: call.name, outcome };
        emit({ type: 'tool-result', call, outcome, durationMs: performance.now() - started });
      }
    };
    const width = Math.max(1, Math.min(this.#options.toolConcurrency ?? 4, calls.length));
    await Promise.all(Array.from({ length: width }, worker));
    return results;
  }

  async #approved(
    call: ToolCallRecord,
    tool: LlmTool | undefined,
    emit: (e: AgentEvent) => void,
    approver: Approver,
  ): Promise<boolean> {
    const decision = await approver.decide(call, tool);
    if (decision === undefined) return true;
    emit({ type: 'approval', call, ...decision });
    return decision.approved;
  }
}
