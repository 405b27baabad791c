import { UsageError } from './exit-codes.js';

/** The part of a JSON Schema `--arg` typing reads. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The JSON types a parameter's schema allows (`type`, or the members of `anyOf`/`oneOf`). */
function typesOf(schema: JsonSchema | undefined): string[] {
  if (schema === undefined) return [];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(typesOf);
}

/** A `--arg` value as the parameter's type wants it: a string stays a string, a number is parsed, and so on. */
function coerce(key: string, raw: string, schema: JsonSchema | undefined): unknown {
  const types = typesOf(schema);
  if (types.includes('string')) return raw;
  if (types.length > 0 && types.every((t) => t === 'number' || t === 'integer')) {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--arg ${key}: expected a number, got "${raw}"`);
    return n;
  }
  if (types.length === 1 && types[0] === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new UsageError(`--arg ${key}: expected true or false, got "${raw}"`);
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    if (types.includes('object') || types.includes('array'))
      throw new UsageError(`--arg ${key}: expected JSON (${types.join(' or ')}), got "${raw}"`);
    return raw;
  }
}

/**
 * Tool arguments from `[json]` and `--arg k=v` pairs, each pair typed by the tool's `inputSchema` when there is one.
 */
export function toolArguments(
  json: string | undefined,
  pairs: readonly string[],
  inputSchema?: object,
): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (json !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new UsageError(`arguments are not valid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new UsageError('arguments must be a JSON object, e.g. \'{"city":"Oslo"}\'');
    args = value as Record<string, unknown>;
  }
  const properties = (inputSchema as JsonSchema | undefined)?.properties ?? {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    args[key] = coerce(key, pair.slice(eq + 1), Object.hasOwn(properties, key) ? properties[key] : undefined);
  }
  return args;
}
