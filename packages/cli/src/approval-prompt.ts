import type { LlmTool, ToolCallRecord } from '@universal-mcp/llm';
import { clip } from './render.js';

/** The most of a call's arguments the prompt prints (the model writes them: they can be huge). */
const MAX_ARGS_CHARS = 4000;

/** Each hint a server can give, in words, by its value. */
const HINT_WORDS: readonly [key: string, yes: string, no: string][] = [
  ['readOnlyHint', 'read-only', 'may change things'],
  ['destructiveHint', 'destructive', 'not destructive'],
  ['idempotentHint', 'idempotent', 'not idempotent'],
  ['openWorldHint', 'reaches the outside world', 'closed world'],
];

/** A name a server chose, without the control characters that could rewrite the terminal. */
// eslint-disable-next-line no-control-regex
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** The server's own hints about a tool, in words (only the booleans it declared). */
export function hintWords(annotations: unknown): string[] {
  if (typeof annotations !== 'object' || annotations === null) return [];
  const given = annotations as Record<string, unknown>;
  return HINT_WORDS.filter(([key]) => typeof given[key] === 'boolean').map(([key, yes, no]) =>
    given[key] === true ? yes : no,
  );
}

/**
 * What `umcp chat` asks before a tool runs: the tool, the arguments it will get (indented JSON,
 * cut at 4,000 characters), and the server's own annotations, said to be its claims.
 */
export function approvalPrompt(call: ToolCallRecord, tool: LlmTool | undefined): string {
  const where = printable(`${tool?.server ?? '?'}.${tool?.tool ?? call.name}`);
  // JSON escapes C0 controls but not DEL and C1 (U+009B starts a terminal control sequence).
  const args = clip(JSON.stringify(call.args ?? {}, null, 2), MAX_ARGS_CHARS)
    .replace(/[\u007f-\u009f]/g, '?')
    .replace(/^/gm, '    ');
  const hints = hintWords(tool?.definition.annotations);
  return [
    `? allow ${where} to run with these arguments:`,
    args,
    `  the server's own hints (not checked): ${hints.length === 0 ? 'none given' : hints.join(', ')}`,
    '  allow? [y/N] ',
  ].join('\n');
}
