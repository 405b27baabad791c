import { RE2JS } from 're2js';

/** What Ajv calls to build the matcher for a schema's `pattern` or a `patternProperties` key. */
export interface SchemaRegExp {
  (pattern: string, flags: string): { test(input: string): boolean; toString(): string };
  /** Only read by Ajv's standalone code generation, which we do not use. */
  code: string;
}

/**
 * The pattern compiled for RE2 (JavaScript's own escapes such as `\u00e9` or `\cA` translated
 * first), or the reason RE2 cannot take it: backreferences and lookahead need backtracking, which
 * is what makes a pattern like `^(a|a)*$` take exponential time on a 49-character string.
 */
function compile(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.LOOKBEHINDS);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Why RE2 cannot run `pattern` (then it is not enforced), or undefined when it can.
 */
export function unenforceablePattern(pattern: string): string | undefined {
  const compiled = compile(pattern);
  return typeof compiled === 'string' ? compiled : undefined;
}

/**
 * Ajv's `code.regExp`: schema patterns run on RE2, in time linear in the input, so no pattern a
 * server or a client sends can freeze the process that validates. A pattern RE2 cannot compile is
 * not enforced (it matches everything); `checkTools` reports those tools.
 */
export const schemaRegExp: SchemaRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const compiled = compile(pattern);
    // Ajv shares one matcher between schemas by toString(): it must name the pattern exactly.
    const name = `re2:/${pattern}/${flags}`;
    if (typeof compiled === 'string') return { test: () => true, toString: () => `${name} (not enforced)` };
    return { test: (input: string) => compiled.test(input), toString: () => name };
  },
  { code: 're2js' },
);
