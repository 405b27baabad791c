import type { FetchLike, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AuthorizationCodeProvider, authProviderFor } from './auth-providers.js';
import type { SseServerConfig, StreamableHttpServerConfig } from './config.js';
import type { UniversalMcpError } from './errors.js';
import { createNodeFetch, type NodeFetch } from './node-fetch.js';
import { guardFetch, type OutboundHosts } from './outbound-hosts.js';

const DELETE_TIMEOUT_MS = 1000;
/** The default `maxMessageBytes`, for every transport. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * What an HTTP session has beyond its transport: its own fetch (its own sockets, the message
 * limit), the authorization-code step, and the DELETE that ends a Streamable HTTP session.
 */
export class HttpSessionExtras {
  readonly #config: StreamableHttpServerConfig | SseServerConfig;
  /**
   * The fetch every request of this session goes through (the transport's, the OAuth flow's, the DELETE):
   * the config's, or one of our own; checked against `outboundHosts` when there is such a list.
   */
  readonly fetch: FetchLike;
  readonly #own: NodeFetch | undefined;
  readonly #hosts: OutboundHosts | undefined;
  #refused: UniversalMcpError | undefined;

  constructor(config: StreamableHttpServerConfig | SseServerConfig, outboundHosts?: OutboundHosts) {
    this.#config = config;
    this.#hosts = outboundHosts;
    if (config.fetch === undefined)
      this.#own = createNodeFetch({ maxMessageBytes: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
    const fetch = this.#own ?? (config.fetch as FetchLike);
    this.fetch =
      outboundHosts === undefined
        ? fetch
        : guardFetch(fetch, outboundHosts, { server: config.name, onRefused: (err) => (this.#refused = err) });
  }

  /**
   * The last `HOST_NOT_ALLOWED` this session's fetch threw, once: the SDK wraps what a fetch throws in
   * errors of its own (an SSE stream keeps only the text), so the session asks here why a request failed.
   */
  takeRefusal(): UniversalMcpError | undefined {
    const refused = this.#refused;
    this.#refused = undefined;
    return refused;
  }

  /** How many times one connection or request may go through the authorization-code flow. */
  get maxAuthorizations(): number {
    const auth = this.#config.auth;
    return auth?.type === 'authorization_code' ? (auth.maxAttempts ?? 3) : 0;
  }

  /** Runs the redirect handler for a pending authorization URL and finishes the auth on `transport`. */
  async authorize(transport: StreamableHTTPClientTransport | SSEClientTransport): Promise<boolean> {
    const auth = this.#config.auth;
    if (auth?.type !== 'authorization_code') return false;
    const provider = authProviderFor(auth);
    const url = provider instanceof AuthorizationCodeProvider ? provider.takeAuthorizationUrl() : undefined;
    if (url === undefined) return false;
    try {
      // The user (or a headless agent) is sent only to an authorization endpoint on an allowed host.
      this.#hosts?.check(url, this.#config.name);
    } catch (err) {
      this.#refused = err as UniversalMcpError;
      throw err;
    }
    try {
      const answer = await auth.onAuthorize(url);
      // Query parameters let the SDK check `iss` (RFC 9207); a bare code is redeemed as it is.
      if (typeof answer === 'string') await transport.finishAuth(answer);
      else await transport.finishAuth(answer);
      return true;
    } finally {
      // The redirect is settled, redeemed or not: the next authorization discovers the authorization server anew.
      provider.invalidateCredentials?.('discovery');
    }
  }

  /**
   * DELETEs a Streamable HTTP session ourselves (the SDK's terminateSession shares the abort signal
   * close() fires), through this session's fetch and with its credentials. Never throws.
   */
  async terminate(transport: StreamableHTTPClientTransport): Promise<void> {
    const sessionId = transport.sessionId;
    if (this.#config.transport !== 'streamable_http' || sessionId === undefined) return;
    const headers: Record<string, string> = { ...this.#config.headers, 'mcp-session-id': sessionId };
    if (transport.protocolVersion !== undefined) headers['mcp-protocol-version'] = transport.protocolVersion;
    try {
      const auth = this.#config.auth;
      const tokens = auth === undefined ? undefined : await authProviderFor(auth).tokens();
      if (tokens !== undefined) {
        const scheme = tokens.token_type.toLowerCase() === 'bearer' ? 'Bearer' : tokens.token_type;
        headers.authorization = `${scheme} ${tokens.access_token}`;
      }
      const res = await this.fetch(this.#config.url, {
        method: 'DELETE',
        headers,
        signal: AbortSignal.timeout(DELETE_TIMEOUT_MS),
      });
      await res.body?.cancel();
    } catch {
      // The server is gone or slow: the session dies with it. Nothing to report to the caller.
    }
  }

  /** Closes this session's own sockets. */
  destroy(): void {
    this.#own?.destroy();
  }
}
