import type {
  CacheScope,
  CatalogKind,
  ConnectionState,
  Implementation,
  InvalidTool,
  Prompt,
  ProtocolEra,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  ServerConfig,
  Tool,
  UniversalMcpError,
} from '@universal-mcp/core';

/** How fresh a server's last listing of one kind stays (2026-07-28 `ttlMs` and `cacheScope`). */
export interface ListFreshness {
  /** The smallest `ttlMs` of the listing's pages; undefined when it gave none. */
  readonly ttlMs: number | undefined;
  /** `public` only if every page was; a shared cache keeps a `private` list for this client alone. */
  readonly cacheScope: CacheScope;
}

/** A snapshot of one supervised server, for display and monitoring. */
export interface ServerInfo {
  /** The name it was added under. */
  readonly name: string;
  /** The config with env values, secret headers and URL credentials redacted. */
  readonly config: ServerConfig;
  /** `stdio`, `streamable_http` or `sse`. */
  readonly transport: ServerConfig['transport'];
  /** Where its connection is now. */
  readonly state: ConnectionState;
  /** True once the supervisor has given the server up; `restartServer` brings it back. */
  readonly givenUp: boolean;
  /** The cached tool catalog. */
  readonly tools: Tool[];
  /** Tools the server lists with a broken definition: left out of `tools`; calling one fails with `TOOL_INVALID`. */
  readonly invalidTools: InvalidTool[];
  /** The cached resources (every page). */
  readonly resources: Resource[];
  /** The cached resource templates. */
  readonly resourceTemplates: ResourceTemplate[];
  /** The cached prompts. */
  readonly prompts: Prompt[];
  /** Resource URIs this client is subscribed to (re-subscribed after every restart). */
  readonly subscriptions: readonly string[];
  /**
   * The MCP era of the current connection, or of the last one while the server restarts
   * (`undefined` before the first): `2026-07-28` (stateless) or `2025-11-25` (`initialize`).
   */
  readonly era: ProtocolEra | undefined;
  /** The exact revision that connection agreed on (in the 2025 era, what `initialize` settled). */
  readonly protocolVersion: string | undefined;
  /** The server's name and version from `initialize`. */
  readonly serverVersion: Implementation | undefined;
  /** The server's capabilities from `initialize`. */
  readonly capabilities: ServerCapabilities | undefined;
  /** When the current connection became ready. */
  readonly connectedAt: Date | undefined;
  /** The connection attempt the server is on (1 for the first). */
  readonly attempt: number;
  /** Restarts so far. */
  readonly restarts: number;
  /** The last failure (kept after the server is ready again; a restart asked for is not one). */
  readonly lastError: UniversalMcpError | undefined;
  /** The stdio server's process id. */
  readonly pid: number | undefined;
  /** The Streamable HTTP session id. */
  readonly sessionId: string | undefined;
  /**
   * How fresh each listed part stays, as a 2026-07-28 server said (`ttlMs`: the shortest of its
   * pages, undefined when it gave none; `cacheScope`: `public` only if every page was). Empty for a
   * 2025-era server, which says nothing of it.
   */
  readonly freshness: Readonly<Partial<Record<CatalogKind, ListFreshness>>>;
  /** Calls running at the server now. */
  readonly pending: number;
  /** Calls waiting for a slot, or for the server to be ready. */
  readonly queued: number;
  /** The stdio server's recent stderr lines (the last 200, at most 32 KiB). */
  readonly stderr: readonly string[];
}
