import type { CallToolResult } from '@universal-mcp/supervisor';
import { isUniversalMcpError, type UniversalMcpError } from '@universal-mcp/supervisor';

/** One piece of a tool's result, as every provider format is built from. */
export type ResultPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly mimeType: string; readonly data: string };

/** A tool's result made ready for a model: its parts, and whether it is an error. */
export interface ToolOutcome {
  readonly parts: readonly ResultPart[];
  readonly isError: boolean;
}

/** Errors that pass: the model may try again a little later. */
const RETRIABLE = new Set(['SERVER_UNAVAILABLE', 'CONNECTION_LOST', 'SESSION_EXPIRED', 'TIMEOUT', 'QUEUE_FULL']);

/**
 * Cuts a text longer than `max` characters: its head and its tail kept, the middle replaced by a
 * marker saying how much was left out (the end of a long output is as often what matters).
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = (n: number): string => `\n\n[… ${n} characters left out …]\n\n`;
  const room = Math.max(0, max - marker(text.length).length);
  const head = Math.ceil(room * 0.6);
  const tail = room - head;
  return `${text.slice(0, head)}${marker(text.length - head - tail)}${text.slice(text.length - tail)}`;
}

const NO_AUDIO = 'no model API takes audio in a tool result';
const NO_IMAGES = 'this model API does not take images in a tool result';
const approxBytes = (base64: string): number => Math.floor((base64.length * 3) / 4);

/**
 * A tool's MCP result as parts a model reads: text as text; images as images; audio, embedded
 * binary resources and resource links described in words (no provider takes audio in a tool
 * result); embedded text resources as their text; `structuredContent` as JSON when there is no
 * text beside it. Text beyond `maxChars` in all is cut in the middle.
 */
export function outcomeOf(result: CallToolResult, maxChars: number): ToolOutcome {
  const parts: ResultPart[] = [];
  for (const c of result.content ?? []) {
    switch (c.type) {
      case 'text':
        parts.push({ type: 'text', text: c.text });
        break;
      case 'image':
        parts.push({ type: 'image', mimeType: c.mimeType, data: c.data });
        break;
      case 'audio':
        parts.push({
          type: 'text',
          text: `[audio: ${c.mimeType}, ${approxBytes(c.data)} bytes — not passed on: ${NO_AUDIO}]`,
        });
        break;
      case 'resource': {
        const r = c.resource;
        if ('text' in r) parts.push({ type: 'text', text: `[resource ${r.uri}]\n${r.text}` });
        else if (r.mimeType?.startsWith('image/') === true)
          parts.push({ type: 'image', mimeType: r.mimeType, data: r.blob });
        else
          parts.push({
            type: 'text',
            text: `[resource ${r.uri}: ${r.mimeType ?? 'binary'}, ${approxBytes(r.blob)} bytes]`,
          });
        break;
      }
      case 'resource_link':
        parts.push({
          type: 'text',
          text: `[resource link: ${c.uri}${c.name ? ` (${c.name})` : ''}${c.description ? ` — ${c.description}` : ''}]`,
        });
        break;
    }
  }
  if (result.structuredContent !== undefined && !parts.some((p) => p.type === 'text')) {
    parts.push({ type: 'text', text: JSON.stringify(result.structuredContent) });
  }
  if (parts.length === 0)
    parts.push({ type: 'text', text: result.isError === true ? 'The tool failed without saying why.' : '(no output)' });
  return { parts: fitText(parts, maxChars), isError: result.isError === true };
}

/** A failed call (server down, timeout…) as an error result the model can read, with the code. */
export function outcomeOfError(err: unknown): ToolOutcome {
  if (isUniversalMcpError(err)) {
    const e = err as UniversalMcpError;
    const hint = RETRIABLE.has(e.code) ? ' This is temporary: you may try again shortly.' : '';
    return { parts: [{ type: 'text', text: `Error ${e.code}: ${e.message}.${hint}` }], isError: true };
  }
  return {
    parts: [{ type: 'text', text: `Error: ${err instanceof Error ? err.message : String(err)}` }],
    isError: true,
  };
}

/** Text parts cut so that all of them together keep within `max` characters. */
function fitText(parts: ResultPart[], max: number): ResultPart[] {
  const total = parts.reduce((n, p) => n + (p.type === 'text' ? p.text.length : 0), 0);
  if (total <= max) return parts;
  const joined = parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('\n');
  return [{ type: 'text', text: truncateText(joined, max) }, ...parts.filter((p) => p.type === 'image')];
}

/** The parts as one string, images noted in words (for APIs that take only text in a tool result). */
export function outcomeText(outcome: ToolOutcome, imagesTaken = false): string {
  const text = outcome.parts
    .map((p) =>
      p.type === 'text'
        ? p.text
        : imagesTaken
          ? ''
          : `[image: ${p.mimeType}, ${approxBytes(p.data)} bytes — ${NO_IMAGES}]`,
    )
    .filter((t) => t !== '')
    .join('\n');
  return outcome.isError ? `Error: ${text.replace(/^Error:?\s*/, '')}` : text;
}
