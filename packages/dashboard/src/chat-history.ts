import type { ChatMessage, ToolOutcome } from '@universal-mcp/llm';
import { modelTurn } from './chat-attachments.js';
import type { StoredMessage } from './chat-store.js';

/** The outcome kept for a tool call a stop cut short. */
export const STOPPED: ToolOutcome = {
  parts: [{ type: 'text', text: 'The run was stopped before this call ended.' }],
  isError: true,
};

/** The history a model is given for a stored conversation: failed steps left out, every tool call with a result. */
export function historyOf(messages: readonly StoredMessage[]): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      const { content, images } = modelTurn(m.content, m.attachments);
      history.push({ role: 'user', content, ...(images.length === 0 ? {} : { images }) });
      continue;
    }
    const calls = m.toolCalls ?? [];
    if (m.status === 'error' || (m.content === '' && calls.length === 0)) continue;
    history.push({
      role: 'assistant',
      content: m.content,
      ...(calls.length === 0 ? {} : { toolCalls: calls.map((c) => ({ id: c.id, name: c.name, args: c.args })) }),
    });
    if (calls.length > 0)
      history.push({
        role: 'tool',
        results: calls.map((c) => ({ id: c.id, name: c.name, outcome: c.outcome ?? STOPPED })),
      });
  }
  return history;
}

/**
 * An error's text for the page and the store, with anything shaped like an API key cut (providers
 * echo part of a rejected key: "Incorrect API key provided: sk-…").
 */
export const errorText = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/\b(sk-|sk_|key-)[\w*.-]{6,}/g, '$1[redacted]');

/** A new conversation's title until its first message names it. */
export const NEW_TITLE = 'New conversation';

/** A title from a first message: its first line, at most 60 characters. */
export function titleOf(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
}
