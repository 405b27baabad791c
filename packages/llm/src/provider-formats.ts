import { outcomeText, type ToolOutcome } from './results.js';
import { toOpenAiLoose, type JsonSchema } from './schemas.js';
import type { ChatMessage, UserImage } from './model.js';
import type { LlmTool } from './llm-tool.js';

// Each provider's shapes for a tool definition and a tool result, built from our neutral ones.

/** OpenAI Chat Completions: an entry of `tools`. */
export interface OpenAiChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema; strict?: boolean };
}

/** OpenAI Responses: an entry of `tools`. */
export interface OpenAiResponsesTool {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchema;
  strict: boolean;
}

/** Anthropic Messages: an entry of `tools`. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: JsonSchema;
}

/** Gemini: an entry of `tools[].functionDeclarations`. */
export interface GeminiFunctionDeclaration {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/** The parameters OpenAI is given for a tool: the strict form where asked for and possible; no root `$schema`. */
function openAiParameters(tool: LlmTool, wantStrict: boolean): { parameters: JsonSchema; strict: boolean } {
  const strict = wantStrict && tool.openai.strict;
  return { parameters: strict ? tool.openai.schema : toOpenAiLoose(tool.inputSchema), strict };
}

/** A tool as a Chat Completions `tools` entry. */
export function openAiChatTool(tool: LlmTool, wantStrict: boolean): OpenAiChatTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, ...openAiParameters(tool, wantStrict) },
  };
}

/** A tool as a Responses `tools` entry. */
export function openAiResponsesTool(tool: LlmTool, wantStrict: boolean): OpenAiResponsesTool {
  return { type: 'function', name: tool.name, description: tool.description, ...openAiParameters(tool, wantStrict) };
}

/** A tool as a Messages `tools` entry. */
export function anthropicTool(tool: LlmTool): AnthropicTool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}

/** OpenAI Responses `function_call_output.output`: text, or text and images (the API takes images here). */
export type OpenAiResponsesOutput =
  string | ({ type: 'input_text'; text: string } | { type: 'input_image'; image_url: string })[];

/** The Responses API's output for a tool result. */
export function openAiResponsesOutput(outcome: ToolOutcome): OpenAiResponsesOutput {
  if (!outcome.parts.some((p) => p.type === 'image')) return outcomeText(outcome);
  return outcome.parts.map((p) =>
    p.type === 'text'
      ? { type: 'input_text' as const, text: outcome.isError ? `Error: ${p.text}` : p.text }
      : { type: 'input_image' as const, image_url: `data:${p.mimeType};base64,${p.data}` },
  );
}

/** Anthropic's `tool_result` block content: text and image blocks, with `is_error`. */
export function anthropicToolResult(toolUseId: string, outcome: ToolOutcome): Record<string, unknown> {
  return {
    type: 'tool_result',
    tool_use_id: toolUseId,
    is_error: outcome.isError,
    content: outcome.parts.map((p) =>
      p.type === 'text'
        ? { type: 'text', text: p.text }
        : { type: 'image', source: { type: 'base64', media_type: p.mimeType, data: p.data } },
    ),
  };
}

/** Gemini's `functionResponse` part (output or error), and its images as `inlineData` parts after it. */
export function geminiFunctionResponse(name: string, outcome: ToolOutcome): Record<string, unknown>[] {
  const text = outcome.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
  const response = outcome.isError ? { error: text } : { output: text };
  const images = outcome.parts.flatMap((p) =>
    p.type === 'image' ? [{ inlineData: { mimeType: p.mimeType, data: p.data } }] : [],
  );
  return [{ functionResponse: { name, response } }, ...images];
}

/** The AI SDK's tool model output (`toModelOutput`): content with media, or an error text. */
export function aiSdkModelOutput(outcome: ToolOutcome): Record<string, unknown> {
  if (outcome.isError) return { type: 'error-text', value: outcomeText(outcome) };
  if (!outcome.parts.some((p) => p.type === 'image')) return { type: 'text', value: outcomeText(outcome) };
  return {
    type: 'content',
    value: outcome.parts.map((p) =>
      p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image-data', data: p.data, mediaType: p.mimeType },
    ),
  };
}

/** A user message without images keeps its plain string content: what every API took before images. */
type UserMessage = Extract<ChatMessage, { role: 'user' }>;
const imagesOf = (m: UserMessage): readonly UserImage[] => m.images ?? [];
/** The text part of a message with images, or none when there is no text: Anthropic refuses an empty text block. */
const textPart = <T>(m: UserMessage, part: (text: string) => T): T[] => (m.content === '' ? [] : [part(m.content)]);

/** Chat Completions user `content`: the text, then `image_url` parts (data URLs). */
export function openAiChatUserContent(m: UserMessage): string | Record<string, unknown>[] {
  if (imagesOf(m).length === 0) return m.content;
  return [
    ...textPart(m, (text) => ({ type: 'text', text })),
    ...imagesOf(m).map((i) => ({ type: 'image_url', image_url: { url: `data:${i.mimeType};base64,${i.data}` } })),
  ];
}

/** Responses API user `content`: `input_text`, then `input_image` parts. */
export function openAiResponsesUserContent(m: UserMessage): string | Record<string, unknown>[] {
  if (imagesOf(m).length === 0) return m.content;
  return [
    ...textPart(m, (text) => ({ type: 'input_text', text })),
    ...imagesOf(m).map((i) => ({ type: 'input_image', image_url: `data:${i.mimeType};base64,${i.data}` })),
  ];
}

/** Anthropic user `content`: image blocks first (as Anthropic advises), then the text. */
export function anthropicUserContent(m: UserMessage): string | Record<string, unknown>[] {
  if (imagesOf(m).length === 0) return m.content;
  return [
    ...imagesOf(m).map((i) => ({ type: 'image', source: { type: 'base64', media_type: i.mimeType, data: i.data } })),
    ...textPart(m, (text) => ({ type: 'text', text })),
  ];
}

/** AI SDK user `content`: a text part, then `image` parts. */
export function aiSdkUserContent(m: UserMessage): string | Record<string, unknown>[] {
  if (imagesOf(m).length === 0) return m.content;
  return [
    ...textPart(m, (text) => ({ type: 'text', text })),
    ...imagesOf(m).map((i) => ({ type: 'image', image: i.data, mediaType: i.mimeType })),
  ];
}
