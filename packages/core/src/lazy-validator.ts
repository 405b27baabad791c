import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { schemaRegExp } from './schema-regexp.js';

/** The part of an Ajv engine we reach into: its compile options. */
interface AjvWithOptions {
  readonly opts?: { code?: { regExp?: unknown } };
}

/**
 * The fields where the SDK's validator keeps the Ajv engine of each JSON Schema dialect it builds
 * (2020-12, the default; 2019-09; draft-07 and -06), each built on the first schema that needs it.
 */
const ENGINE_FIELDS = ['_ajv', '_ajv2019', '_ajvDraft7'] as const;

/**
 * The SDK's Ajv validator (its per-dialect engines, options and formats), with schema patterns on
 * RE2 instead of `RegExp`. The SDK builds its engines itself and core cannot import `ajv` (not
 * its dependency), so each engine's `code.regExp` option is set as the SDK stores the engine,
 * before it compiles anything (Ajv reads the option at each compile). A catastrophic pattern on
 * a backtracking engine would block the event loop for as long as it runs (`^(a|a)*$` against 49
 * characters: hours); on RE2 it is linear.
 */
function createAjv(): AjvJsonSchemaValidator {
  const validator = new AjvJsonSchemaValidator();
  const fields = validator as unknown as Record<string, unknown>;
  for (const field of ENGINE_FIELDS) {
    // An SDK that no longer keeps its engines there must fail loudly, not validate with backtracking regexes.
    if (!Object.prototype.hasOwnProperty.call(fields, field))
      throw new Error(`the SDK AjvJsonSchemaValidator no longer keeps an Ajv engine in ${field}`);
    let engine = fields[field];
    Object.defineProperty(fields, field, {
      configurable: true,
      enumerable: true,
      get: () => engine,
      set: (built: unknown) => {
        const code = (built as AjvWithOptions | undefined)?.opts?.code;
        if (built !== undefined && code === undefined) throw new Error('the SDK Ajv engine no longer exposes options');
        if (code !== undefined) code.regExp = schemaRegExp;
        engine = built;
      },
    });
  }
  return validator;
}

/**
 * The SDK's Ajv validator, built on first use. Building Ajv with its formats costs about half a
 * millisecond of CPU, and most sessions never compile a schema: a tool list without output
 * schemas and a server whose tools are never called do not build one. Patterns run on RE2
 * (linear time); one RE2 cannot compile (a backreference, lookahead) is not enforced.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  #ajv: AjvJsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.#ajv ??= createAjv();
    return this.#ajv.getValidator<T>(schema);
  }
}
