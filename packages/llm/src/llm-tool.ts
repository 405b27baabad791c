import type { ToolEntry } from '@universal-mcp/toolset';
import type { JsonSchema } from './schemas.js';

/** One tool as a model is given it: a toolset's entry with its schema as each provider takes it. */
export interface LlmTool extends ToolEntry {
  /** Its input schema, normalized (an empty one is an empty object schema). */
  readonly inputSchema: JsonSchema;
  /** How OpenAI takes it: strict where the schema allows, else non-strict with the reason. */
  readonly openai: { readonly strict: boolean; readonly reason?: string | undefined; readonly schema: JsonSchema };
  /** How Gemini takes it, and which keywords its `parameters` could not take. */
  readonly gemini: { readonly schema: JsonSchema; readonly dropped: readonly string[] };
}
