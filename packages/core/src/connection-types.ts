import type { Catalog, CatalogKind } from './catalog.js';
import type { ServerConfig } from './config.js';
import type { UniversalMcpError } from './errors.js';
import type { ClientExtensions, ClientHandlers } from './handlers.js';
import type { HealthPolicy } from './policy.js';
import type { EraVerdict } from './era-verdict.js';
import type { ProtocolSetting } from './protocol-era.js';
import type { OutboundHosts } from './outbound-hosts.js';
import type { Session, SessionListener } from './session-types.js';

/** The states a connection can be in. */
export type ConnectionState = 'connecting' | 'initialized' | 'ready' | 'failed' | 'restarting' | 'stopped';

/** What a connection machine is started with. */
export interface ConnectionInput {
  readonly config: ServerConfig;
  /** Start-up plus the `initialize` handshake; discovery gets as long again. */
  readonly connectTimeoutMs: number;
  readonly health: HealthPolicy;
  /** Told what each session sees that is not a state change (stderr, logs, resource updates…). */
  readonly listener?: SessionListener | undefined;
  /** Client-wide answers to server-to-client requests (a server's own config.handlers win). */
  readonly handlers?: ClientHandlers | undefined;
  /** Extensions every session declares in its client capabilities (MCP Apps, for one). */
  readonly extensions?: ClientExtensions | undefined;
  /** The client-wide MCP revision setting (a server's own `config.protocol` wins). @default 'auto' */
  readonly protocol?: ProtocolSetting | undefined;
  /** Where HTTP requests may go (the client's `outboundHosts`); undefined: anywhere. */
  readonly outboundHosts?: OutboundHosts | undefined;
}

export interface ConnectionContext {
  input: ConnectionInput;
  readonly name: string;
  session: Session | undefined;
  catalog: Catalog;
  /** 1 for the first connection attempt, then one more per restart. */
  attempt: number;
  /** Why the machine entered its current state. */
  reason: string;
  /** The failure that led to `failed` (with the process exit, when that was it), kept until the next `ready`. */
  error: UniversalMcpError | undefined;
  restartDelayMs: number;
  connectedAt: number | undefined;
  /**
   * The server's era, as the last session learned it: the next one connects with it and does not
   * probe. Cleared when an attempt that used it fails before `ready` (the server changed era).
   */
  verdict: EraVerdict | undefined;
  /** True while the current attempt connects with {@link verdict}. */
  usedVerdict: boolean;
}

/** Events the machine accepts. `supervisor.*` come from the supervisor, `connection.*` from its own actors. */
export type ConnectionEvent =
  | { type: 'supervisor.restart-after'; delayMs: number }
  | { type: 'supervisor.stop'; reason?: string }
  /** End the current connection (or cut short a backoff) and connect again at once. */
  | { type: 'supervisor.restart'; reason: string }
  | { type: 'supervisor.configure'; health: HealthPolicy; connectTimeoutMs: number }
  | { type: 'connection.lost'; error: UniversalMcpError }
  | { type: 'connection.catalog'; kind: CatalogKind; catalog: Partial<Catalog> };

/** Events the machine emits for the supervisor to bridge. */
export interface ConnectionEmitted {
  type: 'catalog.changed';
  kind: CatalogKind;
  catalog: Catalog;
}
