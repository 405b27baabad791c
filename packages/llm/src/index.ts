/**
 * The supervised servers' tools for a model: provider-safe toolsets (OpenAI, Anthropic, Gemini, the AI SDK)
 * and a streaming agent loop.
 * @packageDocumentation
 * @module @universal-mcp/llm
 */
export { OPENAI_MAX_TOOLS, Toolset, createToolset } from './toolset.js';
export type { OpenAiToolsOptions, ToolsetEvents, ToolsetOptions } from './toolset.js';
export type { LlmTool } from './llm-tool.js';
/** @deprecated Import from `@universal-mcp/toolset`: tool naming moved there. */
export { MAX_NAME_LENGTH, SAFE_NAME, ToolNameCollisionError, assignToolNames } from '@universal-mcp/toolset';
/** @deprecated Import from `@universal-mcp/toolset`: tool naming and filtering moved there. */
export type { PrefixMode, ServerInstructions, ToolFilter, ToolRef } from '@universal-mcp/toolset';
export {
  SchemaTooLargeError,
  normalizeInputSchema,
  stripOptionalNulls,
  toGeminiSchema,
  toOpenAiStrict,
} from './schemas.js';
export type { GeminiConversion, JsonSchema, StrictConversion } from './schemas.js';
export { outcomeOf, outcomeOfError, outcomeText, truncateText } from './results.js';
export type { ResultPart, ToolOutcome } from './results.js';
export {
  aiSdkModelOutput,
  anthropicToolResult,
  geminiFunctionResponse,
  openAiResponsesOutput,
} from './provider-formats.js';
export type {
  AnthropicTool,
  GeminiFunctionDeclaration,
  OpenAiChatTool,
  OpenAiResponsesOutput,
  OpenAiResponsesTool,
} from './provider-formats.js';
export { Agent, AgentRun, MaxStepsError, RunAbortedError } from './agent.js';
export type { AgentEvent, AgentOptions, AgentResult, AgentRunOptions } from './agent.js';
export type { ApprovalAnswer, ApprovalMode, ApprovalRequest, Approve } from './approval.js';
export type {
  ChatMessage,
  ModelAdapter,
  ModelEvent,
  ModelRequest,
  ToolCallRecord,
  ToolResultRecord,
  Usage,
  UserImage,
} from './model.js';
export { openAiChat } from './adapters/openai-chat.js';
export type { OpenAiChatClient, OpenAiChatOptions } from './adapters/openai-chat.js';
export { openAiResponses } from './adapters/openai-responses.js';
export type { OpenAiResponsesClient, OpenAiResponsesOptions } from './adapters/openai-responses.js';
export { anthropicMessages } from './adapters/anthropic.js';
export type { AnthropicClient, AnthropicOptions } from './adapters/anthropic.js';
export { aiSdkModel } from './adapters/ai-sdk.js';
export type { AiSdkOptions } from './adapters/ai-sdk.js';
export { ToolIndex } from './tool-index.js';
export type { IndexedTool, ToolHit, ToolIndexOptions } from './tool-index.js';
export type { ToolSelectionOptions } from './tool-selection.js';
export { LlmError, LlmErrorCode } from './llm-errors.js';
