/**
 * Resource URIs and templates as the gateway shows them: a URI only one server has is shown
 * unchanged; a URI two servers share is shown as `umcp-resource://{server}/{uri}` (both parts
 * URI-encoded) for each, so no two resources are one and every shown URI leads back to its
 * server. A template two servers share is shown as `umcp-resource://{server}/{template}` (the
 * server encoded, the template as it is, so a client still expands it).
 *
 * An MCP App's `ui://` URI is always namespaced, shared or not, and stays a `ui://` URI (a host
 * renders only those): `ui://{server}/{the original after "ui://"}`, the server URI-encoded. So a
 * tool's `_meta.ui.resourceUri` can be rewritten without knowing the other servers' lists, and the
 * URI of an App does not change when another server adds the same one.
 */
import { toolApp } from '@universal-mcp/core';

const SCHEME = 'umcp-resource://';
const APP_SCHEME = 'ui://';

/** Whether a URI (or template) is an MCP App's. */
const isAppUri = (uri: string): boolean => uri.startsWith(APP_SCHEME);

/** The shown `ui://` URI (or template) of a server's App resource. */
export function shownAppUri(server: string, uri: string): string {
  return `${APP_SCHEME}${encodeURIComponent(server)}/${uri.slice(APP_SCHEME.length)}`;
}

/** The server (decoded) and original URI a shown `ui://` URI stands for; undefined for any other URI. */
export function parseAppUri(uri: string): ResourceRef | undefined {
  if (!isAppUri(uri)) return undefined;
  const slash = uri.indexOf('/', APP_SCHEME.length);
  if (slash <= APP_SCHEME.length) return undefined;
  try {
    return { server: decodeURIComponent(uri.slice(APP_SCHEME.length, slash)), uri: APP_SCHEME + uri.slice(slash + 1) };
  } catch {
    return undefined; // malformed escapes: not one of ours
  }
}

/**
 * A tool's definition as shown: its App's URI (`_meta.ui.resourceUri` and the older flat
 * `_meta["ui/resourceUri"]`) namespaced like the resource. A URI that is no usable App URI (see
 * `toolApp`) is left out, so no host is sent to read something the gateway would not resolve.
 */
export function withShownApp<T extends { readonly _meta?: unknown }>(server: string, tool: T): T {
  const meta = tool._meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return tool;
  const own = meta as Readonly<Record<string, unknown>>;
  const ui = own.ui;
  const uiObject = typeof ui === 'object' && ui !== null && !Array.isArray(ui);
  const hasUri = (uiObject && 'resourceUri' in ui) || 'ui/resourceUri' in own;
  if (!hasUri) return tool;
  const app = toolApp(tool).resourceUri;
  const shown = app === undefined ? undefined : shownAppUri(server, app);
  const { 'ui/resourceUri': flat, ...rest } = own;
  const next: Record<string, unknown> = { ...rest };
  if (uiObject) {
    const { resourceUri: nested, ...uiRest } = ui as Record<string, unknown>;
    next.ui = nested === undefined || shown === undefined ? uiRest : { ...uiRest, resourceUri: shown };
  }
  if (flat !== undefined && shown !== undefined) next['ui/resourceUri'] = shown;
  return { ...tool, _meta: next };
}

/** A resource's server and its URI on that server. */
export interface ResourceRef {
  readonly server: string;
  readonly uri: string;
}

/** The shown URI of a resource, given whether another server has the same URI. */
export function shownUri(ref: ResourceRef, shared: boolean): string {
  if (isAppUri(ref.uri)) return shownAppUri(ref.server, ref.uri);
  return shared ? `${SCHEME}${encodeURIComponent(ref.server)}/${encodeURIComponent(ref.uri)}` : ref.uri;
}

/** The shown form of a server's template, given whether another server has the same one. */
export function shownTemplate(server: string, template: string, shared: boolean): string {
  if (isAppUri(template)) return shownAppUri(server, template);
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
