/**
 * How large a tool's schema may be for the tool to be listed. A tool past them is left out of the
 * catalog and reported (`invalidTools`, the `server:warning` event): every consumer that walks a
 * schema (Ajv's compiler, JSON serializers, the model toolsets) recurses, so one 6,000-deep schema
 * would otherwise overflow the stack for the whole catalog.
 */
export interface SchemaLimits {
  /** The deepest nesting of objects and arrays in one schema (the schema object itself is 1). @default 64 */
  readonly maxDepth: number;
  /** The most JSON values (objects, arrays, strings, numbers…, keys not counted) in one schema. @default 20000 */
  readonly maxNodes: number;
}

/** The limits `tools/list` applies to each tool's `inputSchema` and `outputSchema`. */
export const DEFAULT_SCHEMA_LIMITS: SchemaLimits = Object.freeze({ maxDepth: 64, maxNodes: 20_000 });

/** What {@link inspectSchema} found. */
export interface SchemaInspection {
  /** Why the schema is past the limits (the walk stopped there), or undefined. */
  readonly over: string | undefined;
  /** Every regular expression in it: `pattern` values and `patternProperties` keys. */
  readonly patterns: string[];
}

/** Keywords whose values are data, not subschemas: a `pattern` in them is not a pattern. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
/** Keywords whose values map names to subschemas: a property may be called `pattern` or `default`. */
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** What a value in a schema is: a (sub)schema, a map of names to subschemas, or data. */
type Role = 'schema' | 'map' | 'data';

function roleOf(parent: Role, key: string): Role {
  if (parent !== 'schema') return parent === 'map' ? 'schema' : 'data';
  return DATA_KEYWORDS.has(key) ? 'data' : MAP_KEYWORDS.has(key) ? 'map' : 'schema';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Measures a schema against the limits and collects its patterns, with an explicit stack (never
 * recursion), stopping at the first limit passed: its cost is bounded by the limits, whatever the
 * schema.
 */
export function inspectSchema(schema: unknown, limits: SchemaLimits = DEFAULT_SCHEMA_LIMITS): SchemaInspection {
  const patterns: string[] = [];
  const stack: { value: unknown; depth: number; role: Role }[] = [{ value: schema, depth: 1, role: 'schema' }];
  let nodes = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, depth, role } = next;
    nodes += 1;
    if (nodes > limits.maxNodes) return { over: `more than ${limits.maxNodes} values`, patterns };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.maxDepth) return { over: `nested deeper than ${limits.maxDepth} levels`, patterns };
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1, role });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (role === 'schema' && key === 'pattern' && typeof child === 'string') patterns.push(child);
      if (role === 'schema' && key === 'patternProperties' && isObject(child)) patterns.push(...Object.keys(child));
      // Data is measured too: it is serialized and copied like the rest.
      stack.push({ value: child, depth: depth + 1, role: roleOf(role, key) });
    }
  }
  return { over: undefined, patterns };
}
