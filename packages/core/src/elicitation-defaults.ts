// An accepted form-mode answer gets the defaults of the fields the user left empty: the client
// advertises `elicitation.form.applyDefaults`, and the SDK's 2025 path does this for the app's
// handler. The MRTR path (input-required.ts) does the same here, on a copy, bounded: the schema is
// the server's.
import type { ClientHandlers } from './handlers.js';

type ElicitParams = Parameters<NonNullable<ClientHandlers['elicitation']>>[0];
type ElicitAnswer = Awaited<ReturnType<NonNullable<ClientHandlers['elicitation']>>>;

const MAX_DEPTH = 16;
const MAX_STEPS = 10_000;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `answer` with the form schema's `default`s filled into missing fields of its accepted `content`
 * (as the SDK's `applyElicitationDefaults`: `properties` at any depth, and each `anyOf`/`oneOf`
 * branch). Anything else is returned as it is.
 */
export function elicitationWithDefaults(params: ElicitParams, answer: ElicitAnswer): ElicitAnswer {
  const schema = (params as { requestedSchema?: unknown }).requestedSchema;
  const mode = (params as { mode?: unknown }).mode;
  if ((mode !== undefined && mode !== 'form') || !isObject(answer) || answer.action !== 'accept') return answer;
  if (!isObject(schema) || !isObject(answer.content)) return answer;
  const content = structuredClone(answer.content);
  let steps = 0;
  const apply = (s: Record<string, unknown>, data: unknown, depth: number): void => {
    steps += 1;
    if (!isObject(data) || depth > MAX_DEPTH || steps > MAX_STEPS) return;
    if (s.type === 'object' && isObject(s.properties)) {
      for (const [key, sub] of Object.entries(s.properties)) {
        // A `__proto__` property would set the copy's prototype rather than a field.
        if (!isObject(sub) || key === '__proto__') continue;
        if (data[key] === undefined && Object.hasOwn(sub, 'default')) data[key] = sub.default;
        if (data[key] !== undefined) apply(sub, data[key], depth + 1);
      }
    }
    for (const branches of [s.anyOf, s.oneOf])
      if (Array.isArray(branches)) for (const sub of branches) if (isObject(sub)) apply(sub, data, depth + 1);
  };
  apply(schema, content, 0);
  return { ...answer, content } as ElicitAnswer;
}
