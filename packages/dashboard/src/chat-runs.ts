import { DashboardError, DashboardErrorCode, invalidInput } from './dashboard-errors.js';
import { EventEmitter } from 'eventemitter3';
import { silentLogger, type Logger } from '@universal-mcp/core';
import { Agent, RunAbortedError, type ChatMessage, type ModelAdapter, type UserImage } from '@universal-mcp/llm';
import type { UniversalMcpClient } from '@universal-mcp/supervisor';
import { hasApp } from './app-routes.js';
import { ChatApprovals } from './chat-approvals.js';
import { modelTurn } from './chat-attachments.js';
import type { ChatStore, ConversationSettings, NewMessage, StoredMessage, StoredToolCall } from './chat-store.js';
import { ChatToolset, type ChatCallLog } from './chat-toolset.js';
import { redactArgs } from './redaction.js';
import type { ChatEvent, ChatProvider, LiveRun, SendExtra, TaskLine } from './chat-events.js';
import { NEW_TITLE, STOPPED, errorText, historyOf, titleOf } from './chat-history.js';

// What a run tells and keeps lives in chat-events.ts and chat-history.ts; the dashboard imports it from here.
export { NEW_TITLE, errorText, historyOf, titleOf };
export type { ChatEvent, ChatProvider, LiveRun, SendExtra };

interface Run {
  readonly controller: AbortController;
  text: string;
  reasoning: string;
  calls: StoredToolCall[];
  /** The status lines of the step's task-backed calls, by call id. */
  tasks: Record<string, TaskLine>;
  readonly done: Promise<void>;
  /** The calls of this run whose approval was asked or remembered (not those the policy ran unasked). */
  readonly answered: Set<string>;
}

/**
 * The conversations' runs: one at a time per conversation, each message and each model step stored
 * as it ends, every step of the way told to the page, approvals asked of it, stopped on request.
 */
export class ChatRuns extends EventEmitter<{ event: [ChatEvent] }> {
  readonly #runs = new Map<string, Run>();
  readonly #approvals: ChatApprovals;

  constructor(
    private readonly client: UniversalMcpClient,
    private readonly store: ChatStore,
    private readonly providers: readonly ChatProvider[],
    /** Where the runs' tool calls are written (the dashboard's history); none: nowhere. */
    private readonly log?: ChatCallLog,
    /** Where failures not thrown are logged (see `ChatOptions.logger`). */
    private readonly logger: Logger = silentLogger,
  ) {
    super();
    this.#approvals = new ChatApprovals(client, (approval) =>
      this.#emit({ conversationId: approval.conversationId, type: 'approval-request', approval }),
    );
  }

  /** The provider of that name; an error naming the ones there are. */
  provider(name: string): ChatProvider {
    const provider = this.providers.find((p) => p.name === name);
    if (provider === undefined)
      throw new DashboardError(
        DashboardErrorCode.NO_PROVIDER,
        `No provider "${name}"; the dashboard has: ${this.providers.map((p) => p.name).join(', ') || 'none'}`,
      );
    return provider;
  }

  /** The run of a conversation in progress, or undefined. */
  live(conversationId: string): LiveRun | undefined {
    const run = this.#runs.get(conversationId);
    if (run === undefined) return undefined;
    return {
      text: run.text,
      reasoning: run.reasoning,
      calls: run.calls,
      approvals: this.#approvals.waiting(conversationId),
      tasks: run.tasks,
    };
  }

  running(conversationId: string): boolean {
    return this.#runs.has(conversationId);
  }

  /**
   * Sends a user message and runs the model on it. With `edit`, that message (the conversation's
   * last user message) and everything after it are replaced; the edited message keeps its
   * attachments unless new ones come. A prompt's messages (`extra.prompt`) go in before the text;
   * with no text, the prompt's last message (a user's) is the one answered.
   */
  async send(conversationId: string, text: string, edit?: number, extra: SendExtra = {}): Promise<void> {
    const prompt = [...(extra.prompt ?? [])];
    let attachments = extra.attachments ?? [];
    if (text.trim() === '' && attachments.length === 0 && prompt.length === 0)
      throw invalidInput('The message is empty');
    const conversation = await this.#idle(conversationId);
    if (edit !== undefined) {
      const last = conversation.messages.findLast((m) => m.role === 'user');
      if (last?.id !== edit)
        throw new DashboardError(DashboardErrorCode.NOT_FOUND, 'Only the last message you sent can be edited');
      if (attachments.length === 0) attachments = last.attachments ?? [];
      await this.store.truncate(conversationId, edit);
    }
    let user: NewMessage = { role: 'user', content: text, ...(attachments.length === 0 ? {} : { attachments }) };
    if (text.trim() === '' && attachments.length === 0) {
      const last = prompt.pop();
      if (last?.role !== 'user')
        throw invalidInput("This prompt ends with the assistant's message: write a message to send with it");
      user = last;
    }
    if (edit === undefined && conversation.messages.length === 0 && conversation.title === NEW_TITLE) {
      const named = user.content.trim() !== '' ? user.content : (user.prompt ?? user.attachments?.[0]?.name ?? '');
      await this.store.update(conversationId, { title: titleOf(named) || NEW_TITLE });
    }
    const earlier = conversation.messages.filter((m) => edit === undefined || m.id < edit);
    await this.#start(conversationId, user, conversation.settings, earlier, prompt);
  }

  /** Runs the conversation's last user message again, dropping the answer it had. */
  async regenerate(conversationId: string): Promise<void> {
    const conversation = await this.#idle(conversationId);
    const last = conversation.messages.findLast((m) => m.role === 'user');
    if (last === undefined)
      throw new DashboardError(DashboardErrorCode.NOT_FOUND, 'There is no message to answer again');
    await this.store.truncate(conversationId, last.id);
    const earlier = conversation.messages.filter((m) => m.id < last.id);
    const again: NewMessage = {
      role: 'user',
      content: last.content,
      ...(last.attachments === undefined ? {} : { attachments: last.attachments }),
      ...(last.prompt === undefined ? {} : { prompt: last.prompt }),
    };
    await this.#start(conversationId, again, conversation.settings, earlier);
  }

  /** Stops a conversation's run: the model stream and its tool calls in flight. False when none runs. */
  async stop(conversationId: string): Promise<boolean> {
    const run = this.#runs.get(conversationId);
    if (run === undefined) return false;
    run.controller.abort();
    await run.done;
    return true;
  }

  /**
   * The user's word on a tool call; false when nothing waits under that id. With `remember`, later
   * calls of that tool in the same conversation run unasked (in this process; not stored).
   */
  answer(approvalId: string, approved: boolean, remember = false): boolean {
    return this.#approvals.answer(approvalId, approved, remember);
  }

  /** Forgets the approvals remembered for a conversation (it is deleted). */
  forget(conversationId: string): void {
    this.#approvals.forget(conversationId);
  }

  /** Stops every run (each stores what it has) and waits for them. */
  async close(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((id) => this.stop(id)));
  }

  async #idle(conversationId: string) {
    const conversation = await this.store.get(conversationId);
    if (conversation === undefined) throw new DashboardError(DashboardErrorCode.NOT_FOUND, 'No such conversation');
    if (this.#runs.has(conversationId))
      throw new DashboardError(DashboardErrorCode.RUNNING, 'This conversation is already running; stop it first');
    return conversation;
  }

  /**
   * Stores the `before` messages (a prompt's) and the user's message, and runs the model on it, after
   * the `earlier` messages (as stored).
   */
  async #start(
    conversationId: string,
    message: NewMessage,
    settings: ConversationSettings,
    earlier: readonly StoredMessage[],
    before: readonly NewMessage[] = [],
  ): Promise<void> {
    const model = this.provider(settings.provider).model(settings.model);
    const controller = new AbortController();
    let finish!: () => void;
    const run: Run = {
      controller,
      text: '',
      reasoning: '',
      calls: [],
      tasks: {},
      done: new Promise<void>((r) => (finish = r)),
      answered: new Set(),
    };
    this.#runs.set(conversationId, run);
    try {
      const stored: StoredMessage[] = [];
      for (const m of before) stored.push(await this.store.append(conversationId, m));
      const user = await this.store.append(conversationId, message);
      const history = historyOf([...earlier, ...stored]);
      this.#emit({ conversationId, type: 'run' });
      for (const m of [...stored, user]) this.#emit({ conversationId, type: 'message', message: m });
      void this.#drive(conversationId, run, model, settings, modelTurn(user.content, user.attachments), history)
        // A listener of `event` that threw at the end must not become an unhandled rejection.
        .catch((err: unknown) => {
          process.emitWarning(`A chat run's end could not be told: ${errorText(err)}`);
          this.logger.error({ err, conversationId }, "a chat run's end could not be told");
        })
        .finally(() => {
          this.#runs.delete(conversationId);
          finish();
        });
    } catch (err) {
      this.#runs.delete(conversationId);
      finish();
      throw err;
    }
  }

  async #drive(
    conversationId: string,
    run: Run,
    model: ModelAdapter,
    settings: ConversationSettings,
    input: { readonly content: string; readonly images: readonly UserImage[] },
    history: ChatMessage[],
  ): Promise<void> {
    const servers = settings.servers;
    const options = servers === null ? {} : { filter: { servers } };
    const toolset = new ChatToolset(this.client, options, this.log);
    const signal = run.controller.signal;
    const agent = new Agent({
      model,
      toolset,
      ...(settings.system.trim() === '' ? {} : { instructions: settings.system }),
      toolSelection: settings.toolSelection ? { mode: 'per-turn', k: 16 } : 'off',
      // Every call comes here; the facade's policy (toolAccess) says which are asked (#approvals).
      approval: 'all',
      logger: this.logger,
      approve: async ({ call, tool }) => {
        const word = await this.#approvals.decide(conversationId, signal, call, tool);
        if (word !== 'unasked') run.answered.add(call.id);
        return word !== 'denied';
      },
    });
    const save = async (step: Partial<StoredMessage>) => {
      const message = await this.store.append(conversationId, {
        role: 'assistant',
        content: run.text,
        ...(run.reasoning === '' ? {} : { reasoning: run.reasoning }),
        toolCalls: run.calls.map((c) => (c.outcome === undefined ? { ...c, outcome: STOPPED } : c)),
        ...step,
      });
      run.text = '';
      run.reasoning = '';
      run.calls = [];
      run.tasks = {};
      this.#emit({ conversationId, type: 'message', message });
    };
    const patch = (callId: string, change: Partial<StoredToolCall>) => {
      run.calls = run.calls.map((c) => (c.id === callId ? { ...c, ...change } : c));
    };
    let status: 'done' | 'stopped' | 'error' = 'done';
    let error: string | undefined;
    try {
      const agentRun = agent.run(input.content, {
        signal,
        history,
        ...(input.images.length === 0 ? {} : { images: input.images }),
      });
      for await (const e of agentRun) {
        if (e.type === 'text-delta') {
          run.text += e.text;
          this.#emit({ conversationId, type: 'delta', text: e.text });
        } else if (e.type === 'reasoning-delta') {
          run.reasoning += e.text;
          this.#emit({ conversationId, type: 'reasoning', text: e.text });
        } else if (e.type === 'tool-call') {
          const call: StoredToolCall = {
            id: e.call.id,
            name: e.call.name,
            server: e.server,
            tool: e.tool,
            // Stored, shown and exported: secrets the model put in the arguments are not kept.
            args: redactArgs(e.call.args),
            ...(hasApp(this.client, e.server, e.tool) ? { app: true } : {}),
          };
          run.calls = [...run.calls, call];
          this.#emit({ conversationId, type: 'tool-call', call });
        } else if (e.type === 'approval') {
          // A call the policy lets run unasked has no approval to keep or show.
          if (!run.answered.has(e.call.id)) continue;
          patch(e.call.id, { approval: e.approved ? 'approved' : 'denied' });
          this.#emit({ conversationId, type: 'approval', callId: e.call.id, approved: e.approved });
        } else if (e.type === 'tool-status') {
          const task: TaskLine = { id: e.taskId, status: e.status, statusMessage: e.statusMessage };
          run.tasks = { ...run.tasks, [e.call.id]: task };
          this.#emit({ conversationId, type: 'tool-status', callId: e.call.id, task });
        } else if (e.type === 'tool-result') {
          // An App gets the result (its `structuredContent` above all), live and stored alike.
          const kept = toolset.appResult(e.call.args);
          const forApp = kept === undefined ? {} : kept.cut ? { resultCut: true as const } : { result: kept.result };
          patch(e.call.id, { outcome: e.outcome, durationMs: e.durationMs, ...forApp });
          this.#emit({
            conversationId,
            type: 'tool-result',
            callId: e.call.id,
            outcome: e.outcome,
            durationMs: e.durationMs,
            ...forApp,
          });
        } else if (e.type === 'step-finish') await save({ usage: e.usage });
        else if (e.type === 'retry')
          this.#emit({ conversationId, type: 'notice', text: `The provider is busy; trying again in ${e.delayMs} ms` });
      }
      await agentRun.result;
    } catch (err) {
      status = err instanceof RunAbortedError || signal.aborted ? 'stopped' : 'error';
      error = status === 'error' ? errorText(err) : undefined;
      try {
        await save({ status, ...(error === undefined ? {} : { error }) });
      } catch (saveError) {
        error = `${error ?? 'Stopped'}; and it could not be stored: ${errorText(saveError)}`;
      }
    } finally {
      // No approval outlives the run: the Agent waits for each, and a stop answers them (ChatApprovals.decide).
      toolset.close();
    }
    this.#emit({ conversationId, type: 'end', status, ...(error === undefined ? {} : { error }) });
    this.#emit({ conversationId, type: 'conversations' });
  }

  #emit(event: ChatEvent): void {
    this.emit('event', event);
  }

  /** Tells the page the list of conversations changed. */
  listChanged(): void {
    this.#emit({ conversationId: '', type: 'conversations' });
  }
}
