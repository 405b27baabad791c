import { LlmError, LlmErrorCode } from './llm-errors.js';
import type { ToolOutcome } from './results.js';
import type { LlmTool } from './llm-tool.js';

/** A tool call the model made. */
export interface ToolCallRecord {
  /** The provider's id for the call (its result answers to it). */
  readonly id: string;
  /** The toolset's name for the tool. */
  readonly name: string;
  /** The arguments, parsed. */
  readonly args: unknown;
}

/** A tool call's result. */
export interface ToolResultRecord {
  readonly id: string;
  readonly name: string;
  readonly outcome: ToolOutcome;
}

/**
 * A conversation, provider-neutral and plain (JSON round-trips it): the caller keeps it and
 * passes it back; each model adapter turns it into its API's messages.
 */
export type ChatMessage =
  | {
      readonly role: 'user';
      readonly content: string;
      /** Images the user sent with the text (every adapter passes them as its API's image input). */
      readonly images?: readonly UserImage[] | undefined;
    }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCallRecord[] | undefined }
  | { readonly role: 'tool'; readonly results: readonly ToolResultRecord[] };

/** An image in a user's message: base64 data and its type (`image/png`, `image/jpeg`, `image/gif`, `image/webp`). */
export interface UserImage {
  readonly mimeType: string;
  readonly data: string;
}

/** Tokens used. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One turn asked of a model. */
export interface ModelRequest {
  readonly instructions?: string | undefined;
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly LlmTool[];
  readonly signal: AbortSignal;
}

/** What a model says while it streams one turn. */
export type ModelEvent =
  | { readonly type: 'text-delta'; readonly text: string }
  /** The model's thinking, where its API streams it (reasoning models); never sent back to it. */
  | { readonly type: 'reasoning-delta'; readonly text: string }
  | { readonly type: 'tool-call'; readonly call: ToolCallRecord }
  | { readonly type: 'finish'; readonly usage?: Usage | undefined; readonly stopReason?: string | undefined };

/** A model behind one provider's API, streaming one turn at a time. */
export interface ModelAdapter {
  /** For messages: `openai-chat`, `openai-responses`, `anthropic`, `ai-sdk`. */
  readonly provider: string;
  /** The most tools one request takes (OpenAI: 128). */
  readonly maxTools?: number | undefined;
  /** Streams one turn. An error before the first event with `status` 429 or 5xx is retried by the agent. */
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}

/** Parses a tool call's JSON arguments; what does not parse is passed on as a string for the tool to refuse. */
export function parseArguments(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** A streamed response from an SDK client, checked to be one (a client not asked to stream answers whole). */
export function streamOf(response: unknown): AsyncIterable<unknown> {
  if (typeof response === 'object' && response !== null && Symbol.asyncIterator in response)
    return response as AsyncIterable<unknown>;
  throw new LlmError(LlmErrorCode.MODEL_FAILED, 'The model client did not return a stream');
}
