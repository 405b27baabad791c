// A tool's inputSchema as form fields, the form's values back as the call's arguments. Pure (no
// DOM, no vendor import) so it runs under vitest as it is. A schema comes from a server: hostile
// input, so the fields it makes are bounded in depth, count and enum size, and a `$ref` cycle ends.

/**
 * A JSON Schema as far as the form reads it.
 * @typedef {{
 *   type?: string | string[],
 *   $ref?: string,
 *   description?: string,
 *   default?: unknown,
 *   enum?: unknown[],
 *   properties?: Record<string, Schema>,
 *   required?: string[],
 *   items?: Schema | Schema[],
 *   anyOf?: Schema[],
 *   oneOf?: Schema[],
 *   [key: string]: unknown,
 * }} Schema
 */

/**
 * One field of the form. `json` is the fallback: anything the form cannot hold field by field.
 * @typedef {{ name: string, nullable: boolean, required: boolean, description: string } & (
 *   | { kind: 'string' | 'number' | 'integer' | 'boolean' | 'json', initial: unknown }
 *   | { kind: 'enum', options: unknown[], initial: unknown }
 *   | { kind: 'object', fields: Field[] }
 *   | { kind: 'array', item: Field }
 * )} Field
 */

/** Nested objects and arrays deeper than this are one JSON field (a `$ref` cycle stops here too). */
export const MAX_DEPTH = 8;
/** A schema making more fields than this (wide objects, `$ref`s reused) gets JSON fields for the rest. */
export const MAX_FIELDS = 500;
/** An enum longer than this is a plain field of its type: a select of thousands helps no one. */
export const MAX_ENUM = 200;

/**
 * A schema with a local `$ref` (`#/$defs/x`, `#/definitions/x`) resolved against `root`.
 * @param {Schema | undefined} schema
 * @param {Schema} root
 * @returns {Schema}
 */
function resolve(schema, root) {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema ?? {};
  /** @type {unknown} */
  const target = ref
    .slice(2)
    .split('/')
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
    // Own keys only: `#/__proto__` or `#/constructor` names nothing in a schema.
    .reduce(
      (/** @type {any} */ node, key) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? node[key] : undefined,
      root,
    );
  return target !== null && typeof target === 'object' ? /** @type {Schema} */ (target) : {};
}

/**
 * `type: ['string', 'null']` or `anyOf: [{ type: 'string' }, { type: 'null' }]`: the one type, and nullable.
 * @param {Schema | undefined} schema
 * @param {Schema} root
 * @returns {{ schema: Schema, nullable: boolean }}
 */
function unwrapNullable(schema, root) {
  const s = resolve(schema, root);
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    if (types.length === 1) return { schema: { ...s, type: types[0] }, nullable: s.type.includes('null') };
  }
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) {
    const others = union.filter((u) => resolve(u, root).type !== 'null');
    if (others.length === 1 && others.length < union.length)
      return { schema: resolve(others[0], root), nullable: true };
  }
  return { schema: s, nullable: false };
}

/**
 * One field for a (sub)schema: primitives, enums, objects and arrays as fields, the rest as JSON.
 * @param {string} name
 * @param {Schema | undefined} raw
 * @param {Schema} root
 * @param {boolean} required
 * @param {number} depth
 * @param {{ left: number }} budget fields still to make
 * @returns {Field}
 */
function fieldOf(name, raw, root, required, depth, budget) {
  budget.left -= 1;
  const { schema, nullable } = unwrapNullable(raw, root);
  const description = schema.description ?? raw?.description ?? '';
  const base = { name, nullable, required, description: typeof description === 'string' ? description : '' };
  const type = typeof schema.type === 'string' ? schema.type : undefined;
  if (Array.isArray(schema.enum) && schema.enum.length <= MAX_ENUM)
    return { ...base, kind: 'enum', options: schema.enum, initial: schema.default ?? '' };
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean')
    return { ...base, kind: type, initial: schema.default ?? (type === 'boolean' ? false : '') };
  const nests = depth < MAX_DEPTH && budget.left > 0;
  const properties = schema.properties;
  if (nests && (type === 'object' || type === undefined) && properties !== null && typeof properties === 'object') {
    const inner = new Set(Array.isArray(schema.required) ? schema.required : []);
    const fields = Object.entries(properties).map(([n, s]) => fieldOf(n, s, root, inner.has(n), depth + 1, budget));
    return { ...base, kind: 'object', fields };
  }
  if (nests && type === 'array' && schema.items !== undefined && !Array.isArray(schema.items)) {
    const item = fieldOf('item', schema.items, root, true, depth + 1, budget);
    if (item.kind !== 'json') return { ...base, kind: 'array', item };
  }
  return { ...base, kind: 'json', initial: schema.default === undefined ? '' : JSON.stringify(schema.default) };
}

/**
 * The form's fields for a tool's inputSchema.
 * @param {Schema | undefined} inputSchema
 * @returns {Field[]}
 */
export function fieldsOf(inputSchema) {
  const root = inputSchema ?? {};
  const top = fieldOf('', { ...root, type: 'object', properties: root.properties ?? {} }, root, true, 0, {
    left: MAX_FIELDS,
  });
  return top.kind === 'object' ? top.fields : [];
}

/**
 * A field's starting value: its default, or empty.
 * @param {Field} field
 * @returns {unknown}
 */
export function initialOf(field) {
  if (field.kind === 'object') return Object.fromEntries(field.fields.map((f) => [f.name, initialOf(f)]));
  if (field.kind === 'array') return [];
  return field.initial;
}

/**
 * The form's value for an argument already given (a replay).
 * @param {Field} field
 * @param {any} arg
 * @returns {unknown}
 */
function valueOf(field, arg) {
  if (arg === undefined) return initialOf(field);
  if (arg === null) return field.nullable ? null : initialOf(field);
  if (field.kind === 'object') return Object.fromEntries(field.fields.map((f) => [f.name, valueOf(f, arg[f.name])]));
  if (field.kind === 'array') return Array.isArray(arg) ? arg.map((a) => valueOf(field.item, a)) : [];
  if (field.kind === 'json') return JSON.stringify(arg);
  return arg;
}

/**
 * The form's starting values for `args` (empty for a new call).
 * @param {Field[]} fields
 * @param {Record<string, unknown>} [args]
 * @returns {Record<string, unknown>}
 */
export function valuesOf(fields, args = {}) {
  return Object.fromEntries(fields.map((f) => [f.name, valueOf(f, args[f.name])]));
}

const MISSING = Symbol('missing');

/**
 * Whether two JSON values are the same, whatever the order of their keys.
 * @param {any} a
 * @param {any} b
 * @returns {boolean}
 */
export function sameJson(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

/**
 * A field's argument from its value (MISSING to leave it out), its problems written to `errors` by path.
 * @param {Field} field
 * @param {any} value
 * @param {string} path
 * @param {Record<string, string>} errors
 * @returns {unknown}
 */
function argOf(field, value, path, errors) {
  if (value === null && field.nullable) return null;
  if (field.kind === 'boolean') return Boolean(value);
  if (field.kind === 'object') {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const f of field.fields) {
      const v = argOf(f, value?.[f.name], `${path}.${f.name}`, errors);
      if (v !== MISSING) out[f.name] = v;
    }
    return out;
  }
  if (field.kind === 'array')
    return (value ?? []).map((/** @type {unknown} */ v, /** @type {number} */ i) =>
      argOf(field.item, v, `${path}[${i}]`, errors),
    );
  if (value === undefined || value === '') {
    if (field.required) errors[path] = 'required';
    return MISSING;
  }
  if (field.kind === 'number' || field.kind === 'integer') {
    const n = Number(value);
    if (!Number.isFinite(n) || (field.kind === 'integer' && !Number.isInteger(n)))
      errors[path] = `not ${field.kind === 'integer' ? 'an integer' : 'a number'}`;
    return n;
  }
  if (field.kind === 'enum') {
    const option = field.options.find((o) => String(o) === String(value));
    if (option === undefined) errors[path] = 'not one of the options';
    return option ?? value;
  }
  if (field.kind === 'json') {
    try {
      return JSON.parse(value);
    } catch {
      errors[path] = 'not JSON';
      return MISSING;
    }
  }
  return value;
}

/**
 * The arguments the form's values make, and what is wrong with them (by field path).
 * @param {Field[]} fields
 * @param {Record<string, unknown>} values
 * @returns {{ args: Record<string, unknown>, errors: Record<string, string> }}
 */
export function collect(fields, values) {
  /** @type {Record<string, string>} */
  const errors = {};
  /** @type {Record<string, unknown>} */
  const args = {};
  for (const f of fields) {
    const v = argOf(f, values[f.name], f.name, errors);
    if (v !== MISSING) args[f.name] = v;
  }
  return { args, errors };
}

/**
 * Whether a replay's `args` fit the form as they are: no value of the wrong type, no key the schema
 * lacks (often what made the call fail). If not, the raw JSON editor sends exactly what was sent.
 * @param {Field[]} fields
 * @param {Record<string, unknown>} args
 * @returns {boolean}
 */
export function fitsForm(fields, args) {
  const back = collect(fields, valuesOf(fields, args));
  return Object.keys(back.errors).length === 0 && sameJson(back.args, args);
}
