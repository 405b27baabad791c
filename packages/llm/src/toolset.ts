import { createRequire } from 'node:module';
import type { CallOptions, Tool, UniversalMcpClient } from '@universal-mcp/supervisor';
import {
  Toolset as BaseToolset,
  type ToolsetEvents as BaseToolsetEvents,
  type ToolsetOptions as BaseToolsetOptions,
} from '@universal-mcp/toolset';
import type { LlmTool } from './llm-tool.js';
import {
  aiSdkModelOutput,
  anthropicTool,
  openAiChatTool,
  openAiResponsesTool,
  type AnthropicTool,
  type GeminiFunctionDeclaration,
  type OpenAiChatTool,
  type OpenAiResponsesTool,
} from './provider-formats.js';
import { outcomeOf, outcomeOfError, type ToolOutcome } from './results.js';
import {
  SchemaTooLargeError,
  normalizeInputSchema,
  stripOptionalNulls,
  toGeminiSchema,
  toOpenAiStrict,
  type JsonSchema,
} from './schemas.js';
import { ToolIndex, type ToolIndexOptions } from './tool-index.js';

/** Options for {@link createToolset}: the toolset's own, and what a model needs. */
export interface ToolsetOptions extends BaseToolsetOptions {
  /** A result's text beyond this many characters is cut in the middle. @default 20000 */
  readonly maxResultChars?: number | undefined;
  /** An embedder for {@link Toolset.searchHybrid} (see {@link ToolIndexOptions.embed}). */
  readonly embed?: ToolIndexOptions['embed'];
}

/** Events a {@link Toolset} emits. */
export type ToolsetEvents = BaseToolsetEvents<LlmTool>;

/** Options for {@link Toolset.toOpenAI}. */
export interface OpenAiToolsOptions {
  /** Chat Completions (`tools[].function`) or Responses (`tools[]`). @default 'chat' */
  readonly api?: 'chat' | 'responses' | undefined;
  /** Ask for strict mode where a tool's schema allows it. @default true */
  readonly strict?: boolean | undefined;
}

/** The most tools OpenAI takes in one request. */
export const OPENAI_MAX_TOOLS = 128;

type Conversion = Pick<LlmTool, 'inputSchema' | 'openai' | 'gemini'>;
const conversions = new WeakMap<Tool, Conversion>();

function convert(tool: Tool): Conversion {
  const known = conversions.get(tool);
  if (known !== undefined) return known;
  const inputSchema = normalizeInputSchema(tool.inputSchema);
  const strict = toOpenAiStrict(inputSchema);
  const done = {
    inputSchema,
    openai: { strict: strict.strict, reason: strict.reason, schema: strict.schema },
    gemini: toGeminiSchema(inputSchema),
  };
  conversions.set(tool, done);
  return done;
}

/**
 * The tools of a client's servers, as models take them: the toolset of `@universal-mcp/toolset`
 * (provider-safe unique names, the client's tool policy, calls through `client.callTool`) with
 * schemas per provider, results in each provider's format, and search over the tools.
 */
export class Toolset extends BaseToolset<LlmTool> {
  readonly #options: ToolsetOptions;
  #index: ToolIndex | undefined;
  #indexed: LlmTool[] | undefined;

  constructor(client: UniversalMcpClient, options: ToolsetOptions = {}) {
    super(client, options);
    this.#options = options;
  }

  /**
   * Each provider's schema; undefined for a tool whose schema is past the schema limits. The client
   * never lists one (it reports it with `server:warning`), but a toolset must not fail as a whole on one tool.
   */
  protected override extend(tool: Tool): Conversion | undefined {
    try {
      return convert(tool);
    } catch (err) {
      if (err instanceof SchemaTooLargeError) return undefined;
      throw err;
    }
  }

  /** A `null` the model sent for an optional property (strict mode made it nullable) is removed. */
  protected override arguments(entry: LlmTool, args: unknown): Record<string, unknown> {
    return stripOptionalNulls(args ?? {}, entry.inputSchema) as Record<string, unknown>;
  }

  /**
   * Calls a tool and gives its result as a model reads it, never throwing: an `isError` result,
   * an unknown tool, or a failed call (server down, timeout) becomes an error outcome that says so.
   */
  async run(name: string, args: unknown, options?: CallOptions): Promise<ToolOutcome> {
    const max = this.#options.maxResultChars ?? 20_000;
    try {
      return outcomeOf(await this.call(name, args, options), max);
    } catch (err) {
      return outcomeOfError(err);
    }
  }

  /** OpenAI's `tools`: more than it takes ({@link OPENAI_MAX_TOOLS}) is an error naming the count. */
  toOpenAI(options: OpenAiToolsOptions & { api: 'responses' }): OpenAiResponsesTool[];
  toOpenAI(options?: OpenAiToolsOptions): OpenAiChatTool[];
  toOpenAI(options: OpenAiToolsOptions = {}): OpenAiChatTool[] | OpenAiResponsesTool[] {
    const tools = this.list();
    if (tools.length > OPENAI_MAX_TOOLS) {
      throw new Error(
        `${tools.length} tools, but OpenAI takes at most ${OPENAI_MAX_TOOLS}: ` +
          'filter the toolset, or use tool selection',
      );
    }
    const wantStrict = options.strict ?? true;
    if (options.api === 'responses') return tools.map((t) => openAiResponsesTool(t, wantStrict));
    return tools.map((t) => openAiChatTool(t, wantStrict));
  }

  /** Anthropic's `tools`. */
  toAnthropic(): AnthropicTool[] {
    return this.list().map(anthropicTool);
  }

  /** Gemini's `functionDeclarations`. */
  toGemini(): GeminiFunctionDeclaration[] {
    return this.list().map((t) => ({ name: t.name, description: t.description, parameters: t.gemini.schema }));
  }

  /**
   * The AI SDK's tools (`Record<string, Tool>` for `streamText`/`generateText`), each executing
   * through this toolset, images passed on as images. Needs the `ai` package (a peer dependency).
   */
  toAiSdk(): Record<string, unknown> {
    const ai = loadAi();
    return Object.fromEntries(
      this.list().map((t) => [
        t.name,
        ai.tool({
          description: t.description,
          inputSchema: ai.jsonSchema(t.inputSchema),
          execute: (input: unknown, { abortSignal }: { abortSignal?: AbortSignal }) =>
            this.run(t.name, input, { signal: abortSignal }),
          toModelOutput: ({ output }: { output: ToolOutcome }) => aiSdkModelOutput(output),
        }),
      ]),
    );
  }

  /**
   * The `k` tools that fit `query` best, best first, over the live catalog (the index follows
   * every change of the list). Lexical: tool names, descriptions, parameters, server names.
   * @example
   * const tools = toolset.search('find peer-reviewed papers', { k: 5 });
   */
  search(query: string, options: { k?: number | undefined } = {}): LlmTool[] {
    return this.#currentIndex()
      .search(query, options)
      .flatMap((hit) => this.get(hit.name) ?? []);
  }

  /** {@link search} fused with the embeddings of the `embed` option (reciprocal rank fusion). */
  async searchHybrid(query: string, options: { k?: number | undefined } = {}): Promise<LlmTool[]> {
    const hits = await this.#currentIndex().searchHybrid(query, options);
    return hits.flatMap((hit) => this.get(hit.name) ?? []);
  }

  #currentIndex(): ToolIndex {
    const tools = this.list();
    this.#index ??= new ToolIndex([], { embed: this.#options.embed });
    if (this.#indexed !== tools) {
      this.#index.update(tools);
      this.#indexed = tools;
    }
    return this.#index;
  }
}

interface AiModule {
  tool(definition: Record<string, unknown>): unknown;
  jsonSchema(schema: JsonSchema): unknown;
}

/** The `ai` package, loaded when first needed (a peer dependency: importing this package never needs it). */
function loadAi(): AiModule {
  try {
    return createRequire(import.meta.url)('ai') as AiModule;
  } catch (err) {
    throw new Error('toAiSdk() needs the "ai" package: npm install ai', { cause: err });
  }
}

/** A toolset over a client's servers, for models (see {@link Toolset}). */
export function createToolset(client: UniversalMcpClient, options: ToolsetOptions = {}): Toolset {
  return new Toolset(client, options);
}
