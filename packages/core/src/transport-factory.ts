import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { authProviderFor } from './auth-providers.js';
import type { ServerConfig } from './config.js';
import { nodeFetch } from './node-fetch.js';
import { StdioProcessTransport } from './stdio-transport.js';

/** Hooks a transport reports to. */
export interface TransportHooks {
  readonly onStderr?: ((line: string) => void) | undefined;
}

/** A fresh transport for one connection attempt (an SDK transport cannot be restarted). */
export function createTransport(config: ServerConfig, hooks: TransportHooks = {}): Transport {
  switch (config.transport) {
    case 'stdio':
      return new StdioProcessTransport({
        command: config.command,
        args: config.args,
        env: config.env,
        cwd: config.cwd,
        maxMessageBytes: config.maxMessageBytes,
        onStderr: hooks.onStderr,
      });
    case 'streamable_http':
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers ?? {} },
        authProvider: config.auth === undefined ? undefined : authProviderFor(config.auth),
        fetch: config.fetch ?? nodeFetch,
        // The SDK's own stream resumption (Last-Event-ID after a server's graceful close, SEP-1699)
        // stays on; an abrupt cut is reported through onerror and ends the session (session.ts).
      });
    case 'sse':
      return new SSEClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers ?? {} },
        authProvider: config.auth === undefined ? undefined : authProviderFor(config.auth),
        fetch: config.fetch ?? nodeFetch,
      });
  }
}
