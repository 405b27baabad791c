import type { StandardSchemaV1Sync } from '@modelcontextprotocol/client';
import { ErrorCode, UniversalMcpError } from './errors.js';

// How a session checks the results of the requests off the hot path (tools have tool-list.ts).

/** Checks a value with one of the SDK's spec-type schemas (synchronous); throws saying what is wrong. */
function validated<T>(schema: StandardSchemaV1Sync<unknown, T>, value: unknown, what: string): T {
  const checked = schema['~standard'].validate(value);
  if (checked.issues === undefined) return checked.value;
  const issue = checked.issues[0];
  const path = (issue?.path ?? []).map((key) => String(typeof key === 'object' ? key.key : key)).join('.');
  throw new Error(`invalid ${what} result: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`);
}

/** A result checked with one of the SDK's spec-type schemas (for the requests off the hot path). */
export const parsedBy =
  <T>(schema: StandardSchemaV1Sync<unknown, T>, what: string) =>
  (result: Record<string, unknown>): T =>
    validated(schema, result, what);

/** A list page checked with one of the SDK's spec-type schemas: its items (under `key`) and its cursor. */
export const pageOf =
  <K extends string, T>(
    schema: StandardSchemaV1Sync<unknown, Record<K, T[]> & { nextCursor?: string | undefined }>,
    key: K,
  ) =>
  (result: Record<string, unknown>): { items: T[]; nextCursor?: string | undefined } => {
    const page = validated(schema, result, key);
    return { items: page[key], nextCursor: page.nextCursor };
  };

/** `{}`: what `resources/subscribe`, `logging/setLevel` and `ping` answer; anything else in it is ignored. */
export const emptyResult = (): void => undefined;

/**
 * A 2026-07-28 result must be complete (`resultType` missing or `complete`) unless the method is MRTR's;
 * `tools/call` may also be a task (Tasks extension): any other method answered with one is invalid.
 */
export function completeOnly<T>(
  check: (result: Record<string, unknown>) => T,
  method?: string,
): (result: Record<string, unknown>) => T {
  return (result) => {
    const type = result.resultType;
    if (type !== undefined && type !== 'complete' && !(type === 'task' && method === 'tools/call'))
      throw new UniversalMcpError(
        ErrorCode.INVALID_RESULT,
        `Result has resultType ${JSON.stringify(String(type).slice(0, 64))} where only "complete" is allowed`,
        { details: { reason: 'unsupported-result-type' } },
      );
    return check(result);
  };
}
