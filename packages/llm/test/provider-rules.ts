import type { JsonSchema } from '../src/schemas.js';

// The providers' documented rules for tool schemas, as checks: a schema we send must pass them.
// OpenAI: https://platform.openai.com/docs/guides/structured-outputs (strict mode, supported schemas).
// Gemini: the `parameters` of a FunctionDeclaration take an OpenAPI 3.0 Schema subset.

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

const STRICT_FORBIDDEN = [
  'allOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'propertyNames',
  'default',
  'optional',
];

/** Every violation of OpenAI strict mode's rules in `schema` (empty when it follows them). */
export function openAiStrictViolations(schema: JsonSchema, path = '$'): string[] {
  const out: string[] = [];
  if (path === '$' && schema.type !== 'object') out.push(`${path}: the root must be an object`);
  for (const key of STRICT_FORBIDDEN) if (key in schema) out.push(`${path}: "${key}" is not supported`);
  if (typeof schema.$ref === 'string' && !schema.$ref.startsWith('#')) out.push(`${path}: external $ref`);
  const isObj = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (isObj) {
    if (schema.additionalProperties !== false) out.push(`${path}: additionalProperties must be false`);
    const props = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    for (const p of props) if (!required.includes(p)) out.push(`${path}.${p}: every property must be required`);
  }
  const isArr = schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'));
  if (isArr && !isObject(schema.items)) out.push(`${path}: an array needs items`);
  for (const [key, value] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
    if (isObject(value)) out.push(...openAiStrictViolations(value, `${path}.${key}`));
  }
  if (isObject(schema.items)) out.push(...openAiStrictViolations(schema.items, `${path}[]`));
  for (const [i, branch] of (Array.isArray(schema.anyOf) ? schema.anyOf : []).entries()) {
    if (isObject(branch)) out.push(...openAiStrictViolations(branch, `${path}.anyOf[${i}]`));
  }
  for (const [key, value] of Object.entries(isObject(schema.$defs) ? schema.$defs : {})) {
    if (isObject(value)) out.push(...openAiStrictViolations(value, `${path}.$defs.${key}`));
  }
  return out;
}

const GEMINI_ALLOWED = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'title',
  'minLength',
  'maxLength',
  'pattern',
  'propertyOrdering',
]);
const GEMINI_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Every violation of Gemini's `parameters` rules in `schema`. */
export function geminiViolations(schema: JsonSchema, path = '$'): string[] {
  const out: string[] = [];
  if (path === '$' && schema.type !== 'object') out.push(`${path}: the root must be an object`);
  for (const key of Object.keys(schema)) if (!GEMINI_ALLOWED.has(key)) out.push(`${path}: "${key}" is not taken`);
  if (schema.type !== undefined && !(typeof schema.type === 'string' && GEMINI_TYPES.has(schema.type)))
    out.push(`${path}: type ${JSON.stringify(schema.type)}`);
  if (Array.isArray(schema.enum) && schema.enum.some((v) => typeof v !== 'string'))
    out.push(`${path}: enum values must be strings`);
  if (schema.type === 'array' && !isObject(schema.items)) out.push(`${path}: an array needs items`);
  for (const [key, value] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
    if (isObject(value)) out.push(...geminiViolations(value, `${path}.${key}`));
  }
  if (isObject(schema.items)) out.push(...geminiViolations(schema.items, `${path}[]`));
  for (const [i, branch] of (Array.isArray(schema.anyOf) ? schema.anyOf : []).entries()) {
    if (isObject(branch)) out.push(...geminiViolations(branch, `${path}.anyOf[${i}]`));
  }
  return out;
}
