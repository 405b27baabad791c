// The SDK v1 client's legacy HTTP+SSE transport (SDK v2 has none) with a bearer token on both its
// stream and its POSTs, for the gateway tests of old clients.
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

/** A legacy SSE transport to `sse` sending `token` on every request. */
export function sseWithToken(sse: URL, token: string): SSEClientTransport {
  return new SSEClientTransport(sse, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    eventSourceInit: {
      fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token}` } }),
    },
  });
}
