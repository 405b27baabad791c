import {
  specTypeSchemas,
  type JsonSchemaValidator,
  type Prompt,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  type ServerCapabilities,
} from '@modelcontextprotocol/client';
import type { CacheScope, Catalog, CatalogKind } from './catalog.js';
import { ErrorCode, UniversalMcpError } from './errors.js';
import type { ParamHeaderDeclaration } from './mcp-param-headers.js';
import { pageOf } from './result-checks.js';
import type { SessionChannel } from './session-channel.js';
import type { ListFreshness, RequestOptions } from './session-types.js';
import { checkTools, toolsPage, type ToolList } from './tool-list.js';

/** Which catalog part a list method fills. */
const LIST_KINDS: Readonly<Record<string, CatalogKind>> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resources',
};

/**
 * A session's listings: pagination followed to the end within a total deadline, each list's
 * freshness (2026-07-28 `ttlMs`, `cacheScope`), and what the tool list declares for calls
 * (output schemas, `x-mcp-header`s).
 */
export class CatalogListing {
  readonly #server: string;
  readonly #channel: SessionChannel;
  readonly #freshness = new Map<CatalogKind, ListFreshness>();
  /** Output-schema validators of the listed tools, every page's (the SDK's own cache keeps only the last page's). */
  #outputValidators: ReadonlyMap<string, JsonSchemaValidator<unknown>> = new Map();
  /** The listed tools' `x-mcp-header` declarations (2026-07-28). */
  #paramHeaders: ReadonlyMap<string, readonly ParamHeaderDeclaration[]> = new Map();

  constructor(server: string, channel: SessionChannel) {
    this.#server = server;
    this.#channel = channel;
  }

  /** How fresh the last listing of `kind` stays; undefined before one. */
  freshness(kind: CatalogKind): ListFreshness | undefined {
    return this.#freshness.get(kind);
  }

  /** The output-schema validator of a listed tool that has one. */
  outputValidator(tool: string): JsonSchemaValidator<unknown> | undefined {
    return this.#outputValidators.get(tool);
  }

  /** A listed tool's `x-mcp-header` declarations (2026-07-28 only). */
  paramHeaders(tool: string): readonly ParamHeaderDeclaration[] | undefined {
    return this.#channel.modern ? this.#paramHeaders.get(tool) : undefined;
  }

  /**
   * The server's whole tool catalog, pagination followed to the end, each tool checked on its own
   * (see {@link checkTools}); every page's output schemas are enforced on calls.
   */
  async listTools(options: RequestOptions): Promise<ToolList> {
    const raw = await this.#paginate('tools/list', toolsPage, options);
    const { tools, invalid, warnings, outputValidators, paramHeaders } = checkTools(raw, {
      paramHeaders: this.#channel.modern,
    });
    this.#outputValidators = outputValidators;
    this.#paramHeaders = paramHeaders;
    return { tools, invalid, warnings };
  }

  /** Every resource, pagination followed to the end. */
  listResources(options: RequestOptions): Promise<Resource[]> {
    return this.#paginate('resources/list', pageOf(specTypeSchemas.ListResourcesResult, 'resources'), options);
  }

  /** Every resource template, pagination followed to the end. */
  listResourceTemplates(options: RequestOptions): Promise<ResourceTemplate[]> {
    return this.#paginate(
      'resources/templates/list',
      pageOf(specTypeSchemas.ListResourceTemplatesResult, 'resourceTemplates'),
      options,
    );
  }

  /** Every prompt, pagination followed to the end. */
  listPrompts(options: RequestOptions): Promise<Prompt[]> {
    return this.#paginate('prompts/list', pageOf(specTypeSchemas.ListPromptsResult, 'prompts'), options);
  }

  /** One part of the catalog, or all of it; parts the server lacks the capability for (`caps`) are empty. */
  async listCatalog(
    kind: CatalogKind | 'all',
    caps: ServerCapabilities,
    options: RequestOptions,
  ): Promise<Partial<Catalog>> {
    const wants = (k: CatalogKind): boolean => kind === 'all' || kind === k;
    const list = <T>(wanted: boolean, offered: unknown, read: () => Promise<T[]>): Promise<T[] | undefined> =>
      !wanted ? Promise.resolve(undefined) : offered === undefined ? Promise.resolve([]) : read();
    const [tools, prompts, resources, resourceTemplates] = await Promise.all([
      wants('tools')
        ? caps.tools === undefined
          ? Promise.resolve({ tools: [], invalid: [], warnings: [] })
          : this.listTools(options)
        : Promise.resolve(undefined),
      list(wants('prompts'), caps.prompts, () => this.listPrompts(options)),
      list(wants('resources'), caps.resources, () => this.listResources(options)),
      // Templates are optional even where resources are offered; some servers answer -32601.
      list(wants('resources'), caps.resources, () => this.listResourceTemplates(options).catch(() => [])),
    ]);
    const out: { -readonly [K in keyof Catalog]?: Catalog[K] } = {};
    if (tools !== undefined) {
      out.tools = tools.tools;
      out.invalidTools = tools.invalid;
      out.toolWarnings = tools.warnings;
    }
    if (prompts !== undefined) out.prompts = prompts;
    if (resources !== undefined) out.resources = resources;
    if (resourceTemplates !== undefined) out.resourceTemplates = resourceTemplates;
    if (this.#channel.modern) {
      const scopes: Partial<Record<CatalogKind, CacheScope>> = {};
      for (const k of ['tools', 'prompts', 'resources'] as const) {
        const scope = wants(k) ? this.#freshness.get(k)?.cacheScope : undefined;
        if (scope !== undefined) scopes[k] = scope;
      }
      out.cacheScope = scopes;
    }
    return out;
  }

  /**
   * Follows a list's pagination to the end, within `totalMs` for all pages when given; `read`
   * checks a page and picks its items.
   */
  async #paginate<T>(
    method: string,
    read: (result: Record<string, unknown>) => { items: T[]; nextCursor?: string | undefined },
    options: RequestOptions,
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    const seen = new Set<string>();
    const hints: Record<string, unknown>[] = [];
    const end = options.totalMs === undefined ? undefined : performance.now() + options.totalMs;
    const pastDeadline = (): UniversalMcpError =>
      new UniversalMcpError(
        ErrorCode.TIMEOUT,
        `Listing from "${this.#server}" passed its ${options.totalMs} ms deadline ` +
          `after ${items.length} items (pagination does not end)`,
        {
          server: this.#server,
          details: { kind: 'deadline', ms: options.totalMs ?? 0 },
        },
      );
    do {
      const left = end === undefined ? options.timeoutMs : Math.min(options.timeoutMs, end - performance.now());
      if (left <= 0) throw pastDeadline();
      // This page's timeout is what is left of the total: its timer firing is the total deadline.
      const cutByDeadline = left < options.timeoutMs;
      try {
        const params = cursor === undefined ? {} : { cursor };
        const page = await this.#channel.request(method, params, { ...options, timeoutMs: left }, (result) => {
          hints.push(result);
          return read(result);
        });
        items.push(...page.items);
        cursor = page.nextCursor;
      } catch (err) {
        // The page ran into the total deadline rather than its own timeout: say which.
        if (cutByDeadline && err instanceof UniversalMcpError && err.code === ErrorCode.TIMEOUT) throw pastDeadline();
        throw err;
      }
      // A server that hands out the same cursor twice would loop forever.
      if (cursor !== undefined && (seen.has(cursor) || seen.size > 10_000)) break;
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    this.#noteFreshness(method, hints);
    return items;
  }

  /** Keeps a listing's `ttlMs` (the shortest of its pages) and `cacheScope` (`public` only if every page is). */
  #noteFreshness(method: string, pages: readonly Record<string, unknown>[]): void {
    const kind = LIST_KINDS[method];
    if (!this.#channel.modern || kind === undefined) return;
    let ttlMs: number | undefined;
    let cacheScope: CacheScope = 'public';
    for (const page of pages) {
      const ttl = page.ttlMs;
      if (typeof ttl === 'number' && Number.isSafeInteger(ttl) && ttl >= 0) ttlMs = Math.min(ttlMs ?? ttl, ttl);
      if (page.cacheScope !== 'public') cacheScope = 'private';
    }
    // Templates share the resources' entry: the stricter of the two wins.
    const before = method === 'resources/templates/list' ? this.#freshness.get(kind) : undefined;
    if (before !== undefined) {
      if (before.ttlMs !== undefined) ttlMs = Math.min(ttlMs ?? before.ttlMs, before.ttlMs);
      if (before.cacheScope === 'private') cacheScope = 'private';
    }
    this.#freshness.set(kind, { ttlMs, cacheScope });
  }
}
