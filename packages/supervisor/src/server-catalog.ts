import type { Catalog, CatalogKind, Tool } from '@universal-mcp/core';
import { EMPTY_CATALOG } from '@universal-mcp/core/internal';
import type { ServerWarningEvent } from './events.js';

/** A catalog's warnings, without the server's name. */
export type CatalogWarning = Omit<ServerWarningEvent, 'server'>;

/** Every warning a catalog carries: its left-out tools, then its tools with patterns not enforced. */
function warningsOf(catalog: Catalog): CatalogWarning[] {
  return [
    ...catalog.invalidTools.map((t) => ({ kind: 'tool-left-out' as const, tool: t.name, reason: t.reason })),
    ...(catalog.toolWarnings ?? []).map((t) => ({
      kind: 'pattern-not-enforced' as const,
      tool: t.name,
      reason: t.reason,
    })),
  ];
}

const warningKey = (w: CatalogWarning): string => `${w.kind}\n${w.tool}\n${w.reason}`;

const names = (items: readonly { name?: string; uri?: string; uriTemplate?: string }[]): string =>
  items.map((i) => i.name ?? i.uri ?? i.uriTemplate).join('\n');

/** One server's catalog as last listed, indexed for the request path. */
export class ServerCatalog {
  readonly #announce: (kind: CatalogKind, catalog: Catalog) => void;
  readonly #warn: (warning: CatalogWarning) => void;
  readonly #observe: ((tools: readonly Tool[]) => boolean) | undefined;
  #catalog: Catalog = EMPTY_CATALOG;
  #tools = new Map<string, Tool>();
  #invalid = new Map<string, string>();
  #safe = new Set<string>();

  /**
   * @param announce told of each kind that changed (for `tools:changed` and the like)
   * @param warn told of each warning a new catalog brings that the last one did not have
   * @param observe told of each new tool list before it is announced (the tool gate's pins); true when what
   *   is offered may have changed, though the names did not
   */
  constructor(
    announce: (kind: CatalogKind, catalog: Catalog) => void,
    warn: (warning: CatalogWarning) => void,
    observe?: (tools: readonly Tool[]) => boolean,
  ) {
    this.#announce = announce;
    this.#warn = warn;
    this.#observe = observe;
  }

  get current(): Catalog {
    return this.#catalog;
  }

  tool(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  /** Why a listed tool cannot be called, when its definition is broken. */
  invalidReason(name: string): string | undefined {
    return this.#invalid.get(name);
  }

  /** Annotated `readOnlyHint` or `idempotentHint`: safe to send again after a lost session. */
  isSafe(name: string): boolean {
    return this.#safe.has(name);
  }

  /** Takes a new catalog; announces the kinds in `announce` (only those that differ, when `onlyIfDifferent`). */
  set(catalog: Catalog, announce: readonly CatalogKind[], onlyIfDifferent = false): void {
    const before = this.#catalog;
    this.#catalog = catalog;
    let flagged = false;
    if (catalog.tools !== before.tools) {
      flagged = this.#observe?.(catalog.tools) ?? false;
      this.#tools = new Map(catalog.tools.map((t) => [t.name, t]));
      this.#safe = new Set(
        catalog.tools
          .filter((t) => t.annotations?.readOnlyHint === true || t.annotations?.idempotentHint === true)
          .map((t) => t.name),
      );
    }
    if (catalog.invalidTools !== before.invalidTools)
      this.#invalid = new Map(catalog.invalidTools.map((t) => [t.name, t.reason]));
    if (catalog.invalidTools !== before.invalidTools || catalog.toolWarnings !== before.toolWarnings) {
      const known = new Set(warningsOf(before).map(warningKey));
      for (const warning of warningsOf(catalog)) if (!known.has(warningKey(warning))) this.#warn(warning);
    }
    for (const kind of announce)
      if (!onlyIfDifferent || differs(kind, before, catalog) || (kind === 'tools' && flagged))
        this.#announce(kind, catalog);
  }
}

function differs(kind: CatalogKind, a: Catalog, b: Catalog): boolean {
  if (kind === 'tools') return names(a.tools) !== names(b.tools) || names(a.invalidTools) !== names(b.invalidTools);
  if (kind === 'prompts') return names(a.prompts) !== names(b.prompts);
  return names(a.resources) !== names(b.resources) || names(a.resourceTemplates) !== names(b.resourceTemplates);
}
