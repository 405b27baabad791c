import type { ChatMessage } from './model.js';

/** Rough tokens of a message: about four characters each. */
function tokensOf(m: ChatMessage): number {
  return Math.ceil(JSON.stringify(m).length / 4);
}

/**
 * The history trimmed to about `budget` tokens: whole turns (a user message and everything after
 * it up to the next one) dropped oldest first, so that a tool call never loses its result; the
 * last turn is always kept.
 */
export function trimHistory(messages: readonly ChatMessage[], budget: number): ChatMessage[] {
  const starts = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  let from = 0;
  let total = messages.reduce((n, m) => n + tokensOf(m), 0);
  for (const start of starts.slice(1)) {
    if (total <= budget) break;
    for (let i = from; i < start; i += 1) total -= tokensOf(messages[i] as ChatMessage);
    from = start;
  }
  return messages.slice(from);
}
