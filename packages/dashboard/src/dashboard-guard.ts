import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import {
  allowedHosts,
  allowedOrigins,
  checkSite,
  checkToken,
  decide,
  type GuardPolicy,
  type GuardRequest,
} from '@universal-mcp/http-guard';

/**
 * The dashboard's side of `@universal-mcp/http-guard`: its policy (a page is served from every allowed
 * host, so each one's `http://` origin is allowed too; the token may come as `?token=`, for the
 * page's URL and its EventSource), as Hono middleware and for the node `/metrics` route.
 */
export class DashboardGuard {
  readonly #token: string;
  #policy: GuardPolicy;

  constructor(token: string, hosts: readonly string[] = []) {
    this.#token = token;
    this.#policy = this.#policyFor(allowedHosts(hosts));
  }

  #policyFor(hosts: Set<string>): GuardPolicy {
    return { token: this.#token, hosts, origins: allowedOrigins(hosts), queryToken: true };
  }

  /** Accepts `hosts` (`host:port`) too, and their pages as origins. */
  allow(hosts: readonly string[]): void {
    this.#policy = this.#policyFor(allowedHosts([...this.#policy.hosts], hosts));
  }

  /** DNS rebinding and cross-site requests: Host must be ours, Origin (when sent) too; a 403 in plain text. */
  readonly site: MiddlewareHandler = async (c, next) => {
    const refusal = checkSite(seen(c), this.#policy);
    if (refusal !== undefined) return c.text(refusal.message, refusal.status);
    await next();
  };

  /** The API's token check: a 401 as `{ error }`. */
  readonly token: MiddlewareHandler = async (c, next) => {
    const refusal = checkToken(seen(c), this.#policy);
    if (refusal !== undefined) return c.json({ error: refusal.message }, refusal.status);
    await next();
  };

  /** Whether the request carries the token (header or `?token=`). */
  authorized(c: Context): boolean {
    return checkToken(seen(c), this.#policy) === undefined;
  }

  /**
   * `/metrics`, served beside the Hono app: the same Host and Origin checks, and the token as a
   * bearer header only (a scraper sends one; the URL would put it in logs). The status to refuse with, if any.
   */
  metricsRefusal(req: IncomingMessage): 401 | 403 | undefined {
    const { host, origin, authorization } = req.headers;
    return decide({ host, origin, authorization }, { ...this.#policy, queryToken: false })?.status;
  }
}

/** What the guard reads of a Hono request. */
function seen(c: Context): GuardRequest {
  return {
    host: c.req.header('host'),
    origin: c.req.header('origin'),
    authorization: c.req.header('authorization'),
    queryToken: c.req.query('token'),
  };
}
