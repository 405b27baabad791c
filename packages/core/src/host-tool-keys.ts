// The hosts' own tool keys in a config file, read as the hosts mean them (they used to be ignored, so a tool a
// person had disabled in Cline was offered here): each maps onto a field of our ToolPolicy.
import { toolPolicySchema, type ToolPolicy } from './tool-policy.js';

/** Host key → the ToolPolicy list it joins. */
const LIST_KEYS = {
  /** Cline, Roo Code, Windsurf. */
  disabledTools: 'deny',
  /** Gemini CLI. */
  excludeTools: 'deny',
  /** Gemini CLI. */
  includeTools: 'allow',
  /** Cline. */
  autoApprove: 'autoApprove',
  /** Roo Code. */
  alwaysAllow: 'autoApprove',
} as const;

/** Every host key read as tool policy (Gemini CLI's `trust` too). */
export const HOST_TOOL_KEYS: readonly string[] = [...Object.keys(LIST_KEYS), 'trust'];

/** Reports a bad value at `key` (a path inside the entry) with a message; never returns. */
export type Fail = (key: string, message: string) => never;

/** Checks a `tools` value (a server's, or the top-level one); the failure names the field. */
export function parseToolPolicy(value: unknown, fail: Fail, key = 'tools'): ToolPolicy {
  const result = toolPolicySchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = issue === undefined || issue.path.length === 0 ? key : `${key}.${issue.path.join('.')}`;
  return fail(at, issue?.message ?? 'expected a tool policy');
}

/**
 * The server entry's `tools`, with the hosts' keys merged in: `disabledTools`/`excludeTools` join `deny`,
 * `includeTools` joins `allow`, `autoApprove`/`alwaysAllow` join `autoApprove`, and `trust: true` (Gemini CLI:
 * skip confirmations) is `approval: 'never'` unless `tools.approval` says otherwise. Undefined when none is set.
 */
export function entryToolPolicy(entry: Readonly<Record<string, unknown>>, fail: Fail): ToolPolicy | undefined {
  const own = entry['tools'] === undefined ? undefined : parseToolPolicy(entry['tools'], fail);
  const lists: { allow?: string[]; deny?: string[]; autoApprove?: string[] } = {};
  for (const [key, field] of Object.entries(LIST_KEYS)) {
    const value = entry[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
      fail(key, `expected an array of tool names (non-empty strings), got ${JSON.stringify(value)?.slice(0, 200)}`);
    (lists[field] ??= []).push(...(value as string[]));
  }
  const trust = entry['trust'];
  if (trust !== undefined && typeof trust !== 'boolean')
    fail('trust', `expected true or false, got ${JSON.stringify(trust)}`);
  if (own === undefined && Object.keys(lists).length === 0 && trust !== true) return undefined;
  const merged: Record<string, unknown> = { ...own };
  for (const [field, names] of Object.entries(lists))
    merged[field] = [...((own?.[field as keyof typeof lists] as string[] | undefined) ?? []), ...names];
  if (trust === true && own?.approval === undefined) merged['approval'] = 'never';
  return parseToolPolicy(merged, fail);
}
