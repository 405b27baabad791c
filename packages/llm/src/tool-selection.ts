import { LlmError, LlmErrorCode } from './llm-errors.js';
import type { Tool } from '@universal-mcp/supervisor';
import type { ToolOutcome } from './results.js';
import type { JsonSchema } from './schemas.js';
import type { LlmTool } from './llm-tool.js';
import type { Toolset } from './toolset.js';

/** How an {@link Agent} offers a catalog too large to send whole. */
export interface ToolSelectionOptions {
  /**
   * `per-turn`: before each model turn, the tools this run has already called and the tools that best
   * match the user's message are offered, `k` in all (the catalog's first tools fill what search
   * leaves). `search-tool`: the model is given one tool, `search_tools`, and the tools it finds are
   * offered from its next turn on.
   */
  readonly mode: 'per-turn' | 'search-tool';
  /** Tools offered per turn (`per-turn`), or found per search (`search-tool`). @default 16 */
  readonly k?: number | undefined;
}

const SEARCH_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { query: { type: 'string', description: 'The task the tool is for, in a few words.' } },
  required: ['query'],
  additionalProperties: false,
};

const MAX_LISTED_DESCRIPTION = 200;

/** Picks the tools of each model turn; one per run. */
export class ToolSelector {
  readonly #toolset: Toolset;
  readonly #k: number;
  readonly #limit: number;
  readonly #query: string;
  /** Tools called or found in this run, latest last. */
  readonly #kept = new Set<string>();
  readonly #searchTool: LlmTool | undefined;

  constructor(toolset: Toolset, options: ToolSelectionOptions, query: string, maxTools: number | undefined) {
    const k = options.k ?? 16;
    if (!Number.isInteger(k) || k < 1)
      throw new LlmError(LlmErrorCode.INVALID_OPTIONS, `toolSelection.k must be a positive integer, not ${k}`);
    if (options.mode !== 'per-turn' && options.mode !== 'search-tool')
      throw new LlmError(
        LlmErrorCode.INVALID_OPTIONS,
        `toolSelection.mode must be 'per-turn' or 'search-tool', not ${String(options.mode)}`,
      );
    this.#toolset = toolset;
    this.#k = k;
    this.#query = query;
    this.#limit = options.mode === 'search-tool' ? (maxTools ?? Infinity) - 1 : Math.min(k, maxTools ?? Infinity);
    this.#searchTool =
      options.mode === 'search-tool' ? searchTool(freeName(toolset), toolset.list().length) : undefined;
  }

  /** The search tool's name, in `search-tool` mode. */
  get searchToolName(): string | undefined {
    return this.#searchTool?.name;
  }

  /** The tools of the next model turn. */
  tools(): LlmTool[] {
    const kept = [...this.#kept]
      .reverse()
      .flatMap((name) => this.#toolset.get(name) ?? [])
      .slice(0, this.#limit);
    if (this.#searchTool !== undefined) return [this.#searchTool, ...kept];
    const chosen = new Map(kept.map((t) => [t.name, t]));
    // The best matches first; when fewer match than fit, the catalog's first tools fill the turn.
    for (const list of [this.#toolset.search(this.#query, { k: this.#limit }), this.#toolset.list()])
      for (const t of list) {
        if (chosen.size >= this.#limit) return [...chosen.values()];
        chosen.set(t.name, t);
      }
    return [...chosen.values()];
  }

  /** Notes a tool the model called, so that it stays offered. */
  called(name: string): void {
    if (name === this.#searchTool?.name || this.#toolset.get(name) === undefined) return;
    this.#kept.delete(name);
    this.#kept.add(name);
  }

  /** Runs the search tool: the tools found are offered from the next turn. */
  search(args: unknown): ToolOutcome {
    const query = typeof args === 'object' && args !== null ? (args as { query?: unknown }).query : undefined;
    if (typeof query !== 'string' || query.trim() === '')
      return {
        parts: [{ type: 'text', text: 'search_tools needs a query: the task, in a few words.' }],
        isError: true,
      };
    const found = this.#toolset.search(query, { k: this.#k });
    for (const t of [...found].reverse()) this.called(t.name);
    if (found.length === 0)
      return { parts: [{ type: 'text', text: `No tool matches "${query}". Try other words.` }], isError: false };
    const lines = found.map((t) => `- ${t.name}: ${short(t.description)}`);
    return {
      parts: [{ type: 'text', text: `These tools can be called from now on:\n${lines.join('\n')}` }],
      isError: false,
    };
  }
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_LISTED_DESCRIPTION ? line : `${line.slice(0, MAX_LISTED_DESCRIPTION - 1)}…`;
}

/** `search_tools`, or `search_tools_2`… when the catalog has a tool by that name. */
function freeName(toolset: Toolset): string {
  let name = 'search_tools';
  for (let n = 2; toolset.get(name) !== undefined; n += 1) name = `search_tools_${n}`;
  return name;
}

function searchTool(name: string, catalogSize: number): LlmTool {
  const description =
    `Finds tools for a task among the ${catalogSize} tools available. ` +
    'Call it first; the tools it finds can be called from your next step.';
  return {
    name,
    server: '',
    tool: name,
    description,
    inputSchema: SEARCH_SCHEMA,
    readOnly: true,
    // The agent's own tool, answered in-process from the catalog: nothing of a server's runs.
    needsApproval: false,
    trusted: true,
    definition: { name, description, inputSchema: SEARCH_SCHEMA } as Tool,
    openai: { strict: true, schema: SEARCH_SCHEMA },
    gemini: {
      schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
      dropped: [],
    },
  };
}
