// `x-mcp-header` (MCP 2026-07-28, server/tools.mdx and the Streamable HTTP transport's "Custom
// Headers from Tool Parameters"): a tool may ask that some of its arguments travel as
// `Mcp-Param-{Name}` headers too. A client MUST leave out a tool whose declarations break the
// rules, and MUST send the headers for the others. The rules and the value encoding follow the SDK
// v2 (`scanXMcpHeaderDeclarations`, `buildMcpParamHeaders`) so its servers agree with us; the walk
// here is iterative and bounded, since the schema comes from the server.
import { DEFAULT_SCHEMA_LIMITS, type SchemaLimits } from './schema-limits.js';

/** One argument a tool mirrors into a header. */
export interface ParamHeaderDeclaration {
  /** The chain of `properties` keys from the arguments' root to the argument. */
  readonly path: readonly string[];
  /** The `{Name}` of `Mcp-Param-{Name}`, as declared. */
  readonly headerName: string;
  /** The argument's JSON Schema type: `string`, `integer` or `boolean`. */
  readonly type: string;
}

/** What {@link checkParamHeaders} found: the declarations, or why the tool must be left out. */
export type ParamHeaderCheck =
  | { readonly ok: true; readonly declarations: readonly ParamHeaderDeclaration[] }
  | { readonly ok: false; readonly reason: string };

const KEY = 'x-mcp-header';
/** RFC 9110 `token` (`1*tchar`): no spaces, control characters or delimiters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PERMITTED_TYPES = new Set(['string', 'integer', 'boolean']);
const PERMITTED = 'string, integer or boolean';
/** Where a chain of `properties` keys must not pass: a declaration under one of them is invalid. */
const UNREACHABLE_KEYWORDS = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
] as const;
/** Keywords whose value maps names to subschemas. */
const MAP_KEYWORDS = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);
const MAX_NAME_SHOWN = 64;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const cut = (s: string): string => (s.length > MAX_NAME_SHOWN ? `${s.slice(0, MAX_NAME_SHOWN)}…` : s);
const pathName = (path: readonly string[]): string => (path.length === 0 ? '<root>' : cut(path.join('.')));

interface Visit {
  readonly node: unknown;
  readonly path: readonly string[];
  readonly reachable: boolean;
  readonly depth: number;
}

/**
 * Checks a tool's `inputSchema` against the spec's `x-mcp-header` rules: a non-empty RFC 9110
 * token, case-insensitively unique, only on `string`/`integer`/`boolean` properties reached from
 * the root through `properties` alone (never under `items`, `oneOf`, `$defs`…). Reports the first
 * rule broken, in the SDK's order (a `number` type is reported before any other fault). A schema
 * past `limits` is refused rather than walked further.
 */
export function checkParamHeaders(
  inputSchema: unknown,
  limits: SchemaLimits = DEFAULT_SCHEMA_LIMITS,
): ParamHeaderCheck {
  const declarations: ParamHeaderDeclaration[] = [];
  const seen = new Map<string, string>();
  let numberFault: string | undefined;
  let nodes = 0;
  const fail = (fault: string): ParamHeaderCheck => ({ ok: false, reason: numberFault ?? fault });
  // Depth first, children pushed in reverse: the order the SDK's recursion meets faults in.
  const stack: Visit[] = [{ node: inputSchema, path: [], reachable: true, depth: 1 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, path, reachable, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    nodes += 1;
    if (nodes > limits.maxNodes)
      return fail(`inputSchema: more than ${limits.maxNodes} subschemas to check for x-mcp-header`);
    if (depth > limits.maxDepth) return fail(`inputSchema: nested deeper than ${limits.maxDepth} levels`);
    const schema = node as Record<string, unknown>;
    if (Object.hasOwn(schema, KEY)) {
      const raw = schema[KEY];
      if (!reachable || path.length === 0)
        return fail(
          `${pathName(path)}: x-mcp-header is only permitted on properties reached through 'properties' keys ` +
            'alone (not under items, additionalProperties, oneOf/anyOf/allOf/not, if/then/else or $defs)',
        );
      if (typeof raw !== 'string' || raw.length === 0)
        return fail(`${pathName(path)}: x-mcp-header must be a non-empty string`);
      if (!TOKEN.test(raw))
        return fail(
          `${pathName(path)}: x-mcp-header ${JSON.stringify(cut(raw))} is not an HTTP token ` +
            '(no spaces, control characters or delimiters)',
        );
      const type = typeof schema.type === 'string' ? schema.type : undefined;
      if (type === undefined || !PERMITTED_TYPES.has(type)) {
        const got = type === undefined ? '<none>' : cut(type);
        const fault = `${pathName(path)}: x-mcp-header is only permitted on ${PERMITTED} properties; got ${got}`;
        if (type !== 'number') return fail(fault);
        numberFault ??= fault;
      }
      const lower = raw.toLowerCase();
      const prior = seen.get(lower);
      if (prior !== undefined)
        return fail(
          `x-mcp-header ${JSON.stringify(cut(raw))} is not unique ignoring case ` +
            `(also declared as ${JSON.stringify(cut(prior))})`,
        );
      seen.set(lower, raw);
      declarations.push({ path, headerName: raw, type: type ?? 'number' });
    }
    const children: Visit[] = [];
    if (isObject(schema.properties))
      for (const [key, child] of Object.entries(schema.properties))
        children.push({ node: child, path: [...path, key], reachable, depth: depth + 1 });
    for (const keyword of UNREACHABLE_KEYWORDS) {
      const sub = schema[keyword];
      if (sub === undefined || !Object.hasOwn(schema, keyword)) continue;
      const branches = Array.isArray(sub)
        ? sub
        : isObject(sub) && MAP_KEYWORDS.has(keyword)
          ? Object.values(sub)
          : [sub];
      for (const branch of branches)
        children.push({ node: branch, path: [...path, `<${keyword}>`], reachable: false, depth: depth + 1 });
    }
    stack.push(...children.reverse());
  }
  return numberFault === undefined ? { ok: true, declarations } : { ok: false, reason: numberFault };
}

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';

/** Whether a value cannot travel as a plain header value (RFC 9110 §5.5), or would read as the sentinel. */
function needsBase64(s: string): boolean {
  if (s.length === 0) return true;
  if (s.startsWith(SENTINEL_PREFIX) && s.endsWith(SENTINEL_SUFFIX)) return true;
  if (s !== s.trim()) return true;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c === 0x09 || (c >= 0x20 && c <= 0x7e)) continue;
    return true;
  }
  return false;
}

/**
 * A header value for `Mcp-Param-*` and `Mcp-Name`: plain visible ASCII as it is; anything else
 * (non-ASCII, control characters, leading or trailing whitespace, empty, or a value that looks like
 * the sentinel) as `=?base64?{UTF-8 in Base64}?=`.
 */
export function encodeHeaderValue(value: string): string {
  return needsBase64(value)
    ? `${SENTINEL_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${SENTINEL_SUFFIX}`
    : value;
}

/** A primitive argument as the spec writes it: strings as they are, numbers in decimal, booleans lowercase. */
function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return undefined;
    return String(value);
  }
  return undefined;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * The `Mcp-Param-{Name}` headers for one `tools/call`'s arguments. An argument that is absent or
 * `null` gets no header (the spec's "client MUST omit"), nor does one that is not a primitive or is
 * an integer outside the safe range (the SDK's rule: never a malformed header).
 */
export function buildParamHeaders(
  declarations: readonly ParamHeaderDeclaration[],
  args: Record<string, unknown> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const declaration of declarations) {
    const text = primitiveText(valueAt(args, declaration.path));
    if (text !== undefined) headers[`Mcp-Param-${declaration.headerName}`] = encodeHeaderValue(text);
  }
  return headers;
}
