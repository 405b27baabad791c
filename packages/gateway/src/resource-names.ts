/**
 * Resource URIs and templates as the gateway shows them: a URI only one server has is shown
 * unchanged; a URI two servers share is shown as `umcp-resource://{server}/{uri}` (both parts
 * URI-encoded) for each, so no two resources are one and every shown URI leads back to its
 * server. A template two servers share is shown as `umcp-resource://{server}/{template}` (the
 * server encoded, the template as it is, so a client still expands it).
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

/** The shown form of a server's template, given whether another server has the same one. */
export function shownTemplate(server: string, template: string, shared: boolean): string {
  return shared ? `${SCHEME}${encodeURIComponent(server)}/${template}` : template;
}

/** A prefixed URI's server (decoded) and the rest as it was written; undefined for any other URI. */
export function splitPrefixedUri(uri: string): { server: string; rest: string } | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const slash = uri.indexOf('/', SCHEME.length);
  if (slash <= SCHEME.length) return undefined;
  try {
    return { server: decodeURIComponent(uri.slice(SCHEME.length, slash)), rest: uri.slice(slash + 1) };
  } catch {
    return undefined; // malformed escapes: not one of ours
  }
}

/** The server and URI a prefixed URI stands for (its URI part decoded); undefined for any other URI. */
export function parsePrefixedUri(uri: string): ResourceRef | undefined {
  const split = splitPrefixedUri(uri);
  if (split === undefined) return undefined;
  try {
    return { server: split.server, uri: decodeURIComponent(split.rest) };
  } catch {
    return undefined;
  }
}
