import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';

/** What a server offers, as last listed. */
export interface Catalog {
  readonly tools: Tool[];
  readonly resources: Resource[];
  readonly resourceTemplates: ResourceTemplate[];
  readonly prompts: Prompt[];
}

/** The parts of a catalog a server can say changed. */
export type CatalogKind = 'tools' | 'resources' | 'prompts';

/** A catalog with nothing in it. */
export const EMPTY_CATALOG: Catalog = Object.freeze({ tools: [], resources: [], resourceTemplates: [], prompts: [] });
