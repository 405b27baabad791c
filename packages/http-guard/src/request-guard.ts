import { bearerToken, sameToken } from './access-token.js';
import { isLoopbackAddress } from './loopback.js';

/** Why a request is refused, as a stable string. */
export const RefusalCode = {
  /** `Host` missing or not one of the listener's names (DNS rebinding). */
  HOST_NOT_ALLOWED: 'HOST_NOT_ALLOWED',
  /** `Origin` sent and not one allowed (a page elsewhere, or an opaque `null` one). */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** No token is set, and the request does not come from a loopback address. */
  NOT_LOOPBACK: 'NOT_LOOPBACK',
  /** The token is missing or wrong. */
  TOKEN_INVALID: 'TOKEN_INVALID',
} as const;

/** One of {@link RefusalCode}. */
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** A refused request: the HTTP status to answer, a code, and a message for the client. */
export interface Refusal {
  readonly status: 401 | 403;
  readonly code: RefusalCode;
  readonly message: string;
}

/** What of a request the guard looks at: header values as received (undefined when absent). */
export interface GuardRequest {
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly authorization: string | undefined;
  /** The URL's `token` query parameter (looked at only with {@link GuardPolicy.queryToken}). */
  readonly queryToken?: string | undefined;
  /** The peer's address (`socket.remoteAddress`). */
  readonly remoteAddress?: string | undefined;
}

/** What a listener lets in. Build the sets with {@link allowedHosts} and {@link allowedOrigins}. */
export interface GuardPolicy {
  /** The token requests need; undefined: none, and then only loopback peers are served. */
  readonly token: string | undefined;
  /** The `Host` values accepted, lowercase (`host:port`). */
  readonly hosts: ReadonlySet<string>;
  /** The `Origin` values accepted, lowercase (`scheme://host:port`); a request without one passes. */
  readonly origins: ReadonlySet<string>;
  /**
   * Whether the token may come as `?token=` as well as `Authorization: Bearer`: for a page's URL
   * and an `EventSource`, which cannot set headers. @default false
   */
  readonly queryToken?: boolean | undefined;
}

/** The `Host` values to accept, lowercase: `hosts` (e.g. the loopback names) and `more`. */
export function allowedHosts(hosts: readonly string[], more: readonly string[] = []): Set<string> {
  return new Set([...hosts, ...more].map((h) => h.toLowerCase()));
}

/** The `Origin` values to accept, lowercase: `http://` each of `hosts` (a page they serve), and `more` as given. */
export function allowedOrigins(hosts: Iterable<string>, more: readonly string[] = []): Set<string> {
  return new Set([...[...hosts].map((h) => `http://${h}`), ...more].map((o) => o.toLowerCase()));
}

/**
 * Where a request may come from: its `Host` one of ours, its `Origin` (when sent) one allowed, and,
 * with no token set, its peer on loopback. Undefined: it may; else why not (403).
 */
export function checkSite(request: GuardRequest, policy: GuardPolicy): Refusal | undefined {
  const { host, origin, remoteAddress } = request;
  if (host === undefined || !policy.hosts.has(host.toLowerCase()))
    return { status: 403, code: RefusalCode.HOST_NOT_ALLOWED, message: 'Host not allowed' };
  if (origin !== undefined && !policy.origins.has(origin.toLowerCase()))
    return { status: 403, code: RefusalCode.ORIGIN_NOT_ALLOWED, message: 'Origin not allowed' };
  // A tokenless listener binds loopback only (checkLoopbackRule); this holds even if it was put elsewhere.
  if (policy.token === undefined && remoteAddress !== undefined && !isLoopbackAddress(remoteAddress))
    return { status: 403, code: RefusalCode.NOT_LOOPBACK, message: 'Without a token only loopback is served' };
  return undefined;
}

/** Whether a request carries the policy's token (always, when none is set). Undefined: it does; else a 401. */
export function checkToken(request: GuardRequest, policy: GuardPolicy): Refusal | undefined {
  if (policy.token === undefined) return undefined;
  const given = bearerToken(request.authorization) ?? (policy.queryToken === true ? request.queryToken : undefined);
  if (given !== undefined && sameToken(given, policy.token)) return undefined;
  const message = policy.queryToken === true ? 'A valid token is required' : 'A valid bearer token is required';
  return { status: 401, code: RefusalCode.TOKEN_INVALID, message };
}

/**
 * The whole decision for one request: {@link checkSite}, then {@link checkToken} unless `open`
 * (a path served without the token, e.g. a health check or a page's static files). Undefined: allowed.
 */
export function decide(request: GuardRequest, policy: GuardPolicy, open = false): Refusal | undefined {
  return checkSite(request, policy) ?? (open ? undefined : checkToken(request, policy));
}
