// Tool policy as pure functions: which tools a server offers, and which calls need approval. The
// facade, the gateway's endpoints and every surface above ask these, so the answer is the same everywhere.
import type { Tool, ToolPolicy } from '@universal-mcp/core';

/** Why a tool is not offered. */
export type NotOfferedReason = 'denied' | 'not-allowed' | 'not-read-only';

/** The policies that apply to one server's tools: its own, and the client-wide one. */
export interface ToolRules {
  /** The server's own `tools` policy. */
  readonly server?: ToolPolicy | undefined;
  /** The client-wide `tools` policy. */
  readonly client?: ToolPolicy | undefined;
  /** The server is marked `trusted`. */
  readonly trusted?: boolean | undefined;
}

/**
 * True when `name` matches the glob `pattern` (`*` any run of characters, `?` one; nothing else is
 * special). Linear in the lengths: a hostile name cannot make it backtrack.
 */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star !== -1) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A pattern with a `/` is matched against `server/tool`, any other against the tool's name. */
export function patternMatches(pattern: string, server: string, tool: string): boolean {
  return pattern.includes('/') ? globMatches(pattern, `${server}/${tool}`) : globMatches(pattern, tool);
}

const anyMatches = (patterns: readonly string[] | undefined, server: string, tool: string): boolean =>
  patterns !== undefined && patterns.some((p) => patternMatches(p, server, tool));

/** Why `tool` of `server` is not offered under `rules`, or undefined when it is. */
export function notOffered(server: string, tool: Tool, rules: ToolRules): NotOfferedReason | undefined {
  const { server: own, client } = rules;
  if (anyMatches(own?.deny, server, tool.name) || anyMatches(client?.deny, server, tool.name)) return 'denied';
  for (const policy of [own, client])
    if (policy?.allow !== undefined && !anyMatches(policy.allow, server, tool.name)) return 'not-allowed';
  if ((own?.readOnly === true || client?.readOnly === true) && tool.annotations?.readOnlyHint !== true)
    return 'not-read-only';
  return undefined;
}

/** True when a call of `tool` on `server` needs a person's approval under `rules`. */
export function needsApproval(server: string, tool: Tool, rules: ToolRules): boolean {
  const { server: own, client } = rules;
  if (anyMatches(own?.autoApprove, server, tool.name) || anyMatches(client?.autoApprove, server, tool.name))
    return false;
  const approval = own?.approval ?? client?.approval ?? 'annotations';
  if (approval === 'always') return true;
  if (approval === 'never') return false;
  return !(rules.trusted === true && tool.annotations?.readOnlyHint === true);
}

/** What to do when `tool`'s pinned definition changed (`change`) or it shadows another server's (`shadow`). */
export function changeAction(kind: 'change' | 'shadow', rules: ToolRules): 'warn' | 'hold' | 'block' {
  const own = kind === 'change' ? rules.server?.onChange : rules.server?.onShadow;
  const client = kind === 'change' ? rules.client?.onChange : rules.client?.onShadow;
  return own ?? client ?? 'warn';
}
