// The Content-Security-Policy an App's frame is served with. The base is the MCP Apps spec's
// default (nothing from the network, inline script and style only); each declared list of origins
// opens exactly the directives the spec maps it to. `sandbox allow-scripts` is a directive too, so
// the frame's URL opened on its own (not in our iframe) is still an opaque origin with no access to
// the dashboard, and `frame-ancestors 'self'` lets only the dashboard frame it.
import type { AppCsp } from './app-resource.js';

/** Which declared list opens which directives (SEP-1865, `McpUiResourceCsp`). */
const OPENS: Record<keyof AppCsp, readonly string[]> = {
  connectDomains: ['connect-src'],
  resourceDomains: ['script-src', 'style-src', 'img-src', 'font-src', 'media-src'],
  frameDomains: ['frame-src'],
  baseUriDomains: ['base-uri'],
};

/** Directives and their sources with nothing declared; `'none'` is dropped once a source is added. */
const BASE: readonly (readonly [string, readonly string[]])[] = [
  ['default-src', ["'none'"]],
  ['script-src', ["'unsafe-inline'"]],
  ['style-src', ["'unsafe-inline'"]],
  ['img-src', ['data:', 'blob:']],
  ['media-src', ['data:', 'blob:']],
  ['font-src', ['data:']],
  ['connect-src', ["'none'"]],
  ['frame-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
];

/**
 * The frame's CSP header value for the origins an App declared (already checked by
 * `appUiMeta`: plain origins, at most 32 a list).
 */
export function appCsp(csp: AppCsp): string {
  const directives = new Map(BASE.map(([name, sources]) => [name, [...sources]]));
  for (const key of Object.keys(OPENS) as (keyof AppCsp)[]) {
    if (csp[key].length === 0) continue;
    for (const name of OPENS[key]) {
      const sources = (directives.get(name) ?? []).filter((s) => s !== "'none'");
      directives.set(name, [...new Set([...sources, ...csp[key]])]);
    }
  }
  return [
    ...[...directives].map(([name, sources]) => `${name} ${sources.join(' ')}`),
    "frame-ancestors 'self'",
    'sandbox allow-scripts',
  ].join('; ');
}
