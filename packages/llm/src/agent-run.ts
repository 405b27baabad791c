import type { TaskPhase } from '@universal-mcp/supervisor';
import type { ChatMessage, ToolCallRecord, Usage } from './model.js';
import type { ToolOutcome } from './results.js';

/** What a run reports as it goes. */
export type AgentEvent =
  | { readonly type: 'text-delta'; readonly text: string }
  /** The model's thinking as it streams (see {@link ModelEvent}). */
  | { readonly type: 'reasoning-delta'; readonly text: string }
  | {
      readonly type: 'tool-call';
      readonly call: ToolCallRecord;
      readonly server?: string | undefined;
      readonly tool?: string | undefined;
    }
  | {
      readonly type: 'approval';
      readonly call: ToolCallRecord;
      readonly approved: boolean;
      /** Approved unasked: the user answered `'always'` for this tool earlier in the conversation. */
      readonly remembered: boolean;
    }
  | {
      /**
       * A tool call the server runs as a task (MCP Tasks), while it runs: on every change of its status,
       * status line or input asked. The call is still one step; its `tool-result` follows at the end.
       */
      readonly type: 'tool-status';
      readonly call: ToolCallRecord;
      /** The client's id of the task (`client.task(id)`). */
      readonly taskId: string;
      readonly status: TaskPhase;
      readonly statusMessage?: string | undefined;
    }
  | {
      readonly type: 'tool-result';
      readonly call: ToolCallRecord;
      readonly outcome: ToolOutcome;
      readonly durationMs: number;
    }
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly error: unknown }
  | {
      /** The tools offered to the next model turn, when `toolSelection` picks them. */
      readonly type: 'tools-selected';
      readonly step: number;
      readonly tools: readonly string[];
    }
  | { readonly type: 'step-finish'; readonly step: number; readonly usage: Usage }
  | { readonly type: 'finish'; readonly text: string; readonly usage: Usage; readonly steps: number }
  | { readonly type: 'error'; readonly error: unknown };

/** What a run ends with. */
export interface AgentResult {
  /** The model's last answer. */
  readonly text: string;
  /** The conversation to pass back for the next turn (plain, serialisable). */
  readonly history: ChatMessage[];
  readonly usage: Usage;
  /** Model turns taken. */
  readonly steps: number;
}

/** One run of the agent: iterate it for events as they happen; `result` resolves at the end. */
export class AgentRun implements AsyncIterable<AgentEvent> {
  readonly #events: AgentEvent[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  /** The run's outcome; rejects with the run's error (also reported as an `error` event). */
  readonly result: Promise<AgentResult>;

  constructor(body: (emit: (event: AgentEvent) => void) => Promise<AgentResult>) {
    const emit = (event: AgentEvent): void => {
      this.#events.push(event);
      this.#wake?.();
    };
    this.result = body(emit).then(
      (result) => {
        emit({ type: 'finish', text: result.text, usage: result.usage, steps: result.steps });
        this.#end();
        return result;
      },
      (error: unknown) => {
        emit({ type: 'error', error });
        this.#end();
        throw error;
      },
    );
    this.result.catch(() => undefined); // observed through events or by whoever awaits it
  }

  #end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AgentEvent> {
    let next = 0;
    for (;;) {
      while (next < this.#events.length) yield this.#events[next++] as AgentEvent;
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
