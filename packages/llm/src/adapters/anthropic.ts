import {
  parseArguments,
  streamOf,
  type ChatMessage,
  type ModelAdapter,
  type ModelEvent,
  type ModelRequest,
} from '../model.js';
import { anthropicTool, anthropicToolResult, anthropicUserContent } from '../provider-formats.js';

/** The part of an `@anthropic-ai/sdk` client (`new Anthropic(...)`) this adapter uses. */
export interface AnthropicClient {
  messages: { create(body: object, options?: { signal?: AbortSignal }): PromiseLike<unknown> };
}

/** Options for {@link anthropicMessages}. */
export interface AnthropicOptions {
  readonly model: string;
  /** The most tokens one answer may take. @default 4096 */
  readonly maxTokens?: number | undefined;
  /** Anything else for the request body. */
  readonly body?: Record<string, unknown> | undefined;
}

interface AnthropicEvent {
  type: string;
  index?: number;
  message?: { usage?: { input_tokens?: number } };
  content_block?: { type: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; thinking?: string; partial_json?: string; stop_reason?: string };
  usage?: { output_tokens?: number };
}

/** Our conversation as Messages API messages: every result of a step in one user message, before any text. */
export function anthropicMessagesOf(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: anthropicUserContent(m) });
    else if (m.role === 'assistant') {
      const content: Record<string, unknown>[] = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      for (const c of m.toolCalls ?? []) content.push({ type: 'tool_use', id: c.id, name: c.name, input: c.args });
      if (content.length > 0) out.push({ role: 'assistant', content });
    } else out.push({ role: 'user', content: m.results.map((r) => anthropicToolResult(r.id, r.outcome)) });
  }
  return out;
}

/** A model behind Anthropic's Messages API. */
export function anthropicMessages(client: AnthropicClient, options: AnthropicOptions): ModelAdapter {
  return {
    provider: 'anthropic',
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const body = {
        ...options.body,
        model: options.model,
        max_tokens: options.maxTokens ?? 4096,
        messages: anthropicMessagesOf(request.messages),
        ...(request.instructions === undefined ? {} : { system: request.instructions }),
        ...(request.tools.length > 0
          ? {
              tools: request.tools.map(anthropicTool),
            }
          : {}),
        stream: true,
      };
      const stream = streamOf(await client.messages.create(body, { signal: request.signal }));
      const blocks = new Map<number, { id: string; name: string; json: string }>();
      let inputTokens = 0;
      let outputTokens = 0;
      let stopReason: string | undefined;
      for await (const raw of stream) {
        const e = raw as AnthropicEvent;
        if (e.type === 'message_start') inputTokens = e.message?.usage?.input_tokens ?? 0;
        else if (e.type === 'content_block_start' && e.content_block?.type === 'tool_use') {
          blocks.set(e.index ?? 0, { id: e.content_block.id ?? '', name: e.content_block.name ?? '', json: '' });
        } else if (e.type === 'content_block_delta') {
          if (e.delta?.type === 'text_delta' && typeof e.delta.text === 'string')
            yield { type: 'text-delta', text: e.delta.text };
          else if (e.delta?.type === 'thinking_delta' && typeof e.delta.thinking === 'string')
            yield { type: 'reasoning-delta', text: e.delta.thinking };
          else if (e.delta?.type === 'input_json_delta') {
            const block = blocks.get(e.index ?? 0);
            if (block !== undefined) block.json += e.delta.partial_json ?? '';
          }
        } else if (e.type === 'content_block_stop') {
          const block = blocks.get(e.index ?? 0);
          if (block !== undefined) {
            blocks.delete(e.index ?? 0);
            yield { type: 'tool-call', call: { id: block.id, name: block.name, args: parseArguments(block.json) } };
          }
        } else if (e.type === 'message_delta') {
          outputTokens = e.usage?.output_tokens ?? outputTokens;
          stopReason = e.delta?.stop_reason ?? stopReason;
        }
      }
      yield { type: 'finish', usage: { inputTokens, outputTokens }, stopReason };
    },
  };
}
