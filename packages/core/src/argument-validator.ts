import type { JsonSchemaType, JsonSchemaValidator, Tool } from '@modelcontextprotocol/client';
import { describeArgumentErrors } from './argument-errors.js';
import { ErrorCode, UniversalMcpError } from './errors.js';
import { LazyJsonSchemaValidator } from './lazy-validator.js';

/**
 * Checks tool arguments against the tool's `inputSchema` before anything is sent. Validators are
 * compiled once per tool object (a catalog refresh brings new objects, so new validators).
 */
export class ArgumentValidator {
  readonly #ajv = new LazyJsonSchemaValidator();
  readonly #compiled = new WeakMap<Tool, JsonSchemaValidator<unknown>>();

  /** The typed error for invalid arguments, or undefined when they fit. */
  check(server: string, tool: Tool, args: Record<string, unknown> | undefined): UniversalMcpError | undefined {
    let validate = this.#compiled.get(tool);
    if (validate === undefined) {
      try {
        validate = this.#ajv.getValidator(tool.inputSchema as JsonSchemaType);
      } catch {
        // A schema Ajv cannot compile is the server's problem: let the server judge the call.
        validate = () => ({ valid: true, data: undefined, errorMessage: undefined });
      }
      this.#compiled.set(tool, validate);
    }
    const result = validate(args ?? {});
    if (result.valid) return undefined;
    const { text, field } = describeArgumentErrors(result.errorMessage);
    return new UniversalMcpError(
      ErrorCode.INVALID_ARGUMENTS,
      `Invalid arguments for tool "${tool.name}" on "${server}": ${text}`,
      { server, details: { tool: tool.name, field } },
    );
  }
}
