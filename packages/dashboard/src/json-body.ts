import type { Context } from 'hono';

/** A request's JSON body when it is an object; `{}` for anything else (no body, not JSON, null, a number). */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  // A body that is not JSON is no body: the caller refuses what it lacks, naming the field.
  const value: unknown = await c.req.json().catch(() => undefined);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
