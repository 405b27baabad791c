import type { Catalog, CatalogKind } from './catalog.js';
import type { ServerConfig } from './config.js';
import type { ConnectionEvent } from './connection-types.js';
import type { EraVerdict } from './era-verdict.js';
import type { ProtocolSetting } from './protocol-era.js';
import type { OutboundHosts } from './outbound-hosts.js';
import { ErrorCode, UniversalMcpError } from './errors.js';
import type { ClientExtensions, ClientHandlers } from './handlers.js';
import { MAX_TIMER_MS, type HealthPolicy } from './policy.js';
import { McpSession } from './session.js';
import type { Session, SessionListener } from './session-types.js';

/** Input of the `connect` actor. */
export interface ConnectInput {
  readonly config: ServerConfig;
  readonly timeoutMs: number;
  readonly listener?: SessionListener | undefined;
  readonly handlers?: ClientHandlers | undefined;
  readonly extensions?: ClientExtensions | undefined;
  readonly protocol?: ProtocolSetting | undefined;
  /** The era an earlier session learned: no probe. */
  readonly prior?: EraVerdict | undefined;
  readonly outboundHosts?: OutboundHosts | undefined;
}

/** Opens a session; the machine's `connect` actor. Aborted when the machine leaves `connecting`. */
export async function openSession({ input, signal }: { input: ConnectInput; signal: AbortSignal }): Promise<Session> {
  const session = await McpSession.open(input.config, {
    timeoutMs: input.timeoutMs,
    signal,
    listener: input.listener,
    handlers: input.handlers,
    extensions: input.extensions,
    protocol: input.protocol,
    prior: input.prior,
    outboundHosts: input.outboundHosts,
  });
  if (signal.aborted) {
    await session.close();
    throw new UniversalMcpError(ErrorCode.CLOSED, `Connection to "${input.config.name}" was stopped while connecting`, {
      server: input.config.name,
    });
  }
  return session;
}

/** Input of the `discover` actor. */
export interface DiscoverInput {
  readonly session: Session;
  readonly timeoutMs: number;
}

/** Reads the server's whole catalog after the handshake; the machine's `discover` actor. */
export async function discoverCatalog({
  input,
  signal,
}: {
  input: DiscoverInput;
  signal: AbortSignal;
}): Promise<Catalog> {
  // The timeout bounds the whole discovery, however many pages a server hands out.
  const c = await input.session.listCatalog('all', { timeoutMs: input.timeoutMs, totalMs: input.timeoutMs, signal });
  return {
    tools: c.tools ?? [],
    invalidTools: c.invalidTools ?? [],
    toolWarnings: c.toolWarnings ?? [],
    resources: c.resources ?? [],
    resourceTemplates: c.resourceTemplates ?? [],
    prompts: c.prompts ?? [],
    cacheScope: c.cacheScope,
  };
}

/** How long a burst of list_changed notifications is gathered before one refresh. */
export const LIST_CHANGED_DEBOUNCE_MS = 50;

/** The shortest `ttlMs` the catalog honours: a server saying 0 (or 1) must not make us list in a loop. */
export const MIN_LIST_TTL_MS = 1000;

/** The server offers list_changed for `kind` (the session listens for it). */
function notifiesChanges(session: Session, kind: CatalogKind): boolean {
  return session.capabilities?.[kind]?.listChanged === true;
}

/** Input of the `watch` actor. */
export interface WatchInput {
  readonly session: Session;
  readonly health: HealthPolicy;
}

/**
 * Watches a ready session: turns transport close and process exit, failed health pings and
 * tools/list_changed into machine events. Its cleanup detaches everything it attached.
 */
export function watchSession({
  input,
  sendBack,
}: {
  input: WatchInput;
  sendBack: (event: ConnectionEvent) => void;
}): () => void {
  const { session, health } = input;
  const name = session.server;
  // No AbortSignal is shared across these requests: the SDK adds a listener to a request's signal
  // and never removes it, so one long-lived signal would grow by one listener per ping, forever.
  // A late answer after cleanup is ignored through `done`; the session's close rejects the rest.
  let done = false;
  const lose = (error: UniversalMcpError): void => {
    if (done) return;
    done = true;
    sendBack({ type: 'connection.lost', error });
  };
  const detach = session.watch({
    lost: (reason) =>
      lose(
        new UniversalMcpError(
          reason.code,
          reason.code === ErrorCode.SESSION_EXPIRED
            ? `Server "${name}" lost the session: ${reason.message}`
            : `Connection to "${name}" lost: ${reason.message}`,
          {
            server: name,
            exit: reason.exit,
          },
        ),
      ),
    listChanged: (kind) => refreshIn(kind, LIST_CHANGED_DEBOUNCE_MS),
  });
  const refreshTimers = new Map<CatalogKind, NodeJS.Timeout>();
  /** Lists `kind` again after `ms` (a pending refresh of it is replaced); then waits out its ttl, if it has one. */
  function refreshIn(kind: CatalogKind, ms: number): void {
    const pending = refreshTimers.get(kind);
    if (pending !== undefined) clearTimeout(pending);
    const timer = setTimeout(() => {
      refreshTimers.delete(kind);
      session.listCatalog(kind, { timeoutMs: health.timeoutMs }).then(
        (catalog) => {
          if (done) return;
          sendBack({ type: 'connection.catalog', kind, catalog });
          expireAfterTtl(kind);
        },
        () => expireAfterTtl(kind), // A failed refresh keeps the old catalog; a dead connection is reported by `lost`.
      );
    }, ms);
    timer.unref();
    refreshTimers.set(kind, timer);
  }
  /**
   * A 2026-07-28 list with a `ttlMs` is listed again when it goes stale (at least a second apart), unless the ttl
   * is 0 and the server tells list changes.
   */
  function expireAfterTtl(kind: CatalogKind): void {
    const ttlMs = session.freshness(kind)?.ttlMs;
    if (done || ttlMs === undefined || refreshTimers.has(kind)) return;
    // 0 promises no freshness ("re-fetch when needed"): a server that tells list changes keeps the list current
    // itself, and listing it every second anyway would poll every SDK server that keeps the default.
    if (ttlMs === 0 && notifiesChanges(session, kind)) return;
    refreshIn(kind, Math.min(Math.max(MIN_LIST_TTL_MS, ttlMs), MAX_TIMER_MS));
  }
  for (const kind of ['tools', 'prompts', 'resources'] as const) expireAfterTtl(kind);

  let timer: NodeJS.Timeout | undefined;
  if (health.intervalMs > 0) {
    let failures = 0;
    let pinging = false;
    timer = setInterval(() => {
      if (pinging || done) return;
      pinging = true;
      session.ping({ timeoutMs: health.timeoutMs }).then(
        () => {
          pinging = false;
          failures = 0;
        },
        (err: unknown) => {
          pinging = false;
          if (done) return;
          failures += 1;
          if (failures >= health.failuresBeforeRestart) {
            lose(
              new UniversalMcpError(
                ErrorCode.CONNECTION_LOST,
                `Connection to "${name}" lost: ${failures} health checks failed`,
                { server: name, cause: err },
              ),
            );
          }
        },
      );
    }, health.intervalMs);
    timer.unref?.();
  }

  return () => {
    done = true;
    if (timer !== undefined) clearInterval(timer);
    for (const t of refreshTimers.values()) clearTimeout(t);
    detach();
  };
}
