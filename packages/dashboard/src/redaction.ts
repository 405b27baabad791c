import { boundJson, isSecretName } from '@universal-mcp/core/internal';

/** Arguments kept per call in the history: one entry must not crowd out the rest. */
const HISTORY_CHARS = 64 * 1024;
/** Arguments an approval card shows: enough to judge the call, never a page that will not render. */
const APPROVAL_CHARS = 16 * 1024;

/** Keys replaced by `[redacted]`: core's rule for secret names, and the `keys` given (lowercase). */
const secretKey =
  (keys: ReadonlySet<string>) =>
  (k: string): boolean =>
    isSecretName(k) || keys.has(k.toLowerCase());

/**
 * `value` with secrets replaced by `[redacted]` at any depth, as the dashboard writes arguments down
 * (history, conversations, exports, the page's events): every key that looks secret (core's rule,
 * `isSecretName`: auth, token, key, secret, password, passwd, cookie, session or credential, in any
 * case) and the `keys` given (lowercase, matched in any case). Cut past 64 levels and `maxChars`.
 */
export function redact(value: unknown, keys: ReadonlySet<string> = new Set(), maxChars = HISTORY_CHARS): unknown {
  return boundJson(value, { maxDepth: 64, maxChars, redact: secretKey(keys) }).value;
}

/** A tool call's arguments as a conversation keeps them: secrets redacted, never too deep to write. */
export const redactArgs = (args: unknown): unknown => redact(args, undefined, Number.POSITIVE_INFINITY);

/**
 * A tool call's arguments as its approval card shows them: redacted by the same rule as
 * {@link redactArgs}, cut at 16 K characters (`cut` says so).
 */
export function approvalArgs(args: unknown): { args: unknown; cut: boolean } {
  const { value, cut } = boundRedacted(args, { maxDepth: 64, maxChars: APPROVAL_CHARS });
  return { args: value, cut };
}

/**
 * `value` redacted by the rule of {@link redactArgs}, within the bounds given; `cut` says whether
 * anything went past them.
 */
export function boundRedacted(
  value: unknown,
  bounds: { readonly maxDepth: number; readonly maxChars: number },
): { value: unknown; cut: boolean } {
  const { value: kept, cut } = boundJson(value, { ...bounds, redact: secretKey(new Set()) });
  return { value: kept, cut };
}
