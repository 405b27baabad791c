// How a session settles its era with the SDK v2 Client: the negotiation options for a config's
// `protocol` setting, the verdict a connection keeps across restarts (a fact about the server, so a
// restart never probes again), and the typed error when a pinned era is not on offer.
import {
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  type DiscoverResult,
  type VersionNegotiationOptions,
} from '@modelcontextprotocol/client';
import { readUnsupportedVersion } from './discover-result.js';
import { ErrorCode, UniversalMcpError } from './errors.js';
import { PROTOCOL_2025, PROTOCOL_2026, type ProtocolSetting } from './protocol-era.js';

/**
 * What a connection learned about its server's era: `modern` with the `server/discover` result it
 * answered, or `legacy` (the `initialize` handshake). Given back to the SDK as `connect({ prior })`.
 */
export type EraVerdict = { readonly kind: 'modern'; readonly discover: DiscoverResult } | { readonly kind: 'legacy' };

/** The shortest probe, so that a tiny connect timeout still leaves the probe a chance. */
const MIN_PROBE_MS = 100;

/**
 * The SDK's negotiation for a setting. The `auto` probe gets half the connect timeout (never the
 * SDK's 60 s default): a silent stdio server is a legacy one, and the `initialize` that follows
 * needs the other half.
 */
export function negotiationFor(setting: ProtocolSetting, connectTimeoutMs: number): VersionNegotiationOptions {
  if (setting === PROTOCOL_2025) return { mode: 'legacy' };
  const timeoutMs = Math.max(MIN_PROBE_MS, Math.floor(connectTimeoutMs / 2));
  if (setting === PROTOCOL_2026) return { mode: { pin: PROTOCOL_2026 }, probe: { timeoutMs } };
  return { mode: 'auto', probe: { timeoutMs } };
}

/** The prior to connect with, or undefined (probe) when none is kept or the setting rules it out. */
export function priorFor(setting: ProtocolSetting, verdict: EraVerdict | undefined): EraVerdict | undefined {
  if (verdict === undefined) return undefined;
  if (setting === PROTOCOL_2025) return undefined; // legacy mode never probes anyway
  if (setting === PROTOCOL_2026 && verdict.kind === 'legacy') return undefined; // a pin is checked afresh
  return verdict;
}

/**
 * True for the SDK's failure of an in-place probe on a stdio server that closed or exited on
 * `server/discover`: the shape of a 2025 server built on an SDK that ends on any request before
 * `initialize`. (The SDK spawns a sibling for this only on its own stdio transport, not ours.)
 */
export function probeEndedServer(err: unknown): boolean {
  return err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed;
}

/** The largest HTTP error body read for a JSON-RPC error in it. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The `data` of a -32022 refusal: from the JSON-RPC error, or from the body of the HTTP 400 the
 * SDK's transport reports it in (`{}` when the refusal has no data); undefined when `err` is none.
 */
function versionRefusal(err: unknown): unknown {
  if (err instanceof ProtocolError)
    return err.code === ProtocolErrorCode.UnsupportedProtocolVersion ? (err.data ?? {}) : undefined;
  if (!(err instanceof SdkHttpError) || err.status !== 400) return undefined;
  const text = (err.data as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.length > MAX_ERROR_BODY) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; data?: unknown } } | null;
    return body?.error?.code === ProtocolErrorCode.UnsupportedProtocolVersion ? (body.error.data ?? {}) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `UNSUPPORTED_PROTOCOL_VERSION` error for a connect whose pinned era the server does not
 * offer, with what it does offer in `details` (from its -32022, or `[]` when it only showed that
 * it is of the other era); undefined when `err` is not that.
 */
export function pinnedEraError(err: unknown, server: string, setting: ProtocolSetting): UniversalMcpError | undefined {
  if (setting === 'auto') return undefined;
  const fail = (supported: readonly string[], why: string): UniversalMcpError =>
    new UniversalMcpError(
      ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
      `Cannot connect to "${server}": it does not speak MCP ${setting} (${why})`,
      { server, cause: err, details: { supported: supported.slice(0, 16), requested: setting } },
    );
  const refusal = versionRefusal(err);
  if (refusal !== undefined) {
    const data = readUnsupportedVersion(refusal);
    const offered = data?.supported ?? [];
    return fail(offered, offered.length === 0 ? 'it answered -32022' : `it offers ${offered.join(', ')}`);
  }
  // A 2026-only server has no `initialize`: -32601 (or -32600 on HTTP without a session).
  if (setting === PROTOCOL_2025 && err instanceof ProtocolError && err.code === ProtocolErrorCode.MethodNotFound)
    return fail([], 'it has no initialize: a 2026-07-28 server');
  if (setting === PROTOCOL_2026 && eraMismatch(err))
    return fail([], 'server/discover did not offer it: a 2025-era server');
  return undefined;
}

/**
 * True for the SDK's verdict that the server is of the other era. Its `EraNegotiationFailed` also
 * wraps a probe that never got an answer (connection refused, an HTTP 5xx, an unusable reply): those
 * carry a `cause` or a status and say nothing about the era, so they stay connect failures (retried).
 */
function eraMismatch(err: unknown): boolean {
  return (
    err instanceof SdkError &&
    !(err instanceof SdkHttpError) &&
    err.code === SdkErrorCode.EraNegotiationFailed &&
    err.cause === undefined
  );
}

/** How deep {@link eraShaped} follows `cause`. */
const MAX_CAUSE_DEPTH = 4;

/**
 * True when a failed connect (`connect`) or first listing (`discover`) says the server's era may
 * have changed, so a kept verdict is stale: a -32022 refusal, a pinned era not on offer, `-32601` on
 * the handshake itself, or a session the other era would have had. Anything else (a refused
 * connection, a crash, a timeout) keeps the verdict: the server is the same one, just not there.
 */
export function eraShaped(err: unknown, phase: 'connect' | 'discover'): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && e !== undefined && e !== null; depth += 1) {
    if (e instanceof UniversalMcpError) {
      if (e.code === ErrorCode.UNSUPPORTED_PROTOCOL_VERSION || e.code === ErrorCode.SESSION_EXPIRED) return true;
      if (e.rpcCode === ProtocolErrorCode.UnsupportedProtocolVersion) return true;
    }
    if (versionRefusal(e) !== undefined || eraMismatch(e)) return true;
    if (phase === 'connect' && e instanceof ProtocolError && e.code === ProtocolErrorCode.MethodNotFound) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
