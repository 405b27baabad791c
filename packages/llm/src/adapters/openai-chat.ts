import {
  parseArguments,
  streamOf,
  type ChatMessage,
  type ModelAdapter,
  type ModelEvent,
  type ModelRequest,
  type Usage,
} from '../model.js';
import { openAiChatTool, openAiChatUserContent } from '../provider-formats.js';
import { outcomeText } from '../results.js';
import { OPENAI_MAX_TOOLS } from '../toolset.js';

/** The part of an `openai` client (`new OpenAI(...)`) this adapter uses. */
export interface OpenAiChatClient {
  chat: { completions: { create(body: object, options?: { signal?: AbortSignal }): PromiseLike<unknown> } };
}

/** Options for {@link openAiChat}. */
export interface OpenAiChatOptions {
  /** The model, e.g. `gpt-4.1`, or a local server's model name. */
  readonly model: string;
  /** Ask for strict mode where a tool's schema allows it. @default true */
  readonly strict?: boolean | undefined;
  /** Anything else for the request body (temperature, max_completion_tokens…). */
  readonly body?: Record<string, unknown> | undefined;
}

interface ChatChunk {
  choices?: {
    delta?: {
      content?: string | null;
      /** Thinking: DeepSeek, vLLM, llama.cpp stream `reasoning_content`; Ollama, OpenRouter `reasoning`. */
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** Our conversation as Chat Completions messages (tool results as text: images are described). */
export function chatMessages(
  instructions: string | undefined,
  messages: readonly ChatMessage[],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = instructions === undefined ? [] : [{ role: 'system', content: instructions }];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: openAiChatUserContent(m) });
    else if (m.role === 'assistant') {
      const calls = (m.toolCalls ?? []).map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: JSON.stringify(c.args) },
      }));
      out.push({
        role: 'assistant',
        content: m.content === '' && calls.length > 0 ? null : m.content,
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
      });
    } else for (const r of m.results) out.push({ role: 'tool', tool_call_id: r.id, content: outcomeText(r.outcome) });
  }
  return out;
}

/**
 * A model behind OpenAI's Chat Completions API — OpenAI itself, or any compatible server (Ollama,
 * llama.cpp, vLLM) through the client's `baseURL`. Streams text as it comes; tool calls when whole.
 */
export function openAiChat(client: OpenAiChatClient, options: OpenAiChatOptions): ModelAdapter {
  return {
    provider: 'openai-chat',
    maxTools: OPENAI_MAX_TOOLS,
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const body = {
        ...options.body,
        model: options.model,
        messages: chatMessages(request.instructions, request.messages),
        ...(request.tools.length > 0
          ? { tools: request.tools.map((t) => openAiChatTool(t, options.strict ?? true)) }
          : {}),
        stream: true,
        stream_options: { include_usage: true },
      };
      const stream = streamOf(await client.chat.completions.create(body, { signal: request.signal }));
      const calls = new Map<number, { id: string; name: string; args: string }>();
      let usage: Usage | undefined;
      let stopReason: string | undefined;
      for await (const raw of stream) {
        const chunk = raw as ChatChunk;
        if (chunk.usage)
          usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
        for (const choice of chunk.choices ?? []) {
          const thought = choice.delta?.reasoning_content ?? choice.delta?.reasoning;
          if (typeof thought === 'string' && thought !== '') yield { type: 'reasoning-delta', text: thought };
          const text = choice.delta?.content;
          if (typeof text === 'string' && text !== '') yield { type: 'text-delta', text };
          for (const tc of choice.delta?.tool_calls ?? []) {
            const call = calls.get(tc.index) ?? { id: '', name: '', args: '' };
            if (tc.id) call.id = tc.id;
            if (tc.function?.name) call.name += tc.function.name;
            if (tc.function?.arguments) call.args += tc.function.arguments;
            calls.set(tc.index, call);
          }
          if (choice.finish_reason) stopReason = choice.finish_reason;
        }
      }
      for (const [, call] of [...calls].sort(([a], [b]) => a - b))
        yield { type: 'tool-call', call: { id: call.id, name: call.name, args: parseArguments(call.args) } };
      yield { type: 'finish', usage, stopReason };
    },
  };
}
