import { LlmError, LlmErrorCode } from '../llm-errors.js';
import {
  parseArguments,
  streamOf,
  type ChatMessage,
  type ModelAdapter,
  type ModelEvent,
  type ModelRequest,
  type Usage,
} from '../model.js';
import { openAiResponsesOutput, openAiResponsesTool, openAiResponsesUserContent } from '../provider-formats.js';
import { OPENAI_MAX_TOOLS } from '../toolset.js';

/** The part of an `openai` client (`new OpenAI(...)`) this adapter uses. */
export interface OpenAiResponsesClient {
  responses: { create(body: object, options?: { signal?: AbortSignal }): PromiseLike<unknown> };
}

/** Options for {@link openAiResponses}. */
export interface OpenAiResponsesOptions {
  readonly model: string;
  /** Ask for strict mode where a tool's schema allows it (the API's default). @default true */
  readonly strict?: boolean | undefined;
  /** Anything else for the request body. */
  readonly body?: Record<string, unknown> | undefined;
}

interface ResponsesEvent {
  type: string;
  delta?: string;
  item?: { type?: string; call_id?: string; name?: string; arguments?: string };
  response?: { usage?: { input_tokens?: number; output_tokens?: number }; status?: string };
}

/** Our conversation as Responses API input items (tool results with their images). */
export function responsesInput(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: openAiResponsesUserContent(m) });
    else if (m.role === 'assistant') {
      if (m.content !== '') out.push({ role: 'assistant', content: m.content });
      for (const c of m.toolCalls ?? [])
        out.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: JSON.stringify(c.args) });
    } else
      for (const r of m.results)
        out.push({ type: 'function_call_output', call_id: r.id, output: openAiResponsesOutput(r.outcome) });
  }
  return out;
}

/** A model behind OpenAI's Responses API (stateless: the whole conversation is sent each turn). */
export function openAiResponses(client: OpenAiResponsesClient, options: OpenAiResponsesOptions): ModelAdapter {
  return {
    provider: 'openai-responses',
    maxTools: OPENAI_MAX_TOOLS,
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const body = {
        ...options.body,
        model: options.model,
        input: responsesInput(request.messages),
        ...(request.instructions === undefined ? {} : { instructions: request.instructions }),
        ...(request.tools.length > 0
          ? { tools: request.tools.map((t) => openAiResponsesTool(t, options.strict ?? true)) }
          : {}),
        store: false,
        stream: true,
      };
      const stream = streamOf(await client.responses.create(body, { signal: request.signal }));
      let usage: Usage | undefined;
      let stopReason: string | undefined;
      for await (const raw of stream) {
        const event = raw as ResponsesEvent;
        if (event.type === 'response.output_text.delta' && typeof event.delta === 'string')
          yield { type: 'text-delta', text: event.delta };
        else if (event.type === 'response.reasoning_summary_text.delta' && typeof event.delta === 'string')
          yield { type: 'reasoning-delta', text: event.delta };
        else if (event.type === 'response.output_item.done' && event.item?.type === 'function_call') {
          yield {
            type: 'tool-call',
            call: {
              id: event.item.call_id ?? '',
              name: event.item.name ?? '',
              args: parseArguments(event.item.arguments ?? ''),
            },
          };
        } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
          const u = event.response?.usage;
          usage = { inputTokens: u?.input_tokens ?? 0, outputTokens: u?.output_tokens ?? 0 };
          stopReason = event.response?.status;
        } else if (event.type === 'response.failed' || event.type === 'error') {
          throw new LlmError(
            LlmErrorCode.MODEL_FAILED,
            `OpenAI Responses stream failed: ${JSON.stringify(event).slice(0, 300)}`,
          );
        }
      }
      yield { type: 'finish', usage, stopReason };
    },
  };
}
