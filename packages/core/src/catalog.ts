import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/client';

/** A tool the server lists with a definition that breaks the MCP schema: kept out of `tools`, never callable. */
export interface InvalidTool {
  /** Its name, or `#<index>` in the list when it has none. */
  readonly name: string;
  /** What is wrong with it, e.g. `inputSchema.type: expected "object"`. */
  readonly reason: string;
}

/** A listed, callable tool with a part of its schema that is not enforced (a pattern RE2 cannot run). */
export interface ToolWarning {
  /** The tool's name. */
  readonly name: string;
  /** What is not enforced, and why. */
  readonly reason: string;
}

/** Whether a shared cache may keep a list (2026-07-28 `cacheScope`): a `private` one is for this client alone. */
export type CacheScope = 'public' | 'private';

/** What a server offers, as last listed. */
export interface Catalog {
  readonly tools: Tool[];
  /** Tools listed with a broken definition (reported, and failing with TOOL_INVALID when called). */
  readonly invalidTools: InvalidTool[];
  /** Tools listed with a part of their schema not enforced (reported; callable). None when absent. */
  readonly toolWarnings?: ToolWarning[] | undefined;
  readonly resources: Resource[];
  readonly resourceTemplates: ResourceTemplate[];
  readonly prompts: Prompt[];
  /**
   * Per part, whether a shared cache (the gateway) may serve it to other users (2026-07-28 servers
   * only; absent: not shared). A part listed `private` must never be shared.
   */
  readonly cacheScope?: Readonly<Partial<Record<CatalogKind, CacheScope>>> | undefined;
}

/** The parts of a catalog a server can say changed. */
export type CatalogKind = 'tools' | 'resources' | 'prompts';

/** A catalog with nothing in it. */
export const EMPTY_CATALOG: Catalog = Object.freeze({
  tools: [],
  invalidTools: [],
  resources: [],
  resourceTemplates: [],
  prompts: [],
});
