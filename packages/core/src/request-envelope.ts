// What a 2026-07-28 request carries besides its params: the `_meta` envelope (the era is stateless,
// so every request says its revision and the client's capabilities) and, on HTTP, the headers that
// mirror the body for intermediaries (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`).
import type { ClientCapabilities, Implementation, LoggingLevel } from '@modelcontextprotocol/client';
import { encodeHeaderValue } from './mcp-param-headers.js';
import { META_CLIENT_CAPABILITIES, META_CLIENT_INFO, META_LOG_LEVEL, META_PROTOCOL_VERSION } from './protocol-era.js';

/** What {@link withEnvelope} writes into `_meta`. */
export interface Envelope {
  /** The revision the request is written in. */
  readonly protocolVersion: string;
  /** The client's capabilities for this request (`{}` when it has none). */
  readonly clientCapabilities: ClientCapabilities;
  /** The client's name and version; left out when undefined (the spec's SHOULD, not MUST). */
  readonly clientInfo?: Implementation | undefined;
  /** The least severe log level the server may send for this request; none when undefined. */
  readonly logLevel?: LoggingLevel | undefined;
}

/**
 * What one request says of its client in place of the session's (2026-07-28): a gateway speaks for
 * the client that called it. Capabilities are kept only where the session has them too (a request
 * cannot offer what no handler answers).
 */
export interface EnvelopeOverride {
  readonly clientCapabilities?: ClientCapabilities | undefined;
  readonly logLevel?: LoggingLevel | undefined;
}

/** The session's envelope with one request's override applied. */
export function overridden(envelope: Envelope, override: EnvelopeOverride | undefined): Envelope {
  if (override === undefined) return envelope;
  const { clientCapabilities: asked, logLevel } = override;
  const own = envelope.clientCapabilities as Record<string, unknown>;
  const clientCapabilities =
    asked === undefined
      ? envelope.clientCapabilities
      : (Object.fromEntries(
          Object.entries(asked).flatMap(([k, v]) => {
            if (own[k] === undefined) return [];
            // An extension too is kept only where the session declares it (and then as the request asks).
            if (k !== 'extensions') return [[k, v]];
            const kept = sharedKeys(v, own[k]);
            return kept === undefined ? [] : [[k, kept]];
          }),
        ) as ClientCapabilities);
  return { ...envelope, clientCapabilities, ...(logLevel === undefined ? {} : { logLevel }) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The entries of `asked` whose key `own` has too; undefined when none is left (or either is no object). */
function sharedKeys(asked: unknown, own: unknown): Record<string, unknown> | undefined {
  if (!isObject(asked) || !isObject(own)) return undefined;
  const kept = Object.entries(asked).filter(([k]) => own[k] !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/**
 * A copy of `params` whose `_meta` carries the envelope's keys. The caller's object is not changed;
 * keys already in its `_meta` (a `progressToken`, a trace context) are kept and, as in the SDK,
 * win over the envelope's.
 */
export function withEnvelope<P extends object>(
  params: P | undefined,
  envelope: Envelope,
): Omit<P, '_meta'> & { _meta: Record<string, unknown> } {
  const own = (params as { _meta?: unknown } | undefined)?._meta;
  return { ...params, _meta: envelopeMeta(envelope, isObject(own) ? own : undefined) } as Omit<P, '_meta'> & {
    _meta: Record<string, unknown>;
  };
}

/** The envelope's `_meta` keys with the caller's own `_meta` entries over them, as one new object. */
export function envelopeMeta(envelope: Envelope, own?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    [META_PROTOCOL_VERSION]: envelope.protocolVersion,
    [META_CLIENT_CAPABILITIES]: envelope.clientCapabilities,
  };
  if (envelope.clientInfo !== undefined) meta[META_CLIENT_INFO] = envelope.clientInfo;
  if (envelope.logLevel !== undefined) meta[META_LOG_LEVEL] = envelope.logLevel;
  return own === undefined ? meta : Object.assign(meta, own);
}

/** Which body field `Mcp-Name` mirrors, per method (the spec's Standard Request Headers table). */
const NAME_SOURCE: Readonly<Record<string, 'name' | 'uri' | 'taskId'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  // Tasks extension: sticky routing to the instance that holds the task.
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** Headers the transport derives from the body: a caller's param headers never replace them. */
const RESERVED = new Set([
  'authorization',
  'dpop',
  'content-type',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
  'mcp-session-id',
]);

/** The part of a JSON-RPC request {@link requestHeaders} reads. */
export interface RequestLike {
  readonly method: string;
  readonly params?: Record<string, unknown> | undefined;
}

/**
 * The headers of a 2026-07-28 HTTP POST for `message`: `MCP-Protocol-Version` (from the envelope in
 * its `_meta`, so header and body cannot disagree), `Mcp-Method`, `Mcp-Name` for `tools/call` and
 * `prompts/get` (`params.name`), `resources/read` (`params.uri`) and `tasks/get|update|cancel`
 * (`params.taskId`), encoded as the spec says when
 * not plain ASCII; then `paramHeaders` (the `Mcp-Param-*` of `buildParamHeaders`), except any
 * that would replace a header above or the transport's own. A message without an envelope is a
 * 2025-era one: it gets no headers at all.
 */
export function requestHeaders(
  message: RequestLike,
  paramHeaders?: Readonly<Record<string, string>>,
): Record<string, string> {
  const meta = message.params?._meta;
  const version = isObject(meta) ? meta[META_PROTOCOL_VERSION] : undefined;
  if (typeof version !== 'string') return {};
  const headers: Record<string, string> = { 'MCP-Protocol-Version': version, 'Mcp-Method': message.method };
  const field = Object.hasOwn(NAME_SOURCE, message.method) ? NAME_SOURCE[message.method] : undefined;
  const name = field === undefined ? undefined : message.params?.[field];
  if (typeof name === 'string') headers['Mcp-Name'] = encodeHeaderValue(name);
  for (const [key, value] of Object.entries(paramHeaders ?? {}))
    if (!RESERVED.has(key.toLowerCase())) headers[key] = value;
  return headers;
}
