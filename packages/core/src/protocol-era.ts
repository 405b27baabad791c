// The two protocol eras this client speaks, and the choice of one from what a server offers.
// 2026-07-28 is stateless (every request carries `_meta`, `server/discover`, MRTR); 2025-11-25
// stands for the `initialize` era, where the handshake itself settles the exact legacy revision.

/** The first (and so far only) revision of the stateless era. */
export const PROTOCOL_2026 = '2026-07-28';
/** The last revision of the `initialize` era. */
export const PROTOCOL_2025 = '2025-11-25';

/** An era, named by the revision this client speaks in it. */
export type ProtocolEra = typeof PROTOCOL_2026 | typeof PROTOCOL_2025;

/** What a server config asks for: the era by name, or `auto` (2026 when offered, else 2025). */
export type ProtocolSetting = 'auto' | ProtocolEra;

/** `_meta` key on every 2026 request: the revision it is written in. */
export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
/** `_meta` key on every 2026 request: the client's capabilities for this request. */
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
/** `_meta` key a 2026 request SHOULD carry: the client's name and version. */
export const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
/** `_meta` key on a 2026 request: the least severe log level the server may send for it. */
export const META_LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
/** `_meta` key on a 2026 result: the server's name and version. */
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

/**
 * The `initialize`-era revisions the SDK's handshake negotiates (its `SUPPORTED_PROTOCOL_VERSIONS`):
 * a server offering any of them can be spoken to in the 2025 era.
 */
export const LEGACY_VERSIONS: readonly string[] = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
];

/** The outcome of {@link chooseVersion}. */
export type VersionChoice =
  | { readonly ok: true; readonly version: ProtocolEra }
  | {
      readonly ok: false;
      /** What the server offers (strings only, at most 16, each cut to 64 characters). */
      readonly offered: readonly string[];
      /** What was asked for. */
      readonly wanted: ProtocolSetting;
      /** One line for an error message: what the server offers and what this client speaks. */
      readonly reason: string;
    };

const MAX_OFFERED_READ = 1000;
const MAX_OFFERED_KEPT = 16;
const MAX_VERSION_CHARS = 64;

/**
 * The era to speak with a server that offers `offered` (a `server/discover` result's
 * `supportedVersions`, or a -32022 error's `data.supported`): 2026-07-28 when offered and
 * wanted; else, for `auto` or `2025-11-25`, the `initialize` era when the server offers any
 * revision of it. Otherwise a refusal naming what the server offers. A hostile list is read
 * only in part (the first 1000 entries; non-strings ignored).
 */
export function chooseVersion(offered: readonly string[], wanted: ProtocolSetting): VersionChoice {
  const strings: string[] = [];
  const list: readonly unknown[] = Array.isArray(offered) ? offered : [];
  for (let i = 0; i < Math.min(list.length, MAX_OFFERED_READ); i += 1) {
    const v = list[i];
    if (typeof v === 'string') strings.push(v);
  }
  if (wanted !== PROTOCOL_2025 && strings.includes(PROTOCOL_2026)) return { ok: true, version: PROTOCOL_2026 };
  if (wanted !== PROTOCOL_2026 && strings.some((v) => LEGACY_VERSIONS.includes(v)))
    return { ok: true, version: PROTOCOL_2025 };
  const kept = strings
    .slice(0, MAX_OFFERED_KEPT)
    .map((v) => (v.length > MAX_VERSION_CHARS ? `${v.slice(0, MAX_VERSION_CHARS)}…` : v));
  const speaks = wanted === 'auto' ? `${PROTOCOL_2026} or ${PROTOCOL_2025}` : wanted;
  const offers = kept.length === 0 ? 'no protocol version' : kept.map((v) => JSON.stringify(v)).join(', ');
  const more = strings.length > kept.length ? ` and ${strings.length - kept.length} more` : '';
  return {
    ok: false,
    offered: kept,
    wanted,
    reason: `the server offers ${offers}${more}; this client speaks ${speaks}`,
  };
}
