import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { MALFORMED_MESSAGE_RPC_CODE } from './errors.js';

/** What {@link checkMessage} found. */
export type MessageCheck =
  | { readonly ok: true }
  /** `answerId`: the id of an answer whose body is malformed, so the request it answers can fail now. */
  | { readonly ok: false; readonly problem: string; readonly answerId?: string | number | undefined };

const isId = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const describeValue = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the JSON-RPC 2.0 shape the SDK's Protocol dispatches on, without a schema library: a
 * request or notification (`method`), a result answer (`id` and an object `result`), or an error
 * answer (`error` with an integer `code` and a string `message`). Cheap enough for every message.
 */
export function checkMessage(message: unknown): MessageCheck {
  if (!isObject(message)) return { ok: false, problem: 'not an object' };
  const id = message.id;
  const answerId = isId(id) && !('method' in message) ? id : undefined;
  const bad = (problem: string): MessageCheck => ({ ok: false, problem, answerId });
  if (message.jsonrpc !== '2.0') return bad('"jsonrpc" is not "2.0"');
  if ('method' in message) {
    if (typeof message.method !== 'string') return bad('"method" is not a string');
    if ('id' in message && !isId(id)) return bad('"id" is not a string or number');
    if (message.params !== undefined && !isObject(message.params)) return bad('"params" is not an object');
    return { ok: true };
  }
  if ('result' in message) {
    if (!isId(id)) return bad('"id" is not a string or number');
    if (!isObject(message.result)) return bad(`"result" is ${describeValue(message.result)}, not an object`);
    return { ok: true };
  }
  if ('error' in message) {
    const error = message.error;
    if (!isObject(error)) return bad('"error" is not an object');
    if (typeof error.code !== 'number' || !Number.isInteger(error.code))
      return bad(`"error.code" is ${JSON.stringify(error.code)}, not an integer`);
    if (typeof error.message !== 'string') return bad('"error.message" is not a string');
    if (id !== undefined && id !== null && !isId(id)) return bad('"id" is not a string or number');
    return { ok: true };
  }
  return bad('neither "method", "result" nor "error"');
}

/** What a transport hands on for one message from a server, and what was wrong with it. */
export interface Admitted {
  /** The message itself when well formed; for a malformed answer, an error answer for its id. */
  readonly deliver?: JSONRPCMessage | undefined;
  readonly problem?: string | undefined;
}

/**
 * One message from a server, checked ({@link checkMessage}): a well-formed one is handed on as it
 * is; an answer whose body is malformed (a string error code, `result: null`) becomes an error
 * answer for its id (-32098), so the request it answers settles now instead of at its timeout;
 * anything else malformed is only reported.
 */
export function admit(message: unknown): Admitted {
  const check = checkMessage(message);
  if (check.ok) return { deliver: message as JSONRPCMessage };
  if (check.answerId === undefined) return { problem: check.problem };
  const error = { code: MALFORMED_MESSAGE_RPC_CODE, message: `malformed answer from the server: ${check.problem}` };
  return { deliver: { jsonrpc: '2.0', id: check.answerId, error }, problem: check.problem };
}

/**
 * The keys at the top level of a JSON object, read from its first bytes only (a message too large
 * to parse): enough to tell a request (`method`, `params`) from an answer (`result`, `error`).
 */
export function topLevelKeys(head: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < head.length) {
    const c = head[i];
    if (c === '"') {
      let j = i + 1;
      while (j < head.length && head[j] !== '"') j += head[j] === '\\' ? 2 : 1;
      if (j >= head.length) break;
      if (depth === 1 && /^\s*:/.test(head.slice(j + 1, j + 8))) keys.push(head.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
    i += 1;
  }
  return keys;
}
