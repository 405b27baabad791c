import type { ModelAdapter, ToolOutcome } from '@universal-mcp/llm';
import type { CallToolResult } from '@universal-mcp/supervisor';
import type { PendingApproval } from './chat-approvals.js';
import type { ChatAttachment, NewMessage, StoredMessage, StoredToolCall } from './chat-store.js';

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
  | {
      /** A tool call the server runs as a task, while it runs (its status line); `tool-result` ends it. */
      readonly type: 'tool-status';
      readonly callId: string;
      readonly task: TaskLine;
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

/** A task-backed tool call's status as the chat shows it (from the client's `onTaskStatus`). */
export interface TaskLine {
  /** The client's task id (the dashboard's Tasks view lists it). */
  readonly id: string;
  readonly status: string;
  readonly statusMessage?: string | undefined;
}

/** A conversation's run in progress: the step the model is on, as far as it got. */
export interface LiveRun {
  readonly text: string;
  /** The model's thinking in this step so far. */
  readonly reasoning: string;
  readonly calls: readonly StoredToolCall[];
  readonly approvals: readonly PendingApproval[];
  /** The status of each call of this step that runs as a task, by call id, until its result. */
  readonly tasks?: Readonly<Record<string, TaskLine>> | undefined;
}
