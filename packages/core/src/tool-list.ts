import {
  specTypeSchemas,
  type CallToolResult,
  type JsonSchemaType,
  type JsonSchemaValidator,
  type Tool,
} from '@modelcontextprotocol/client';
import type { InvalidTool, ToolWarning } from './catalog.js';
import { ErrorCode, UniversalMcpError, boundText } from './errors.js';
import { LazyJsonSchemaValidator } from './lazy-validator.js';
import { checkParamHeaders, type ParamHeaderDeclaration } from './mcp-param-headers.js';
import { DEFAULT_SCHEMA_LIMITS, inspectSchema } from './schema-limits.js';
import { unenforceablePattern } from './schema-regexp.js';

/**
 * A page of `tools/list`, read loosely so that one broken tool does not fail the whole list: `tools` an
 * array, `nextCursor` a string when present; each tool is checked by {@link checkTools}. Throws saying what is wrong.
 */
export function toolsPage(result: Record<string, unknown>): { items: unknown[]; nextCursor?: string | undefined } {
  const { tools, nextCursor } = result;
  if (!Array.isArray(tools)) throw new Error('invalid tools/list result: "tools" is not an array');
  if (nextCursor !== undefined && typeof nextCursor !== 'string')
    throw new Error('invalid tools/list result: "nextCursor" is not a string');
  return { items: tools, nextCursor };
}

/** What {@link checkTools} found. */
export interface ToolList {
  readonly tools: Tool[];
  readonly invalid: InvalidTool[];
  /** Listed tools with a pattern RE2 cannot run: it is not enforced. */
  readonly warnings: ToolWarning[];
}

/** Checked tools, with a compiled output validator for each tool that has an outputSchema. */
export interface CheckedTools extends ToolList {
  readonly outputValidators: ReadonlyMap<string, JsonSchemaValidator<unknown>>;
  /** Each tool's `x-mcp-header` declarations (2026-07-28 only; tools without any are not in it). */
  readonly paramHeaders: ReadonlyMap<string, readonly ParamHeaderDeclaration[]>;
}

/** Options for {@link checkTools}. */
export interface CheckToolsOptions {
  /**
   * Check `x-mcp-header` declarations (the 2026-07-28 era): a tool whose declarations break the
   * rules is left out as invalid, as the spec says a client MUST. @default false
   */
  readonly paramHeaders?: boolean | undefined;
}

/**
 * Why a tool's schemas cannot be taken (past {@link DEFAULT_SCHEMA_LIMITS}), and the patterns in
 * them RE2 cannot run. Runs before anything else reads the schemas, as they may be of any depth.
 */
function inspectTool(item: unknown): { over?: string; unenforced: string[] } {
  const unenforced: string[] = [];
  for (const key of ['inputSchema', 'outputSchema'] as const) {
    const schema = (item as Record<string, unknown> | null)?.[key];
    if (schema === undefined) continue;
    const { over, patterns } = inspectSchema(schema, DEFAULT_SCHEMA_LIMITS);
    if (over !== undefined) return { over: `${key} is past the schema limits: ${over}`, unenforced };
    for (const pattern of new Set(patterns)) {
      const why = unenforceablePattern(pattern);
      if (why !== undefined) unenforced.push(`${key} pattern ${JSON.stringify(pattern)} is not enforced: ${why}`);
    }
  }
  return { unenforced };
}

/**
 * Checks each listed tool on its own: one with a broken definition (an inputSchema that is not an
 * object schema, an outputSchema that does not compile, a schema past the size or depth limits)
 * is set aside with the reason; the rest stay usable, each output schema compiled once. A pattern
 * RE2 cannot run is not enforced, and the tool is reported in `warnings`.
 */
export function checkTools(raw: readonly unknown[], options: CheckToolsOptions = {}): CheckedTools {
  const paramHeaders = new Map<string, readonly ParamHeaderDeclaration[]>();
  const tools: Tool[] = [];
  const invalid: InvalidTool[] = [];
  const warnings: ToolWarning[] = [];
  const outputValidators = new Map<string, JsonSchemaValidator<unknown>>();
  const ajv = new LazyJsonSchemaValidator();
  raw.forEach((item, index) => {
    const rawName = (item as { name?: unknown } | null)?.name;
    const name = typeof rawName === 'string' ? rawName : `#${index}`;
    const inspected = inspectTool(item);
    if (inspected.over !== undefined) {
      invalid.push({ name, reason: inspected.over });
      return;
    }
    // The spec's Tool schema (the SDK's Standard Schema for it, synchronous): once per tool per listing.
    const parsed = specTypeSchemas.Tool['~standard'].validate(item);
    if (parsed.issues !== undefined) {
      const issue = parsed.issues[0];
      const path = (issue?.path ?? []).map((key) => String(typeof key === 'object' ? key.key : key)).join('.');
      invalid.push({ name, reason: boundText(`${path || '(tool)'}: ${issue?.message ?? 'invalid'}`, 200) });
      return;
    }
    // The schemas as the server gave them (JSON Schema 2020-12: `$defs`, `$ref`, key order), not as
    // the parser rebuilt them: they go on to models and to the gateway's clients unchanged.
    const given = item as Pick<Tool, 'inputSchema' | 'outputSchema'>;
    const tool = { ...(parsed.value as Tool), inputSchema: given.inputSchema };
    if (given.outputSchema !== undefined) tool.outputSchema = given.outputSchema;
    // 2025-11-25 tasks: whether the tool may (or must) run as a task; the spec's parser drops the field.
    const taskSupport = readTaskSupport(item);
    if (taskSupport !== undefined) Object.assign(tool, { execution: { taskSupport } });
    if (options.paramHeaders === true) {
      // Read from the tool as listed: the schema as the server gave it, not as a parser reshaped it.
      const headers = checkParamHeaders((item as { inputSchema?: unknown }).inputSchema);
      if (!headers.ok) {
        invalid.push({ name, reason: boundText(`x-mcp-header: ${headers.reason}`, 200) });
        return;
      }
      if (headers.declarations.length > 0) paramHeaders.set(tool.name, headers.declarations);
    }
    if (tool.outputSchema !== undefined) {
      try {
        outputValidators.set(tool.name, ajv.getValidator(tool.outputSchema as JsonSchemaType));
      } catch (err) {
        invalid.push({ name, reason: boundText(`outputSchema does not compile: ${(err as Error).message}`, 200) });
        return;
      }
    }
    tools.push(tool);
    for (const reason of inspected.unenforced) warnings.push({ name, reason: boundText(reason, 300) });
  });
  return { tools, invalid, warnings, outputValidators, paramHeaders };
}

/** 2025-11-25 `execution.taskSupport` of a tool: whether `tools/call` may or must ask for a task. */
export type TaskSupport = 'forbidden' | 'optional' | 'required';

/** A listed tool's `execution.taskSupport`, when it is one of {@link TaskSupport}. */
export function readTaskSupport(tool: unknown): TaskSupport | undefined {
  const execution = (tool as { execution?: unknown } | null)?.execution;
  const support = (execution as { taskSupport?: unknown } | null | undefined)?.taskSupport;
  return support === 'forbidden' || support === 'optional' || support === 'required' ? support : undefined;
}

/**
 * A `tools/call` result, checked for the shape callers rely on without a schema parse per call:
 * `content` an array (an empty one when missing, as the SDK's schema defaults it), `isError` a
 * boolean and `structuredContent` an object when present. Throws saying what is wrong.
 */
export function toolResult(result: Record<string, unknown>): CallToolResult {
  const { content, isError, structuredContent } = result;
  if (content !== undefined && !Array.isArray(content))
    throw new Error('invalid tools/call result: "content" is not an array');
  if (isError !== undefined && typeof isError !== 'boolean')
    throw new Error('invalid tools/call result: "isError" is not a boolean');
  if (structuredContent !== undefined && (typeof structuredContent !== 'object' || structuredContent === null))
    throw new Error('invalid tools/call result: "structuredContent" is not an object');
  return (content === undefined ? { ...result, content: [] } : result) as CallToolResult;
}

/** The `INVALID_RESULT` error for a tool result that breaks the tool's outputSchema, if it does. */
export function checkToolResult(
  server: string,
  tool: string,
  result: CallToolResult,
  validate: JsonSchemaValidator<unknown> | undefined,
): UniversalMcpError | undefined {
  if (validate === undefined || result.isError === true) return undefined;
  const fail = (why: string): UniversalMcpError =>
    new UniversalMcpError(ErrorCode.INVALID_RESULT, `Tool result from "${server}" breaks its output schema: ${why}`, {
      server,
      details: { tool },
    });
  if (result.structuredContent === undefined)
    return fail(`tool ${tool} has an output schema but did not return structured content`);
  const check = validate(result.structuredContent);
  return check.valid
    ? undefined
    : fail(`structured content does not match the tool's output schema: ${boundText(check.errorMessage ?? 'invalid')}`);
}
