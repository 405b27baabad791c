import { boundJson, isSecretName } from '@universal-mcp/core/internal';

/** Arguments kept per call in the history: one entry must not crowd out the rest. */
const HISTORY_CHARS = 64 * 1024;

/**
 * `value` with secrets replaced by `[redacted]` at any depth, as the console writes arguments down
 * (history, conversations, exports, the page's events): every key that looks secret (core's rule,
 * `isSecretName`: auth, token, key, secret, password, passwd, cookie, session or credential, in any
 * case) and the `keys` given (lowercase, matched in any case). Cut past 64 levels and `maxChars`.
 */
export function redact(value: unknown, keys: ReadonlySet<string> = new Set(), maxChars = HISTORY_CHARS): unknown {
  return boundJson(value, { maxDepth: 64, maxChars, redact: (k) => isSecretName(k) || keys.has(k.toLowerCase()) })
    .value;
}

/** A tool call's arguments as a conversation keeps them: secrets redacted, never too deep to write. */
export const redactArgs = (args: unknown): unknown => redact(args, undefined, Number.POSITIVE_INFINITY);
