import { LlmError, LlmErrorCode } from '../llm-errors.js';
import { createRequire } from 'node:module';
import { type ChatMessage, type ModelAdapter, type ModelEvent, type ModelRequest } from '../model.js';
import { aiSdkModelOutput, aiSdkUserContent } from '../provider-formats.js';

/** Options for {@link aiSdkModel}. */
export interface AiSdkOptions {
  /** Anything else for `streamText` (temperature, providerOptions…). */
  readonly settings?: Record<string, unknown> | undefined;
}

interface StreamPart {
  type: string;
  text?: string;
  toolCallId?: string;
  toolName?: string;
  input?: unknown;
  error?: unknown;
  totalUsage?: { inputTokens?: number; outputTokens?: number };
  finishReason?: string;
}

interface AiModule {
  streamText(options: Record<string, unknown>): { fullStream: AsyncIterable<StreamPart> };
  jsonSchema(schema: unknown): unknown;
}

/** Our conversation as AI SDK model messages. */
export function aiSdkMessages(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: aiSdkUserContent(m) });
    else if (m.role === 'assistant') {
      const content: Record<string, unknown>[] = m.content === '' ? [] : [{ type: 'text', text: m.content }];
      for (const c of m.toolCalls ?? [])
        content.push({ type: 'tool-call', toolCallId: c.id, toolName: c.name, input: c.args });
      if (content.length > 0) out.push({ role: 'assistant', content });
    } else {
      out.push({
        role: 'tool',
        content: m.results.map((r) => ({
          type: 'tool-result',
          toolCallId: r.id,
          toolName: r.name,
          output: aiSdkModelOutput(r.outcome),
        })),
      });
    }
  }
  return out;
}

/**
 * Any AI SDK language model (`openai('gpt-4.1')`, `anthropic('claude-…')`, a local provider…), one
 * step at a time through `streamText`: the agent runs the tools itself. Needs the `ai` package.
 */
export function aiSdkModel(model: unknown, options: AiSdkOptions = {}): ModelAdapter {
  let ai: AiModule | undefined;
  return {
    provider: 'ai-sdk',
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      ai ??= createRequire(import.meta.url)('ai') as AiModule;
      const tools = Object.fromEntries(
        request.tools.map((t) => [t.name, { description: t.description, inputSchema: ai?.jsonSchema(t.inputSchema) }]),
      );
      const result = ai.streamText({
        ...options.settings,
        model,
        ...(request.instructions === undefined ? {} : { system: request.instructions }),
        messages: aiSdkMessages(request.messages),
        ...(request.tools.length > 0 ? { tools } : {}),
        abortSignal: request.signal,
        maxRetries: 0, // the agent retries 429 and 5xx itself, honouring retry-after
      });
      let finish: ModelEvent = { type: 'finish' };
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta' && typeof part.text === 'string') yield { type: 'text-delta', text: part.text };
        else if (part.type === 'reasoning-delta' && typeof part.text === 'string')
          yield { type: 'reasoning-delta', text: part.text };
        else if (part.type === 'tool-call')
          yield { type: 'tool-call', call: { id: part.toolCallId ?? '', name: part.toolName ?? '', args: part.input } };
        else if (part.type === 'error')
          throw part.error instanceof Error ? part.error : new LlmError(LlmErrorCode.MODEL_FAILED, String(part.error));
        else if (part.type === 'finish') {
          finish = {
            type: 'finish',
            usage: { inputTokens: part.totalUsage?.inputTokens ?? 0, outputTokens: part.totalUsage?.outputTokens ?? 0 },
            stopReason: part.finishReason,
          };
        }
      }
      yield finish;
    },
  };
}
