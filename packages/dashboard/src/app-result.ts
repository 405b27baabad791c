import type { CallToolResult } from '@universal-mcp/supervisor';
import { boundRedacted } from './redaction.js';

/** At most this much JSON of one call's result is kept for its App (the store is rewritten whole on every save). */
export const MAX_APP_RESULT_CHARS = 256 * 1024;
/** Deeper than this, a result is not kept for its App. */
export const MAX_APP_RESULT_DEPTH = 32;

/** What a chat keeps of a result for the tool's App: the result, or `cut` when it was too large or deep. */
export type KeptAppResult =
  { readonly result: CallToolResult; readonly cut?: undefined } | { readonly result?: undefined; readonly cut: true };

/**
 * The part of a tool's result its App reads (`content`, `structuredContent`, `isError`), redacted as
 * the chat store redacts arguments, whole or not at all: past {@link MAX_APP_RESULT_CHARS} of JSON or
 * {@link MAX_APP_RESULT_DEPTH} levels it is `cut`, and the App gets what the model saw instead (a
 * half result would show the App something the server never sent).
 */
export function appResultToKeep(result: CallToolResult): KeptAppResult {
  const picked = {
    content: result.content,
    ...(result.structuredContent === undefined ? {} : { structuredContent: result.structuredContent }),
    ...(result.isError === undefined ? {} : { isError: result.isError }),
  };
  const { value, cut } = boundRedacted(picked, { maxDepth: MAX_APP_RESULT_DEPTH, maxChars: MAX_APP_RESULT_CHARS });
  // boundJson's count is an estimate: the JSON text itself decides.
  if (cut || JSON.stringify(value).length > MAX_APP_RESULT_CHARS) return { cut: true };
  return { result: value as CallToolResult };
}
