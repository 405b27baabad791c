import type { FetchLike } from '@modelcontextprotocol/client';
import { ErrorCode, UniversalMcpError } from './errors.js';
import { MAX_REDIRECTS, isRedirect, redirectInit } from './node-fetch.js';

interface HostPattern {
  /** Lowercased, as `URL.hostname` spells it (IPv6 in brackets, IPv4 canonical, IDN as punycode). */
  readonly hostname: string;
  /** `*.example.com`: subdomains of `hostname` only, never `hostname` itself. */
  readonly subdomains: boolean;
  /** Only this port; undefined: any. */
  readonly port: string | undefined;
}

const PATTERN = /^(\*\.)?(\[[0-9a-f:.]+\]|[^\s:/?#@[\]\\*]+)(?::(\d{1,5}))?$/i;

/** The port a URL connects to, its scheme's default when it names none. */
function portOf(url: URL): string {
  if (url.port !== '') return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

function parsePattern(pattern: string, index: number): HostPattern {
  const m = PATTERN.exec(pattern.trim());
  let hostname: string | undefined;
  try {
    hostname = m?.[2] === undefined ? undefined : new URL(`http://${m[2]}`).hostname;
  } catch {
    hostname = undefined;
  }
  const port = m?.[3];
  if (m === null || hostname === undefined || (port !== undefined && Number(port) > 65535)) {
    throw new UniversalMcpError(
      ErrorCode.CONFIG_INVALID,
      `Invalid outboundHosts[${index}]: ${JSON.stringify(pattern)} is not host, host:port, *.domain or [IPv6]`,
      { details: { field: `outboundHosts[${index}]` } },
    );
  }
  return { hostname, subdomains: m[1] !== undefined, port };
}

/**
 * The hosts outbound HTTP may go to: every HTTP/SSE server URL, every request the HTTP transports and the
 * OAuth flows make, and every redirect hop. Patterns: `host` (any port), `host:port`, `*.example.com`
 * (subdomains only), `[::1]`; case-insensitive. The supervisor builds it from the client's
 * `outboundHosts`; core only applies it.
 */
export class OutboundHosts {
  /** The patterns as given, for error details. */
  readonly patterns: readonly string[];
  readonly #parsed: readonly HostPattern[];

  /** @throws UniversalMcpError `CONFIG_INVALID` for a pattern that is none of the forms above. */
  constructor(patterns: readonly string[]) {
    this.patterns = [...patterns];
    this.#parsed = patterns.map(parsePattern);
  }

  /** True when `url` is http(s) and its host (and port) match a pattern. */
  allows(url: URL): boolean {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const hostname = url.hostname.toLowerCase();
    const port = portOf(url);
    return this.#parsed.some(
      (p) =>
        (p.port === undefined || p.port === port) &&
        (p.subdomains ? hostname.endsWith(`.${p.hostname}`) : hostname === p.hostname),
    );
  }

  /**
   * Throws `HOST_NOT_ALLOWED` unless {@link allows}. The message and details name the host only: a URL's
   * credentials, path and query never appear.
   */
  check(url: string | URL, server?: string): void {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    if (this.allows(parsed)) return;
    const host = parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host : parsed.protocol;
    const whose = server === undefined ? '' : ` (server "${server}")`;
    throw new UniversalMcpError(ErrorCode.HOST_NOT_ALLOWED, `Host "${host}" is not in outboundHosts${whose}`, {
      server,
      details: { host, outboundHosts: this.patterns },
    });
  }
}

/** Options for {@link guardFetch}. */
export interface GuardFetchOptions {
  /** Named in the error. */
  readonly server?: string | undefined;
  /** Told of each refusal: the SDK may wrap the thrown error in one that keeps only its text. */
  readonly onRefused?: ((err: UniversalMcpError) => void) | undefined;
}

/**
 * `inner` with every URL checked against `hosts` before anything is sent, redirect hops included: a fetch
 * that would follow redirects is asked for them (`redirect: 'manual'`) and follows them here, each hop
 * checked first; a redirect handed back to a caller that follows them itself (the SDK) is refused at once
 * when it points at a host not allowed. A refusal rejects with `HOST_NOT_ALLOWED`.
 */
export function guardFetch(inner: FetchLike, hosts: OutboundHosts, options: GuardFetchOptions = {}): FetchLike {
  const check = (url: URL): void => {
    try {
      hosts.check(url, options.server);
    } catch (err) {
      options.onRefused?.(err as UniversalMcpError);
      throw err;
    }
  };
  /** A redirect's target, when `res` is one. */
  const target = (res: Response, from: URL): URL | undefined => {
    const location = isRedirect(res.status) ? res.headers.get('location') : null;
    if (location === null) return undefined;
    try {
      return new URL(location, from);
    } catch {
      return undefined;
    }
  };
  return async (input, init) => {
    let url = new URL(String(input));
    check(url);
    if (init?.redirect === 'manual' || init?.redirect === 'error') {
      const res = await inner(input, init);
      const next = target(res, url);
      if (next !== undefined && !hosts.allows(next)) {
        // Refused: the body is unwanted, and a cancel that fails leaves nothing to read.
        await res.body?.cancel().catch(() => undefined);
        check(next);
      }
      return res;
    }
    let hopInit: RequestInit = init ?? {};
    let res = await inner(input, { ...hopInit, redirect: 'manual' });
    for (let hops = 0; ; hops += 1) {
      const next = target(res, url);
      if (next === undefined) return res;
      // Followed: the redirect's body is unwanted, and a cancel that fails leaves nothing to read.
      await res.body?.cancel().catch(() => undefined);
      if (hops >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('too many redirects') });
      check(next);
      hopInit = redirectInit(res.status, hopInit, url, next);
      url = next;
      res = await inner(url, { ...hopInit, redirect: 'manual' });
    }
  };
}
