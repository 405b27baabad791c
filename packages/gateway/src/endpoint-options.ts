import { ErrorCode, UniversalMcpError } from '@universal-mcp/core';
import { MIN_TOKEN_LENGTH } from '@universal-mcp/http-guard';
import type { GatewayEndpoint } from './listen-options.js';

/** An endpoint as served: its paths worked out (`messagesPath` for its legacy SSE POSTs). */
export interface CheckedEndpoint extends GatewayEndpoint {
  readonly ssePath: string | false;
  readonly messagesPath: string | undefined;
}

function invalid(field: string, message: string): never {
  throw new UniversalMcpError(ErrorCode.CONFIG_INVALID, `Gateway endpoints: ${message}`, { details: { field } });
}

/**
 * The listener's further endpoints, checked: names and paths distinct, no path the listener serves
 * already (`taken`: the main path, its SSE and messages paths, `/healthz`, `/readyz`, `/metrics`),
 * tokens of at least 16 characters and none shared (a token opens one endpoint). `sse`: whether
 * legacy SSE is served at all (not stateless, 2025 served).
 */
export function checkEndpoints(
  endpoints: readonly GatewayEndpoint[] | undefined,
  taken: readonly string[],
  mainToken: string | undefined,
  sse: boolean,
): CheckedEndpoint[] {
  const paths = new Map(taken.map((p) => [p, 'the main endpoint']));
  const names = new Set<string>();
  const tokens = new Set(mainToken === undefined ? [] : [mainToken]);
  return (endpoints ?? []).map((endpoint, i) => {
    const at = `endpoints[${i}]`;
    if (typeof endpoint.name !== 'string' || endpoint.name === '') invalid(`${at}.name`, 'an endpoint needs a name');
    if (names.has(endpoint.name)) invalid(`${at}.name`, `two endpoints are named "${endpoint.name}"`);
    names.add(endpoint.name);
    const claim = (field: string, path: string): void => {
      if (!path.startsWith('/') || path.includes('?') || path.includes('#'))
        invalid(`${at}.${field}`, `"${endpoint.name}": ${field} must be a path starting with "/", got "${path}"`);
      const owner = paths.get(path);
      if (owner !== undefined) invalid(`${at}.${field}`, `"${endpoint.name}": ${path} is already ${owner}'s`);
      paths.set(path, `endpoint "${endpoint.name}"`);
    };
    claim('path', endpoint.path);
    const ssePath = sse ? (endpoint.ssePath ?? false) : false;
    const messagesPath = ssePath === false ? undefined : `${ssePath}/messages`;
    if (ssePath !== false && messagesPath !== undefined) {
      claim('ssePath', ssePath);
      claim('ssePath', messagesPath);
    }
    if (typeof endpoint.token !== 'string' || endpoint.token.length < MIN_TOKEN_LENGTH)
      invalid(`${at}.token`, `"${endpoint.name}": a token of at least ${MIN_TOKEN_LENGTH} characters is needed`);
    // The token is never in a message: it may be in a log.
    if (tokens.has(endpoint.token))
      invalid(`${at}.token`, `"${endpoint.name}": its token is another endpoint's (each opens one endpoint)`);
    tokens.add(endpoint.token);
    return { ...endpoint, ssePath, messagesPath };
  });
}
