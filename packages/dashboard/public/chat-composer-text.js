// The composer's text: the `@` or `/` being typed, and URI templates filled. Pure.

/** The `@word` or `/word` being typed before the caret, or undefined. */
export function trigger(text, caret) {
  const before = text.slice(0, caret);
  const at = /(^|\s)@([^\s@]*)$/.exec(before);
  if (at) return { kind: '@', word: at[2], start: before.length - at[2].length - 1 };
  const slash = /^\/([^\s]*)$/.exec(before);
  if (slash && text.slice(caret).trim() === '') return { kind: '/', word: slash[1], start: 0 };
  return undefined;
}

/** The variables of a URI template (`{id}`, `{+path}`): RFC 6570 level 1 and 2 names. */
export const variablesOf = (template) => [...template.matchAll(/\{[+#]?([^}]+)\}/g)].map((m) => m[1]);

/** A template with its variables filled (`{+x}` keeps reserved characters, as the RFC says). */
export const expand = (template, values) =>
  template.replace(/\{([+#]?)([^}]+)\}/g, (_, op, name) =>
    op === '' ? encodeURIComponent(values[name] ?? '') : encodeURI(values[name] ?? ''),
  );
