import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';
import { schemaRegExp } from './schema-regexp.js';

/** The part of the SDK's Ajv instance we reach into: its compile options. */
interface AjvWithOptions {
  readonly _ajv?: { readonly opts?: { code?: { regExp?: unknown } } };
}

/**
 * The SDK's Ajv (its options and formats), with schema patterns on RE2 instead of `RegExp`. The
 * SDK builds its own Ajv and core cannot import `ajv` (not its dependency), so the engine is set
 * on the built instance's options, which Ajv reads at each compile. A catastrophic pattern on a
 * backtracking engine would block the event loop for as long as it runs (`^(a|a)*$` against 49
 * characters: hours); on RE2 it is linear.
 */
function createAjv(): AjvJsonSchemaValidator {
  const validator = new AjvJsonSchemaValidator();
  const code = (validator as unknown as AjvWithOptions)._ajv?.opts?.code;
  // An SDK that no longer holds Ajv there must fail loudly, not validate with backtracking regexes.
  if (code === undefined) throw new Error('the SDK AjvJsonSchemaValidator no longer exposes Ajv options');
  code.regExp = schemaRegExp;
  return validator;
}

/**
 * The SDK's Ajv validator, built on first use. Building Ajv with its formats costs about half a
 * millisecond of CPU, and most sessions never compile a schema: the SDK `Client` is given one of
 * these (it compiles only in its own listTools, which we do not call), as are a tool list
 * without output schemas and a server whose tools are never called. Patterns run on RE2 (linear
 * time); one RE2 cannot compile (a backreference, lookahead) is not enforced.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  #ajv: AjvJsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.#ajv ??= createAjv();
    return this.#ajv.getValidator<T>(schema);
  }
}
