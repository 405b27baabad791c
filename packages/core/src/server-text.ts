/** The most characters of text taken from a server (an error page, a message) into an error message. */
export const MAX_SERVER_TEXT = 300;

/**
 * Text a server sent, bounded for an error message: a 2 MB HTML error page must not become a
 * 2-million-character message. Whitespace runs fold to one space; the cut says how much was left out.
 */
export function boundText(text: string, max = MAX_SERVER_TEXT): string {
  const folded = text.length > max * 4 ? text.slice(0, max * 4).replace(/\s+/g, ' ') : text.replace(/\s+/g, ' ');
  if (folded.length <= max && text.length <= max * 4) return folded.trim();
  return `${folded.slice(0, max).trim()}… (+${text.length - max} more characters)`;
}

/** "MCP error -32602: MCP error -32602: x" → "x": the SDK prefixes a message that a server already prefixed. */
export function stripRpcPrefix(message: string): string {
  return message.replace(/^(?:MCP error -?\d+: )+/, '');
}
