import { redactConfig } from '@universal-mcp/core';
import type {
  Catalog,
  CatalogKind,
  ConnectionState,
  ProtocolEra,
  ServerConfig,
  Tool,
  UniversalMcpError,
} from '@universal-mcp/core';
import type { Session } from '@universal-mcp/core/internal';
import type { ServerInfo } from './server-info.js';

/** What a supervised server knows of itself at one moment. */
export interface ServerSnapshotInput {
  readonly config: ServerConfig;
  readonly state: ConnectionState;
  readonly givenUp: boolean;
  /** The ready session, or the one the machine holds while it connects. */
  readonly session: Session | undefined;
  readonly catalog: Catalog;
  /** The offered tools of the catalog. */
  readonly tools: Tool[];
  readonly subscriptions: Iterable<string>;
  /** The era and revision of the last ready connection: still shown while the server restarts. */
  readonly era: ProtocolEra | undefined;
  readonly protocolVersion: string | undefined;
  /** When the last connection became ready (ms since the epoch). */
  readonly readyAt: number | undefined;
  readonly attempt: number;
  readonly restarts: number;
  readonly lastError: UniversalMcpError | undefined;
  readonly pending: number;
  readonly queued: number;
  readonly stderr: string[];
}

/** The `ServerInfo` of a snapshot: the config redacted, the session's facts where there is a session. */
export function serverSnapshot(s: ServerSnapshotInput): ServerInfo {
  const { session, catalog } = s;
  return {
    name: s.config.name,
    config: redactConfig(s.config),
    transport: s.config.transport,
    state: s.state,
    givenUp: s.givenUp,
    tools: s.tools,
    invalidTools: catalog.invalidTools,
    resources: catalog.resources,
    resourceTemplates: catalog.resourceTemplates,
    prompts: catalog.prompts,
    subscriptions: [...s.subscriptions],
    era: session?.era ?? s.era,
    protocolVersion: session?.protocolVersion ?? s.protocolVersion,
    serverVersion: session?.serverVersion,
    capabilities: session?.capabilities,
    connectedAt: s.state === 'ready' && s.readyAt !== undefined ? new Date(s.readyAt) : undefined,
    attempt: s.attempt,
    restarts: s.restarts,
    lastError: s.lastError,
    pid: session?.pid,
    sessionId: session?.sessionId,
    freshness: freshnessOf(session),
    pending: s.pending,
    queued: s.queued,
    stderr: s.stderr,
  };
}

/** What a session knows of its lists' freshness (a 2026-07-28 server's `ttlMs` and `cacheScope`). */
function freshnessOf(session: Session | undefined): ServerInfo['freshness'] {
  const out: { -readonly [K in CatalogKind]?: ServerInfo['freshness'][K] } = {};
  for (const kind of ['tools', 'prompts', 'resources'] as const) {
    const f = session?.freshness(kind);
    if (f !== undefined) out[kind] = f;
  }
  return out;
}
