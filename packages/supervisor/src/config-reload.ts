import type { ServerConfig } from '@universal-mcp/core';
import { POLICY_KEYS } from '@universal-mcp/core/internal';
import type { ApplyConfigResult } from './client-options.js';

/** The policy fields of a server config (everything else is about the connection). */
const POLICY_FIELDS = new Set<string>([...POLICY_KEYS, 'tools', 'trusted']);

function split(config: ServerConfig): { connection: string; policy: string } {
  const connection: Record<string, unknown> = {};
  const policy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b)))
    (POLICY_FIELDS.has(k) ? policy : connection)[k] = v;
  return { connection: JSON.stringify(connection), policy: JSON.stringify(policy) };
}

/** What a reload does to one server, and the list of {@link ApplyConfigResult} it is told in. */
export type ReloadStep =
  | { readonly kind: 'removed'; readonly name: string }
  | { readonly kind: 'restarted' | 'updated' | 'added'; readonly name: string; readonly config: ServerConfig }
  | { readonly kind: 'unchanged'; readonly name: string };

/**
 * The steps of a hot reload, in order: every running server (in registration order) is removed,
 * restarted (a connection field changed), updated (its policy changed, or the client's `defaults`
 * or `tools` did: `policyChanged`) or left unchanged; then every server new in `wanted` is added.
 */
export function planReload(
  running: Iterable<readonly [string, ServerConfig]>,
  wanted: ReadonlyMap<string, ServerConfig>,
  policyChanged: boolean,
): ReloadStep[] {
  const steps: ReloadStep[] = [];
  const known = new Set<string>();
  for (const [name, current] of running) {
    known.add(name);
    const config = wanted.get(name);
    if (config === undefined) {
      steps.push({ kind: 'removed', name });
      continue;
    }
    const before = split(current);
    const after = split(config);
    if (before.connection !== after.connection) steps.push({ kind: 'restarted', name, config });
    else if (before.policy !== after.policy || policyChanged) steps.push({ kind: 'updated', name, config });
    else steps.push({ kind: 'unchanged', name });
  }
  for (const [name, config] of wanted) if (!known.has(name)) steps.push({ kind: 'added', name, config });
  return steps;
}

/** The steps by kind, each list in step order. */
export function reloadResult(steps: readonly ReloadStep[]): ApplyConfigResult {
  const result: ApplyConfigResult = { added: [], removed: [], restarted: [], updated: [], unchanged: [] };
  for (const step of steps) result[step.kind].push(step.name);
  return result;
}
