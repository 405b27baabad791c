// MCP Apps (`io.modelcontextprotocol/ui`, SEP-1865): what a tool's `_meta.ui` says about its
// interface, read defensively. The server wrote it, so it is hostile input: a resource URI that is
// not `ui://`, too long, or not a string is no App at all, and an unknown visibility is the default.

/** The MCP Apps extension's identifier, as servers and clients declare it in `capabilities.extensions`. */
export const APPS_EXTENSION = 'io.modelcontextprotocol/ui';
/** The MIME type of an App's HTML resource. */
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** What a client that renders Apps declares under `capabilities.extensions[APPS_EXTENSION]`. */
export const APPS_CLIENT_CAPABILITY: Readonly<{ mimeTypes: readonly string[] }> = Object.freeze({
  mimeTypes: Object.freeze([APP_MIME_TYPE]),
});

/** Longest `ui://` URI taken from a server. */
const MAX_URI_CHARS = 2048;

/** Who may call a tool: the model (the agent), the App (its own server's UI), or both (the default). */
export type AppVisibility = 'model' | 'app';

/** A tool's App, as its `_meta.ui` declares it. */
export interface ToolApp {
  /** The `ui://` resource to render for this tool's calls; undefined for a tool with no interface. */
  readonly resourceUri?: string | undefined;
  /** Who may call the tool; `['model', 'app']` when the server says nothing (or nothing valid). */
  readonly visibility: readonly AppVisibility[];
}

const BOTH: readonly AppVisibility[] = Object.freeze(['model', 'app']);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A usable `ui://` URI, or undefined. */
function uiUri(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('ui://') && value.length <= MAX_URI_CHARS ? value : undefined;
}

/**
 * Reads a tool's App: `_meta.ui.resourceUri` (or the older flat `_meta["ui/resourceUri"]`) and
 * `_meta.ui.visibility`. A visibility that is not a non-empty list of `model`/`app` counts as the
 * default, so a malformed one can neither hide a tool from the model nor expose an app-only one.
 */
export function toolApp(tool: { readonly _meta?: unknown }): ToolApp {
  const meta = isRecord(tool._meta) ? tool._meta : undefined;
  const ui = meta !== undefined && isRecord(meta.ui) ? meta.ui : undefined;
  const resourceUri = uiUri(ui?.resourceUri) ?? uiUri(meta?.['ui/resourceUri']);
  const given = ui?.visibility;
  const visibility =
    Array.isArray(given) && given.length > 0 && given.length <= 2 && given.every((v) => v === 'model' || v === 'app')
      ? (Object.freeze([...new Set(given)]) as readonly AppVisibility[])
      : BOTH;
  return resourceUri === undefined ? { visibility } : { resourceUri, visibility };
}

/** Whether the model may see and call the tool (false for an app-only tool). */
export function visibleToModel(tool: { readonly _meta?: unknown }): boolean {
  return toolApp(tool).visibility.includes('model');
}

/** Whether the tool's own App may call it (false for a model-only tool). */
export function callableByApp(tool: { readonly _meta?: unknown }): boolean {
  return toolApp(tool).visibility.includes('app');
}
