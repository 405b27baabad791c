import type { ApprovalRequest } from '@universal-mcp/llm';
import type { ToolChange } from '@universal-mcp/supervisor';
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

/** A name a server chose, without the control characters that could rewrite the terminal (shown as `?`). */
// eslint-disable-next-line no-control-regex
export const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** The server's own hints about a tool, in words (only the booleans it declared). */
export function hintWords(annotations: unknown): string[] {
  if (typeof annotations !== 'object' || annotations === null) return [];
  const given = annotations as Record<string, unknown>;
  return HINT_WORDS.filter(([key]) => typeof given[key] === 'boolean').map(([key, yes, no]) =>
    given[key] === true ? yes : no,
  );
}

/** The most lines of a change's diff the prompt prints (the client bounds it too). */
const MAX_DIFF_LINES = 40;

/**
 * What changed in a flagged tool, in lines for the terminal (each line the server's text, so cut and
 * stripped of control characters); empty when the tool is not flagged.
 */
export function changeLines(change: ToolChange | undefined): string[] {
  if (change === undefined) return [];
  const what =
    change.kind === 'shadows'
      ? `it shadows a tool of the same name on "${printable(change.shadows ?? '?')}"`
      : 'its definition changed since it was pinned';
  const diff = change.diff
    .split('\n')
    .slice(0, MAX_DIFF_LINES)
    .map((line) => `      ${clip(printable(line), 300)}`);
  return [`  ! ${what} (policy: ${change.action}); not accepted yet:`, ...diff];
}

/**
 * What `umcp chat` asks before a tool runs: the server and the tool, the arguments it will get
 * (indented JSON, cut at 4,000 characters), whether the server is trusted, its own annotations (said
 * to be its claims), and the tool's pending change with its diff. The answer: y, a (always, for the
 * rest of the conversation), anything else no.
 */
export function approvalPrompt(request: ApprovalRequest): string {
  const { call, server, toolName, trusted } = request;
  const where = printable(`${server ?? '?'}.${toolName}`);
  // JSON escapes C0 controls but not DEL and C1 (U+009B starts a terminal control sequence).
  const args = clip(JSON.stringify(call.args ?? {}, null, 2), MAX_ARGS_CHARS)
    .replace(/[\u007f-\u009f]/g, '?')
    .replace(/^/gm, '    ');
  const hints = hintWords(request.annotations);
  const said = hints.length === 0 ? 'none given' : hints.join(', ');
  return [
    `? allow ${where} to run with these arguments:`,
    args,
    `  server "${printable(server ?? '?')}": ${trusted ? 'trusted' : 'not trusted'}`,
    `  the server's own hints (${trusted ? 'trusted server' : 'not checked'}): ${said}`,
    ...changeLines(request.change),
    '  allow? y = yes, a = always in this conversation, N = no [y/a/N] ',
  ].join('\n');
}

/** What an answer to {@link approvalPrompt} means: `y`/`yes` yes, `a`/`always` always, anything else no. */
export function approvalAnswer(line: string | undefined): boolean | 'always' {
  const answer = line?.trim().toLowerCase() ?? '';
  if (answer === 'a' || answer === 'always') return 'always';
  return answer === 'y' || answer === 'yes';
}
