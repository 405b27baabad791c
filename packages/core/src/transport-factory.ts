import {
  SSEClientTransport,
  type FetchLike,
  type OAuthClientProvider,
  type Transport,
} from '@modelcontextprotocol/client';
import { authProviderFor, type HttpAuthConfig } from './auth-providers.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './http-session.js';
import { StreamableHttpTransport } from './streamable-http-transport.js';
import type { ServerConfig } from './config.js';
import { StdioProcessTransport } from './stdio-transport.js';
import { guardFetch, type OutboundHosts } from './outbound-hosts.js';

/** What a transport reports besides messages. */
export interface TransportListener {
  /** A line a stdio server wrote to stderr. */
  stderr?(line: string): void;
  /** A warning the SDK would print to the console (building an auth provider). */
  warning?(message: string): void;
}

/** What a transport is built with besides the config. */
export interface TransportOptions {
  readonly listener?: TransportListener | undefined;
  /** The fetch an HTTP transport uses (the session's: the config's or our own, guarded by `outboundHosts`). */
  readonly fetch?: FetchLike | undefined;
  /** Where a cross-app access IdP request may go (it is not made through the session's fetch). */
  readonly outboundHosts?: OutboundHosts | undefined;
}

/** A fresh transport for one connection attempt (an SDK transport cannot be restarted). */
export function createTransport(config: ServerConfig, options: TransportOptions = {}): Transport {
  switch (config.transport) {
    case 'stdio':
      return new StdioProcessTransport({
        command: config.command,
        args: config.args,
        env: config.env,
        cwd: config.cwd,
        maxMessageBytes: config.maxMessageBytes,
        listener: options.listener,
      });
    case 'streamable_http':
      return new StreamableHttpTransport(new URL(config.url), {
        requestInit: { headers: config.headers ?? {} },
        headers: config.headers,
        authProvider: config.auth === undefined ? undefined : providerFor(config.name, config.auth, options),
        fetch: options.fetch ?? config.fetch,
        // A fetch of the user's own carries every message (a proxy, a test double): no fast path then.
        fastPath: config.fetch === undefined,
        maxMessageBytes: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        // Stream resumption (Last-Event-ID after a server's graceful close, SEP-1699) stays on; an
        // abrupt cut is reported through onerror and ends the session (session.ts).
      });
    case 'sse':
      return new SSEClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers ?? {} },
        authProvider: config.auth === undefined ? undefined : providerFor(config.name, config.auth, options),
        fetch: options.fetch ?? config.fetch,
      });
  }
}

/** The config's auth provider; a cross-app access IdP request goes through a fetch checked against `outboundHosts`. */
function providerFor(server: string, auth: HttpAuthConfig, options: TransportOptions): OAuthClientProvider {
  const hosts = options.outboundHosts;
  const idpFetch = hosts === undefined ? undefined : guardFetch(fetch, hosts, { server });
  return authProviderFor(auth, (message) => options.listener?.warning?.(message), idpFetch);
}
