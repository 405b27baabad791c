/**
 * Resource URIs as the gateway shows them: a URI only one server has is shown unchanged; a URI
 * two servers share is shown as `umcp-resource://{server}/{uri}` (both parts URI-encoded) for
 * each, so no two resources are one and every shown URI leads back to its server.
 */

const SCHEME = 'umcp-resource://';

/** A resource's server and its URI on that server. */
export interface ResourceRef {
  readonly server: string;
  readonly uri: string;
}

/** The shown URI of a resource, given whether another server has the same URI. */
export function shownUri(ref: ResourceRef, shared: boolean): string {
  return shared ? `${SCHEME}${encodeURIComponent(ref.server)}/${encodeURIComponent(ref.uri)}` : ref.uri;
}

/** The server and URI a prefixed URI stands for; undefined for any other URI. */
export function parsePrefixedUri(uri: string): ResourceRef | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    return { server: decodeURIComponent(rest.slice(0, slash)), uri: decodeURIComponent(rest.slice(slash + 1)) };
  } catch {
    return undefined; // malformed escapes: not one of ours
  }
}

/**
 * Whether `uri` fits an RFC 6570 template (level 1–4 expressions, matched loosely: `{x}` is one
 * path segment, `{+x}`, `{#x}` and `{x*}` any text).
 */
export function matchesTemplate(template: string, uri: string): boolean {
  let pattern = '^';
  let at = 0;
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    pattern += escape(template.slice(at, m.index));
    const expr = m[1] ?? '';
    pattern += /^[+#]|\*$/.test(expr) ? '.*' : /^[/?&;.]/.test(expr) ? '.*' : '[^/?#]+';
    at = m.index + m[0].length;
  }
  pattern += `${escape(template.slice(at))}$`;
  return new RegExp(pattern, 'u').test(uri);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
