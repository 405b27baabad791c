import type { ToolOutcome, Usage } from '@universal-mcp/llm';
import type { CallToolResult } from '@universal-mcp/supervisor';

/** What a conversation runs with: chosen in the page, kept with it. */
export interface ConversationSettings {
  /** A provider's name, as the dashboard was given it. */
  readonly provider: string;
  readonly model: string;
  /** The system instructions. */
  readonly system: string;
  /** The servers whose tools are on; `null`: every server's. */
  readonly servers: readonly string[] | null;
  /** Offer the model the best matches for each message instead of every tool. */
  readonly toolSelection: boolean;
}

/** A conversation, without its messages. */
export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  readonly settings: ConversationSettings;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One tool call of a model's step, with its result once it came. */
export interface StoredToolCall {
  /** The provider's id for the call. */
  readonly id: string;
  /** The toolset's name for the tool (what the model called). */
  readonly name: string;
  /** The server and its name for the tool, when the toolset knew it. */
  readonly server?: string | undefined;
  readonly tool?: string | undefined;
  readonly args: unknown;
  readonly outcome?: ToolOutcome | undefined;
  /** Asked of the user: the answer. Absent: not asked. */
  readonly approval?: 'approved' | 'denied' | undefined;
  readonly durationMs?: number | undefined;
  /** The tool has an MCP App the page renders under the call (not stored: looked up again when read). */
  readonly app?: boolean | undefined;
  /**
   * A call of a tool with an App: its result for the App (`content`, `structuredContent`, `isError`),
   * redacted and kept with the call, so the App shows the same after a reload. Absent when it was
   * too large to keep (`resultCut`): the App gets what the model saw (`outcome`).
   */
  readonly result?: CallToolResult | undefined;
  /** The result was past the bounds kept for an App (256 KiB of JSON, 32 levels); the card says so. */
  readonly resultCut?: boolean | undefined;
}

/**
 * What a user attached to a message: a resource read when it was sent (its text, cut to 256 KiB),
 * or an image (pasted, dropped, picked, or an image resource). Sent to the model with the message,
 * again with every later turn.
 */
export type ChatAttachment =
  | {
      readonly kind: 'resource';
      readonly server: string;
      readonly uri: string;
      readonly name: string;
      readonly mimeType?: string | undefined;
      readonly text: string;
      /** The text was longer and its middle was cut. */
      readonly truncated?: boolean | undefined;
    }
  | {
      readonly kind: 'image';
      readonly name: string;
      readonly mimeType: string;
      /** Base64. */
      readonly data: string;
      /** Where an image resource came from. */
      readonly server?: string | undefined;
      readonly uri?: string | undefined;
    };

/** A message to store: the user's, or one step of the model's (its text and the tools it called). */
export interface NewMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
  readonly toolCalls?: readonly StoredToolCall[] | undefined;
  /** Tokens this step used. */
  readonly usage?: Usage | undefined;
  /** `stopped`: cut short by the user; `error`: the run failed here (`error` says how). Not sent to the model. */
  readonly status?: 'stopped' | 'error' | undefined;
  readonly error?: string | undefined;
  /** Resources and images sent with a user's message. */
  readonly attachments?: readonly ChatAttachment[] | undefined;
  /** The model's thinking in this step, when its provider streamed it (shown folded; never sent back). */
  readonly reasoning?: string | undefined;
  /** The prompt (`server/name`) this message came from, when a `/` command put it in. */
  readonly prompt?: string | undefined;
}

/** A stored message. */
export interface StoredMessage extends NewMessage {
  /** Increasing within the store. */
  readonly id: number;
  readonly createdAt: number;
}

/** A conversation with its messages, oldest first. */
export interface Conversation extends ConversationSummary {
  readonly messages: readonly StoredMessage[];
}

/** A conversation a search found, with the matching text. */
export interface SearchHit {
  readonly conversationId: string;
  readonly title: string;
  /** The matching message (absent when only the title matched). */
  readonly messageId?: number | undefined;
  /** A piece of the text around the match, the matched words in `[` `]`. */
  readonly snippet: string;
}

/**
 * Where the dashboard keeps conversations. The default is a SQLite file ({@link SqliteChatStore});
 * a service can put them in its own database by implementing this.
 */
export interface ChatStore {
  /** Every conversation, the most recently updated first. */
  list(): Promise<ConversationSummary[]>;
  get(id: string): Promise<Conversation | undefined>;
  create(init: { readonly title: string; readonly settings: ConversationSettings }): Promise<ConversationSummary>;
  /** False when there is no such conversation. */
  update(id: string, patch: { readonly title?: string; readonly settings?: ConversationSettings }): Promise<boolean>;
  /** The conversation, its messages and tool calls; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Appends a message (and updates the conversation's time). */
  append(conversationId: string, message: NewMessage): Promise<StoredMessage>;
  /** Drops the message `fromId` and every later one of the conversation (regenerate, edit and resend). */
  truncate(conversationId: string, fromId: number): Promise<void>;
  /** Full-text search over titles and messages; every word must match (as a prefix). */
  search(query: string, limit?: number): Promise<SearchHit[]>;
  /** Writes what is pending and lets go of the store. */
  close(): Promise<void>;
}
