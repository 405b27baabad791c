import { createHash } from 'node:crypto';

/** When a tool's name gets its server's name in front. */
export type PrefixMode = 'always' | 'on-collision' | 'never';

/** A tool on a server, as the catalog names it. */
export interface ToolRef {
  readonly server: string;
  readonly tool: string;
}

/** The longest name every provider takes (OpenAI, Bedrock and Gemini: 64). */
export const MAX_NAME_LENGTH = 64;
/** The names every provider takes: a letter first (Gemini), then letters, digits, `_` and `-`. */
export const SAFE_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
const SEPARATOR = '__';
const HASH_LENGTH = 6;

/** A stable 6-character hash of a tool's full identity. */
function hashOf(ref: ToolRef): string {
  return createHash('sha256').update(`${ref.server}\u0000${ref.tool}`).digest('hex').slice(0, HASH_LENGTH);
}

/** Characters no provider takes become `_`; runs of them fold; a name that does not start with a letter gets `t_`. */
function sanitize(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9_-]+/g, '_')
    .replace(/_{3,}/g, '__');
  const trimmed = safe.replace(/^_+(?=.)/, '').replace(/(?<=.)_+$/, '');
  return /^[a-zA-Z]/.test(trimmed) ? trimmed : `t_${trimmed}`;
}

/**
 * Shortens `name` to fit with a hash: its head, the hash, and its tail (the end of a tool name is
 * usually what tells two tools apart: `…_read_file` from `…_write_file`).
 */
function withHash(name: string, hash: string): string {
  const room = MAX_NAME_LENGTH - HASH_LENGTH - 2;
  if (name.length + HASH_LENGTH + 1 <= MAX_NAME_LENGTH) return `${name}_${hash}`;
  const head = Math.ceil(room / 3);
  const tail = room - head;
  return `${name.slice(0, head)}_${hash}_${name.slice(name.length - tail)}`.replace(/_{3,}/g, '__');
}

/** Why tool names could not be given as asked. */
export class ToolNameCollisionError extends Error {
  override readonly name = 'ToolNameCollisionError';
  /** The provider-safe name, and the tools that would share it. */
  readonly collisions: readonly { readonly name: string; readonly tools: readonly ToolRef[] }[];

  constructor(collisions: { name: string; tools: ToolRef[] }[]) {
    const list = collisions
      .map((c) => `"${c.name}" (${c.tools.map((t) => `${t.server}/${t.tool}`).join(', ')})`)
      .join('; ');
    super(`Tool names collide with prefix "never": ${list}. Use prefix "on-collision" or "always", or filter one out.`);
    this.collisions = collisions;
  }
}

/**
 * Names for every tool that every provider takes (`^[a-zA-Z][a-zA-Z0-9_-]{0,63}$`), one per tool,
 * distinct, and stable: a tool's name depends on its server, its own name and which other tools
 * share its name, never on the order of the catalog. Unsafe characters become `_`; the server's
 * name goes in front when asked (`always`) or when two servers share a name (`on-collision`); a
 * name still too long or still shared gets a short hash of the tool's identity, keeping its tail.
 * Throws {@link ToolNameCollisionError} when `never` would give two tools one name.
 */
export function assignToolNames(tools: readonly ToolRef[], prefix: PrefixMode = 'on-collision'): Map<string, ToolRef> {
  const bare = new Map<string, ToolRef[]>();
  for (const ref of tools) {
    const name = sanitize(ref.tool);
    bare.set(name, [...(bare.get(name) ?? []), ref]);
  }
  if (prefix === 'never') {
    const collisions = [...bare].filter(([, refs]) => refs.length > 1).map(([name, refs]) => ({ name, tools: refs }));
    if (collisions.length > 0) throw new ToolNameCollisionError(collisions);
  }
  const wanted = tools.map((ref) => {
    const tool = sanitize(ref.tool);
    const shared = (bare.get(tool)?.length ?? 0) > 1;
    const name =
      prefix === 'always' || (prefix === 'on-collision' && shared)
        ? `${sanitize(ref.server)}${SEPARATOR}${tool}`
        : tool;
    return { ref, name };
  });
  // Names still shared (two spellings that sanitize alike) or too long get the hash.
  const counts = new Map<string, number>();
  for (const { name } of wanted) counts.set(name, (counts.get(name) ?? 0) + 1);
  const out = new Map<string, ToolRef>();
  for (const { ref, name } of wanted) {
    const final = name.length > MAX_NAME_LENGTH || (counts.get(name) ?? 0) > 1 ? withHash(name, hashOf(ref)) : name;
    out.set(final, ref);
  }
  return out;
}
