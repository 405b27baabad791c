import { z } from 'zod';
import { toolPolicySchema, type ToolPolicy } from './tool-policy.js';

/**
 * A further gateway endpoint, as a config file's top-level `endpoints` gives it by name: `umcp serve
 * --http` serves it beside the main one, with its own token and view of the tools.
 */
export interface EndpointConfig {
  /** Its Streamable HTTP path, e.g. `/readers/mcp`. */
  readonly path: string;
  /** The bearer token its clients use (at least 16 characters; write `${VAR}` to keep it out of the file). */
  readonly token: string;
  /** Which tools it offers (`allow`, `deny`, `readOnly`; approval and pinning are the client's, not an endpoint's). */
  readonly tools?: Pick<ToolPolicy, 'allow' | 'deny' | 'readOnly'> | undefined;
  /** Its legacy HTTP+SSE stream's path; `false` or unset: none. */
  readonly ssePath?: string | false | undefined;
}

const path = z.string().regex(/^\/[^?#]*$/, 'expected a path starting with "/"');
const endpointSchema = z.strictObject({
  path,
  token: z.string().min(16, 'expected a token of at least 16 characters'),
  tools: toolPolicySchema.pick({ allow: true, deny: true, readOnly: true }).optional(),
  ssePath: z.union([path, z.literal(false)]).optional(),
});

/** The string fields `${VAR}` is filled in. */
const FILLED = ['path', 'token', 'ssePath'] as const;

/**
 * A config file's `endpoints`, validated: `fill` fills in a string's `${VAR}`s (the loader's own
 * rule), `fail` throws the loader's error for a JSON path. A message never holds a token.
 */
export function parseEndpoints(
  raw: unknown,
  fill: (value: string, path: string) => string,
  fail: (path: string, message: string) => never,
): Record<string, EndpointConfig> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('endpoints', 'expected an object of endpoints by name');
  const out: Record<string, EndpointConfig> = {};
  for (const [name, entry] of Object.entries(raw)) {
    const at = `endpoints.${name}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return fail(at, 'expected an object with path and token');
    const filled: Record<string, unknown> = { ...entry };
    for (const key of FILLED) {
      const value = filled[key];
      if (typeof value === 'string') filled[key] = fill(value, `${at}.${key}`);
    }
    const result = endpointSchema.safeParse(filled);
    if (!result.success) {
      const issue = result.error.issues[0];
      return fail([at, ...(issue?.path ?? []).map(String)].join('.'), issue?.message ?? 'invalid');
    }
    out[name] = result.data;
  }
  return out;
}
