import { InMemoryServerEventBus, type Server, type ServerEventBus } from '@modelcontextprotocol/server';
import type { ToolPolicy } from '@universal-mcp/core';
import type { ToolEntry } from '@universal-mcp/toolset';
import { notOffered } from '@universal-mcp/supervisor';
import type { GatewayCatalog } from './gateway-catalog.js';

/** The tools a server instance lists and calls: the whole catalog's, or an endpoint's view of them. */
export interface ToolSource {
  tools(): ToolEntry[];
  tool(name: string): ToolEntry | undefined;
}

/**
 * One endpoint's view of the catalog's tools, filtered by its policy with the same rule as the
 * facade's (`notOffered`), and who is told when that view changes: its 2025 sessions and the
 * listen streams of its 2026 clients (its own bus). A change to a tool outside the view is never
 * announced there.
 */
export class ToolView implements ToolSource {
  readonly #catalog: GatewayCatalog;
  readonly #policy: ToolPolicy | undefined;
  /** Where this view's changes go for its 2026 clients. */
  readonly bus: ServerEventBus = new InMemoryServerEventBus();
  /** Its 2025 sessions (also in the gateway's own set, for logging and closing). */
  readonly sessions = new Set<Server>();
  /** What its clients last saw (names and definitions), so an unchanged view announces nothing. */
  #seen: string;

  constructor(catalog: GatewayCatalog, policy: ToolPolicy | undefined) {
    this.#catalog = catalog;
    this.#policy = policy;
    this.#seen = this.#signature();
  }

  #offers(tool: ToolEntry): boolean {
    return notOffered(tool.server, tool.definition, { client: this.#policy }) === undefined;
  }

  tools(): ToolEntry[] {
    return this.#catalog.tools().filter((t) => this.#offers(t));
  }

  tool(name: string): ToolEntry | undefined {
    const tool = this.#catalog.tool(name);
    return tool !== undefined && this.#offers(tool) ? tool : undefined;
  }

  #signature(): string {
    return JSON.stringify(this.tools().map((t) => [t.name, t.definition]));
  }

  /** True when the view differs from what was last seen (and it is now seen). */
  changed(): boolean {
    const now = this.#signature();
    if (now === this.#seen) return false;
    this.#seen = now;
    return true;
  }
}
