import { EventEmitter } from 'eventemitter3';
import {
  assignToolNames,
  createToolset,
  type PrefixMode,
  type ToolEntry,
  type ToolFilter,
  type Toolset,
} from '@universal-mcp/toolset';
import type { Prompt, Resource, ResourceTemplate, Tool, UniversalMcpClient } from '@universal-mcp/supervisor';
import {
  parseAppUri,
  parsePrefixedUri,
  shownTemplate,
  shownUri,
  splitPrefixedUri,
  type ResourceRef,
} from './resource-names.js';
import { matchesTemplate } from './uri-template-match.js';

/** What the gateway shows of its servers. */
export interface ExposeOptions {
  readonly tools?: boolean | undefined;
  readonly resources?: boolean | undefined;
  readonly prompts?: boolean | undefined;
}

/** Options of the gateway catalog: what the gateway offers its clients, merged from every server's. */
export interface GatewayCatalogOptions {
  /** When a tool's or prompt's name gets its server's name in front (the toolset's scheme). @default 'on-collision' */
  readonly naming?: PrefixMode | undefined;
  /** Which tools are shown, as in the toolset. */
  readonly filter?: ToolFilter | ((server: string, tool: Tool) => boolean) | undefined;
  /** @default all three */
  readonly expose?: ExposeOptions | undefined;
}

/** @deprecated Renamed {@link GatewayCatalogOptions} (core's `Catalog` is one server's); this name goes in 1.0. */
export type CatalogOptions = GatewayCatalogOptions;

/** Which lists changed. */
export interface GatewayCatalogEvents {
  'tools:changed': () => void;
  'prompts:changed': () => void;
  'resources:changed': () => void;
}

/** A prompt as shown, and where it lives. */
interface ShownPrompt {
  readonly prompt: Prompt;
  readonly server: string;
  readonly name: string;
}

/** A resource template as shown, and whose it is. */
interface ShownTemplate {
  readonly server: string;
  readonly template: ResourceTemplate;
}

/**
 * Every ready server's tools, prompts and resources as one MCP server's: tools named by the
 * toolset of `@universal-mcp/toolset` (one naming scheme for models and for the gateway), prompts by
 * the same function, resources by {@link shownUri}. Kept current from the client's events.
 */
export class GatewayCatalog extends EventEmitter<GatewayCatalogEvents> {
  readonly #client: UniversalMcpClient;
  readonly #options: GatewayCatalogOptions;
  readonly #toolset: Toolset;
  #prompts: Map<string, ShownPrompt> | undefined;
  #resources: Map<string, ResourceRef & { resource: Resource }> | undefined;
  #templates: Map<string, ShownTemplate> | undefined;
  readonly #detach: () => void;

  constructor(client: UniversalMcpClient, options: GatewayCatalogOptions = {}) {
    super();
    this.#client = client;
    this.#options = options;
    // App-only tools are shown: the downstream host hands them to the App (its model must not see them).
    this.#toolset = createToolset(client, { prefix: options.naming, filter: options.filter, appOnly: true });
    // One announcement per list per tick, however many sources tell of it at once.
    const pending = new Set<keyof GatewayCatalogEvents>();
    const announce = (event: keyof GatewayCatalogEvents): void => {
      if (pending.has(event)) return;
      pending.add(event);
      queueMicrotask(() => {
        pending.delete(event);
        this.emit(event);
      });
    };
    this.#toolset.on('changed', () => announce('tools:changed'));
    // An upstream server's own list_changed is passed on even when the merged list looks the same
    // (the server may know better: a description, an annotation the gateway does not compare).
    const detach = [client.on('tools:changed', () => announce('tools:changed'))];
    // A server coming or going: a change is announced only when the list a client sees changes.
    const promptsSeen = (): string => JSON.stringify([...this.#promptMap()].map(([n, p]) => [n, p.prompt]));
    const resourcesSeen = (): string => JSON.stringify([[...this.#resourceMap().keys()], this.resourceTemplates()]);
    let promptsSignature = promptsSeen();
    let resourcesSignature = resourcesSeen();
    const prompts = (announced: boolean): void => {
      this.#prompts = undefined;
      const now = promptsSeen();
      if (announced || now !== promptsSignature) announce('prompts:changed');
      promptsSignature = now;
    };
    const resources = (announced: boolean): void => {
      this.#resources = undefined;
      this.#templates = undefined;
      const now = resourcesSeen();
      if (announced || now !== resourcesSignature) announce('resources:changed');
      resourcesSignature = now;
    };
    const any = (): void => {
      prompts(false);
      resources(false);
    };
    detach.push(
      client.on('prompts:changed', () => prompts(true)),
      client.on('resources:changed', () => resources(true)),
      ...(['server:ready', 'server:given-up', 'server:removed'] as const).map((e) => client.on(e, any)),
    );
    this.#detach = () => {
      for (const off of detach) off();
      this.#toolset.close();
    };
  }

  get expose(): Required<ExposeOptions> {
    const e = this.#options.expose ?? {};
    return { tools: e.tools ?? true, resources: e.resources ?? true, prompts: e.prompts ?? true };
  }

  /** The servers shown: every one not given up, in name order. */
  #servers(): string[] {
    return this.#client
      .listServers()
      .filter((s) => this.#client.getServerInfo(s)?.givenUp !== true)
      .sort();
  }

  tools(): ToolEntry[] {
    return this.#toolset.list();
  }

  tool(name: string): ToolEntry | undefined {
    return this.#toolset.get(name);
  }

  prompts(): Prompt[] {
    return [...this.#promptMap()].map(([name, p]) => ({ ...p.prompt, name }));
  }

  prompt(name: string): { server: string; name: string } | undefined {
    const p = this.#promptMap().get(name);
    return p === undefined ? undefined : { server: p.server, name: p.name };
  }

  #promptMap(): Map<string, ShownPrompt> {
    if (this.#prompts !== undefined) return this.#prompts;
    const all = this.#servers().flatMap((server) =>
      [...this.#client.listPrompts(server)]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((prompt) => ({ server, prompt })),
    );
    const names = assignToolNames(
      all.map((p) => ({ server: p.server, tool: p.prompt.name })),
      this.#options.naming ?? 'on-collision',
    );
    const byRef = new Map(all.map((p) => [`${p.server}\u0000${p.prompt.name}`, p.prompt]));
    this.#prompts = new Map(
      [...names].map(([name, ref]) => [
        name,
        { server: ref.server, name: ref.tool, prompt: byRef.get(`${ref.server}\u0000${ref.tool}`) as Prompt },
      ]),
    );
    return this.#prompts;
  }

  resources(): Resource[] {
    return [...this.#resourceMap()].map(([uri, r]) => ({ ...r.resource, uri }));
  }

  resourceTemplates(): ResourceTemplate[] {
    return [...this.#templateMap()].map(([uriTemplate, t]) => ({ ...t.template, uriTemplate }));
  }

  /**
   * The server and URI a shown URI stands for: a listed resource, a prefixed URI (its rest taken
   * as written when it fits one of that server's templates, decoded otherwise), or a template's
   * match (the first server's, in name order, that has one).
   */
  resolveUri(uri: string): ResourceRef | undefined {
    const listed = this.#resourceMap().get(uri);
    if (listed !== undefined) return { server: listed.server, uri: listed.uri };
    const servers = this.#servers();
    // A `ui://` URI is always one of ours (an unlisted App: a tool's, or one a template makes).
    const app = parseAppUri(uri);
    if (app !== undefined) return servers.includes(app.server) ? app : undefined;
    const split = splitPrefixedUri(uri);
    if (split !== undefined && servers.includes(split.server)) {
      const { server, rest } = split;
      if (this.#client.listResourceTemplates(server).some((t) => matchesTemplate(t.uriTemplate, rest)))
        return { server, uri: rest };
      return parsePrefixedUri(uri);
    }
    for (const server of servers)
      for (const t of this.#client.listResourceTemplates(server))
        if (matchesTemplate(t.uriTemplate, uri)) return { server, uri };
    return undefined;
  }

  /** The server of a shown template, and the template as that server knows it. */
  template(shown: string): { server: string; uriTemplate: string } | undefined {
    const t = this.#templateMap().get(shown);
    return t === undefined ? undefined : { server: t.server, uriTemplate: t.template.uriTemplate };
  }

  #templateMap(): Map<string, ShownTemplate> {
    if (this.#templates !== undefined) return this.#templates;
    const all = this.#servers().flatMap((server) =>
      this.#client.listResourceTemplates(server).map((template) => ({ server, template })),
    );
    const count = new Map<string, number>();
    for (const t of all) count.set(t.template.uriTemplate, (count.get(t.template.uriTemplate) ?? 0) + 1);
    this.#templates = new Map(
      all.map((t) => [
        shownTemplate(t.server, t.template.uriTemplate, (count.get(t.template.uriTemplate) ?? 0) > 1),
        t,
      ]),
    );
    return this.#templates;
  }

  #resourceMap(): Map<string, ResourceRef & { resource: Resource }> {
    if (this.#resources !== undefined) return this.#resources;
    const all = this.#servers().flatMap((server) =>
      this.#client.listResources(server).map((resource) => ({ server, uri: resource.uri, resource })),
    );
    const count = new Map<string, number>();
    for (const r of all) count.set(r.uri, (count.get(r.uri) ?? 0) + 1);
    this.#resources = new Map(all.map((r) => [shownUri(r, (count.get(r.uri) ?? 0) > 1), r]));
    return this.#resources;
  }

  close(): void {
    this.#detach();
    this.removeAllListeners();
  }
}
