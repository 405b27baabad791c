import { boundText } from './errors.js';

/** What is wrong with a tool's arguments, for people (`text`) and programs (`field`, a dotted path). */
export interface ArgumentProblems {
  /** One clause per problem: `missing required argument "path"; argument "count" must be integer`. */
  readonly text: string;
  /** The argument the first problem is about (for a missing one: its own path), when there is one. */
  readonly field: string | undefined;
}

/** One Ajv error as `errorsText` writes it: `data/a/b must …` (`data` alone for the arguments object). */
const ERROR = /^data((?:\/[^\s]*)?) ([^]*)$/;
const REQUIRED = /^must have required property '([^']*)'$/;

/** `/a/0/b` → `a.0.b` (JSON Pointer escapes undone). */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * Turns the text Ajv's `errorsText` gives for tool arguments (`data must have required property
 * 'path', data/count must be integer`) into clauses a person reads and the field a program
 * branches on. The SDK's validator hands over only that text, so this is where it is read.
 */
export function describeArgumentErrors(errorsText: string | undefined): ArgumentProblems {
  // Errors are joined with ", "; a message may hold a comma itself (a pattern), so split only before "data".
  const errors = (errorsText ?? '').split(/, (?=data[/ ])/).filter((e) => e !== '');
  let field: string | undefined;
  const clauses = errors.map((error) => {
    const m = ERROR.exec(error);
    if (m === null) return error;
    const at = dotted(m[1] ?? '');
    const message = m[2] ?? '';
    const required = REQUIRED.exec(message);
    if (required !== null) {
      const missing = at === '' ? (required[1] ?? '') : `${at}.${required[1] ?? ''}`;
      field ??= missing;
      return `missing required argument "${missing}"`;
    }
    if (at === '') return `the arguments ${message}`;
    field ??= at;
    return `argument "${at}" ${message}`;
  });
  // A schema is the server's: a pattern in it may be any length.
  return { text: clauses.length > 0 ? boundText(clauses.join('; '), 1000) : 'invalid', field };
}
