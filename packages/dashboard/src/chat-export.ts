import { jsonText } from '@universal-mcp/core/internal';
import { outcomeText } from '@universal-mcp/llm';
import type { Conversation, StoredMessage, StoredToolCall } from './chat-store.js';
import { redactArgs } from './redaction.js';

/** An export is the whole conversation: no size cut, only the depth JSON.stringify survives. */
const EXPORT_BOUNDS = { maxDepth: 100, maxChars: Number.POSITIVE_INFINITY } as const;

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function toolCallMarkdown(call: StoredToolCall): string {
  const where = call.server === undefined ? call.name : `${call.server} / ${call.tool ?? call.name}`;
  const outcome = call.outcome === undefined ? 'no result' : call.outcome.isError ? 'error' : 'ok';
  const facts = [
    outcome,
    ...(call.durationMs === undefined ? [] : [`${Math.round(call.durationMs)} ms`]),
    ...(call.approval === undefined ? [] : [call.approval]),
  ];
  return [
    `**Tool call** \`${where}\` — ${facts.join(', ')}`,
    '',
    fenced(JSON.stringify(redactArgs(call.args), null, 2), 'json'),
    ...(call.outcome === undefined ? [] : ['', fenced(outcomeText(call.outcome))]),
  ].join('\n');
}

function messageMarkdown(m: StoredMessage): string {
  const parts = [m.role === 'user' ? '## You' : '## Assistant'];
  if (m.content !== '') parts.push(m.content);
  for (const call of m.toolCalls ?? []) parts.push(toolCallMarkdown(call));
  if (m.status === 'stopped') parts.push('_Stopped._');
  if (m.status === 'error') parts.push(`_Failed: ${m.error ?? 'unknown error'}_`);
  if (m.usage !== undefined) parts.push(`_Tokens: ${m.usage.inputTokens} in, ${m.usage.outputTokens} out_`);
  return parts.join('\n\n');
}

/** A conversation as a Markdown document: its settings, then each message, tool calls with their results. */
export function conversationMarkdown(conversation: Conversation): string {
  const { settings } = conversation;
  const head = [
    `# ${conversation.title}`,
    '',
    `${settings.provider} · ${settings.model} · ${new Date(conversation.createdAt).toISOString()}`,
    ...(settings.system.trim() === '' ? [] : ['', ...settings.system.split('\n').map((l) => `> ${l}`)]),
  ].join('\n');
  return `${[head, ...conversation.messages.map(messageMarkdown)].join('\n\n')}\n`;
}

/**
 * A conversation as JSON, marked with its format's version; secrets in tool arguments redacted
 * (a store of yours may have kept them).
 */
export function conversationJson(conversation: Conversation): string {
  const messages = conversation.messages.map((m) =>
    m.toolCalls === undefined ? m : { ...m, toolCalls: m.toolCalls.map((c) => ({ ...c, args: redactArgs(c.args) })) },
  );
  const document = { format: 'universal-mcp-conversation', version: 1, ...conversation, messages };
  return `${jsonText(document, EXPORT_BOUNDS, 2)}\n`;
}

/** A file name for a conversation's export. */
export function exportName(conversation: Conversation, extension: string): string {
  const base = conversation.title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base === '' ? 'conversation' : base}.${extension}`;
}
