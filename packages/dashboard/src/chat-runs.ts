import { EventEmitter } from 'eventemitter3';
import {
  Agent,
  RunAbortedError,
  type ChatMessage,
  type ModelAdapter,
  type ToolOutcome,
  type UserImage,
} from '@universal-mcp/llm';
import type { CallToolResult, UniversalMcpClient } from '@universal-mcp/supervisor';
import { hasApp } from './app-routes.js';
import { ChatApprovals, type PendingApproval } from './chat-approvals.js';
import { modelTurn } from './chat-attachments.js';
import type {
  ChatAttachment,
  ChatStore,
  ConversationSettings,
  NewMessage,
  StoredMessage,
  StoredToolCall,
} from './chat-store.js';
import { ChatToolset, type ChatCallLog } from './chat-toolset.js';
import { redactArgs } from './redaction.js';

/** A model provider the chat offers; its key stays in here, on the server. */
export interface ChatProvider {
  /** What the page shows and a conversation keeps, e.g. `openai`. */
  readonly name: string;
  /** Models offered in the page (any other name can be typed). */
  readonly models: readonly string[];
  /** The model adapter for `model` (e.g. `openAiChat(new OpenAI(), { model })`). */
  model(model: string): ModelAdapter;
}

/** What the page is told while a conversation runs (the `chat` event of the event stream). */
export type ChatEvent = { readonly conversationId: string } & (
  | { readonly type: 'run' }
  | { readonly type: 'message'; readonly message: StoredMessage }
  | { readonly type: 'delta'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  | { readonly type: 'tool-call'; readonly call: StoredToolCall }
  | { readonly type: 'approval-request'; readonly approval: PendingApproval }
  | { readonly type: 'approval'; readonly callId: string; readonly approved: boolean }
  | {
      readonly type: 'tool-result';
      readonly callId: string;
      readonly outcome: ToolOutcome;
      readonly durationMs: number;
      /** The tool's result for its App, when it has one (bounded and redacted, as stored). */
      readonly result?: CallToolResult | undefined;
      /** The tool has an App and its result was too large to keep: the App gets `outcome`. */
      readonly resultCut?: boolean | undefined;
    }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'end'; readonly status: 'done' | 'stopped' | 'error'; readonly error?: string | undefined }
  | { readonly type: 'conversations' }
);

/** What a message brings besides its text: attachments read at sending, a prompt's messages. */
export interface SendExtra {
  readonly attachments?: readonly ChatAttachment[] | undefined;
  /** A prompt's messages, to go into the conversation before the user's. */
  readonly prompt?: readonly NewMessage[] | undefined;
}

/** A conversation's run in progress: the step the model is on, as far as it got. */
export interface LiveRun {
  readonly text: string;
  /** The model's thinking in this step so far. */
  readonly reasoning: string;
  readonly calls: readonly StoredToolCall[];
  readonly approvals: readonly PendingApproval[];
}

interface Run {
  readonly controller: AbortController;
  text: string;
  reasoning: string;
  calls: StoredToolCall[];
  readonly done: Promise<void>;
  /** The calls of this run whose approval was asked or remembered (not those the policy ran unasked). */
  readonly answered: Set<string>;
}

const STOPPED: ToolOutcome = {
  parts: [{ type: 'text', text: 'The run was stopped before this call ended.' }],
  isError: true,
};

/** The history a model is given for a stored conversation: failed steps left out, every tool call with a result. */
export function historyOf(messages: readonly StoredMessage[]): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      const { content, images } = modelTurn(m.content, m.attachments);
      history.push({ role: 'user', content, ...(images.length === 0 ? {} : { images }) });
      continue;
    }
    const calls = m.toolCalls ?? [];
    if (m.status === 'error' || (m.content === '' && calls.length === 0)) continue;
    history.push({
      role: 'assistant',
      content: m.content,
      ...(calls.length === 0 ? {} : { toolCalls: calls.map((c) => ({ id: c.id, name: c.name, args: c.args })) }),
    });
    if (calls.length > 0)
      history.push({
        role: 'tool',
        results: calls.map((c) => ({ id: c.id, name: c.name, outcome: c.outcome ?? STOPPED })),
      });
  }
  return history;
}

/**
 * An error's text for the page and the store, with anything shaped like an API key cut (providers
 * echo part of a rejected key: "Incorrect API key provided: sk-…").
 */
export const errorText = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/\b(sk-|sk_|key-)[\w*.-]{6,}/g, '$1[redacted]');

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
    /** Where the runs' tool calls are written (the console's history); none: nowhere. */
    private readonly log?: ChatCallLog,
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
      throw new Error(
        `No provider "${name}"; the console has: ${this.providers.map((p) => p.name).join(', ') || 'none'}`,
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
    if (text.trim() === '' && attachments.length === 0 && prompt.length === 0) throw new Error('The message is empty');
    const conversation = await this.#idle(conversationId);
    if (edit !== undefined) {
      const last = conversation.messages.findLast((m) => m.role === 'user');
      if (last?.id !== edit) throw new Error('Only the last message you sent can be edited');
      if (attachments.length === 0) attachments = last.attachments ?? [];
      await this.store.truncate(conversationId, edit);
    }
    let user: NewMessage = { role: 'user', content: text, ...(attachments.length === 0 ? {} : { attachments }) };
    if (text.trim() === '' && attachments.length === 0) {
      const last = prompt.pop();
      if (last?.role !== 'user')
        throw new Error("This prompt ends with the assistant's message: write a message to send with it");
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
    if (last === undefined) throw new Error('There is no message to answer again');
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
    if (conversation === undefined) throw new Error('No such conversation');
    if (this.#runs.has(conversationId)) throw new Error('This conversation is already running; stop it first');
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
        .catch((err: unknown) => process.emitWarning(`A chat run's end could not be told: ${errorText(err)}`))
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

/** A new conversation's title until its first message names it. */
export const NEW_TITLE = 'New conversation';

/** A title from a first message: its first line, at most 60 characters. */
export function titleOf(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
}
