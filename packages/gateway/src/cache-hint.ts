import type { UniversalMcpClient } from '@universal-mcp/supervisor';

/** A 2026-07-28 result's cache fields. */
export interface CacheHint {
  readonly ttlMs: number;
  readonly cacheScope: 'public' | 'private';
}

/**
 * The cache fields of a merged list (`server/discover`: `kind` undefined, every part): the
 * smallest `ttlMs` the upstream servers gave for it (0 when none gave one), and `private` unless
 * every upstream server said `public` — a 2025-era server says nothing, so its part counts as
 * private.
 */
export function cacheHintOf(client: UniversalMcpClient, kind?: 'tools' | 'prompts' | 'resources'): CacheHint {
  let ttlMs: number | undefined;
  let cacheScope: CacheHint['cacheScope'] = 'public';
  for (const name of client.listServers()) {
    const freshness = client.getServerInfo(name)?.freshness ?? {};
    for (const part of kind === undefined ? (['tools', 'prompts', 'resources'] as const) : [kind]) {
      const f = freshness[part];
      if (f?.cacheScope !== 'public') cacheScope = 'private';
      if (f?.ttlMs !== undefined) ttlMs = Math.min(ttlMs ?? f.ttlMs, f.ttlMs);
    }
  }
  return { ttlMs: ttlMs ?? 0, cacheScope };
}
