import { z } from 'zod';
import type { MatchesSchema } from './policy.js';

const MAX_PATTERNS = 1000;
const pattern = z.string().min(1, 'expected a non-empty tool name or glob').max(400);
const patterns = z.array(pattern).max(MAX_PATTERNS);
const changeAction = z.enum(['warn', 'hold', 'block']);

/** Validates a {@link ToolPolicy}. */
export const toolPolicySchema = z.strictObject({
  allow: patterns.optional(),
  deny: patterns.optional(),
  readOnly: z.boolean().optional(),
  approval: z.enum(['always', 'never', 'annotations']).optional(),
  autoApprove: patterns.optional(),
  onChange: changeAction.optional(),
  onShadow: changeAction.optional(),
});

/** What happens to a tool whose pinned definition changed, or that shadows another server's tool. */
export type ToolChangeAction = 'warn' | 'hold' | 'block';

/**
 * Which tools a server offers to the application, and which of their calls need a person's approval.
 *
 * A pattern is a tool name or a glob (`*` any run of characters, `?` one); a pattern with a `/` is matched
 * against `server/tool`, any other against the tool name. A server's own policy and the client-wide one
 * both apply: a tool must pass both `allow` lists (where set) and neither `deny` list; `readOnly` in
 * either narrows; the rest is the server's setting, else the client's, else the default.
 */
export interface ToolPolicy {
  /** Only tools matching one of these are offered; unset offers every tool not denied. */
  readonly allow?: string[] | undefined;
  /** Tools matching one of these are never offered, whatever `allow` says. */
  readonly deny?: string[] | undefined;
  /**
   * Only tools annotated `readOnlyHint: true` are offered. The annotation is the server's own claim:
   * it narrows what is offered, it is no proof.
   */
  readonly readOnly?: boolean | undefined;
  /**
   * Which calls need approval: `always`; `never`; `annotations`: all but those annotated
   * `readOnlyHint: true` by a server marked `trusted` (an untrusted server's annotations are hints only,
   * so every call to it is asked). @default 'annotations'
   */
  readonly approval?: 'always' | 'never' | 'annotations' | undefined;
  /** Tools matching one of these run without approval, whatever `approval` says. */
  readonly autoApprove?: string[] | undefined;
  /**
   * A tool whose definition (description, schemas, annotations) differs from the one pinned: `warn`
   * (offered, flagged, `tool:changed`), `hold` (not offered until accepted), `block` (not offered; only an
   * explicit accept brings it back). @default 'warn'
   */
  readonly onChange?: ToolChangeAction | undefined;
  /** A tool a server adds, after its first list, under a name another server already offers. @default 'warn' */
  readonly onShadow?: ToolChangeAction | undefined;
}

const toolPolicyMatchesSchema: MatchesSchema<z.infer<typeof toolPolicySchema>, ToolPolicy> = true;
void toolPolicyMatchesSchema;
