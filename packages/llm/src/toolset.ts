import { createRequire } from 'node:module';
import { EventEmitter } from 'eventemitter3';
import { visibleToModel } from '@universal-mcp/core';
import {
  ErrorCode,
  UniversalMcpError,
  type CallOptions,
  type CallToolResult,
  type Tool,
  type ToolAccess,
  type ToolChange,
  type UniversalMcpClient,
} from '@universal-mcp/supervisor';
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
import { assignToolNames, type PrefixMode, type ToolRef } from './tool-names.js';

/** Which tools a toolset offers. */
export interface ToolFilter {
  /** Only these servers' tools. */
  readonly servers?: readonly string[] | undefined;
  /** Only these tools: a tool's name, or `server/tool`. */
  readonly include?: readonly string[] | undefined;
  /** Not these tools: a tool's name, or `server/tool`. */
  readonly exclude?: readonly string[] | undefined;
  /** Only tools annotated `readOnlyHint: true`. */
  readonly readOnly?: boolean | undefined;
}

/** Options for {@link createToolset}. */
export interface ToolsetOptions {
  /**
   * When a tool's name gets its server's name in front (`server__tool`): `always`, only when two
   * servers share a name (`on-collision`), or `never` (a collision is then an error).
   * @default 'on-collision'
   */
  readonly prefix?: PrefixMode | undefined;
  /** Which tools to offer: a filter, or a function of the server and the tool. */
  readonly filter?: ToolFilter | ((server: string, tool: Tool) => boolean) | undefined;
  /** A result's text beyond this many characters is cut in the middle. @default 20000 */
  readonly maxResultChars?: number | undefined;
  /** An embedder for {@link Toolset.searchHybrid} (see {@link ToolIndexOptions.embed}). */
  readonly embed?: ToolIndexOptions['embed'];
  /**
   * Keep app-only tools (MCP Apps `_meta.ui.visibility: ['app']`): only for a set that is no model's,
   * such as a gateway's, whose host hands them to the App. A model never sees them: it calls such a tool
   * as an unknown one.
   * @default false
   */
  readonly appOnly?: boolean | undefined;
}

/** One tool as a model is given it. */
export interface LlmTool {
  /** The provider-safe name (`^[a-zA-Z][a-zA-Z0-9_-]{0,63}$`), unique in the toolset. */
  readonly name: string;
  /** The server it is on. */
  readonly server: string;
  /** Its name on that server. */
  readonly tool: string;
  readonly description: string;
  /** Its input schema, normalized (an empty one is an empty object schema). */
  readonly inputSchema: JsonSchema;
  /** Annotated `readOnlyHint: true` (the server's own claim: see `needsApproval`). */
  readonly readOnly: boolean;
  /**
   * A call needs a person's approval, as the client's tool policy says (`client.toolAccess`): an
   * untrusted server's `readOnlyHint` does not spare it.
   */
  readonly needsApproval: boolean;
  /** Its server is marked `trusted`. */
  readonly trusted: boolean;
  /** Set while its definition differs from the pinned one, or it shadows another server's tool, until accepted. */
  readonly change?: ToolChange | undefined;
  /** The MCP tool as the server listed it. */
  readonly definition: Tool;
  /** How OpenAI takes it: strict where the schema allows, else non-strict with the reason. */
  readonly openai: { readonly strict: boolean; readonly reason?: string | undefined; readonly schema: JsonSchema };
  /** How Gemini takes it, and which keywords its `parameters` could not take. */
  readonly gemini: { readonly schema: JsonSchema; readonly dropped: readonly string[] };
}

/** Options for {@link Toolset.toOpenAI}. */
export interface OpenAiToolsOptions {
  /** Chat Completions (`tools[].function`) or Responses (`tools[]`). @default 'chat' */
  readonly api?: 'chat' | 'responses' | undefined;
  /** Ask for strict mode where a tool's schema allows it. @default true */
  readonly strict?: boolean | undefined;
}

/** A trusted server's instructions, for the model. */
export interface ServerInstructions {
  readonly server: string;
  /** As `client.instructions(server)` gives them: cut to `MAX_INSTRUCTIONS_CHARS`. */
  readonly text: string;
}

/** Events a {@link Toolset} emits. */
export interface ToolsetEvents {
  /** The tools changed (a server's catalog changed, a server came, went or was given up). */
  changed: (tools: readonly LlmTool[]) => void;
}

/** The most tools OpenAI takes in one request. */
export const OPENAI_MAX_TOOLS = 128;

const describe = (tool: Tool): string => tool.description ?? tool.title ?? tool.annotations?.title ?? '';
const conversions = new WeakMap<Tool, Pick<LlmTool, 'inputSchema' | 'openai' | 'gemini'>>();

function convert(tool: Tool): Pick<LlmTool, 'inputSchema' | 'openai' | 'gemini'> {
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
 * False for a tool whose schema is past the schema limits. The client never lists one (it reports
 * it with `server:warning`), but a toolset must not fail as a whole on one tool.
 */
function convertible(tool: Tool): boolean {
  try {
    convert(tool);
    return true;
  } catch (err) {
    if (err instanceof SchemaTooLargeError) return false;
    throw err;
  }
}

/**
 * The tools of a client's servers, as models take them: provider-safe unique names, schemas per
 * provider, results in each provider's format. It offers only what `client.listTools()` offers (the
 * client's tool policy: denied, held and blocked tools are never here), each with what the policy
 * says of it (`needsApproval`, `trusted`, `change`). It follows the client: a catalog change, a
 * change accepted, a server that comes or goes or is given up changes the list (`changed`). Calls go
 * through `client.callTool`, so every policy applies.
 */
export class Toolset extends EventEmitter<ToolsetEvents> {
  readonly #client: UniversalMcpClient;
  readonly #options: ToolsetOptions;
  #tools: LlmTool[] | undefined;
  #byName = new Map<string, LlmTool>();
  #index: ToolIndex | undefined;
  #indexed: LlmTool[] | undefined;
  readonly #detach: () => void;

  constructor(client: UniversalMcpClient, options: ToolsetOptions = {}) {
    super();
    this.#client = client;
    this.#options = options;
    // The signature of the list as the last refresh left it: each refresh computes one, not two.
    let last: string | undefined;
    const refresh = (): void => {
      const before = last ?? (this.#tools === undefined ? undefined : signature(this.#tools));
      this.#tools = undefined;
      const after = this.list();
      last = signature(after);
      if (before !== last) this.emit('changed', after);
    };
    const events = [
      'tools:changed',
      'tool:changed',
      'tool:accepted',
      'server:ready',
      'server:given-up',
      'server:removed',
    ] as const;
    const detach = events.map((e) => client.on(e, refresh));
    this.#detach = () => {
      for (const off of detach) off();
    };
  }

  /** The current tools, in a stable order (by server, then tool). */
  list(): LlmTool[] {
    this.#tools ??= this.#build();
    return this.#tools;
  }

  #build(): LlmTool[] {
    const filter = this.#options.filter;
    const keep = (server: string, tool: Tool): boolean => {
      if (typeof filter === 'function') return filter(server, tool);
      if (filter === undefined) return true;
      const names = [tool.name, `${server}/${tool.name}`];
      if (filter.servers !== undefined && !filter.servers.includes(server)) return false;
      if (filter.include !== undefined && !names.some((n) => filter.include?.includes(n))) return false;
      if (filter.exclude?.some((n) => names.includes(n)) === true) return false;
      if (filter.readOnly === true && tool.annotations?.readOnlyHint !== true) return false;
      return true;
    };
    const entries: { ref: ToolRef; tool: Tool; access: ToolAccess }[] = [];
    for (const server of this.#servers()) {
      const tools = [...this.#client.listTools(server)].sort((a, b) => a.name.localeCompare(b.name));
      for (const tool of tools) {
        // listTools offers only what the policy offers; asking again per tool keeps a tool that turned
        // held between the two answers out, and gives what the policy says of it.
        const access = this.#client.toolAccess(server, tool.name);
        if (access?.offered !== true || !keep(server, tool) || !convertible(tool)) continue;
        if (this.#options.appOnly !== true && !visibleToModel(tool)) continue;
        entries.push({ ref: { server, tool: tool.name }, tool, access });
      }
    }
    const names = assignToolNames(
      entries.map((e) => e.ref),
      this.#options.prefix ?? 'on-collision',
    );
    const nameOf = new Map<string, string>();
    for (const [name, ref] of names) nameOf.set(`${ref.server}\u0000${ref.tool}`, name);
    const list = entries.map(({ ref, tool, access }): LlmTool => ({
      name: nameOf.get(`${ref.server}\u0000${ref.tool}`) ?? ref.tool,
      server: ref.server,
      tool: ref.tool,
      description: describe(tool),
      readOnly: tool.annotations?.readOnlyHint === true,
      needsApproval: access.needsApproval,
      trusted: access.trusted,
      ...(access.change === undefined ? {} : { change: access.change }),
      definition: tool,
      ...convert(tool),
    }));
    this.#byName = new Map(list.map((t) => [t.name, t]));
    return list;
  }

  /** The servers this toolset takes tools from: not given up, and in the filter's `servers` when it has one. */
  #servers(): string[] {
    const filter = this.#options.filter;
    const only = typeof filter === 'object' ? filter.servers : undefined;
    return this.#client
      .listServers()
      .sort()
      .filter((s) => this.#client.getServerInfo(s)?.givenUp !== true && (only === undefined || only.includes(s)));
  }

  /**
   * The instructions of this toolset's trusted servers (`client.instructions`: an untrusted server's
   * never reach a model), each labelled with its server; undefined when none has any. The agent sends
   * them after the caller's own instructions; a caller with its own loop puts them in its system prompt.
   */
  instructions(): string | undefined {
    const parts = this.serverInstructions().map(
      ({ server, text }) => `Instructions from the MCP server "${server}":\n${text}`,
    );
    return parts.length === 0 ? undefined : parts.join('\n\n');
  }

  /** The trusted servers' instructions, one entry per server that has any (see {@link instructions}). */
  serverInstructions(): ServerInstructions[] {
    return this.#servers().flatMap((server) => {
      const text = this.#client.instructions(server);
      return text === undefined || text.trim() === '' ? [] : [{ server, text }];
    });
  }

  /** The tool a provider-safe name stands for. */
  resolve(name: string): { server: string; tool: string } | undefined {
    const t = this.get(name);
    return t === undefined ? undefined : { server: t.server, tool: t.tool };
  }

  /** The tool by its provider-safe name. */
  get(name: string): LlmTool | undefined {
    this.list();
    return this.#byName.get(name);
  }

  /**
   * Calls a tool by its provider-safe name through `client.callTool` (every policy applies;
   * arguments are checked against the server's own schema). A `null` the model sent for an
   * optional property (strict mode made it nullable) is removed first.
   */
  call(name: string, args: unknown, options?: CallOptions): Promise<CallToolResult> {
    const t = this.get(name);
    if (t === undefined) return Promise.reject(this.#notHere(name));
    const cleaned = stripOptionalNulls(args ?? {}, t.inputSchema) as Record<string, unknown>;
    return this.#client.callTool(t.server, t.tool, cleaned, options);
  }

  /**
   * The error for a name this toolset does not offer: `TOOL_DENIED` (with the policy's reason) when a
   * server lists a tool by that name (or `server__tool`) that the policy does not offer, else
   * `TOOL_NOT_FOUND`. A model that guesses a hidden tool's name learns it is denied, never runs it.
   */
  #notHere(name: string): UniversalMcpError {
    const split = name.indexOf('__');
    const candidates: [string, string][] = this.#servers().map((s) => [s, name]);
    if (split > 0) candidates.unshift([name.slice(0, split), name.slice(split + 2)]);
    // The `server__` part is the model's text: a name that is no server's is no candidate (toolAccess would throw).
    const servers = new Set(this.#client.listServers());
    for (const [server, tool] of candidates) {
      if (!servers.has(server)) continue;
      const access = this.#client.toolAccess(server, tool);
      if (access === undefined || access.offered) continue;
      const reason = access.reason ?? 'denied';
      return new UniversalMcpError(ErrorCode.TOOL_DENIED, `Tool "${name}" is not offered (${reason})`, {
        server,
        details: { tool, reason },
      });
    }
    const available = this.list().map((t) => t.name);
    return new UniversalMcpError(ErrorCode.TOOL_NOT_FOUND, `No tool named "${name}" in this toolset`, {
      details: { tool: name, available: available.slice(0, 100) },
    });
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
      .flatMap((hit) => this.#byName.get(hit.name) ?? []);
  }

  /** {@link search} fused with the embeddings of the `embed` option (reciprocal rank fusion). */
  async searchHybrid(query: string, options: { k?: number | undefined } = {}): Promise<LlmTool[]> {
    const hits = await this.#currentIndex().searchHybrid(query, options);
    return hits.flatMap((hit) => this.#byName.get(hit.name) ?? []);
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

  /** Stops following the client. */
  close(): void {
    this.#detach();
    this.removeAllListeners();
  }
}

/** What changes a toolset's look to a model: names, descriptions, schemas. */
function signature(tools: readonly LlmTool[]): string {
  return JSON.stringify(tools.map((t) => [t.name, t.server, t.tool, t.description, t.inputSchema]));
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

/** A toolset over a client's servers (see {@link Toolset}). */
export function createToolset(client: UniversalMcpClient, options: ToolsetOptions = {}): Toolset {
  return new Toolset(client, options);
}
