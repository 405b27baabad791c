// JSON of hostile values: what a server sends can nest deeper than JSON.stringify's recursion
// survives (a RangeError) or be larger than a page or a log line should carry. boundJson walks a
// value once, with its own depth limit, and returns a copy that JSON.stringify always takes.

/** How much of a value {@link boundJson} keeps. */
export interface JsonBounds {
  /** Objects and arrays nested deeper than this are replaced by a `[cut: …]` note. @default 64 */
  readonly maxDepth?: number | undefined;
  /** Roughly the most characters of JSON kept; strings, items and keys past it are cut with a note. @default 1 MiB */
  readonly maxChars?: number | undefined;
  /** Keys whose values are replaced by `[redacted]`, at any depth (e.g. `isSecretName`). */
  readonly redact?: ((key: string) => boolean) | undefined;
}

/** A value cut to its bounds, and whether anything was cut (redaction is not a cut). */
export interface BoundedJson {
  readonly value: unknown;
  readonly cut: boolean;
}

const DEFAULT_DEPTH = 64;
const DEFAULT_CHARS = 1024 * 1024;

/**
 * A copy of `value` that `JSON.stringify` can always write: containers past `maxDepth` and
 * content past `maxChars` replaced by `[cut: …]` notes, cycles noted, bigints as strings,
 * `redact`'s keys as `[redacted]`. `toJSON` is honoured as `JSON.stringify` does.
 */
export function boundJson(value: unknown, bounds: JsonBounds = {}): BoundedJson {
  const maxDepth = bounds.maxDepth ?? DEFAULT_DEPTH;
  let left = bounds.maxChars ?? DEFAULT_CHARS;
  let cut = false;
  const note = (text: string): string => {
    cut = true;
    return `[cut: ${text}]`;
  };
  const ancestors = new Set<object>();
  const walk = (input: unknown, key: string, depth: number): unknown => {
    let v = input;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      try {
        v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
      } catch {
        return note('toJSON failed');
      }
    }
    if (typeof v === 'string') {
      if (v.length <= left) {
        left -= v.length + 2;
        return v;
      }
      const kept = Math.max(0, left);
      left = 0;
      return `${v.slice(0, kept)}… ${note(`${v.length - kept} more characters`)}`;
    }
    if (typeof v === 'bigint') v = v.toString();
    if (v === null || typeof v !== 'object') {
      left -= 8;
      return v;
    }
    if (depth >= maxDepth) return note(`nested deeper than ${maxDepth} levels`);
    if (ancestors.has(v)) return note('circular');
    ancestors.add(v);
    try {
      left -= 2;
      if (Array.isArray(v)) {
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i += 1) {
          if (left <= 0) {
            out.push(note(`${v.length - i} more items`));
            break;
          }
          out.push(walk(v[i], String(i), depth + 1));
          left -= 1;
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      const entries = Object.entries(v);
      for (let i = 0; i < entries.length; i += 1) {
        const [k, item] = entries[i] as [string, unknown];
        if (left <= 0) {
          out['…'] = note(`${entries.length - i} more keys`);
          break;
        }
        left -= k.length + 4;
        out[k] = bounds.redact?.(k) === true && item !== undefined ? '[redacted]' : walk(item, k, depth + 1);
      }
      return out;
    } finally {
      ancestors.delete(v);
    }
  };
  const bounded = walk(value, '', 0);
  return { value: bounded, cut };
}

/** `JSON.stringify` of {@link boundJson}'s copy: never throws for depth, cycles or bigints. */
export function jsonText(value: unknown, bounds?: JsonBounds, space?: number): string {
  return JSON.stringify(boundJson(value, bounds).value, null, space) ?? 'null';
}
